//! Cancellation from another thread while the authenticator waits for a touch: over UDP
//! the client sends CTAPHID CANCEL and returns a TIMEOUT-coded error within a bound.

use std::thread;
use std::time::{Duration, Instant};

use fido_authenticator::Config;
use fido_authenticator::presence::PresencePolicy;
use fido_ctap::device::{CancelToken, CtapDevice};
use fido_tests::{
    CTAPHID_CANCEL, Transport, UdpTap, client, create_options, open, open_udp, serve_udp,
};
use fido_types::error::ClientErrorCode;
use fido_types::webauthn::{ResidentKeyRequirement, UserVerificationRequirement};
use fido_webauthn::interaction::NoInteraction;

/// The touch would come after a minute.
fn slow_touch() -> Config {
    Config {
        seed: Some(9),
        builtin_uv: false,
        presence: PresencePolicy::Delay(Duration::from_secs(60)),
        ..Config::default()
    }
}

const CANCEL_AFTER: Duration = Duration::from_millis(300);
/// How long after the cancel the error must be back.
const BOUND: Duration = Duration::from_secs(3);

fn register_and_cancel(device: Box<dyn CtapDevice>) {
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
    let error = client
        .make_credential(
            &create_options(
                UserVerificationRequirement::DISCOURAGED,
                ResidentKeyRequirement::DISCOURAGED,
            ),
            &cancel,
        )
        .unwrap_err();
    let elapsed = start.elapsed();
    canceller.join().unwrap();
    assert_eq!(error.code(), ClientErrorCode::TIMEOUT, "{error}");
    assert!(elapsed >= CANCEL_AFTER, "{elapsed:?}");
    assert!(elapsed < CANCEL_AFTER + BOUND, "{elapsed:?}");
}

#[test]
fn cancel_over_udp_sends_ctaphid_cancel() {
    let tap = UdpTap::new(serve_udp(slow_touch()));
    register_and_cancel(open_udp(tap.addr));
    let commands = tap.commands();
    assert!(commands.contains(&CTAPHID_CANCEL), "sent: {commands:02x?}");
    // CANCEL came after the CBOR request it cancels (0x10, CTAPHID_CBOR).
    let cbor = commands
        .iter()
        .rposition(|c| *c == 0x10)
        .expect("a CBOR request");
    let cancel = commands.iter().rposition(|c| *c == CTAPHID_CANCEL).unwrap();
    assert!(cancel > cbor, "sent: {commands:02x?}");
}

#[test]
fn cancel_in_process() {
    register_and_cancel(open(slow_touch(), Transport::InProcess));
}
