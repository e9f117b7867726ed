//! [`NfcDevice`]: a [`CtapDevice`] over any [`ApduLink`], driving the sans-IO
//! [`Exchange`](super::engine::Exchange).

use std::time::{Duration, Instant};

use fido_types::apdu::{Form, parse_version};
use fido_types::ctaphid::{CapabilityFlags, CtaphidCommand, KeepaliveStatus};
use fido_types::generated::nfc::AppletVersion;

use super::ApduLink;
use super::engine::{Exchange, Request, Step};
use crate::transport::{
    CancelToken, CtapDevice, DeviceDescriptor, DeviceInfo, Timeouts, TransportError,
};

/// A FIDO applet reached through ISO 7816 APDUs (an NFC or contact card).
///
/// Opening selects the applet and probes CTAP2 with authenticatorGetInfo, as
/// python-fido2's `CtapPcscDevice` does: the capabilities are CBOR when getInfo answers,
/// and NMSG when the applet answered `FIDO_2_0` (no CTAP1/U2F).
#[derive(Debug)]
pub struct NfcDevice<L: ApduLink> {
    link: Option<L>,
    info: DeviceInfo,
    timeouts: Timeouts,
    form: Form,
}

impl<L: ApduLink> NfcDevice<L> {
    /// Selects the FIDO applet on `link` and probes CTAP2.
    ///
    /// # Errors
    /// [`TransportError::NoDevice`] when the card has no FIDO applet, and link errors.
    pub fn open(
        link: L,
        descriptor: DeviceDescriptor,
        timeouts: Timeouts,
    ) -> Result<Self, TransportError> {
        let mut device = Self::new_unprobed(link, descriptor, timeouts);
        let version = device.select()?;
        let mut capabilities = CapabilityFlags::EMPTY;
        if version == AppletVersion::FIDO_2_0 {
            capabilities = capabilities.union(CapabilityFlags::NMSG);
        }
        let get_info = Exchange::new(Request::Cbor(vec![0x04]), device.form);
        let probe = device.run(get_info, &CancelToken::new(), &mut |_| {});
        if probe.is_ok_and(|r| r.first() == Some(&0)) {
            capabilities = capabilities.union(CapabilityFlags::CBOR);
        }
        device.info.capabilities = capabilities;
        Ok(device)
    }

    /// A device on `link` that has not selected the applet yet (call [`Self::select`]);
    /// no capabilities.
    pub fn new_unprobed(link: L, descriptor: DeviceDescriptor, timeouts: Timeouts) -> Self {
        NfcDevice {
            link: Some(link),
            info: DeviceInfo {
                descriptor,
                protocol_version: 2,
                major: 0,
                minor: 0,
                build: 0,
                capabilities: CapabilityFlags::EMPTY,
            },
            timeouts,
            form: Form::Short,
        }
    }

    /// Sends command APDUs in extended form (one APDU each way) instead of chained short
    /// ones.
    pub fn use_extended_apdus(&mut self, extended: bool) {
        self.form = if extended {
            Form::Extended
        } else {
            Form::Short
        };
    }

    /// SELECTs the FIDO applet again (after the card lost power) and returns its version.
    ///
    /// # Errors
    /// [`TransportError::NoDevice`] when the card has no FIDO applet or answers an unknown
    /// version; link errors.
    pub fn select(&mut self) -> Result<AppletVersion, TransportError> {
        let select = Exchange::new(Request::Select, self.form);
        let body = match self.run(select, &CancelToken::new(), &mut |_| {}) {
            Ok(body) => body,
            Err(TransportError::StatusWord(_)) => return Err(TransportError::NoDevice),
            Err(e) => return Err(e),
        };
        parse_version(&body).ok_or(TransportError::NoDevice)
    }

    /// The link, for what the device does not cover.
    pub fn link(&mut self) -> Option<&mut L> {
        self.link.as_mut()
    }

    fn run(
        &mut self,
        mut exchange: Exchange,
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        if cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        let link = self.link.as_mut().ok_or(TransportError::Closed)?;
        let mut apdu = exchange.start(Instant::now(), self.timeouts)?;
        loop {
            let response = link.transmit(&apdu)?;
            match exchange.handle_response(&response, Instant::now())? {
                Step::Send(next) => apdu = next,
                Step::Done(body) => return Ok(body),
                Step::Wait { until, keepalive } => {
                    if let Some(status) = keepalive {
                        on_keepalive(status);
                    }
                    sleep_until(until, cancel);
                    apdu = exchange.poll(Instant::now(), cancel.is_cancelled());
                }
            }
        }
    }
}

impl<L: ApduLink> CtapDevice for NfcDevice<L> {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        let exchange = Exchange::for_command(cmd, payload, self.form)?;
        self.run(exchange, cancel, on_keepalive)
    }

    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.timeouts = timeouts;
    }

    fn close(&mut self) {
        self.link = None;
    }
}

/// Sleeps until `until`, waking early when `cancel` is triggered.
fn sleep_until(until: Instant, cancel: &CancelToken) {
    const STEP: Duration = Duration::from_millis(10);
    loop {
        let now = Instant::now();
        if now >= until || cancel.is_cancelled() {
            return;
        }
        std::thread::sleep((until - now).min(STEP));
    }
}
