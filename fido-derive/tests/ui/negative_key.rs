//! CTAP2 message keys are non-negative.
use fido_types::cbor::CborMap;

#[derive(CborMap)]
struct CoseKeyish {
    #[cbor(key = 1)]
    kty: i32,
    #[cbor(key = -1)]
    crv: i32,
}

fn main() {}
