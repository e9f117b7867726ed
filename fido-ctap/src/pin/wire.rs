//! The COSE form of key-agreement keys in authenticatorClientPIN (0x06) messages (the
//! messages themselves are `fido_types::generated::ClientPin{Request,Response}`, whose
//! `keyAgreement` is a typed [`CoseKey`]). The check is fido-types' own
//! ([`CoseKey::to_key_agreement`]: kty EC2, alg ECDH-ES+HKDF-256, crv P-256, 32-byte
//! coordinates; CTAP 2.1 §6.5.6), the same one the authenticator applies.

use fido_types::cose::{CoseError, CoseKey};
use fido_types::pin_protocol::KeyAgreementPublicKey;

use crate::error::{Error, ResponseError};

/// The platform's key-agreement key as the COSE key sent in `keyAgreement` (python-fido2
/// `ClientPin._get_shared_secret` sends the same five members).
pub fn cose_key(key: &KeyAgreementPublicKey) -> CoseKey {
    CoseKey::from_key_agreement(key)
}

/// The authenticator's key-agreement key from its COSE form (whether the point is on the
/// curve is checked by the key agreement).
pub fn parse_cose_key(key: &CoseKey) -> Result<KeyAgreementPublicKey, Error> {
    key.to_key_agreement().map_err(|e| {
        let reason = match e {
            CoseError::WrongKeyType { .. } => "kty is not EC2",
            CoseError::WrongAlgorithm { .. } => "alg is not ECDH-ES+HKDF-256",
            CoseError::WrongCurve { .. } => "crv is not P-256",
            CoseError::WrongLength { .. } => "a coordinate is not 32 bytes",
            _ => "a member is missing or has the wrong type",
        };
        ResponseError::Invalid {
            what: "keyAgreement",
            reason,
        }
        .into()
    })
}
