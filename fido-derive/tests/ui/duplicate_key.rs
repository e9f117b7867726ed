//! Two fields with the same integer key.
use fido_types::cbor::CborMap;

#[derive(CborMap)]
struct Request {
    #[cbor(key = 0x01)]
    client_data_hash: Vec<u8>,
    #[cbor(key = 0x01)]
    rp_id: String,
}

fn main() {}
