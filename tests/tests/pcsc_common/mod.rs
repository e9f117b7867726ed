//! What the PC/SC tests check, on any link to a card: register and authenticate with a
//! PIN, a U2F-only card, a response longer than one short APDU, cancel during a touch.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use fido_authenticator::Config;
use fido_authenticator::presence::PresencePolicy;
use fido_ctap::device::{
    CancelToken, CtapDevice, CtaphidCommand, DeviceDescriptor, DeviceUri, Timeouts, TransportError,
};
use fido_ctap::nfc::{ApduLink, NfcDevice};
use fido_tests::{client, create_options, get_options};
use fido_types::error::ClientErrorCode;
use fido_types::webauthn::{AuthDataFlags, ResidentKeyRequirement, UserVerificationRequirement};
use fido_webauthn::Fido2Client;
use fido_webauthn::interaction::{NoInteraction, ScriptedInteraction};

/// Every APDU sent through a link, for the checks.
#[derive(Debug, Clone, Default)]
pub struct ApduLog(Arc<Mutex<Vec<Vec<u8>>>>);

impl ApduLog {
    /// The APDUs sent so far.
    pub fn sent(&self) -> Vec<Vec<u8>> {
        self.0.lock().unwrap().clone()
    }
}

/// A link that logs what it sends.
pub struct Tap<L> {
    inner: L,
    log: ApduLog,
}

impl<L: ApduLink> ApduLink for Tap<L> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.log.0.lock().unwrap().push(apdu.to_vec());
        self.inner.transmit(apdu)
    }
}

/// The card on `link`, opened as a device, with the log of its APDUs.
pub fn open_tapped<L: ApduLink + 'static>(link: L, uri: &str) -> (Box<dyn CtapDevice>, ApduLog) {
    let log = ApduLog::default();
    let tap = Tap {
        inner: link,
        log: log.clone(),
    };
    let uri: DeviceUri = uri.parse().unwrap();
    let device = NfcDevice::open(tap, DeviceDescriptor::from_uri(uri), Timeouts::default())
        .expect("open the card");
    (Box::new(device), log)
}

/// The card configurations of the scenarios.
pub fn with_pin() -> Config {
    Config {
        seed: Some(21),
        pin: Some("1234".into()),
        builtin_uv: false,
        ..Config::default()
    }
}
/// A U2F-only card.
pub fn u2f_only() -> Config {
    Config {
        seed: Some(22),
        u2f_only: true,
        ..Config::default()
    }
}
/// A card whose touch would come after a minute.
pub fn slow_touch() -> Config {
    Config {
        seed: Some(23),
        builtin_uv: false,
        presence: PresencePolicy::Delay(Duration::from_secs(60)),
        ..Config::default()
    }
}

fn round_trip(client: &mut Fido2Client, uv: UserVerificationRequirement, verified: bool) {
    let cancel = CancelToken::new();
    let options = create_options(uv.clone(), ResidentKeyRequirement::DISCOURAGED);
    let registration = client
        .make_credential(&options, &cancel)
        .expect("registration");
    let public_key = registration.response().public_key().clone();
    let selection = client
        .get_assertion(&get_options(&[registration.raw_id().to_vec()], uv), &cancel)
        .expect("assertion");
    let response = selection.response(0).expect("response");
    let flags = response.response().authenticator_data().flags();
    assert!(flags.contains(AuthDataFlags::USER_PRESENT));
    assert_eq!(flags.contains(AuthDataFlags::USER_VERIFIED), verified);
    response
        .response()
        .verify(&public_key)
        .expect("the assertion verifies");
}

/// Register and authenticate with the PIN (card from [`with_pin`]).
pub fn register_and_authenticate_with_pin(device: Box<dyn CtapDevice>, log: &ApduLog) {
    let ui = Arc::new(ScriptedInteraction::new().with_pins(["1234", "1234"]));
    let mut client = client(device, ui);
    assert!(!client.is_u2f());
    round_trip(&mut client, UserVerificationRequirement::REQUIRED, true);
    assert!(
        log.sent().iter().any(|a| a[..2] == [0x80, 0x10]),
        "CTAP2 went as NFCCTAP_MSG"
    );
}

/// The U2F-only card (from [`u2f_only`]) is used through CTAP1 APDUs.
pub fn u2f_card(device: Box<dyn CtapDevice>, log: &ApduLog) {
    let mut client = client(device, NoInteraction);
    assert!(client.is_u2f());
    round_trip(&mut client, UserVerificationRequirement::DISCOURAGED, false);
    let sent = log.sent();
    assert!(
        sent.iter().any(|a| a[..2] == [0x00, 0x01]),
        "U2F REGISTER as an ISO APDU"
    );
    assert!(
        sent.iter().any(|a| a[..2] == [0x00, 0x02]),
        "U2F AUTHENTICATE as an ISO APDU"
    );
}

/// getInfo's answer is longer than one short response APDU: it comes through 61XX and
/// GET RESPONSE; a long request goes out chained.
pub fn chained_response(mut device: Box<dyn CtapDevice>, log: &ApduLog) {
    let before = log.sent().len();
    let info = device
        .call(
            CtaphidCommand::CBOR,
            &[0x04],
            &CancelToken::new(),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(info[0], 0);
    assert!(info.len() > 258, "getInfo is only {} bytes", info.len());
    let sent = log.sent().split_off(before);
    assert!(
        sent.iter().any(|a| a[..2] == [0x00, 0xC0]),
        "no GET RESPONSE in {sent:02x?}"
    );
    // A 600-byte authenticatorClientPIN request (refused as malformed, after arriving whole).
    let mut long = vec![0x06];
    long.extend(std::iter::repeat_n(0x00, 600));
    let before = log.sent().len();
    let answer = device
        .call(
            CtaphidCommand::CBOR,
            &long,
            &CancelToken::new(),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(answer.len(), 1, "a status byte: {answer:02x?}");
    let chained = log
        .sent()
        .split_off(before)
        .iter()
        .filter(|a| a[0] == 0x90)
        .count();
    assert_eq!(chained, 2, "600 bytes go as 250 + 250 chained + 101");
}

/// Cancel while the card waits for a touch (card from [`slow_touch`]): the client polls
/// with NFCCTAP_GETRESPONSE, sends P1 0x11 and ends with a TIMEOUT-coded error quickly.
pub fn cancel_during_touch(device: Box<dyn CtapDevice>, log: &ApduLog) {
    const CANCEL_AFTER: Duration = Duration::from_millis(400);
    let mut client = client(device, NoInteraction);
    let cancel = CancelToken::new();
    let canceller = {
        let cancel = cancel.clone();
        thread::spawn(move || {
            thread::sleep(CANCEL_AFTER);
            cancel.cancel();
        })
    };
    let start = Instant::now();
    let options = create_options(
        UserVerificationRequirement::DISCOURAGED,
        ResidentKeyRequirement::DISCOURAGED,
    );
    let error = client.make_credential(&options, &cancel).unwrap_err();
    let elapsed = start.elapsed();
    canceller.join().unwrap();
    assert_eq!(error.code(), ClientErrorCode::TIMEOUT, "{error}");
    assert!(
        elapsed >= CANCEL_AFTER && elapsed < CANCEL_AFTER + Duration::from_secs(3),
        "{elapsed:?}"
    );
    let sent = log.sent();
    assert!(sent.iter().any(|a| a[..3] == [0x80, 0x11, 0x00]), "polled");
    assert!(
        sent.iter().any(|a| a[..3] == [0x80, 0x11, 0x11]),
        "cancelled"
    );
}
