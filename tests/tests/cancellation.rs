//! Cancellation from another thread while the authenticator waits for a touch: over UDP
//! the client sends CTAPHID CANCEL and returns a TIMEOUT-coded error within a bound; the
//! same for `selection` and for the options' `timeout`.

use std::thread;
use std::time::{Duration, Instant};

use fido_authenticator::Config;
use fido_authenticator::presence::PresencePolicy;
use fido_ctap::device::{CancelToken, CtapDevice};
use fido_tests::{
    CTAPHID_CANCEL, Transport, UdpTap, client, create_options, open, open_udp, plain, serve_udp,
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

#[test]
fn selection_waits_for_a_touch() {
    let mut touched = client(open(plain(3), Transport::InProcess), NoInteraction);
    touched.selection(&CancelToken::new()).expect("touched");
    let refusing = Config {
        presence: PresencePolicy::Deny,
        ..plain(3)
    };
    let mut refused = client(open(refusing, Transport::InProcess), NoInteraction);
    let err = refused.selection(&CancelToken::new()).unwrap_err();
    assert!(err.ctap_status().is_some(), "{err:?}");
    // A cancelled token ends the wait.
    let slow = Config {
        presence: PresencePolicy::Delay(Duration::from_secs(5)),
        ..plain(3)
    };
    let mut slow = client(open(slow, Transport::InProcess), NoInteraction);
    let cancel = CancelToken::new();
    let for_timer = cancel.clone();
    let timer = thread::spawn(move || {
        thread::sleep(Duration::from_millis(50));
        for_timer.cancel();
    });
    let started = Instant::now();
    let err = slow.selection(&cancel).unwrap_err();
    timer.join().unwrap();
    assert_eq!(err.code(), ClientErrorCode::TIMEOUT, "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn the_options_timeout_cancels_a_slow_touch() {
    let slow = Config {
        presence: PresencePolicy::Delay(Duration::from_secs(5)),
        ..plain(3)
    };
    let mut slow = client(open(slow, Transport::InProcess), NoInteraction);
    let options = create_options(
        UserVerificationRequirement::DISCOURAGED,
        ResidentKeyRequirement::DISCOURAGED,
    )
    .with_timeout(100);
    let started = Instant::now();
    let err = slow
        .make_credential(&options, &CancelToken::new())
        .unwrap_err();
    assert_eq!(err.code(), ClientErrorCode::TIMEOUT, "{err:?}");
    assert!(err.is_cancelled(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // The client is still usable afterwards.
    assert!(slow.info().is_some());
}
