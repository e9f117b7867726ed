//! CTAPHID for clients: the engine, the device that drives it, and the backends.
//!
//! ```text
//!   CtapDevice::call ──> HidDevice ──drives──> engine::Exchange (no I/O)
//!                           │
//!                           └── ReportConnection: send one report / receive one by a deadline
//!                                 ├── usb::UsbConnection      (hidapi, feature "hidapi")
//!                                 ├── udp::UdpConnection      (one report per datagram)
//!                                 ├── memory::MemoryConnection (in-process pair)
//!                                 ├── record::Recorder<C>     (wraps any, writes a transcript)
//!                                 └── replay::ReplayConnection (plays a transcript back)
//! ```
//!
//! The packet format itself (splitting, assembling, codes) is [`fido_types::ctaphid`],
//! shared with the software authenticator.

use std::time::Instant;

use fido_types::ctaphid::Report;

use crate::transport::TransportError;

pub mod engine;
pub mod memory;
pub mod record;
pub mod replay;
pub mod transcript;
pub mod udp;
#[cfg(feature = "hidapi")]
pub mod usb;

mod device;

pub use device::HidDevice;

/// A connection that carries single 64-byte CTAPHID reports, in both directions.
///
/// Backends implement only this; everything CTAPHID is done by [`HidDevice`] and
/// [`engine::Exchange`]. A device-side implementation (a fake device, the software
/// authenticator) uses the same trait on its end of a [`memory::pair`].
pub trait ReportConnection: Send {
    /// Sends one report (without any report-ID byte; backends add one if they need it).
    fn send(&mut self, report: &Report) -> Result<(), TransportError>;

    /// Waits until `deadline` for one report. `Ok(None)` means the deadline passed.
    fn recv(&mut self, deadline: Instant) -> Result<Option<Report>, TransportError>;
}

impl<C: ReportConnection + ?Sized> ReportConnection for Box<C> {
    fn send(&mut self, report: &Report) -> Result<(), TransportError> {
        (**self).send(report)
    }

    fn recv(&mut self, deadline: Instant) -> Result<Option<Report>, TransportError> {
        (**self).recv(deadline)
    }
}
