//! Tests of transcript parsing and replay checks.

use super::*;
use crate::hid::transcript::{HEADER, format_line};
use fido_types::ctaphid::{ChannelId, encode_init};
use std::time::Duration;

fn deadline() -> Instant {
    Instant::now() + Duration::from_millis(10)
}

fn transcript(lines: &[(Direction, Report)]) -> String {
    let mut text = format!("{HEADER}\n");
    for (direction, report) in lines {
        text.push_str(&format_line(*direction, report));
        text.push('\n');
    }
    text
}

fn replay_error(result: Result<impl std::fmt::Debug, TransportError>) -> ReplayError {
    match result {
        Err(TransportError::Replay(e)) => e,
        other => panic!("expected a replay error, got {other:?}"),
    }
}

#[test]
fn parse_errors_name_the_line() {
    let table = [
        ("? 00", 1, "a report line starts with > or <"),
        ("# c\n\n> zz", 3, "invalid hex"),
        ("< 0011", 1, "a report has 64 bytes (128 hex digits)"),
        ("é", 1, "a report line starts with > or <"),
    ];
    for (text, line, reason) in table {
        let err = replay_error(ReplayConnection::from_transcript(text));
        assert_eq!(err, ReplayError::Parse { line, reason }, "{text:?}");
    }
}

#[test]
fn replays_in_order_and_checks_what_the_client_sends() {
    let ping = encode_init(ChannelId(7), CtaphidCommand::PING, 1, &[0xAA]);
    let text = transcript(&[(Direction::Sent, ping), (Direction::Received, ping)]);
    let mut replay = ReplayConnection::from_transcript(&text).unwrap();
    assert_eq!(replay.remaining(), 2);
    // Receiving first is out of order: the recording has the client sending.
    assert_eq!(
        replay_error(replay.recv(deadline())),
        ReplayError::UnexpectedReceive { line: 2 }
    );
    let other = encode_init(ChannelId(7), CtaphidCommand::PING, 1, &[0xAB]);
    match replay_error(replay.send(&other)) {
        ReplayError::Mismatch {
            line,
            expected,
            got,
        } => {
            assert_eq!(line, 2);
            assert_eq!(expected, hex::encode(ping));
            assert_eq!(got, hex::encode(other));
        }
        e => panic!("expected a mismatch, got {e:?}"),
    }
    replay.send(&ping).unwrap();
    assert_eq!(
        replay_error(replay.send(&ping)),
        ReplayError::UnexpectedSend { line: 3 }
    );
    assert_eq!(replay.recv(deadline()).unwrap(), Some(ping));
    assert!(replay.is_finished());
    assert_eq!(
        replay_error(replay.recv(deadline())),
        ReplayError::Exhausted { entries: 2 }
    );
}

#[test]
fn init_nonces_are_substituted() {
    let recorded_nonce = [1u8; 8];
    let actual_nonce = [2u8; 8];
    let request = encode_init(
        ChannelId::BROADCAST,
        CtaphidCommand::INIT,
        8,
        &recorded_nonce,
    );
    let mut response_data = recorded_nonce.to_vec();
    response_data.extend_from_slice(&[0, 0, 0, 7, 2, 1, 0, 0, 4]);
    let response = encode_init(
        ChannelId::BROADCAST,
        CtaphidCommand::INIT,
        17,
        &response_data,
    );
    let text = transcript(&[(Direction::Sent, request), (Direction::Received, response)]);
    let mut replay = ReplayConnection::from_transcript(&text).unwrap();
    replay
        .send(&encode_init(
            ChannelId::BROADCAST,
            CtaphidCommand::INIT,
            8,
            &actual_nonce,
        ))
        .unwrap();
    let got = replay.recv(deadline()).unwrap().unwrap();
    assert_eq!(&got[7..15], &actual_nonce);
    assert_eq!(&got[15..], &response[15..]);
}

proptest::proptest! {
    /// A hostile transcript file gives a typed error or a replay, never a panic.
    #[test]
    fn arbitrary_transcripts_parse_or_fail_cleanly(text in "(([<>#] ?)?[0-9a-fA-F é]{0,140}\n){0,6}") {
        match ReplayConnection::from_transcript(&text) {
            Ok(replay) => proptest::prop_assert!(replay.remaining() <= 6),
            Err(TransportError::Replay(ReplayError::Parse { line, .. })) => {
                proptest::prop_assert!((1..=6).contains(&line))
            }
            Err(other) => proptest::prop_assert!(false, "unexpected {:?}", other),
        }
    }
}
