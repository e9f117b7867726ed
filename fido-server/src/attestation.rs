//! Attestation statement verification (WebAuthn L3 §8): one module per format, each
//! checking the signature and the format's certificate requirements and reporting the
//! attestation type the format defines, with its trust path.

mod android_key;
mod android_safetynet;
mod apple;
mod compound;
mod der;
mod fido_u2f;
mod none;
mod packed;
mod statement;
mod tpm;

use fido_types::generated::webauthn::AttestationFormat;
use fido_types::webauthn::{
    Aaguid, AttestationObject, AttestationStatement, AttestedCredentialData, AuthenticatorData,
};
use serde::{Deserialize, Serialize};

use crate::error::AttestationError;

pub use statement::Statement;

/// The attestation type (WebAuthn L3 §6.5.3) a format's verification procedure reports.
///
/// It is the type the format defines, never a guess: `packed` and `fido-u2f` with a
/// certificate are [`Basic`](Self::Basic) as python-fido2 reports them (WebAuthn allows
/// AttCA there too; only metadata about the authenticator tells them apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AttestationType {
    /// No attestation (`none`).
    None,
    /// Self attestation: the credential key signed its own attestation.
    #[serde(rename = "self")]
    SelfAttestation,
    /// Basic attestation: a batch certificate of the authenticator model.
    Basic,
    /// Attestation CA: a certificate from a CA that knows the authenticator's key
    /// (TPM AIK certificates).
    AttCa,
    /// Anonymization CA: a per-credential certificate (Apple).
    AnonCa,
    /// Format `compound` (WebAuthn L3 §8.9): every sub-statement verified; each one's type
    /// and trust path are in [`VerifiedAttestation::members`].
    Compound,
}

impl AttestationType {
    /// The name used in reports: `none`, `self`, `basic`, `attCA`, `anonCA`.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::SelfAttestation => "self",
            Self::Basic => "basic",
            Self::AttCa => "attCA",
            Self::AnonCa => "anonCA",
            Self::Compound => "compound",
        }
    }
}

/// A verified attestation statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedAttestation {
    /// The format (`fmt`).
    pub format: String,
    /// The attestation type.
    pub attestation_type: AttestationType,
    /// The certificate chain from the attestation certificate towards a root (DER), as the
    /// statement carried it; empty for `none` and self attestation.
    pub trust_path: Vec<Vec<u8>>,
    /// The authenticator's AAGUID from the attested credential data.
    pub aaguid: Aaguid,
    /// For `compound`, each sub-statement's verification, in statement order; empty for
    /// every other format.
    pub members: Vec<VerifiedAttestation>,
}

/// What every format's procedure reads.
pub(crate) struct Input<'a> {
    /// The attestation statement.
    pub stmt: &'a Statement,
    /// The authenticator data.
    pub auth_data: &'a AuthenticatorData,
    /// Its attested credential data.
    pub acd: &'a AttestedCredentialData,
    /// SHA-256 of the client data.
    pub client_data_hash: &'a [u8; 32],
}

impl Input<'_> {
    /// authenticatorData ‖ clientDataHash, what most formats sign.
    pub fn signed_message(&self) -> Vec<u8> {
        self.auth_data.signed_message(self.client_data_hash)
    }
}

/// What a format's procedure returns: the type and the trust path.
pub(crate) type Outcome = Result<(AttestationType, Vec<Vec<u8>>), AttestationError>;

/// Verifies the attestation statement of `object` against `client_data_hash` with the
/// procedure of its format.
pub fn verify(
    object: &AttestationObject,
    client_data_hash: &[u8; 32],
) -> Result<VerifiedAttestation, AttestationError> {
    let acd = object
        .auth_data()
        .attested_credential_data()
        .ok_or_else(|| AttestationError::malformed("any", "no attested credential data"))?;
    let signed = Signed {
        auth_data: object.auth_data(),
        acd,
        client_data_hash,
    };
    verify_statement(object.fmt(), object.att_stmt(), &signed)
}

/// What a statement is verified against: the same for every `compound` member.
struct Signed<'a> {
    auth_data: &'a AuthenticatorData,
    acd: &'a AttestedCredentialData,
    client_data_hash: &'a [u8; 32],
}

/// Verifies one statement of format `fmt` (a `compound` one member by member).
fn verify_statement(
    fmt: &str,
    att_stmt: &AttestationStatement,
    signed: &Signed<'_>,
) -> Result<VerifiedAttestation, AttestationError> {
    let verified = |attestation_type, trust_path, members| VerifiedAttestation {
        format: fmt.to_owned(),
        attestation_type,
        trust_path,
        aaguid: signed.acd.aaguid(),
        members,
    };
    if fmt == AttestationFormat::COMPOUND.as_str() {
        let members = compound::verify(att_stmt, |member| {
            verify_statement(&member.fmt, &member.att_stmt, signed)
        })?;
        return Ok(verified(AttestationType::Compound, Vec::new(), members));
    }
    let stmt = Statement::from_attestation(att_stmt);
    let input = Input {
        stmt: &stmt,
        auth_data: signed.auth_data,
        acd: signed.acd,
        client_data_hash: signed.client_data_hash,
    };
    let (attestation_type, trust_path) = match fmt {
        f if f == AttestationFormat::NONE.as_str() => none::verify(&input),
        f if f == AttestationFormat::PACKED.as_str() => packed::verify(&input),
        f if f == AttestationFormat::FIDO_U2F.as_str() => fido_u2f::verify(&input),
        f if f == AttestationFormat::APPLE.as_str() => apple::verify(&input),
        f if f == AttestationFormat::TPM.as_str() => tpm::verify(&input),
        f if f == AttestationFormat::ANDROID_KEY.as_str() => android_key::verify(&input),
        f if f == AttestationFormat::ANDROID_SAFETYNET.as_str() => {
            android_safetynet::verify(&input)
        }
        other => Err(AttestationError::UnsupportedFormat(other.to_owned())),
    }?;
    Ok(verified(attestation_type, trust_path, Vec::new()))
}
