//! The client's NFC device against the authenticator's card side in-process (an
//! `ApduLink` straight into `NfcCard`): every PC/SC scenario without pcscd. The same
//! scenarios through pcscd and vpcd are `pcsc_reader.rs`.

mod pcsc_common;

use fido_authenticator::nfc::NfcCard;
use fido_authenticator::{Authenticator, Config};
use fido_ctap::device::{CtapDevice, TransportError};
use fido_ctap::nfc::ApduLink;
use pcsc_common::*;

struct InProcess(NfcCard);

impl ApduLink for InProcess {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.0.transmit(apdu))
    }
}

fn card(config: Config) -> (Box<dyn CtapDevice>, ApduLog) {
    let card = NfcCard::new(Authenticator::new(config).unwrap());
    open_tapped(InProcess(card), "pcsc:in-process")
}

#[test]
fn pin() {
    let (device, log) = card(with_pin());
    register_and_authenticate_with_pin(device, &log);
}

#[test]
fn u2f_only_card() {
    let (device, log) = card(u2f_only());
    u2f_card(device, &log);
}

#[test]
fn response_chaining() {
    let (device, log) = card(with_pin());
    chained_response(device, &log);
}

#[test]
fn cancel() {
    let (device, log) = card(slow_touch());
    cancel_during_touch(device, &log);
}
