//! CTAPHID device side: INIT allocates channels, PING echoes across packets, errors for
//! bad channels and sequences, CANCEL during a presence wait, the power-cycle command.

use std::collections::VecDeque;
use std::time::Duration;

use super::*;
use crate::presence::PresencePolicy;
use crate::{Authenticator, Config};

const BROADCAST_CID: u32 = ChannelId::BROADCAST.0;

/// The reports of one message.
fn frame(cid: u32, cmd: CtaphidCommand, data: &[u8]) -> Vec<Report> {
    split(ChannelId(cid), cmd, data).unwrap().collect()
}

/// An ERROR report.
fn error_report(cid: u32, code: CtaphidError) -> Report {
    encode_error(ChannelId(cid), code)
}

#[derive(Default)]
struct Pipe {
    sent: Vec<Report>,
    incoming: VecDeque<Report>,
}

impl Link for Pipe {
    fn send(&mut self, report: &Report) {
        self.sent.push(*report);
    }
    fn recv(&mut self, timeout: Duration) -> Option<Report> {
        let r = self.incoming.pop_front();
        if r.is_none() {
            std::thread::sleep(timeout);
        }
        r
    }
}

fn device() -> HidDevice {
    HidDevice::new(
        Authenticator::new(Config {
            seed: Some(3),
            ..Config::default()
        })
        .unwrap(),
    )
}

fn init(dev: &mut HidDevice, pipe: &mut Pipe) -> u32 {
    let nonce = [1, 2, 3, 4, 5, 6, 7, 8];
    dev.handle_report(&frame(BROADCAST_CID, CtaphidCommand::INIT, &nonce)[0], pipe);
    let r = pipe.sent.pop().unwrap();
    assert_eq!(&r[..4], &BROADCAST_CID.to_be_bytes());
    assert_eq!(r[4], 0x80 | CtaphidCommand::INIT.0);
    assert_eq!(&r[7..15], &nonce);
    assert_eq!(r[15 + 4], 2, "CTAPHID protocol version");
    assert_eq!(r[15 + 8], (CapabilityFlags::WINK | CapabilityFlags::CBOR).0);
    u32::from_be_bytes([r[15], r[16], r[17], r[18]])
}

#[test]
fn init_allocates_distinct_channels() {
    let (mut dev, mut pipe) = (device(), Pipe::default());
    let a = init(&mut dev, &mut pipe);
    let b = init(&mut dev, &mut pipe);
    assert_ne!(a, b);
    assert!(a != 0 && a != BROADCAST_CID);
}

#[test]
fn ping_echoes_a_multi_packet_message() {
    let (mut dev, mut pipe) = (device(), Pipe::default());
    let cid = init(&mut dev, &mut pipe);
    let data: Vec<u8> = (0..200u8).collect();
    for r in frame(cid, CtaphidCommand::PING, &data) {
        dev.handle_report(&r, &mut pipe);
    }
    assert_eq!(pipe.sent.len(), 4);
    let mut echoed = pipe.sent[0][7..].to_vec();
    for r in &pipe.sent[1..] {
        echoed.extend_from_slice(&r[5..]);
    }
    assert_eq!(&echoed[..200], &data[..]);
    assert_eq!(u16::from_be_bytes([pipe.sent[0][5], pipe.sent[0][6]]), 200);
}

#[test]
fn errors_for_unknown_channel_bad_sequence_and_unknown_command() {
    let (mut dev, mut pipe) = (device(), Pipe::default());
    dev.handle_report(&frame(0x1234, CtaphidCommand::PING, b"x")[0], &mut pipe);
    assert_eq!(
        pipe.sent.pop().unwrap()[..8],
        error_report(0x1234, CtaphidError::INVALID_CHANNEL)[..8]
    );
    let cid = init(&mut dev, &mut pipe);
    let reports = frame(cid, CtaphidCommand::PING, &[0u8; 100]);
    dev.handle_report(&reports[0], &mut pipe);
    let mut wrong = reports[1];
    wrong[4] = 5;
    dev.handle_report(&wrong, &mut pipe);
    assert_eq!(
        pipe.sent.pop().unwrap()[..8],
        error_report(cid, CtaphidError::INVALID_SEQ)[..8]
    );
    dev.handle_report(&frame(cid, CtaphidCommand(0x55), b"")[0], &mut pipe);
    assert_eq!(
        pipe.sent.pop().unwrap()[..8],
        error_report(cid, CtaphidError::INVALID_CMD)[..8]
    );
}

#[test]
fn keepalive_while_waiting_and_cancel() {
    let (mut dev, mut pipe) = (device(), Pipe::default());
    let cid = init(&mut dev, &mut pipe);
    dev.authenticator_mut()
        .set_presence(PresencePolicy::Delay(Duration::from_secs(5)));
    pipe.incoming
        .push_back(frame(cid, CtaphidCommand::CANCEL, b"")[0]);
    // authenticatorSelection waits for presence.
    dev.handle_report(&frame(cid, CtaphidCommand::CBOR, &[0x0B])[0], &mut pipe);
    assert_eq!(pipe.sent[0][4], 0x80 | CtaphidCommand::KEEPALIVE.0);
    assert_eq!(
        pipe.sent[0][7],
        crate::presence::KeepaliveStatus::UP_NEEDED.0
    );
    let last = pipe.sent.last().unwrap();
    assert_eq!(last[4], 0x80 | CtaphidCommand::CBOR.0);
    assert_eq!(last[7], fido_types::status::CtapStatus::KEEPALIVE_CANCEL.0);
}

#[test]
fn power_cycle_answers_empty_and_restarts_the_reset_window() {
    let (mut dev, mut pipe) = (device(), Pipe::default());
    let cid = init(&mut dev, &mut pipe);
    dev.authenticator_mut()
        .advance_clock(Duration::from_secs(11));
    dev.handle_report(&frame(cid, CtaphidCommand::CBOR, &[0x07])[0], &mut pipe);
    assert_eq!(
        pipe.sent.pop().unwrap()[7],
        fido_types::status::CtapStatus::NOT_ALLOWED.0
    );
    dev.handle_report(&frame(cid, CtaphidCommand::POWER_CYCLE, b"")[0], &mut pipe);
    let r = pipe.sent.pop().unwrap();
    assert_eq!(
        (r[4], r[5], r[6]),
        (0x80 | CtaphidCommand::POWER_CYCLE.0, 0, 0)
    );
    dev.handle_report(&frame(cid, CtaphidCommand::CBOR, &[0x07])[0], &mut pipe);
    assert_eq!(pipe.sent.pop().unwrap()[7], 0);
}

#[test]
fn lock_makes_other_channels_busy_until_released() {
    let (mut dev, mut pipe) = (device(), Pipe::default());
    let a = init(&mut dev, &mut pipe);
    let b = init(&mut dev, &mut pipe);
    dev.handle_report(&frame(a, CtaphidCommand::LOCK, &[5])[0], &mut pipe);
    assert_eq!(pipe.sent.pop().unwrap()[4], 0x80 | CtaphidCommand::LOCK.0);
    dev.handle_report(&frame(b, CtaphidCommand::PING, b"x")[0], &mut pipe);
    assert_eq!(
        pipe.sent.pop().unwrap()[..8],
        error_report(b, CtaphidError::CHANNEL_BUSY)[..8]
    );
    // The owner is still served; releasing frees the others.
    dev.handle_report(&frame(a, CtaphidCommand::PING, b"x")[0], &mut pipe);
    assert_eq!(pipe.sent.pop().unwrap()[4], 0x80 | CtaphidCommand::PING.0);
    dev.handle_report(&frame(a, CtaphidCommand::LOCK, &[0])[0], &mut pipe);
    pipe.sent.pop();
    dev.handle_report(&frame(b, CtaphidCommand::PING, b"x")[0], &mut pipe);
    assert_eq!(pipe.sent.pop().unwrap()[4], 0x80 | CtaphidCommand::PING.0);
    // Longer than 10 s is an invalid parameter.
    dev.handle_report(&frame(a, CtaphidCommand::LOCK, &[11])[0], &mut pipe);
    assert_eq!(
        pipe.sent.pop().unwrap()[..8],
        error_report(a, CtaphidError::INVALID_PAR)[..8]
    );
}

#[test]
fn channel_table_is_bounded() {
    let (mut dev, mut pipe) = (device(), Pipe::default());
    let first = init(&mut dev, &mut pipe);
    for _ in 0..MAX_CHANNELS {
        init(&mut dev, &mut pipe);
    }
    // The oldest channel was evicted.
    dev.handle_report(&frame(first, CtaphidCommand::PING, b"x")[0], &mut pipe);
    assert_eq!(
        pipe.sent.pop().unwrap()[..8],
        error_report(first, CtaphidError::INVALID_CHANNEL)[..8]
    );
}
