//! authenticatorClientPIN (0x06) messages and the COSE form of key-agreement keys.
//!
//! Member keys: CTAP 2.1 §6.5.5 (request 0x01–0x0A, response 0x01–0x05); the same keys in
//! python-fido2 `Ctap2.client_pin` (fido2/ctap2/base.py, argument order) and
//! `ClientPin.RESULT` (fido2/ctap2/pin.py).

use std::collections::BTreeMap;

use fido_types::cbor::{CborMap, Value};
use fido_types::pin_protocol::{KeyAgreementPublicKey, PinUvAuthProtocol};

use crate::error::{Error, ResponseError};

/// ClientPIN subcommand bytes (CTAP 2.1 §6.5.5; python-fido2 `ClientPin.CMD`).
pub mod subcommand {
    /// getPINRetries.
    pub const GET_PIN_RETRIES: u8 = 0x01;
    /// getKeyAgreement.
    pub const GET_KEY_AGREEMENT: u8 = 0x02;
    /// setPIN.
    pub const SET_PIN: u8 = 0x03;
    /// changePIN.
    pub const CHANGE_PIN: u8 = 0x04;
    /// getPinToken (CTAP 2.0, no permissions).
    pub const GET_PIN_TOKEN: u8 = 0x05;
    /// getPinUvAuthTokenUsingUvWithPermissions.
    pub const GET_TOKEN_USING_UV: u8 = 0x06;
    /// getUVRetries.
    pub const GET_UV_RETRIES: u8 = 0x07;
    /// getPinUvAuthTokenUsingPinWithPermissions.
    pub const GET_TOKEN_USING_PIN: u8 = 0x09;
}

/// An authenticatorClientPIN request.
#[derive(Debug, Clone, PartialEq, Default, CborMap)]
pub struct ClientPinRequest {
    /// `pinUvAuthProtocol` (0x01).
    #[cbor(key = 0x01)]
    pub pin_uv_auth_protocol: Option<PinUvAuthProtocol>,
    /// `subCommand` (0x02).
    #[cbor(key = 0x02)]
    pub sub_command: u8,
    /// `keyAgreement` (0x03), the platform's COSE key.
    #[cbor(key = 0x03)]
    pub key_agreement: Option<Value>,
    /// `pinUvAuthParam` (0x04).
    #[cbor(key = 0x04)]
    pub pin_uv_auth_param: Option<Vec<u8>>,
    /// `newPinEnc` (0x05).
    #[cbor(key = 0x05)]
    pub new_pin_enc: Option<Vec<u8>>,
    /// `pinHashEnc` (0x06).
    #[cbor(key = 0x06)]
    pub pin_hash_enc: Option<Vec<u8>>,
    /// `permissions` (0x09).
    #[cbor(key = 0x09)]
    pub permissions: Option<u32>,
    /// `rpId` (0x0A), the permissions RP ID.
    #[cbor(key = 0x0A)]
    pub rp_id: Option<String>,
}

/// An authenticatorClientPIN response.
#[derive(Debug, Clone, PartialEq, Default, CborMap)]
pub struct ClientPinResponse {
    /// `keyAgreement` (0x01), the authenticator's COSE key.
    #[cbor(key = 0x01)]
    pub key_agreement: Option<Value>,
    /// `pinUvAuthToken` (0x02), encrypted.
    #[cbor(key = 0x02)]
    pub pin_uv_auth_token: Option<Vec<u8>>,
    /// `pinRetries` (0x03).
    #[cbor(key = 0x03)]
    pub pin_retries: Option<u32>,
    /// `powerCycleState` (0x04).
    #[cbor(key = 0x04)]
    pub power_cycle_state: Option<bool>,
    /// `uvRetries` (0x05).
    #[cbor(key = 0x05)]
    pub uv_retries: Option<u32>,
}

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
