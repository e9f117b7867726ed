//! CTAP transports, `Ctap1`, `Ctap2`, PIN/UV auth protocols and typestate sessions.
//!
//! The transport layer is:
//!
//! - [`device`]: the [`CtapDevice`](device::CtapDevice) trait every upper layer talks to
//!   (python-fido2's `CtapDevice.call`), the [`CancelToken`](device::CancelToken), typed
//!   [`TransportError`](device::TransportError)s, [`DeviceUri`](device::DeviceUri)s and the
//!   [`DeviceOpener`](device::DeviceOpener) that turns a URI into a device (the
//!   interface itself is defined in a private `transport` module that imports nothing
//!   else of this crate, so `device` and `hid` never import each other);
//! - [`hid`]: the client CTAPHID engine, a state machine without I/O
//!   ([`hid::engine`]), the [`HidDevice`](hid::HidDevice) that drives it over any
//!   [`ReportConnection`](hid::ReportConnection), and the backends: USB through hidapi
//!   (feature `hidapi`), UDP, an in-process pair, and record/replay.
//!
//! Above it, the CTAP layer:
//!
//! - [`ctap1`]: U2F over CTAPHID_MSG (APDU framing, parsed and verifiable registration
//!   and signature data);
//! - [`ctap2`]: [`Ctap2`](ctap2::Ctap2), one method per authenticator command on the
//!   generated CTAP 2.2 messages, each sent through `Ctap2::call` and the request's
//!   `CommandRequest` impl (command byte and response type), with the getInfo answer cached;
//! - [`pin`]: ClientPin as a [`Session`](pin::Session) bound to a PIN/UV auth protocol,
//!   and tokens whose permission set is part of their type, so that using a token for an
//!   operation it was not acquired for does not compile;
//! - [`capability`]: proofs, built only by checks of getInfo, that the authenticator
//!   supports credential management, bio enrollment or authenticatorConfig;
//! - [`manage`]: the helpers of a person managing a key (python-fido2's
//!   `CredentialManagement`, `FPBioEnrollment`, `Config`), each requiring its proof;
//! - [`large_blob`]: the large-blob array (CTAP 2.1 §6.10): per-credential entries
//!   (DEFLATE, AES-256-GCM under the credential's largeBlobKey), the serialized array read
//!   and written in fragments with its hash checked;
//! - [`error`]: the [`Error`](error::Error) of all three, with the PIN/UV and permission
//!   failures callers act on as their own variants.

pub mod capability;
pub mod ctap1;
pub mod ctap2;
pub mod device;
pub mod error;
pub mod hid;
pub mod large_blob;
pub mod manage;
pub mod pin;
mod transport;
