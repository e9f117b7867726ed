//! Every field needs a key (or `#[cbor(unknown)]`).
use fido_types::cbor::CborMap;

#[derive(CborMap)]
struct Response {
    #[cbor(key = 0x01)]
    fmt: String,
    auth_data: Vec<u8>,
}

fn main() {}
