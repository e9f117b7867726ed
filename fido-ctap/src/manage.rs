//! Managing a key: typed helpers over a [`PinToken`](crate::pin::PinToken), each requiring
//! the [`capability`](crate::capability) proof of what it manages.
//!
//! - [`CredentialManager`]: metadata, RPs, credentials per RP, delete, update user
//!   (python-fido2 `CredentialManagement`, libfido2 `fido2-token -L/-D/-S`);
//! - [`BioEnroller`]: sensor info, enrollment with per-sample feedback, enumerate,
//!   rename, remove (python-fido2 `FPBioEnrollment`);
//! - [`Configurator`]: enterprise attestation, alwaysUv, setMinPINLength, vendor
//!   prototype commands (python-fido2 `Config`);
//! - [`LargeBlobs`]: the large-blob array whole, and the per-credential entry by
//!   largeBlobKey (python-fido2 `LargeBlobs`, libfido2 `fido2-token -G/-S/-D -b`).
//!
//! A helper borrows the token mutably, so the token outlives it and nothing can end the
//! token while the helper lives. Operations are bounded by the token's permissions as the
//! token's own are: reading credentials needs `CredentialManagement` or the persistent
//! read-only `PersistentCredentialManagementReadOnly`, changing them `CredentialManagement`.

mod bio;
mod config;
mod cred_mgmt;
mod large_blobs;

pub use bio::{BioEnroller, EnrollOutcome, MAX_CAPTURES, Sample, SensorInfo, Template};
pub use config::{Configurator, MinPinLength};
pub use cred_mgmt::{Credential, CredentialManager, LargeBlobKey, Rp};
pub use large_blobs::{LargeBlobs, large_blob_key};
