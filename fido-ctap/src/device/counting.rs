//! [`CountingDevice`]: a [`CtapDevice`] wrapper that logs every message sent, named by its
//! CTAP command (and clientPin subcommand), for tests and benches that count round trips.
//!
//! ```
//! use fido_ctap::device::{CountingDevice, CtaphidCommand};
//!
//! // Names as CTAP 2.1 §6 spells them: a clientPin request is
//! // [0x06, {0x01: protocol, 0x02: subCommand, ...}] in canonical CBOR.
//! assert_eq!(CountingDevice::<()>::name(CtaphidCommand::CBOR, &[0x06, 0xa2, 0x01, 0x02, 0x02, 0x02]),
//!            "clientPin getKeyAgreement");
//! assert_eq!(CountingDevice::<()>::name(CtaphidCommand::CBOR, &[0x01, 0xa0]), "makeCredential");
//! assert_eq!(CountingDevice::<()>::name(CtaphidCommand::MSG, &[0x00, 0x01]), "U2F register");
//! ```

use std::sync::{Arc, Mutex, PoisonError};

use super::{
    CancelToken, CtapDevice, CtaphidCommand, DeviceInfo, KeepaliveStatus, Timeouts, TransportError,
};

/// Wraps a device and logs the name of every message it sends (see [`CountingDevice::name`]).
/// The log is shared: keep a [`CountingDevice::log`] handle before handing the device on.
#[derive(Debug)]
pub struct CountingDevice<D> {
    inner: D,
    log: Arc<Mutex<Vec<String>>>,
}

impl<D> CountingDevice<D> {
    /// Wraps `inner` with an empty log.
    pub fn new(inner: D) -> Self {
        CountingDevice {
            inner,
            log: Arc::default(),
        }
    }

    /// A handle on the log, which keeps filling after the device is moved.
    pub fn log(&self) -> MessageLog {
        MessageLog(Arc::clone(&self.log))
    }

    /// The name of a message: the CTAP2 command for CTAPHID CBOR (with the clientPin
    /// subcommand), the U2F instruction for CTAPHID MSG, else the CTAPHID command.
    pub fn name(cmd: CtaphidCommand, payload: &[u8]) -> String {
        match cmd {
            CtaphidCommand::CBOR => {
                let Some(&command) = payload.first() else {
                    return "CBOR (empty)".into();
                };
                let name = match command {
                    0x01 => "makeCredential",
                    0x02 => "getAssertion",
                    0x04 => "getInfo",
                    0x06 => "clientPin",
                    0x07 => "reset",
                    0x08 => "getNextAssertion",
                    0x09 => "bioEnrollment",
                    0x0A => "credentialManagement",
                    0x0B => "selection",
                    0x0C => "largeBlobs",
                    0x0D => "config",
                    _ => return format!("CTAP2 command {command:#04x}"),
                };
                if command != 0x06 {
                    return name.into();
                }
                // Canonical CBOR: key 0x01 (pinUvAuthProtocol, a small uint) comes first,
                // then key 0x02 (subCommand).
                let sub = match payload.get(2..6) {
                    Some(&[0x01, _, 0x02, sub]) => sub,
                    _ => return "clientPin (unreadable)".into(),
                };
                let sub = match sub {
                    0x01 => "getPINRetries",
                    0x02 => "getKeyAgreement",
                    0x03 => "setPIN",
                    0x04 => "changePIN",
                    0x05 => "getPinToken",
                    0x06 => "getPinUvAuthTokenUsingUvWithPermissions",
                    0x07 => "getUVRetries",
                    0x09 => "getPinUvAuthTokenUsingPinWithPermissions",
                    other => return format!("clientPin {other:#04x}"),
                };
                format!("clientPin {sub}")
            }
            // U2F raw message format: CLA, INS, ...
            CtaphidCommand::MSG => match payload.get(1) {
                Some(0x01) => "U2F register".into(),
                Some(0x02) => "U2F authenticate".into(),
                Some(0x03) => "U2F version".into(),
                _ => "U2F (other)".into(),
            },
            other => format!("CTAPHID {:#04x}", other.0),
        }
    }
}

/// A shared view of a [`CountingDevice`]'s log.
#[derive(Debug, Clone)]
pub struct MessageLog(Arc<Mutex<Vec<String>>>);

impl MessageLog {
    /// The messages sent so far, in order.
    pub fn messages(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Takes the messages sent so far, leaving the log empty.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl<D: CtapDevice> CtapDevice for CountingDevice<D> {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Self::name(cmd, payload));
        self.inner.call(cmd, payload, cancel, on_keepalive)
    }

    fn info(&self) -> &DeviceInfo {
        self.inner.info()
    }

    fn timeouts(&self) -> Timeouts {
        self.inner.timeouts()
    }

    fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.inner.set_timeouts(timeouts);
    }

    fn close(&mut self) {
        self.inner.close();
    }
}
