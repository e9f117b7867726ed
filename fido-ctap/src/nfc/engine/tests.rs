//! The engine driven with synthetic responses and time.

use std::time::{Duration, Instant};

use fido_types::apdu::{ApduFormatError, ApduStatus, CommandApdu, Form};
use fido_types::ctaphid::KeepaliveStatus;
use proptest::prelude::*;

use super::*;

fn started(request: Request, form: Form) -> (Exchange, Vec<u8>, Instant) {
    let now = Instant::now();
    let mut exchange = Exchange::new(request, form);
    let first = exchange.start(now, Timeouts::default()).unwrap();
    (exchange, first, now)
}

#[test]
fn a_long_message_goes_out_chained_and_comes_back_through_get_response() {
    let message: Vec<u8> = (0..600u32).map(|i| i as u8).collect();
    let (mut exchange, first, now) = started(Request::Cbor(message.clone()), Form::Short);
    assert_eq!(&first[..5], &[0x90, 0x10, 0x80, 0x00, 250]);
    let Step::Send(second) = exchange.handle_response(&[0x90, 0x00], now).unwrap() else {
        panic!("no second part")
    };
    assert_eq!(&second[..5], &[0x90, 0x10, 0x80, 0x00, 250]);
    let Step::Send(last) = exchange.handle_response(&[0x90, 0x00], now).unwrap() else {
        panic!("no last part")
    };
    assert_eq!(&last[..5], &[0x80, 0x10, 0x80, 0x00, 100]);
    assert_eq!(last.last(), Some(&0x00), "Le 00 on the last part");
    let mut part = vec![0xAA; 256];
    part.extend_from_slice(&[0x61, 0x05]);
    let step = exchange.handle_response(&part, now).unwrap();
    assert_eq!(step, Step::Send(vec![0x00, 0xC0, 0x00, 0x00, 0x05]));
    let step = exchange
        .handle_response(&[1, 2, 3, 4, 5, 0x90, 0x00], now)
        .unwrap();
    let mut expected = vec![0xAA; 256];
    expected.extend_from_slice(&[1, 2, 3, 4, 5]);
    assert_eq!(step, Step::Done(expected));
}

#[test]
fn extended_form_sends_one_apdu() {
    let (_, first, _) = started(Request::Cbor(vec![0x04; 600]), Form::Extended);
    assert_eq!(&first[..7], &[0x80, 0x10, 0x80, 0x00, 0x00, 0x02, 0x58]);
    assert_eq!(first.len(), 7 + 600 + 2);
}

#[test]
fn a_refused_chained_part_ends_the_exchange() {
    let (mut exchange, _, now) = started(Request::Cbor(vec![0; 300]), Form::Short);
    let error = exchange.handle_response(&[0x67, 0x00], now).unwrap_err();
    assert!(matches!(
        error,
        TransportError::StatusWord(ApduStatus::WRONG_LENGTH)
    ));
}

#[test]
fn keepalives_are_reported_on_change_and_cancel_is_a_get_response_with_p1_0x11() {
    let (mut exchange, _, now) = started(Request::Cbor(vec![0x01]), Form::Short);
    let step = exchange.handle_response(&[0x02, 0x91, 0x00], now).unwrap();
    assert_eq!(
        step,
        Step::Wait {
            until: now + POLL_INTERVAL,
            keepalive: Some(KeepaliveStatus::UP_NEEDED)
        }
    );
    assert_eq!(exchange.poll(now, false), [0x80, 0x11, 0x00, 0x00]);
    let step = exchange.handle_response(&[0x02, 0x91, 0x00], now).unwrap();
    assert!(matches!(
        step,
        Step::Wait {
            keepalive: None,
            ..
        }
    ));
    assert_eq!(exchange.poll(now, true), [0x80, 0x11, 0x11, 0x00]);
    assert!(exchange.cancel_sent());
    let error = exchange
        .handle_response(&[0x2D, 0x90, 0x00], now)
        .unwrap_err();
    assert!(matches!(error, TransportError::Cancelled));
}

#[test]
fn past_the_deadline_a_poll_cancels_and_the_call_times_out() {
    let (mut exchange, _, now) = started(Request::Cbor(vec![0x01]), Form::Short);
    exchange.handle_response(&[0x01, 0x91, 0x00], now).unwrap();
    let late = now + Timeouts::default().call + Duration::from_millis(1);
    assert_eq!(exchange.poll(late, false), [0x80, 0x11, 0x11, 0x00]);
    let error = exchange
        .handle_response(&[0x2D, 0x90, 0x00], late)
        .unwrap_err();
    assert!(
        matches!(error, TransportError::Timeout { waited } if waited >= Timeouts::default().call)
    );
}

#[test]
fn malformed_responses_are_typed_errors() {
    let (mut exchange, _, now) = started(Request::Cbor(vec![0x04]), Form::Short);
    let error = exchange.handle_response(&[0x90], now).unwrap_err();
    assert!(matches!(
        error,
        TransportError::Apdu(ApduFormatError::TruncatedResponse { len: 1 })
    ));
    let error = exchange.handle_response(&[0x91, 0x00], now).unwrap_err();
    assert!(matches!(error, TransportError::MalformedResponse { .. }));
    let error = exchange.handle_response(&[0x6F, 0x00], now).unwrap_err();
    assert!(matches!(
        error,
        TransportError::StatusWord(ApduStatus(0x6F00))
    ));
}

#[test]
fn a_card_that_never_stops_sending_is_cut_off() {
    let (mut exchange, _, now) = started(Request::Cbor(vec![0x04]), Form::Short);
    let mut part = vec![0; 256];
    part.extend_from_slice(&[0x61, 0x00]);
    let result =
        (0..=MAX_RESPONSE / 256).try_for_each(|_| exchange.handle_response(&part, now).map(drop));
    assert!(matches!(
        result,
        Err(TransportError::Apdu(ApduFormatError::TooLong { .. }))
    ));
}

#[test]
fn u2f_answers_keep_their_status_word() {
    let apdu = CommandApdu::parse(&[0x00, 0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00])
        .unwrap()
        .0;
    let (mut exchange, first, now) = started(Request::Msg(apdu), Form::Short);
    assert_eq!(first, [0x00, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00]);
    let step = exchange.handle_response(&[0x69, 0x85], now).unwrap();
    assert_eq!(step, Step::Done(vec![0x69, 0x85]));
    // A long answer: its parts, then the data with 9000 after it.
    let (mut exchange, _, now) = started(
        Request::Msg(CommandApdu::parse(&[0, 3, 0, 0]).unwrap().0),
        Form::Short,
    );
    let mut part = vec![7; 256];
    part.extend_from_slice(&[0x61, 0x02]);
    exchange.handle_response(&part, now).unwrap();
    let step = exchange.handle_response(&[8, 9, 0x90, 0x00], now).unwrap();
    let mut expected = vec![7; 256];
    expected.extend_from_slice(&[8, 9, 0x90, 0x00]);
    assert_eq!(step, Step::Done(expected));
}

#[test]
fn select_of_a_card_without_the_applet_fails() {
    let (mut exchange, first, now) = started(Request::Select, Form::Short);
    assert_eq!(hex::encode(first), "00a4040008a0000006472f000100");
    let error = exchange.handle_response(&[0x6A, 0x82], now).unwrap_err();
    assert!(matches!(
        error,
        TransportError::StatusWord(ApduStatus(0x6A82))
    ));
}

proptest! {
    /// Whatever a card answers, the engine ends in a result or asks for the next step;
    /// it never panics.
    #[test]
    fn any_response_sequence_is_handled(
        responses in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 1..20),
        message in proptest::collection::vec(any::<u8>(), 1..700),
    ) {
        let (mut exchange, _, now) = started(Request::Cbor(message), Form::Short);
        for response in responses {
            match exchange.handle_response(&response, now) {
                Ok(Step::Done(_)) | Err(_) => break,
                Ok(Step::Wait { .. }) => { exchange.poll(now, false); }
                Ok(Step::Send(_)) => {}
            }
        }
    }
}
