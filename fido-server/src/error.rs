//! The one error type of the relying party: a verification step that failed, each with its
//! own variant, grouped by topic.

use fido_types::cose::CoseAlgorithm;
use fido_types::webauthn::{Aaguid, WebAuthnError};

/// Why a ceremony (or reading trust material) failed. Each WebAuthn L3 §7.1/§7.2 step
/// that can fail has its own variant in one of the topic enums.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The response JSON or one of its binary parts could not be read.
    #[error("the response could not be read: {0}")]
    Response(#[from] WebAuthnError),
    /// The client data does not match the ceremony (§7.1 steps 7–10, §7.2 steps 11–14).
    #[error(transparent)]
    ClientData(#[from] ClientDataError),
    /// The authenticator data does not match the ceremony (§7.1 steps 13–17, §7.2 15–19).
    #[error(transparent)]
    AuthenticatorData(#[from] AuthenticatorDataError),
    /// The credential is not the expected one, or its assertion signature is wrong.
    #[error(transparent)]
    Credential(#[from] CredentialError),
    /// The attestation statement is malformed or its signature is wrong (§7.1 step 21).
    #[error(transparent)]
    Attestation(#[from] AttestationError),
    /// The attestation is not trustworthy (§7.1 step 23).
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// A metadata BLOB could not be read or verified.
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    /// The caller's state could not be read.
    #[error("the ceremony state could not be read: {0}")]
    State(String),
}

/// A client data check that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientDataError {
    /// `type` is not the ceremony's (`webauthn.create` or `webauthn.get`).
    #[error("the client data type is {found:?}, expected {expected:?}")]
    WrongType {
        /// The ceremony's type.
        expected: &'static str,
        /// What the client data says.
        found: String,
    },
    /// `challenge` is not the one the ceremony issued.
    #[error("the client data challenge is not the one issued")]
    ChallengeMismatch,
    /// `origin` is not one of the allowed origins.
    #[error("the origin {0:?} is not allowed")]
    OriginNotAllowed(String),
    /// `crossOrigin` is true and the relying party does not accept cross-origin calls.
    #[error("the ceremony ran in a cross-origin iframe, which is not allowed")]
    CrossOriginNotAllowed,
    /// `topOrigin` is not one of the allowed top-level origins.
    #[error("the top-level origin {0:?} is not allowed")]
    TopOriginNotAllowed(String),
}

/// An authenticator data check that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthenticatorDataError {
    /// `rpIdHash` is not SHA-256 of the RP ID.
    #[error("the RP ID hash is not the hash of the RP ID")]
    RpIdHashMismatch,
    /// The UP flag is not set.
    #[error("the user was not present (UP flag clear)")]
    UserNotPresent,
    /// The UV flag is not set although user verification was required.
    #[error("user verification was required but not performed (UV flag clear)")]
    UserNotVerified,
    /// BS is set without BE (§6.1: a credential that cannot be backed up is not backed up).
    #[error("the backup state flag is set but the credential is not backup eligible")]
    BackupStateWithoutEligibility,
    /// BE differs from the value stored at registration (§7.2 step 18: BE never changes).
    #[error("the backup eligibility flag changed since registration")]
    BackupEligibilityChanged,
    /// A registration without attested credential data (AT flag).
    #[error("the authenticator data holds no attested credential data")]
    MissingCredentialData,
    /// The credential's algorithm is not one of those the options allowed.
    #[error("the credential algorithm {0} was not offered")]
    AlgorithmNotAllowed(CoseAlgorithm),
    /// The credential ID is longer than 1023 bytes (§7.1 step 25).
    #[error("the credential ID is {0} bytes long, more than 1023")]
    CredentialIdTooLong(usize),
    /// The credential ID in the authenticator data is not the response's `rawId`.
    #[error("the credential ID in the authenticator data is not the response's id")]
    CredentialIdMismatch,
}

/// A check of the credential used in an authentication that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// The credential is not in the allow list of the ceremony.
    #[error("the credential was not one of those allowed")]
    NotAllowed,
    /// The credential is not one of the user's (none of the stored credentials has its ID).
    #[error("the credential is unknown")]
    Unknown,
    /// The user handle returned is not the stored credential's user.
    #[error("the user handle does not belong to the credential")]
    UserHandleMismatch,
    /// A discoverable-credential authentication returned no user handle.
    #[error("the authenticator returned no user handle")]
    UserHandleMissing,
    /// The assertion signature does not verify with the credential's public key.
    #[error("the assertion signature does not verify with the credential's public key")]
    InvalidSignature,
    /// The credential's algorithm cannot be verified here.
    #[error("the credential algorithm {0} is not supported")]
    UnsupportedAlgorithm(CoseAlgorithm),
}

/// An attestation statement check that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AttestationError {
    /// The format is not one this crate verifies.
    #[error("the attestation format {0:?} is not supported")]
    UnsupportedFormat(String),
    /// The statement lacks a member or a member has the wrong shape.
    #[error("the {format} attestation statement is malformed: {reason}")]
    Malformed {
        /// The format.
        format: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The attestation signature does not verify.
    #[error("the {format} attestation signature does not verify")]
    InvalidSignature {
        /// The format.
        format: &'static str,
    },
    /// The statement's algorithm cannot be verified here.
    #[error("the {format} attestation uses the unsupported algorithm {alg}")]
    UnsupportedAlgorithm {
        /// The format.
        format: &'static str,
        /// The algorithm.
        alg: CoseAlgorithm,
    },
    /// The attestation certificate does not meet the format's requirements.
    #[error("the {format} attestation certificate is not acceptable: {reason}")]
    Certificate {
        /// The format.
        format: &'static str,
        /// What requirement it fails.
        reason: String,
    },
    /// What the statement attests does not match the credential (key, nonce, AAGUID, …).
    #[error("the {format} attestation does not match the credential: {reason}")]
    Mismatch {
        /// The format.
        format: &'static str,
        /// What differs.
        reason: String,
    },
    /// A `compound` statement holds fewer than two sub-statements (WebAuthn L3 §8.9).
    #[error("the compound attestation statement holds {count} statements, fewer than two")]
    CompoundTooFew {
        /// How many it holds.
        count: usize,
    },
    /// A `compound` statement holds another `compound` statement.
    #[error("compound attestation statement member {member} is itself compound")]
    NestedCompound {
        /// The member's index (from 0).
        member: usize,
    },
    /// A `compound` sub-statement failed its own format's verification.
    #[error("compound attestation statement member {member} ({fmt}) fails: {source}")]
    CompoundMember {
        /// The member's index (from 0).
        member: usize,
        /// The member's format.
        fmt: String,
        /// Why it fails.
        #[source]
        source: Box<AttestationError>,
    },
}

impl AttestationError {
    pub(crate) fn malformed(format: &'static str, reason: impl Into<String>) -> Self {
        Self::Malformed {
            format,
            reason: reason.into(),
        }
    }

    pub(crate) fn certificate(format: &'static str, reason: impl Into<String>) -> Self {
        Self::Certificate {
            format,
            reason: reason.into(),
        }
    }

    pub(crate) fn mismatch(format: &'static str, reason: impl Into<String>) -> Self {
        Self::Mismatch {
            format,
            reason: reason.into(),
        }
    }
}

/// A trust decision that refused the attestation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// The trust store holds no root for this authenticator.
    #[error("no trusted root is known for the authenticator {0}")]
    NoTrustAnchor(String),
    /// The certificate chain does not lead to any trusted root.
    #[error("the certificate chain does not reach a trusted root: {0}")]
    ChainNotToRoot(String),
    /// A certificate of the chain is malformed, expired, not yet valid, or not a CA where
    /// it must be one.
    #[error("certificate {index} of the chain is not acceptable: {reason}")]
    Certificate {
        /// Its position, 0 being the attestation certificate.
        index: usize,
        /// Why.
        reason: String,
    },
    /// The attestation carries no certificate (self or none) and the policy asks for a
    /// trusted one.
    #[error("the attestation is {0}, which cannot be trusted")]
    Untrusted(&'static str),
    /// The metadata status of the authenticator refuses it.
    #[error("the authenticator {aaguid} is reported as {status}")]
    StatusRefused {
        /// The authenticator.
        aaguid: Aaguid,
        /// The status report.
        status: String,
    },
}

/// A metadata BLOB (FIDO MDS3) that could not be read or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MetadataError {
    /// The BLOB is not a compact JWS of three base64url parts.
    #[error("the metadata BLOB is not a JWT: {0}")]
    NotJwt(String),
    /// The header or payload is not the MDS3 JSON.
    #[error("the metadata BLOB's {part} is malformed: {reason}")]
    Malformed {
        /// `header` or `payload`.
        part: &'static str,
        /// Why.
        reason: String,
    },
    /// The header's algorithm is not one MDS3 uses.
    #[error("the metadata BLOB is signed with the unsupported algorithm {0:?}")]
    UnsupportedAlgorithm(String),
    /// The BLOB's signature does not verify with its signing certificate.
    #[error("the metadata BLOB signature does not verify")]
    InvalidSignature,
    /// The signing certificate chain does not reach the FIDO root given.
    #[error("the metadata BLOB's certificate chain is not trusted: {0}")]
    Chain(TrustError),
}
