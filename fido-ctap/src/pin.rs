//! ClientPin, the PIN/UV-authenticated session, and tokens whose permissions are types.
//!
//! - A [`Session<D, P>`](Session) is a [`Ctap2`](crate::ctap2::Ctap2) bound to PIN/UV
//!   auth protocol `P` ([`ProtocolOne`](fido_types::pin_protocol::ProtocolOne) or
//!   [`ProtocolTwo`](fido_types::pin_protocol::ProtocolTwo)). It does what needs no token:
//!   PIN retries, UV retries, setPIN, changePIN, reset.
//! - [`Session::pin_token`] and [`Session::uv_token`] acquire a [`PinToken<'s, S, P, D>`](PinToken)
//!   whose permission set `S` is a type, named with [`perms!`](crate::perms). The bits
//!   sent to the authenticator are `S::BITS`, and each operation on the token is bounded
//!   by [`Grants<ThePermission>`](Grants) (through [`Permits`]), so a token can only be
//!   used for what it was acquired for, and a missing permission is a compile error naming
//!   it.
//! - A token mutably borrows its session: acquiring another token or resetting ends the
//!   old one, statically. What it lends of the authenticator ([`PinToken::ctap`]) is a
//!   [`TokenCtap`], without reset or ClientPIN, so nothing reached through the token can
//!   end it either. It is bound to the session's protocol, is not `Clone`, zeroizes its
//!   key on drop and prints no secret.
//! - [`Session::persistent_token`] acquires the persistent read-only token (pcmr, CTAP
//!   2.2) as an owned [`PersistentToken`] that outlives the session (its bytes leave only
//!   through `expose_secret` and come back through `from_bytes`); [`Session::resume`] uses
//!   it in a later session for the read-only credential management operations, and it
//!   decrypts getInfo's encIdentifier and encCredStoreState.
//! - [`Session::pin_token_dyn`] and [`Session::uv_token_dyn`] are the checked escape hatch
//!   for permission sets known only at run time: a [`DynPinToken`], the same `PinToken`
//!   with [`DynPermissions`] as its set, whose operations check the permission and fail
//!   with [`PermissionError::Missing`](crate::error::PermissionError::Missing) before
//!   sending.
//! - Both are one type: each operation is written once, bounded by [`Permits`], whose
//!   implementation for typed sets exists only where the set [`Grants`] the permission and
//!   whose implementation for [`DynPermissions`] tests the bits.
//!
//! ```no_run
//! use fido_ctap::ctap2::Ctap2;
//! use fido_ctap::perms;
//! use fido_ctap::pin::Session;
//! use fido_types::pin_protocol::{Pin, ProtocolTwo};
//! # fn device() -> Box<dyn fido_ctap::device::CtapDevice> {
//! #     let uri = fido_ctap::device::DeviceUri::FirstHid;
//! #     fido_ctap::device::DeviceOpener::new().open(&uri).expect("a FIDO key")
//! # }
//!
//! let mut session = Session::<_, ProtocolTwo>::new(Ctap2::new(device())?)?;
//! let pin = Pin::new("123456")?;
//! let mut token = session.pin_token::<perms![CredentialManagement, LargeBlobWrite]>(&pin)?;
//! let metadata = token.credentials_metadata()?;
//! println!("{} discoverable credentials", metadata.existing);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod handle;
mod permission;
mod persistent;
mod session;
mod token;
pub mod wire;

pub use handle::TokenCtap;
pub use permission::{
    ALL_PERMISSIONS, AuthenticatorConfig, BioEnrollment, CredentialManagement, CredentialRead,
    DynPermissions, Flag, GetAssertion, Grants, LargeBlobWrite, MakeCredential, No, NoPermissions,
    PermSet, Permission, PermissionSet, Permits, PersistentCredentialManagementReadOnly,
    ReadsCredentials, With, WithoutRpId, Yes,
};
pub use persistent::{DeviceIdentifier, PersistentToken, ReadOnlySet};
pub use session::{AnySession, NewSessionError, PinRetries, Session, UvRetries};
pub use token::{AuthParam, CredentialsMetadata, DynPinToken, MAX_ENUMERATED, PinToken};
