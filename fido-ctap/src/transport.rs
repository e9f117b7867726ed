//! The interface every transport implements and every upper layer talks to: the
//! [`CtapDevice`] trait, its [`CancelToken`], its [`TransportError`], the [`DeviceInfo`] of
//! an opened device, [`DeviceUri`]s and the engine's [`Timeouts`].
//!
//! This module imports no other module of the crate: `hid` implements the interface,
//! `device` re-exports it next to the opener, so the two never import each other.

mod cancel;
mod config;
mod error;
mod info;
mod uri;

pub use cancel::CancelToken;
pub use config::{BusyRetry, EngineConfig, Timeouts};
pub use error::{ReplayError, TransportError};
pub use fido_types::ctaphid::{CapabilityFlags, CtaphidCommand, KeepaliveStatus};
pub use info::{DeviceDescriptor, DeviceInfo};
pub use uri::{DeviceUri, UriError};

/// A connected authenticator that exchanges CTAPHID-framed messages.
///
/// Implementations must be [`Send`] so a device can move to a worker thread; cancellation
/// comes from another thread through a clone of the [`CancelToken`].
pub trait CtapDevice: Send {
    /// Sends one request and returns the response payload.
    ///
    /// - `cmd` is the CTAPHID command ([`CtaphidCommand::CBOR`] for CTAP2, [`CtaphidCommand::MSG`] for
    ///   CTAP1/U2F, [`CtaphidCommand::PING`], [`CtaphidCommand::WINK`], …) and `payload` its opaque data.
    /// - `cancel`: when triggered, a CTAPHID CANCEL is sent and the call ends with
    ///   [`TransportError::Cancelled`] (the authenticator answers CTAP2_ERR_KEEPALIVE_CANCEL,
    ///   or does not answer within [`Timeouts::cancel_grace`]). A token that is already
    ///   triggered ends the call before anything is sent.
    /// - `on_keepalive` is called once per *change* of keepalive status (PROCESSING,
    ///   UPNEEDED), not once per keepalive packet.
    ///
    /// For [`CtaphidCommand::CBOR`], a response consisting of status 0x2D
    /// (CTAP2_ERR_KEEPALIVE_CANCEL) is returned as [`TransportError::Cancelled`]; every other
    /// status byte is left for the CTAP2 layer to interpret.
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError>;

    /// What the device said about itself (INIT response) and where it was found.
    fn info(&self) -> &DeviceInfo;

    /// The capability flags from the INIT response.
    fn capabilities(&self) -> CapabilityFlags {
        self.info().capabilities
    }

    /// The timeouts applied to every call.
    fn timeouts(&self) -> Timeouts;

    /// Changes the timeouts applied to every following call.
    fn set_timeouts(&mut self, timeouts: Timeouts);

    /// Releases the device. Later calls fail with [`TransportError::Closed`].
    fn close(&mut self);
}

impl<D: CtapDevice + ?Sized> CtapDevice for Box<D> {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        (**self).call(cmd, payload, cancel, on_keepalive)
    }

    fn info(&self) -> &DeviceInfo {
        (**self).info()
    }

    fn capabilities(&self) -> CapabilityFlags {
        (**self).capabilities()
    }

    fn timeouts(&self) -> Timeouts {
        (**self).timeouts()
    }

    fn set_timeouts(&mut self, timeouts: Timeouts) {
        (**self).set_timeouts(timeouts)
    }

    fn close(&mut self) {
        (**self).close()
    }
}

impl std::fmt::Debug for dyn CtapDevice + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CtapDevice")
            .field("uri", &self.info().descriptor.uri.to_string())
            .field("capabilities", &self.capabilities())
            .finish_non_exhaustive()
    }
}
