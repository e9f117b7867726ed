//! One kind of key per struct.
use fido_types::cbor::CborMap;

#[derive(CborMap)]
struct Entity {
    #[cbor(key = 0x01)]
    id: Vec<u8>,
    #[cbor(key = "name")]
    name: String,
}

fn main() {}
