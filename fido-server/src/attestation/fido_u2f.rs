//! Format `fido-u2f` (WebAuthn L3 §8.6): one P-256 certificate signing the U2F
//! registration message; the credential key must be an ES256 P-256 key.

use fido_types::cose::{CoseAlgorithm, CoseKey, EcCurve};

use super::statement::owned;
use super::{AttestationType, Input, Outcome};
use crate::cert::{self, CertSignatureError};
use crate::error::AttestationError;

const FORMAT: &str = "fido-u2f";

pub(super) fn verify(input: &Input<'_>) -> Outcome {
    let sig = input.stmt.bytes(FORMAT, "sig")?;
    let x5c = input.stmt.required_x5c(FORMAT)?;
    let [leaf_der] = x5c.as_slice() else {
        return Err(AttestationError::malformed(
            FORMAT,
            "x5c must hold exactly one certificate",
        ));
    };
    let leaf = cert::parse(leaf_der).map_err(|e| AttestationError::certificate(FORMAT, e))?;
    let CoseKey::Ec2(key) = input.acd.public_key() else {
        return Err(AttestationError::mismatch(
            FORMAT,
            "the credential key is not an EC2 key",
        ));
    };
    if key.curve() != EcCurve::P256 {
        return Err(AttestationError::mismatch(
            FORMAT,
            "the credential key is not on P-256",
        ));
    }
    // FIDO U2F raw message formats §4.3: 0x00 ‖ application parameter ‖ challenge
    // parameter ‖ key handle ‖ public key (uncompressed point).
    let mut message = vec![0x00];
    message.extend_from_slice(input.auth_data.rp_id_hash());
    message.extend_from_slice(input.client_data_hash);
    message.extend_from_slice(input.acd.credential_id());
    message.extend_from_slice(&key.uncompressed_point());
    cert::verify_signature(&leaf, CoseAlgorithm::ES256, &message, sig).map_err(|e| match e {
        CertSignatureError::Invalid => AttestationError::InvalidSignature { format: FORMAT },
        CertSignatureError::Unsupported => {
            AttestationError::certificate(FORMAT, "its key is not P-256")
        }
    })?;
    Ok((AttestationType::Basic, owned(&x5c)))
}
