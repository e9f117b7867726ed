//! Issue 17 item 18: a command that needs no user action (getInfo, clientPIN getRetries,
//! getKeyAgreement, ...) gets a short deadline against a device that only ever answers
//! KEEPALIVE, instead of the whole 60 s call deadline.

mod support;

use std::time::{Duration, Instant};

use fido_ctap::ctap2::{Ctap2, QUICK_DEADLINE, needs_user_action};
use fido_ctap::device::{EngineConfig, KeepaliveStatus, TransportError};
use fido_ctap::error::Error;
use fido_types::ctaphid::CtaphidCommand;
use fido_types::generated::CommandCode;
use support::{open, spawn};

#[test]
fn quick_deadline_is_at_most_ten_seconds() {
    assert!(QUICK_DEADLINE <= Duration::from_secs(10));
}

#[test]
fn get_info_against_a_device_that_keeps_alive_forever_ends_by_the_quick_deadline() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
        dev.expect(CtaphidCommand::CBOR);
        // PROCESSING forever (until the client is clearly gone).
        let started = Instant::now();
        while started.elapsed() < QUICK_DEADLINE + Duration::from_secs(8) {
            dev.keepalive(KeepaliveStatus::PROCESSING);
            if dev.recv_message(Duration::from_millis(100)).is_some() {
                break;
            }
        }
    });
    // The engine's own call deadline stays the 60 s default.
    let device = open(client, EngineConfig::default());
    let started = Instant::now();
    let result = Ctap2::new(device);
    let elapsed = started.elapsed();
    assert!(
        matches!(
            result,
            Err(Error::Transport(TransportError::Timeout { .. }))
        ),
        "{:?}",
        result.map(|_| ())
    );
    assert!(
        elapsed >= QUICK_DEADLINE - Duration::from_millis(200),
        "{elapsed:?}"
    );
    assert!(
        elapsed < QUICK_DEADLINE + Duration::from_secs(3),
        "{elapsed:?}"
    );
    fake.join().unwrap();
}

#[test]
fn commands_are_classified_by_whether_they_wait_for_the_user() {
    // getInfo, and clientPIN getPinRetries (0x01) / getKeyAgreement (0x02) / getUVRetries
    // (0x07): no user action.
    assert!(!needs_user_action(CommandCode::GET_INFO, &[0x04]));
    assert!(!needs_user_action(
        CommandCode::CLIENT_PIN,
        &[0x06, 0xA2, 0x01, 0x02, 0x02, 0x01]
    ));
    assert!(!needs_user_action(
        CommandCode::CLIENT_PIN,
        &[0x06, 0xA2, 0x01, 0x02, 0x02, 0x02]
    ));
    // getPinUvAuthTokenUsingUvWithPermissions (0x06) waits for a finger.
    assert!(needs_user_action(
        CommandCode::CLIENT_PIN,
        &[0x06, 0xA2, 0x01, 0x02, 0x02, 0x06]
    ));
    // An undecodable clientPIN request is treated as one that may wait.
    assert!(needs_user_action(CommandCode::CLIENT_PIN, &[0x06, 0xFF]));
    for cmd in [
        CommandCode::MAKE_CREDENTIAL,
        CommandCode::GET_ASSERTION,
        CommandCode::RESET,
        CommandCode::SELECTION,
        CommandCode::BIO_ENROLLMENT,
    ] {
        assert!(needs_user_action(cmd, &[cmd.0, 0xA0]), "{cmd:?}");
    }
}
