//! CTAP transports, `Ctap1`, `Ctap2`, PIN/UV auth protocols and typestate sessions.
//!
//! The transport layer is:
//!
//! - [`device`]: the [`CtapDevice`](device::CtapDevice) trait every upper layer talks to
//!   (python-fido2's `CtapDevice.call`), the [`CancelToken`](device::CancelToken), typed
//!   [`TransportError`](device::TransportError)s, [`DeviceUri`](device::DeviceUri)s and the
//!   [`DeviceOpener`](device::DeviceOpener) that turns a URI into a device;
//! - [`hid`]: the client CTAPHID engine, a state machine without I/O
//!   ([`hid::engine`]), the [`HidDevice`](hid::HidDevice) that drives it over any
//!   [`ReportConnection`](hid::ReportConnection), and the backends: USB through hidapi
//!   (feature `hidapi`), UDP, an in-process pair, and record/replay.

pub mod ctap1;
pub mod ctap2;
pub mod device;
pub mod error;
pub mod hid;
pub mod pin;
