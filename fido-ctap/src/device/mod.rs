//! The device interface every upper layer talks to, and how devices are named and opened.
//!
//! The interface ([`CtapDevice`], [`TransportError`], …) is re-exported here from the
//! crate's private `transport` module, which `hid` implements; the [`DeviceOpener`] here
//! picks a `hid` backend for a [`DeviceUri`].
//!
//! [`CtapDevice::call`] is python-fido2's `CtapDevice.call(cmd, data, event, on_keepalive)`
//! made typed: the command is a CTAPHID [`CtaphidCommand`], cancellation is a [`CancelToken`] that
//! another thread can trigger, keepalive changes reach a callback, and every failure is a
//! [`TransportError`]. Timeouts are explicit ([`Timeouts`]), never "wait forever".
//!
//! ```no_run
//! use fido_ctap::device::{CancelToken, CtapDevice, DeviceOpener, DeviceUri};
//! use fido_types::ctaphid::CtaphidCommand;
//!
//! let uri: DeviceUri = "udp:127.0.0.1:8111".parse()?;
//! let mut device = DeviceOpener::new().open(&uri)?;
//! let cancel = CancelToken::new();
//! let echo = device.call(CtaphidCommand::PING, b"hello", &cancel, &mut |status| {
//!     eprintln!("keepalive: {status:?}");
//! })?;
//! assert_eq!(echo, b"hello");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod counting;
mod open;

pub use counting::{CountingDevice, MessageLog};
pub use open::{DeviceOpener, VirtualDeviceFactory, list_devices, list_pcsc_devices, open};

pub use crate::transport::{
    BusyRetry, CancelToken, CapabilityFlags, CtapDevice, CtaphidCommand, DeviceDescriptor,
    DeviceInfo, DeviceUri, EngineConfig, KeepaliveStatus, Timeouts, TransportError, UriError,
};
