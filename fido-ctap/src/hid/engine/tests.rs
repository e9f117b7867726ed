//! Tests of the sans-IO engine, driven with synthetic time.

use super::*;
use fido_types::ctaphid::{CapabilityFlags, InitResponse, MAX_MESSAGE_LEN};
use proptest::prelude::*;
use std::time::Duration;

const CID: ChannelId = ChannelId(0x0A0B_0C0D);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn reports(cid: ChannelId, cmd: CtaphidCommand, data: &[u8]) -> Vec<Report> {
    split(cid, cmd, data).unwrap().collect()
}

fn drain(exchange: &mut Exchange) -> Vec<Report> {
    std::iter::from_fn(|| exchange.poll_transmit()).collect()
}

fn keepalive(status: KeepaliveStatus) -> Report {
    encode_init(CID, CtaphidCommand::KEEPALIVE, 1, &[status.0])
}

fn start(cmd: CtaphidCommand, payload: &[u8], config: EngineConfig) -> (Exchange, Instant) {
    let t0 = Instant::now();
    let mut exchange = Exchange::new(CID, cmd, payload, t0, config).unwrap();
    assert_eq!(drain(&mut exchange), reports(CID, cmd, payload));
    (exchange, t0)
}

#[test]
fn request_and_response() {
    let payload: Vec<u8> = (0..300).map(|i| i as u8).collect();
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &payload, EngineConfig::default());
    assert_eq!(ex.poll_timeout(), Some(t0 + Timeouts::default().idle));
    let response = reports(CID, CtaphidCommand::CBOR, &[0x00, 0xA0]);
    for r in &response {
        ex.handle_report(r, t0 + ms(10));
    }
    assert_eq!(ex.take_result().unwrap().unwrap(), vec![0x00, 0xA0]);
    assert!(ex.is_done());
    assert_eq!(ex.poll_timeout(), None);
    assert!(ex.take_result().is_none(), "a result is given out once");
}

#[test]
fn too_long_request_is_refused() {
    let err = Exchange::new(
        CID,
        CtaphidCommand::CBOR,
        &[0; MAX_MESSAGE_LEN + 1],
        Instant::now(),
        EngineConfig::default(),
    )
    .unwrap_err();
    assert!(matches!(err, TransportError::MessageTooLong(m) if m.len == 7610));
}

#[test]
fn keepalive_reported_once_per_change() {
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], EngineConfig::default());
    let p = KeepaliveStatus::PROCESSING;
    let u = KeepaliveStatus::UP_NEEDED;
    for (i, status) in [p, p, p, u, u, u, u, p].into_iter().enumerate() {
        ex.handle_report(&keepalive(status), t0 + ms(100 * i as u64));
    }
    let seen: Vec<_> = std::iter::from_fn(|| ex.poll_keepalive()).collect();
    assert_eq!(seen, vec![p, u, p]);
    // An empty keepalive is ignored rather than fatal.
    ex.handle_report(
        &encode_init(CID, CtaphidCommand::KEEPALIVE, 0, &[]),
        t0 + ms(900),
    );
    assert!(ex.take_result().is_none());
}

#[test]
fn keepalives_hold_off_the_idle_timeout_but_not_the_call_deadline() {
    let config = EngineConfig::default();
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], config);
    let mut t = t0;
    while t < t0 + config.timeouts.call {
        ex.handle_report(&keepalive(KeepaliveStatus::UP_NEEDED), t);
        ex.handle_timeout(t);
        if ex.is_done() {
            break;
        }
        t += ms(1000);
    }
    ex.handle_report(
        &keepalive(KeepaliveStatus::UP_NEEDED),
        t0 + config.timeouts.call,
    );
    match ex.take_result() {
        Some(Err(TransportError::Timeout { waited })) => assert_eq!(waited, config.timeouts.call),
        other => panic!("expected a timeout at the call deadline, got {other:?}"),
    }
}

#[test]
fn silence_times_out() {
    let config = EngineConfig::default();
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], config);
    ex.handle_timeout(t0 + config.timeouts.idle - ms(1));
    assert!(!ex.is_done());
    ex.handle_timeout(t0 + config.timeouts.idle);
    match ex.take_result() {
        Some(Err(TransportError::Timeout { waited })) => assert_eq!(waited, config.timeouts.idle),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[test]
fn error_codes_become_typed_errors() {
    for code in [
        CtaphidError::INVALID_CMD,
        CtaphidError::INVALID_PAR,
        CtaphidError::INVALID_LEN,
        CtaphidError::INVALID_SEQ,
        CtaphidError::MSG_TIMEOUT,
        CtaphidError::LOCK_REQUIRED,
        CtaphidError::INVALID_CHANNEL,
        CtaphidError::OTHER,
        CtaphidError(0x42),
    ] {
        let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], EngineConfig::default());
        ex.handle_report(&encode_init(CID, CtaphidCommand::ERROR, 1, &[code.0]), t0);
        match ex.take_result() {
            Some(Err(TransportError::Hid(got))) => assert_eq!(got, code),
            other => panic!("{code:?}: got {other:?}"),
        }
    }
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], EngineConfig::default());
    ex.handle_report(&encode_init(CID, CtaphidCommand::ERROR, 0, &[]), t0);
    assert!(matches!(
        ex.take_result(),
        Some(Err(TransportError::MalformedResponse {
            cmd: CtaphidCommand::ERROR,
            ..
        }))
    ));
}

#[test]
fn channel_busy_is_retried_with_growing_backoff() {
    let config = EngineConfig::default();
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], config);
    let busy = encode_init(
        CID,
        CtaphidCommand::ERROR,
        1,
        &[CtaphidError::CHANNEL_BUSY.0],
    );
    let mut t = t0;
    for (retry, wait) in [(1, 50), (2, 100), (3, 200)] {
        ex.handle_report(&busy, t);
        assert_eq!(config.busy.backoff(retry), ms(wait));
        assert_eq!(ex.poll_timeout(), Some(t + ms(wait)), "retry {retry}");
        assert!(
            drain(&mut ex).is_empty(),
            "nothing is resent before the backoff"
        );
        ex.handle_timeout(t + ms(wait - 1));
        assert!(drain(&mut ex).is_empty());
        t += ms(wait);
        ex.handle_timeout(t);
        assert_eq!(
            drain(&mut ex),
            reports(CID, CtaphidCommand::CBOR, &[4]),
            "retry {retry}"
        );
    }
    ex.handle_report(&encode_init(CID, CtaphidCommand::CBOR, 1, &[0]), t + ms(5));
    assert_eq!(ex.take_result().unwrap().unwrap(), vec![0]);
}

#[test]
fn channel_busy_gives_up_after_the_limit() {
    let config = EngineConfig {
        busy: BusyRetry {
            max_retries: 2,
            ..BusyRetry::default()
        },
        ..EngineConfig::default()
    };
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], config);
    let busy = encode_init(
        CID,
        CtaphidCommand::ERROR,
        1,
        &[CtaphidError::CHANNEL_BUSY.0],
    );
    let mut t = t0;
    for _ in 0..3 {
        ex.handle_report(&busy, t);
        t += ms(1000);
        ex.handle_timeout(t);
    }
    assert!(matches!(
        ex.take_result(),
        Some(Err(TransportError::ChannelBusy { attempts: 3 }))
    ));
    assert_eq!(
        BusyRetry::default().backoff(10),
        ms(1000),
        "backoff is capped"
    );
    assert_eq!(BusyRetry::default().backoff(100), ms(1000), "no overflow");
}

#[test]
fn cancel_sends_cancel_and_ends_with_cancelled() {
    let config = EngineConfig::default();
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], config);
    ex.handle_report(&keepalive(KeepaliveStatus::UP_NEEDED), t0 + ms(100));
    ex.cancel(t0 + ms(200));
    ex.cancel(t0 + ms(210)); // only one CANCEL
    let sent = drain(&mut ex);
    // cid | 0x91 CANCEL | BCNT 0
    assert_eq!(sent.len(), 1);
    assert_eq!(&sent[0][..7], &[0x0A, 0x0B, 0x0C, 0x0D, 0x91, 0, 0]);
    assert!(ex.is_cancelling());
    assert_eq!(
        ex.poll_timeout(),
        Some(t0 + ms(200) + config.timeouts.cancel_grace)
    );
    ex.handle_report(
        &encode_init(CID, CtaphidCommand::CBOR, 1, &[0x2D]),
        t0 + ms(250),
    );
    assert!(matches!(
        ex.take_result(),
        Some(Err(TransportError::Cancelled))
    ));
}

#[test]
fn cancel_without_confirmation_ends_after_the_grace_period() {
    let config = EngineConfig::default();
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], config);
    ex.cancel(t0);
    ex.handle_timeout(t0 + config.timeouts.cancel_grace - ms(1));
    assert!(!ex.is_done());
    ex.handle_timeout(t0 + config.timeouts.cancel_grace);
    assert!(matches!(
        ex.take_result(),
        Some(Err(TransportError::Cancelled))
    ));
}

#[test]
fn a_response_that_beats_the_cancel_is_kept() {
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], EngineConfig::default());
    ex.cancel(t0);
    ex.handle_report(
        &encode_init(CID, CtaphidCommand::CBOR, 2, &[0, 0xA0]),
        t0 + ms(1),
    );
    assert_eq!(ex.take_result().unwrap().unwrap(), vec![0, 0xA0]);
}

#[test]
fn cancel_during_busy_backoff_ends_at_once() {
    let (mut ex, t0) = start(CtaphidCommand::CBOR, &[4], EngineConfig::default());
    ex.handle_report(
        &encode_init(
            CID,
            CtaphidCommand::ERROR,
            1,
            &[CtaphidError::CHANNEL_BUSY.0],
        ),
        t0,
    );
    ex.cancel(t0 + ms(1));
    assert!(
        drain(&mut ex).is_empty(),
        "no CANCEL when nothing is pending"
    );
    assert!(matches!(
        ex.take_result(),
        Some(Err(TransportError::Cancelled))
    ));
}

#[test]
fn foreign_channels_are_ignored_and_unexpected_commands_fail() {
    let (mut ex, t0) = start(CtaphidCommand::PING, b"abc", EngineConfig::default());
    for r in reports(ChannelId(0x99), CtaphidCommand::PING, b"xyz") {
        ex.handle_report(&r, t0);
    }
    assert!(!ex.is_done());
    ex.handle_report(&encode_init(CID, CtaphidCommand::CBOR, 1, &[0]), t0);
    assert!(matches!(
        ex.take_result(),
        Some(Err(TransportError::UnexpectedCommand {
            expected: CtaphidCommand::PING,
            got: CtaphidCommand::CBOR
        }))
    ));
}

#[test]
fn framing_errors_end_a_request() {
    let (mut ex, t0) = start(CtaphidCommand::PING, b"abc", EngineConfig::default());
    let response = reports(CID, CtaphidCommand::PING, &[1; 200]);
    ex.handle_report(&response[0], t0);
    ex.handle_report(&response[2], t0);
    assert!(matches!(
        ex.take_result(),
        Some(Err(TransportError::Framing(AssembleError::UnexpectedSeq {
            expected: 0,
            got: 1,
            ..
        })))
    ));
}

fn init_response(cid: ChannelId, nonce: [u8; 8], allocated: ChannelId) -> Vec<Report> {
    let init = InitResponse {
        nonce,
        cid: allocated,
        protocol_version: 2,
        major: 5,
        minor: 2,
        build: 7,
        capabilities: CapabilityFlags::CBOR | CapabilityFlags::WINK,
    };
    reports(cid, CtaphidCommand::INIT, &init.to_bytes())
}

#[test]
fn init_ignores_other_nonces_and_debris() {
    let nonce = [1, 2, 3, 4, 5, 6, 7, 8];
    let t0 = Instant::now();
    let mut ex = Exchange::init(ChannelId::BROADCAST, nonce, t0, EngineConfig::default());
    // ffffffff | 0x86 INIT | BCNT 8 | nonce
    assert_eq!(
        drain(&mut ex),
        vec![encode_init(
            ChannelId::BROADCAST,
            CtaphidCommand::INIT,
            8,
            &nonce
        )]
    );
    // Another client's INIT response on the broadcast channel.
    for r in init_response(ChannelId::BROADCAST, [9; 8], ChannelId(0x55)) {
        ex.handle_report(&r, t0);
    }
    // Debris: a stale response message and a broken continuation sequence.
    ex.handle_report(
        &encode_init(ChannelId::BROADCAST, CtaphidCommand::CBOR, 1, &[0]),
        t0,
    );
    ex.handle_report(
        &encode_init(ChannelId::BROADCAST, CtaphidCommand::PING, 100, &[0]),
        t0,
    );
    ex.handle_report(&encode_cont(ChannelId::BROADCAST, 5, &[0]), t0);
    assert!(!ex.is_done());
    for r in init_response(ChannelId::BROADCAST, nonce, CID) {
        ex.handle_report(&r, t0);
    }
    let data = ex.take_result().unwrap().unwrap();
    let init = InitResponse::parse(&data).unwrap();
    assert_eq!(init.cid, CID);
    assert_eq!(init.nonce, nonce);
}

use fido_types::ctaphid::encode_cont;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever arrives, the exchange ends by its deadline with a typed result, and an
    /// intact response among foreign-channel noise gives back the payload.
    #[test]
    fn any_input_ends_by_the_deadline(
        payload in proptest::collection::vec(any::<u8>(), 0..=MAX_MESSAGE_LEN),
        noise in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 64), 0..20),
        noise_on_our_channel in any::<bool>(),
    ) {
        let config = EngineConfig::default();
        let (mut ex, t0) = start(CtaphidCommand::CBOR, &[1], config);
        let response = reports(CID, CtaphidCommand::CBOR, &payload);
        let mut t = t0;
        let mut noise_reports = Vec::new();
        for n in noise {
            let mut r: Report = n.try_into().unwrap();
            if !noise_on_our_channel {
                let other = u32::from_be_bytes([r[0], r[1], r[2], r[3]]);
                let other = if other == CID.0 { other ^ 1 } else { other };
                r[..4].copy_from_slice(&other.to_be_bytes());
            } else {
                r[..4].copy_from_slice(&CID.to_bytes());
            }
            noise_reports.push(r);
        }
        for r in noise_reports.iter().chain(response.iter()) {
            t += ms(1);
            ex.handle_report(r, t);
        }
        ex.handle_timeout(t0 + config.timeouts.call);
        let result = ex.take_result();
        prop_assert!(result.is_some(), "the exchange must end by the call deadline");
        prop_assert!(ex.is_done());
        if !noise_on_our_channel {
            let expected = if payload == [CtapStatus::KEEPALIVE_CANCEL.0] { None } else { Some(payload) };
            match (result.unwrap(), expected) {
                (Ok(data), Some(expected)) => prop_assert_eq!(data, expected),
                (Err(TransportError::Cancelled), None) => {}
                (other, _) => prop_assert!(false, "unexpected {:?}", other),
            }
        }
    }
}
