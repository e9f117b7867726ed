//! The relying-party side of WebAuthn for fido-rs.
//!
//! [`Fido2Server`] plays the role of python-fido2's `Fido2Server`: `register_begin` and
//! `authenticate_begin` give WebAuthn L3 options (serialize them as JSON for the page)
//! and a small serializable state; `register_complete` and `authenticate_complete` take the
//! L3 JSON responses and run every verification step of WebAuthn L3 §7.1 and §7.2, each
//! failure its own variant of [`Error`]. Attestation statements are verified by
//! [`attestation::verify`]; a [`TrustStore`] decides whether their certificate chains
//! reach a trusted root.
//!
//! This crate depends on `fido-types` only among fido-rs's crates.

pub mod attestation;
mod authentication;
mod cert;
mod checks;
pub mod error;
mod jws;
pub mod mds;
mod registration;
mod server;
mod signature;
mod state;
pub mod trust;

pub use attestation::{AttestationType, VerifiedAttestation};
pub use authentication::{AuthenticationResult, StoredCredential};
pub use error::{
    AttestationError, AuthenticatorDataError, ClientDataError, CredentialError, Error,
    MetadataError, TrustError,
};
pub use mds::MetadataBlob;
pub use registration::RegisteredCredential;
pub use server::{DEFAULT_ALGORITHMS, Fido2Server};
pub use state::{AuthenticationState, RegistrationState};
pub use trust::TrustStore;
