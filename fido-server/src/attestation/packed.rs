//! Format `packed` (WebAuthn L3 §8.2): self attestation with the credential key, or a
//! batch certificate (`x5c`) meeting §8.2.1's requirements.

use super::statement::owned;
use super::{AttestationType, Input, Outcome};
use crate::cert::{self, Cert, CertSignatureError};
use crate::error::AttestationError;
use crate::signature::{self, SignatureError};

const FORMAT: &str = "packed";

pub(super) fn verify(input: &Input<'_>) -> Outcome {
    let alg = input.stmt.alg(FORMAT)?;
    let sig = input.stmt.bytes(FORMAT, "sig")?;
    let message = input.signed_message();
    match input.stmt.x5c(FORMAT)? {
        Some(x5c) => {
            let leaf = cert::parse(x5c[0]).map_err(|e| AttestationError::certificate(FORMAT, e))?;
            cert::verify_signature(&leaf, alg, &message, sig).map_err(|e| match e {
                CertSignatureError::Invalid => {
                    AttestationError::InvalidSignature { format: FORMAT }
                }
                CertSignatureError::Unsupported => AttestationError::UnsupportedAlgorithm {
                    format: FORMAT,
                    alg,
                },
            })?;
            check_certificate(&leaf, input)?;
            Ok((AttestationType::Basic, owned(&x5c)))
        }
        None => {
            let key = input.acd.public_key();
            if key.alg() != Some(alg) {
                return Err(AttestationError::mismatch(
                    FORMAT,
                    format!("alg {alg} is not the credential key's algorithm"),
                ));
            }
            signature::verify(key, &message, sig).map_err(|e| match e {
                SignatureError::Invalid => AttestationError::InvalidSignature { format: FORMAT },
                SignatureError::Unsupported(alg) => AttestationError::UnsupportedAlgorithm {
                    format: FORMAT,
                    alg,
                },
            })?;
            Ok((AttestationType::SelfAttestation, Vec::new()))
        }
    }
}

/// §8.2.1: version 3; subject C (ISO 3166 code), O, OU "Authenticator Attestation", CN;
/// not a CA; the AAGUID extension, if present, not critical and matching.
fn check_certificate(leaf: &Cert<'_>, input: &Input<'_>) -> Result<(), AttestationError> {
    let bad = |reason: String| AttestationError::certificate(FORMAT, reason);
    cert::check_v3(leaf).map_err(bad)?;
    let subject = leaf.x509.subject();
    let country = cert::texts(subject.iter_country());
    if !matches!(country.as_slice(), [c] if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(bad("the subject has no two-letter country (C)".into()));
    }
    if cert::texts(subject.iter_organization()).is_empty() {
        return Err(bad("the subject has no organization (O)".into()));
    }
    if cert::texts(subject.iter_organizational_unit()) != ["Authenticator Attestation"] {
        return Err(bad(
            "the subject's organizational unit (OU) is not \"Authenticator Attestation\"".into(),
        ));
    }
    if cert::texts(subject.iter_common_name()).is_empty() {
        return Err(bad("the subject has no common name (CN)".into()));
    }
    if cert::is_ca(leaf).map_err(bad)? {
        return Err(bad(
            "it is a CA certificate (basicConstraints cA true)".into()
        ));
    }
    cert::check_aaguid_extension(leaf, &input.acd.aaguid())
        .map_err(|reason| AttestationError::mismatch(FORMAT, reason))
}
