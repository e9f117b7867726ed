//! The card side driven with synthetic APDUs.

use std::time::Duration;

use fido_types::apdu::{
    ApduStatus, CommandApdu, Form, Header, ResponseApdu, ResponseKind, select_fido,
};
use fido_types::status::CtapStatus;

use super::*;
use crate::presence::{KeepaliveStatus, PresencePolicy};
use crate::{Authenticator, Config};

fn card(config: Config) -> NfcCard {
    NfcCard::new(Authenticator::new(config).unwrap())
}

fn selected() -> NfcCard {
    let mut card = card(Config::default());
    let answer = card.transmit(&select_fido().encode(Form::Short).unwrap());
    assert_eq!(answer, b"U2F_V2\x90\x00");
    card
}

fn msg(p1: u8, data: &[u8]) -> CommandApdu {
    CommandApdu::new(Header::new(0x80, 0x10, p1, 0), data.to_vec(), Some(256))
}

/// Sends `command` chained in short APDUs and collects the response through GET RESPONSE.
fn exchange_short(
    card: &mut NfcCard,
    command: &CommandApdu,
    chunk: usize,
) -> (Vec<u8>, ApduStatus) {
    let apdus = command.chain_short(chunk).unwrap();
    let (last, parts) = apdus.split_last().unwrap();
    for part in parts {
        assert_eq!(card.transmit(part), [0x90, 0x00]);
    }
    let mut raw = card.transmit(last);
    let mut body = Vec::new();
    loop {
        let response = ResponseApdu::parse(&raw).unwrap();
        body.extend_from_slice(response.body);
        match response.kind() {
            ResponseKind::MoreData(n) => {
                assert!(response.body.len() <= 256);
                raw = card.transmit(&[0x00, 0xC0, 0x00, 0x00, (n % 256) as u8]);
            }
            _ => return (body, response.status),
        }
    }
}

#[test]
fn select_of_another_aid_and_commands_before_select() {
    let mut card = card(Config::default());
    let get_info = msg(0x80, &[0x04]).encode(Form::Short).unwrap();
    assert_eq!(card.transmit(&get_info), [0x69, 0x85]);
    let other = CommandApdu::new(
        Header::new(0, 0xA4, 4, 0),
        vec![0xA0, 0, 0, 0, 3],
        Some(256),
    );
    assert_eq!(
        card.transmit(&other.encode(Form::Short).unwrap()),
        [0x6A, 0x82]
    );
}

#[test]
fn get_info_comes_back_in_parts_through_get_response() {
    let mut card = selected();
    let (body, status) = exchange_short(&mut card, &msg(0x80, &[0x04]), 250);
    assert_eq!(status, ApduStatus::OK);
    assert_eq!(body[0], 0);
    assert!(
        body.len() > 256,
        "getInfo is {} bytes: no response chaining tested",
        body.len()
    );
    let direct = card.with_authenticator(|a| a.handle(&[0x04], &mut NoTransport));
    assert_eq!(body, direct);
}

#[test]
fn extended_apdus_carry_the_whole_response() {
    let mut card = selected();
    let apdu = CommandApdu::new(Header::new(0x80, 0x10, 0x80, 0), vec![0x04], None);
    let raw = card.transmit(&apdu.encode(Form::Extended).unwrap());
    let response = ResponseApdu::parse(&raw).unwrap();
    assert_eq!(response.kind(), ResponseKind::Complete);
    assert!(response.body.len() > 256);
}

#[test]
fn a_chained_command_is_reassembled() {
    let mut card = selected();
    // authenticatorClientPIN getRetries with 600 bytes of padding in an unknown key
    // would be refused as non-canonical, so chain a 1-byte chunked getInfo instead.
    let (body, status) = exchange_short(&mut card, &msg(0x80, &[0x04]), 1);
    assert_eq!((body[0], status), (0, ApduStatus::OK));
    let broken = card.transmit(&[0x90, 0x10, 0x80, 0x00, 0x01, 0x04]);
    assert_eq!(broken, [0x90, 0x00]);
    assert_eq!(card.transmit(&[0x80, 0x11, 0x00, 0x00, 0x00]), [0x68, 0x83]);
}

#[test]
fn keepalive_word_while_waiting_for_a_touch_then_the_answer() {
    let mut card = selected();
    card.with_authenticator(|a| a.set_presence(PresencePolicy::Delay(Duration::from_millis(400))));
    // authenticatorSelection waits for user presence.
    let mut raw = card.transmit(&msg(0x80, &[0x0B]).encode(Form::Short).unwrap());
    let mut keepalives = 0;
    while raw.ends_with(&[0x91, 0x00]) {
        assert_eq!(raw[0], KeepaliveStatus::UP_NEEDED.0);
        keepalives += 1;
        raw = card.transmit(&[0x80, 0x11, 0x00, 0x00]);
    }
    assert!(keepalives >= 2, "{keepalives} keepalives");
    assert_eq!(raw, [0x00, 0x90, 0x00]);
}

#[test]
fn get_response_with_cancel_ends_the_wait() {
    let mut card = selected();
    card.with_authenticator(|a| a.set_presence(PresencePolicy::Delay(Duration::from_secs(30))));
    let raw = card.transmit(&msg(0x80, &[0x0B]).encode(Form::Short).unwrap());
    assert_eq!(raw, [KeepaliveStatus::UP_NEEDED.0, 0x91, 0x00]);
    let raw = card.transmit(&[0x80, 0x11, 0x11, 0x00]);
    assert_eq!(raw, [CtapStatus::KEEPALIVE_CANCEL.0, 0x90, 0x00]);
}

#[test]
fn without_polling_the_card_answers_when_done() {
    let mut card = selected();
    card.with_authenticator(|a| a.set_presence(PresencePolicy::Delay(Duration::from_millis(200))));
    let raw = card.transmit(&msg(0x00, &[0x0B]).encode(Form::Short).unwrap());
    assert_eq!(raw, [0x00, 0x90, 0x00]);
}

#[test]
fn power_off_cancels_and_deselects_and_power_on_cycles() {
    let mut card = selected();
    card.with_authenticator(|a| a.advance_clock(Duration::from_secs(11)));
    let reset = msg(0x80, &[0x07]).encode(Form::Short).unwrap();
    assert_eq!(
        card.transmit(&reset),
        [CtapStatus::NOT_ALLOWED.0, 0x90, 0x00]
    );
    card.with_authenticator(|a| a.set_presence(PresencePolicy::Delay(Duration::from_secs(30))));
    let raw = card.transmit(&msg(0x80, &[0x0B]).encode(Form::Short).unwrap());
    assert!(raw.ends_with(&[0x91, 0x00]));
    card.power_off();
    card.power_on();
    assert_eq!(card.transmit(&[0x80, 0x11, 0x00, 0x00]), [0x69, 0x85]);
    card.transmit(&select_fido().encode(Form::Short).unwrap());
    card.with_authenticator(|a| a.set_presence(PresencePolicy::Approve));
    // authenticatorReset is allowed again: the reset window restarted at power-up.
    assert_eq!(card.transmit(&reset), [0x00, 0x90, 0x00]);
}

#[test]
fn u2f_commands_are_plain_iso_apdus() {
    let mut card = selected();
    let version = CommandApdu::new(Header::new(0, 0x03, 0, 0), vec![], Some(256));
    assert_eq!(
        card.transmit(&version.encode(Form::Short).unwrap()),
        b"U2F_V2\x90\x00"
    );
    let unknown = CommandApdu::new(Header::new(0, 0x55, 0, 0), vec![], None);
    assert_eq!(
        card.transmit(&unknown.encode(Form::Short).unwrap()),
        [0x6D, 0x00]
    );
}

#[test]
fn u2f_only_cards_refuse_nfcctap_msg() {
    let mut card = card(Config {
        u2f_only: true,
        ..Config::default()
    });
    card.transmit(&select_fido().encode(Form::Short).unwrap());
    assert_eq!(
        card.transmit(&msg(0x80, &[0x04]).encode(Form::Short).unwrap()),
        [0x6D, 0x00]
    );
}
