//! Format `apple` (WebAuthn L3 §8.8, Apple Anonymous Attestation): the credential
//! certificate's nonce extension holds SHA-256(authenticatorData ‖ clientDataHash) and its
//! key is the credential key.

use fido_types::generated::attestation::AttestationOid;
use ring::digest;

use super::statement::owned;
use super::{AttestationType, Input, Outcome};
use crate::cert;
use crate::error::AttestationError;

const FORMAT: &str = "apple";

pub(super) fn verify(input: &Input<'_>) -> Outcome {
    let x5c = input.stmt.required_x5c(FORMAT)?;
    let cred_cert = cert::parse(x5c[0]).map_err(|e| AttestationError::certificate(FORMAT, e))?;
    let nonce = digest::digest(&digest::SHA256, &input.signed_message());
    let (value, _) = cert::extension(&cred_cert, &AttestationOid::APPLE_NONCE)
        .map_err(|e| AttestationError::certificate(FORMAT, e))?
        .ok_or_else(|| AttestationError::certificate(FORMAT, "no nonce extension"))?;
    // SEQUENCE { [1] EXPLICIT OCTET STRING (32 bytes) }: 30 24 A1 22 04 20 nonce.
    match value {
        [0x30, 0x24, 0xA1, 0x22, 0x04, 0x20, given @ ..] if given.len() == 32 => {
            if given != nonce.as_ref() {
                return Err(AttestationError::mismatch(
                    FORMAT,
                    "the nonce is not the expected hash",
                ));
            }
        }
        _ => {
            return Err(AttestationError::certificate(
                FORMAT,
                "the nonce extension is malformed",
            ));
        }
    }
    let credential_spki = input
        .acd
        .public_key()
        .to_spki_der()
        .map_err(|e| AttestationError::mismatch(FORMAT, e.to_string()))?;
    if credential_spki.as_slice() != cred_cert.x509.public_key().raw {
        return Err(AttestationError::mismatch(
            FORMAT,
            "the certificate's key is not the credential key",
        ));
    }
    Ok((AttestationType::AnonCa, owned(&x5c)))
}
