//! String keys in CTAP2 canonical order: shorter first ("rk" before "alwaysUv"), even
//! though "alwaysUv" < "rk" bytewise.
use fido_types::cbor::CborMap;

#[derive(CborMap)]
struct Options {
    #[cbor(key = "alwaysUv")]
    always_uv: Option<bool>,
    #[cbor(key = "rk")]
    rk: Option<bool>,
}

fn main() {}
