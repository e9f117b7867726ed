//! The CTAPHID client against a scripted fake device over the in-process pair.

mod support;

use std::time::{Duration, Instant};

use fido_ctap::device::{
    CancelToken, CtapDevice, EngineConfig, KeepaliveStatus, Timeouts, TransportError,
};
use fido_types::ctaphid::{ChannelId, CtaphidCommand, CtaphidError, MAX_MESSAGE_LEN};
use support::{FAKE_CAPS, FAKE_CID, open, spawn};

const P: KeepaliveStatus = KeepaliveStatus::PROCESSING;
const U: KeepaliveStatus = KeepaliveStatus::UP_NEEDED;

fn call(
    device: &mut impl CtapDevice,
    cmd: CtaphidCommand,
    payload: &[u8],
) -> (Result<Vec<u8>, TransportError>, Vec<KeepaliveStatus>) {
    let mut seen = Vec::new();
    let result = device.call(cmd, payload, &CancelToken::new(), &mut |s| seen.push(s));
    (result, seen)
}

#[test]
fn init_then_ping_round_trips_up_to_the_largest_message() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
        for _ in 0..3 {
            let m = dev.expect(CtaphidCommand::PING);
            assert_eq!(m.cid, FAKE_CID);
            dev.send(m.cid, CtaphidCommand::PING, &m.data);
        }
    });
    let mut device = open(client, EngineConfig::default());
    assert_eq!(device.channel(), FAKE_CID);
    assert_eq!(device.capabilities(), FAKE_CAPS);
    assert_eq!(device.info().device_version(), (5, 4, 3));
    assert_eq!(device.info().protocol_version, 2);
    let largest: Vec<u8> = (0..MAX_MESSAGE_LEN).map(|i| (i * 7) as u8).collect();
    for payload in [Vec::new(), b"Hello FIDO".to_vec(), largest] {
        assert_eq!(device.ping(&payload).unwrap(), payload);
    }
    fake.join().unwrap();
}

#[test]
fn keepalive_flood_fires_the_callback_once_per_change() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
        let m = dev.expect(CtaphidCommand::CBOR);
        for (status, count) in [(P, 200), (U, 300), (P, 50)] {
            for _ in 0..count {
                dev.keepalive(status);
            }
        }
        dev.send(m.cid, CtaphidCommand::CBOR, &[0x00, 0xA0]);
    });
    let mut device = open(client, EngineConfig::default());
    let (result, seen) = call(&mut device, CtaphidCommand::CBOR, &[0x04]);
    assert_eq!(result.unwrap(), vec![0x00, 0xA0]);
    assert_eq!(seen, vec![P, U, P]);
    fake.join().unwrap();
}

#[test]
fn cancel_mid_request_sends_cancel_and_returns_cancelled() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
        dev.expect(CtaphidCommand::CBOR);
        // Waiting for a touch, until the client cancels.
        let cancel = loop {
            dev.keepalive(U);
            if let Some(m) = dev.recv_message(Duration::from_millis(20)) {
                break m;
            }
        };
        dev.send(FAKE_CID, CtaphidCommand::CBOR, &[0x2D]); // CTAP2_ERR_KEEPALIVE_CANCEL
        // The next call resynchronises the channel, then pings.
        let init = dev.expect(CtaphidCommand::INIT);
        assert_eq!(
            init.cid, FAKE_CID,
            "resync happens on the allocated channel"
        );
        dev.send_init_response(&init, init.data[..8].try_into().unwrap(), FAKE_CID);
        let ping = dev.expect(CtaphidCommand::PING);
        dev.send(FAKE_CID, CtaphidCommand::PING, &ping.data);
        cancel
    });
    let config = EngineConfig {
        timeouts: Timeouts {
            call: Duration::from_secs(10),
            ..Timeouts::default()
        },
        ..EngineConfig::default()
    };
    let mut device = open(client, config);
    let token = CancelToken::new();
    let from_ui = token.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        from_ui.cancel();
    });
    let started = Instant::now();
    let mut seen = Vec::new();
    let result = device.call(CtaphidCommand::CBOR, &[0x01], &token, &mut |s| seen.push(s));
    let elapsed = started.elapsed();
    canceller.join().unwrap();
    assert!(
        matches!(result, Err(TransportError::Cancelled)),
        "{result:?}"
    );
    assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(seen, vec![U]);
    assert_eq!(device.ping(b"after").unwrap(), b"after");
    let cancel = fake.join().unwrap();
    assert_eq!(cancel.cmd, CtaphidCommand::CANCEL);
    assert_eq!(cancel.cid, FAKE_CID);
    assert!(cancel.data.is_empty());
}

#[test]
fn unconfirmed_cancel_ends_after_the_grace_period() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
        dev.expect(CtaphidCommand::CBOR);
        // Ignores everything, keeps asking for a touch until the client hangs up.
        let mut cancels = 0;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(3) {
            dev.keepalive(U);
            if let Some(m) = dev.recv_message(Duration::from_millis(20)) {
                cancels += usize::from(m.cmd == CtaphidCommand::CANCEL);
            }
        }
        cancels
    });
    let config = EngineConfig {
        timeouts: Timeouts {
            cancel_grace: Duration::from_millis(300),
            ..Timeouts::default()
        },
        ..EngineConfig::default()
    };
    let mut device = open(client, config);
    let token = CancelToken::new();
    let from_ui = token.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        from_ui.cancel();
    });
    let started = Instant::now();
    let result = device.call(CtaphidCommand::CBOR, &[0x01], &token, &mut |_| {});
    let elapsed = started.elapsed();
    assert!(
        matches!(result, Err(TransportError::Cancelled)),
        "{result:?}"
    );
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    drop(device);
    assert_eq!(fake.join().unwrap(), 1, "exactly one CANCEL is sent");
}

#[test]
fn an_already_cancelled_token_sends_nothing() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
        dev.recv_message(Duration::from_millis(300))
    });
    let mut device = open(client, EngineConfig::default());
    let token = CancelToken::new();
    token.cancel();
    let result = device.call(CtaphidCommand::CBOR, &[0x01], &token, &mut |_| {});
    assert!(matches!(result, Err(TransportError::Cancelled)));
    assert_eq!(fake.join().unwrap(), None);
}

#[test]
fn channel_busy_then_success() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
        let mut requests = 0;
        for _ in 0..2 {
            dev.expect(CtaphidCommand::CBOR);
            requests += 1;
            dev.error(CtaphidError::CHANNEL_BUSY);
        }
        let m = dev.expect(CtaphidCommand::CBOR);
        requests += 1;
        dev.send(m.cid, CtaphidCommand::CBOR, &[0x00]);
        requests
    });
    let mut device = open(client, EngineConfig::default());
    let (result, _) = call(&mut device, CtaphidCommand::CBOR, &[0x04]);
    assert_eq!(result.unwrap(), vec![0x00]);
    assert_eq!(fake.join().unwrap(), 3);
}

#[test]
fn no_answer_times_out() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
        dev.expect(CtaphidCommand::CBOR);
        // Silent until the client has given up.
        dev.recv_message(Duration::from_secs(3))
    });
    let config = EngineConfig {
        timeouts: Timeouts {
            call: Duration::from_secs(2),
            idle: Duration::from_millis(200),
            ..Timeouts::default()
        },
        ..EngineConfig::default()
    };
    let mut device = open(client, config);
    let started = Instant::now();
    let (result, _) = call(&mut device, CtaphidCommand::CBOR, &[0x04]);
    let elapsed = started.elapsed();
    match result {
        Err(TransportError::Timeout { waited }) => {
            assert!(waited >= Duration::from_millis(200), "{waited:?}")
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    drop(device);
    assert_eq!(fake.join().unwrap(), None);
}

#[test]
fn init_response_with_another_nonce_is_ignored() {
    let (client, fake) = spawn(|dev| {
        let init = dev.expect(CtaphidCommand::INIT);
        assert_eq!(init.cid, ChannelId::BROADCAST);
        assert_eq!(init.data.len(), 8);
        let mut other = [0u8; 8];
        for (o, n) in other.iter_mut().zip(&init.data) {
            *o = !n;
        }
        dev.send_init_response(&init, other, ChannelId(0x9999_9999));
        dev.send_init_response(&init, init.data[..8].try_into().unwrap(), FAKE_CID);
    });
    let device = open(client, EngineConfig::default());
    assert_eq!(device.channel(), FAKE_CID);
    fake.join().unwrap();
}

#[test]
fn responses_on_other_channels_are_ignored() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
        let m = dev.expect(CtaphidCommand::PING);
        dev.send(
            ChannelId(0x0BAD_0BAD),
            CtaphidCommand::PING,
            b"not yours, and long enough to need continuation packets ........",
        );
        dev.send(FAKE_CID, CtaphidCommand::PING, &m.data);
    });
    let mut device = open(client, EngineConfig::default());
    assert_eq!(device.ping(b"mine").unwrap(), b"mine");
    fake.join().unwrap();
}

#[test]
fn error_packets_become_typed_errors() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
        // A real key answers the vendor power-cycle command with ERR_INVALID_CMD.
        let m = dev.expect(CtaphidCommand(0x7E));
        assert!(m.cmd.is_vendor());
        dev.error(CtaphidError::INVALID_CMD);
        dev.expect(CtaphidCommand::LOCK);
        dev.error(CtaphidError::LOCK_REQUIRED);
    });
    let mut device = open(client, EngineConfig::default());
    let (result, _) = call(&mut device, CtaphidCommand(0x7E), &[]);
    assert!(
        matches!(result, Err(TransportError::Hid(CtaphidError::INVALID_CMD))),
        "{result:?}"
    );
    let result = device.lock(5);
    assert!(
        matches!(
            result,
            Err(TransportError::Hid(CtaphidError::LOCK_REQUIRED))
        ),
        "{result:?}"
    );
    fake.join().unwrap();
}

#[test]
fn closed_devices_refuse_calls() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
    });
    let mut device = open(client, EngineConfig::default());
    fake.join().unwrap();
    device.close();
    assert!(matches!(device.ping(b"x"), Err(TransportError::Closed)));
}

#[test]
fn a_vanished_device_is_disconnected() {
    let (client, fake) = spawn(|dev| {
        dev.expect_init();
    });
    let mut device = open(client, EngineConfig::default());
    fake.join().unwrap();
    assert!(matches!(
        device.ping(b"x"),
        Err(TransportError::Disconnected)
    ));
}

#[test]
fn several_devices_at_once_losers_are_cancelled() {
    // The selection pattern: ask every key, take the first touch, cancel the others.
    let (client_a, fake_a) = spawn(|dev| {
        dev.expect_init();
        dev.expect(CtaphidCommand::CBOR);
        for _ in 0..5 {
            dev.keepalive(U);
            std::thread::sleep(Duration::from_millis(20));
        }
        dev.send(FAKE_CID, CtaphidCommand::CBOR, &[0x00]); // touched
    });
    let (client_b, fake_b) = spawn(|dev| {
        dev.expect_init();
        dev.expect(CtaphidCommand::CBOR);
        loop {
            dev.keepalive(U);
            if let Some(m) = dev.recv_message(Duration::from_millis(20)) {
                dev.send(FAKE_CID, CtaphidCommand::CBOR, &[0x2D]);
                return m.cmd;
            }
        }
    });
    let tokens = [CancelToken::new(), CancelToken::new()];
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let workers: Vec<_> = [client_a, client_b]
        .into_iter()
        .zip(tokens.clone())
        .enumerate()
        .map(|(index, (client, token))| {
            let done_tx = done_tx.clone();
            std::thread::spawn(move || {
                let mut device = open(client, EngineConfig::default());
                let result = device.call(CtaphidCommand::CBOR, &[0x01], &token, &mut |_| {});
                done_tx.send((index, result.is_ok())).unwrap();
                result
            })
        })
        .collect();
    let (winner, ok) = done_rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!((winner, ok), (0, true));
    tokens[1].cancel();
    let results: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    assert_eq!(results[0].as_ref().unwrap(), &vec![0x00]);
    assert!(matches!(results[1], Err(TransportError::Cancelled)));
    fake_a.join().unwrap();
    assert_eq!(fake_b.join().unwrap(), CtaphidCommand::CANCEL);
}
