//! The in-process `virtual` device: a [`VirtualDeviceFactory`] for fido-ctap's
//! `DeviceOpener::with_virtual`. Each `connect` starts an authenticator's CTAPHID side on
//! a thread, on one end of an in-process report pair, and returns the other end; fido-ctap
//! does not depend on this crate.
//!
//! ```
//! use std::sync::Arc;
//! use fido_authenticator::{Config, virtual_device::VirtualAuthenticator};
//! use fido_ctap::device::{CancelToken, CtaphidCommand, DeviceOpener, DeviceUri};
//!
//! let factory = VirtualAuthenticator::new(Config { seed: Some(1), ..Config::default() });
//! let opener = DeviceOpener::new().with_virtual(Arc::new(factory));
//! let mut device = opener.open(&DeviceUri::Virtual).unwrap();
//! let info = device.call(CtaphidCommand::CBOR, &[0x04], &CancelToken::new(), &mut |_| {}).unwrap();
//! assert_eq!(info[0], 0x00);
//! ```

use std::time::{Duration, Instant};

use fido_ctap::device::{TransportError, VirtualDeviceFactory};
use fido_ctap::hid::ReportConnection;
use fido_ctap::hid::memory::{MemoryConnection, pair};

use crate::hid::{HidDevice, Link, REPORT_LEN};
use crate::{Authenticator, Config};

/// Makes a fresh software authenticator with this configuration for each connection.
#[derive(Debug, Clone)]
pub struct VirtualAuthenticator {
    config: Config,
}

impl VirtualAuthenticator {
    /// A factory for authenticators configured by `config`.
    pub fn new(config: Config) -> Self {
        VirtualAuthenticator { config }
    }
}

impl VirtualDeviceFactory for VirtualAuthenticator {
    fn connect(&self) -> Result<Box<dyn ReportConnection>, TransportError> {
        let authenticator = Authenticator::new(self.config.clone()).map_err(|e| {
            eprintln!("fido-authenticator: virtual authenticator: {e}");
            TransportError::NotAvailable {
                what: "the virtual authenticator (its state file or PIN is invalid)",
            }
        })?;
        let (host, mut device_end) = pair();
        std::thread::spawn(move || {
            let mut device = HidDevice::new(authenticator);
            let far_future = Duration::from_secs(3600);
            loop {
                match device_end.recv(Instant::now() + far_future) {
                    Ok(Some(report)) => {
                        let mut link = PairLink {
                            end: &mut device_end,
                        };
                        device.handle_report(&report, &mut link);
                    }
                    Ok(None) => {}
                    Err(_) => return,
                }
            }
        });
        Ok(Box::new(host))
    }
}

struct PairLink<'a> {
    end: &'a mut MemoryConnection,
}

impl Link for PairLink<'_> {
    fn send(&mut self, report: &[u8; REPORT_LEN]) {
        let _ = self.end.send(report);
    }

    fn recv(&mut self, timeout: Duration) -> Option<[u8; REPORT_LEN]> {
        self.end.recv(Instant::now() + timeout).ok().flatten()
    }
}
