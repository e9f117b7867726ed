//! The COSE form of key-agreement keys in authenticatorClientPIN (0x06) messages (the
//! messages themselves are `fido_types::generated::ClientPin{Request,Response}`).

use std::collections::BTreeMap;

use fido_types::cbor::Value;
use fido_types::pin_protocol::KeyAgreementPublicKey;

use crate::error::{Error, ResponseError};

// COSE_Key labels and values for the key-agreement key: kty (1) = EC2 (2), alg (3) =
// ECDH-ES+HKDF-256 (-25), crv (-1) = P-256 (1), x (-2), y (-3). CTAP 2.1 §6.5.6
// getPublicKey; python-fido2 `ClientPin._get_shared_secret` sends the same five members.
const KTY: i128 = 1;
const ALG: i128 = 3;
const CRV: i128 = -1;
const X: i128 = -2;
const Y: i128 = -3;

/// The platform's key-agreement key as the COSE map sent in `keyAgreement`.
pub fn cose_key(key: &KeyAgreementPublicKey) -> Value {
    let mut map = BTreeMap::new();
    map.insert(Value::Integer(KTY), Value::Integer(2));
    map.insert(Value::Integer(ALG), Value::Integer(-25));
    map.insert(Value::Integer(CRV), Value::Integer(1));
    map.insert(Value::Integer(X), Value::Bytes(key.x.to_vec()));
    map.insert(Value::Integer(Y), Value::Bytes(key.y.to_vec()));
    Value::Map(map)
}

/// The authenticator's key-agreement key from a COSE map: EC2 on P-256 with 32-byte
/// coordinates (whether the point is on the curve is checked by the key agreement).
pub fn parse_cose_key(value: &Value) -> Result<KeyAgreementPublicKey, Error> {
    let invalid = |reason| ResponseError::Invalid {
        what: "keyAgreement",
        reason,
    };
    let Value::Map(map) = value else {
        return Err(invalid("not a map").into());
    };
    if map.get(&Value::Integer(KTY)) != Some(&Value::Integer(2)) {
        return Err(invalid("kty is not EC2").into());
    }
    if map.get(&Value::Integer(CRV)) != Some(&Value::Integer(1)) {
        return Err(invalid("crv is not P-256").into());
    }
    let coordinate = |label| match map.get(&Value::Integer(label)) {
        Some(Value::Bytes(b)) => {
            <[u8; 32]>::try_from(b.as_slice()).map_err(|_| invalid("a coordinate is not 32 bytes"))
        }
        _ => Err(invalid("a coordinate is missing")),
    };
    Ok(KeyAgreementPublicKey {
        x: coordinate(X)?,
        y: coordinate(Y)?,
    })
}
