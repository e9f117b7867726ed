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

use fido_types::cbor;
use fido_types::generated::u2f::U2fInstruction;
use fido_types::generated::{ClientPinRequest, CommandCode};

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
            CtaphidCommand::CBOR => ctap2_name(payload),
            CtaphidCommand::MSG => match payload.get(1).map(|&ins| U2fInstruction(ins)) {
                Some(U2fInstruction::REGISTER) => "U2F register".into(),
                Some(U2fInstruction::AUTHENTICATE) => "U2F authenticate".into(),
                Some(U2fInstruction::VERSION) => "U2F version".into(),
                _ => "U2F (other)".into(),
            },
            other => format!("CTAPHID {:#04x}", other.0),
        }
    }
}

/// The CTAP2 command of a CBOR message, with the clientPin subcommand by its spec name.
fn ctap2_name(payload: &[u8]) -> String {
    let Some((&command, params)) = payload.split_first() else {
        return "CBOR (empty)".into();
    };
    let name = match CommandCode(command) {
        CommandCode::MAKE_CREDENTIAL => "makeCredential",
        CommandCode::GET_ASSERTION => "getAssertion",
        CommandCode::GET_INFO => "getInfo",
        CommandCode::CLIENT_PIN => "clientPin",
        CommandCode::RESET => "reset",
        CommandCode::GET_NEXT_ASSERTION => "getNextAssertion",
        CommandCode::BIO_ENROLLMENT => "bioEnrollment",
        CommandCode::CREDENTIAL_MANAGEMENT => "credentialManagement",
        CommandCode::SELECTION => "selection",
        CommandCode::LARGE_BLOBS => "largeBlobs",
        CommandCode::CONFIG => "config",
        _ => return format!("CTAP2 command {command:#04x}"),
    };
    if CommandCode(command) != CommandCode::CLIENT_PIN {
        return name.into();
    }
    let Ok(request) = cbor::from_slice::<ClientPinRequest>(params) else {
        return "clientPin (unreadable)".into();
    };
    match request.sub_command.spec_name() {
        Some(sub) => format!("clientPin {sub}"),
        None => format!("clientPin {:#04x}", request.sub_command.0),
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
