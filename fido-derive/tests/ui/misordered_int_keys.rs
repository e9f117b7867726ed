//! Integer keys must be declared in ascending order.
use fido_types::cbor::CborMap;

#[derive(CborMap)]
struct Request {
    #[cbor(key = 0x02)]
    rp: String,
    #[cbor(key = 0x01)]
    client_data_hash: Vec<u8>,
}

fn main() {}
