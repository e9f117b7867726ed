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
    device_with(Config::default())
}

fn device_with(config: Config) -> HidDevice {
    HidDevice::new(
        Authenticator::new(Config {
            seed: Some(3),
            ..config
        })
        .unwrap(),
    )
}

/// A UDP peer at 127.0.0.1:`port`.
fn udp(port: u16) -> Peer {
    Peer::Udp(std::net::SocketAddr::from(([127, 0, 0, 1], port)))
}

/// INIT on the broadcast channel from `peer`; the allocated channel.
fn init_from(dev: &mut HidDevice, peer: Peer, pipe: &mut Pipe) -> u32 {
    let nonce = [9; 8];
    dev.handle_report_from(
        peer,
        &frame(BROADCAST_CID, CtaphidCommand::INIT, &nonce)[0],
        pipe,
    );
    let r = pipe.sent.pop().unwrap();
    assert_eq!(r[4], 0x80 | CtaphidCommand::INIT.0);
    u32::from_be_bytes([r[15], r[16], r[17], r[18]])
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
    let allowed = Config {
        allow_power_cycle: true,
        ..Config::default()
    };
    let (mut dev, mut pipe) = (device_with(allowed), Pipe::default());
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

/// Item 9: without `allow_power_cycle`, 0x7E is an unknown command and changes nothing.
#[test]
fn power_cycle_is_an_unknown_command_unless_allowed() {
    let (mut dev, mut pipe) = (device(), Pipe::default());
    let cid = init(&mut dev, &mut pipe);
    dev.authenticator_mut()
        .advance_clock(Duration::from_secs(11));
    dev.handle_report(&frame(cid, CtaphidCommand::POWER_CYCLE, b"")[0], &mut pipe);
    assert_eq!(
        pipe.sent.pop().unwrap()[..8],
        error_report(cid, CtaphidError::INVALID_CMD)[..8]
    );
    // The reset window was not restarted.
    dev.handle_report(&frame(cid, CtaphidCommand::CBOR, &[0x07])[0], &mut pipe);
    assert_eq!(
        pipe.sent.pop().unwrap()[7],
        fido_types::status::CtapStatus::NOT_ALLOWED.0
    );
}

/// Item 8: a channel belongs to the peer that allocated it; IDs are unpredictable.
#[test]
fn channels_are_bound_to_their_peer_and_unpredictable() {
    let (mut dev, mut pipe) = (device(), Pipe::default());
    let (alice, mallory) = (udp(1000), udp(2000));
    let a = init_from(&mut dev, alice, &mut pipe);
    // Mallory on Alice's channel: a PING, a CBOR getInfo, an INIT (resync), a
    // continuation. One INVALID_CHANNEL for each initialization packet, nothing else.
    for report in [
        frame(a, CtaphidCommand::PING, b"x")[0],
        frame(a, CtaphidCommand::CBOR, &[0x04])[0],
        frame(a, CtaphidCommand::INIT, &[1; 8])[0],
    ] {
        dev.handle_report_from(mallory, &report, &mut pipe);
        assert_eq!(pipe.sent.len(), 1);
        assert_eq!(
            pipe.sent.pop().unwrap()[..8],
            error_report(a, CtaphidError::INVALID_CHANNEL)[..8]
        );
    }
    let long = frame(a, CtaphidCommand::PING, &[0; 100]);
    dev.handle_report_from(mallory, &long[1], &mut pipe);
    assert!(pipe.sent.is_empty());
    // Alice is still served.
    dev.handle_report_from(alice, &frame(a, CtaphidCommand::PING, b"x")[0], &mut pipe);
    assert_eq!(pipe.sent.pop().unwrap()[4], 0x80 | CtaphidCommand::PING.0);
    // Unpredictable: two fresh devices do not hand out the same first channel, and a
    // device does not count up.
    let (mut other, mut pipe2) = (device(), Pipe::default());
    let b = init_from(&mut other, alice, &mut pipe2);
    let c = init_from(&mut other, alice, &mut pipe2);
    let d = init_from(&mut other, alice, &mut pipe2);
    assert_ne!(a, b);
    assert!(
        !(c == b.wrapping_add(1) && d == c.wrapping_add(1)),
        "{b} {c} {d}"
    );
}

/// Item 12: a peer that allocates many channels evicts only its own, and a peer that
/// leaves a message incomplete keeps nobody else waiting.
#[test]
fn each_peer_has_its_own_channel_pool_and_assembly() {
    let (mut dev, mut pipe) = (device(), Pipe::default());
    let (alice, mallory) = (udp(1000), udp(2000));
    let a = init_from(&mut dev, alice, &mut pipe);
    let first_of_mallory = init_from(&mut dev, mallory, &mut pipe);
    for _ in 0..MAX_CHANNELS + 10 {
        init_from(&mut dev, mallory, &mut pipe);
    }
    let mallorys = dev.channels.iter().filter(|c| c.peer == mallory).count();
    assert_eq!(mallorys, MAX_CHANNELS_PER_PEER);
    dev.handle_report_from(
        mallory,
        &frame(first_of_mallory, CtaphidCommand::PING, b"x")[0],
        &mut pipe,
    );
    assert_eq!(
        pipe.sent.pop().unwrap()[..8],
        error_report(first_of_mallory, CtaphidError::INVALID_CHANNEL)[..8]
    );
    // Many peers fill the table: Alice's one channel survives, and once the table holds
    // one channel per peer, newcomers are busy (one reply each)...
    for port in 3000..3000 + (MAX_CHANNELS as u16) {
        let init = frame(BROADCAST_CID, CtaphidCommand::INIT, &[9; 8]);
        dev.handle_report_from(udp(port), &init[0], &mut pipe);
        assert_eq!(pipe.sent.len(), 1);
        pipe.sent.clear();
    }
    assert_eq!(dev.channels.len(), MAX_CHANNELS);
    let init = frame(BROADCAST_CID, CtaphidCommand::INIT, &[9; 8]);
    dev.handle_report_from(udp(9999), &init[0], &mut pipe);
    assert_eq!(
        pipe.sent.pop().unwrap()[..8],
        error_report(BROADCAST_CID, CtaphidError::CHANNEL_BUSY)[..8]
    );
    // ... until channels have been idle for a minute: then the idlest makes room.
    dev.handle_report_from(alice, &frame(a, CtaphidCommand::PING, b"x")[0], &mut pipe);
    pipe.sent.clear();
    dev.authenticator_mut()
        .advance_clock(CHANNEL_IDLE_LIMIT + Duration::from_secs(1));
    dev.handle_report_from(alice, &frame(a, CtaphidCommand::PING, b"x")[0], &mut pipe);
    pipe.sent.clear();
    init_from(&mut dev, udp(9999), &mut pipe);
    // Mallory starts a long message and never finishes it: Alice is served at once.
    let m = init_from(&mut dev, mallory, &mut pipe);
    dev.handle_report_from(
        mallory,
        &frame(m, CtaphidCommand::PING, &[0; 200])[0],
        &mut pipe,
    );
    assert!(pipe.sent.is_empty());
    dev.handle_report_from(alice, &frame(a, CtaphidCommand::PING, b"hi")[0], &mut pipe);
    let r = pipe.sent.pop().unwrap();
    assert_eq!(
        (r[4], &r[7..9]),
        (0x80 | CtaphidCommand::PING.0, &b"hi"[..])
    );
}
