//! The device side of CTAPHID (CTAP 2.2 §11.2): channel allocation through INIT, message
//! reassembly, PING, MSG (U2F), CBOR, WINK, LOCK (other channels are busy until it
//! ends), KEEPALIVE while waiting for the user,
//! CANCEL, and the simulated power cycle (vendor command 0x7E, answered with an empty
//! 0x7E response; see the shared conventions).
//!
//! [`HidDevice`] is transport-agnostic: it takes one 64-byte report and a [`Link`] to send
//! reports back (and to read more while it waits for the user).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::Authenticator;
use crate::presence::Waiter;

/// The size of a HID report.
pub const REPORT_LEN: usize = 64;
/// Payload bytes in an initialization packet.
pub const INIT_DATA: usize = REPORT_LEN - 7;
/// Payload bytes in a continuation packet.
pub const CONT_DATA: usize = REPORT_LEN - 5;
/// The largest message: one initialization and 128 continuation packets.
pub const MAX_MESSAGE: usize = INIT_DATA + 128 * CONT_DATA;
/// The broadcast channel.
pub const BROADCAST_CID: u32 = 0xFFFF_FFFF;
/// At most this many channels are allocated; INIT beyond evicts the oldest (so a client
/// that keeps asking cannot grow the table without bound).
pub const MAX_CHANNELS: usize = 1024;
/// The longest LOCK, in seconds (CTAP 2.2 §11.2.9.2.4).
pub const MAX_LOCK_SECONDS: u8 = 10;
/// How long a partly received message may wait for its next packet.
pub const ASSEMBLY_TIMEOUT: Duration = Duration::from_secs(3);

/// CTAPHID command bytes (without the 0x80 init-packet bit).
pub mod cmd {
    /// PING.
    pub const PING: u8 = 0x01;
    /// MSG (CTAP1/U2F).
    pub const MSG: u8 = 0x03;
    /// LOCK.
    pub const LOCK: u8 = 0x04;
    /// INIT.
    pub const INIT: u8 = 0x06;
    /// WINK.
    pub const WINK: u8 = 0x08;
    /// CBOR (CTAP2).
    pub const CBOR: u8 = 0x10;
    /// CANCEL.
    pub const CANCEL: u8 = 0x11;
    /// KEEPALIVE.
    pub const KEEPALIVE: u8 = 0x3B;
    /// ERROR.
    pub const ERROR: u8 = 0x3F;
    /// The simulated power cycle (vendor range; fido-rs convention).
    pub const POWER_CYCLE: u8 = 0x7E;
}

/// CTAPHID error codes.
pub mod err {
    /// The command is not known.
    pub const INVALID_CMD: u8 = 0x01;
    /// Invalid parameter.
    pub const INVALID_PAR: u8 = 0x02;
    /// Invalid length.
    pub const INVALID_LEN: u8 = 0x03;
    /// Invalid message sequencing.
    pub const INVALID_SEQ: u8 = 0x04;
    /// Another channel is busy.
    pub const CHANNEL_BUSY: u8 = 0x06;
    /// Invalid channel.
    pub const INVALID_CHANNEL: u8 = 0x0B;
    /// Other, unspecified error.
    pub const OTHER: u8 = 0x7F;
}

/// Capability flags in the INIT response.
pub mod capability {
    /// WINK supported.
    pub const WINK: u8 = 0x01;
    /// CBOR supported.
    pub const CBOR: u8 = 0x04;
    /// MSG not supported.
    pub const NMSG: u8 = 0x08;
}

/// How the device sends reports back and reads more while it waits for the user.
pub trait Link {
    /// Sends one report to the peer whose request is being processed.
    fn send(&mut self, report: &[u8; REPORT_LEN]);
    /// Receives the next report from that peer, waiting up to `timeout`.
    fn recv(&mut self, timeout: Duration) -> Option<[u8; REPORT_LEN]>;
}

/// Splits a message into reports.
pub fn frame(cid: u32, command: u8, data: &[u8]) -> Vec<[u8; REPORT_LEN]> {
    let mut reports = Vec::with_capacity(1 + data.len() / CONT_DATA);
    let mut first = [0u8; REPORT_LEN];
    first[..4].copy_from_slice(&cid.to_be_bytes());
    first[4] = command | 0x80;
    first[5..7].copy_from_slice(&(data.len() as u16).to_be_bytes());
    let n = data.len().min(INIT_DATA);
    first[7..7 + n].copy_from_slice(&data[..n]);
    reports.push(first);
    for (seq, chunk) in data[n..].chunks(CONT_DATA).enumerate() {
        let mut report = [0u8; REPORT_LEN];
        report[..4].copy_from_slice(&cid.to_be_bytes());
        report[4] = seq as u8;
        report[5..5 + chunk.len()].copy_from_slice(chunk);
        reports.push(report);
    }
    reports
}

/// An ERROR report.
pub fn error_report(cid: u32, code: u8) -> [u8; REPORT_LEN] {
    frame(cid, cmd::ERROR, &[code])[0]
}

struct Assembly {
    cid: u32,
    command: u8,
    total: usize,
    data: Vec<u8>,
    next_seq: u8,
    started: Instant,
}

/// The CTAPHID device around an [`Authenticator`].
pub struct HidDevice {
    authenticator: Authenticator,
    channels: VecDeque<u32>,
    next_cid: u32,
    assembly: Option<Assembly>,
    lock: Option<(u32, Instant)>,
}

impl std::fmt::Debug for HidDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HidDevice")
            .field("channels", &self.channels.len())
            .finish_non_exhaustive()
    }
}

impl HidDevice {
    /// A device around `authenticator`.
    pub fn new(authenticator: Authenticator) -> Self {
        HidDevice {
            authenticator,
            channels: VecDeque::new(),
            next_cid: 1,
            assembly: None,
            lock: None,
        }
    }

    /// The authenticator.
    pub fn authenticator(&self) -> &Authenticator {
        &self.authenticator
    }

    /// The authenticator, mutable.
    pub fn authenticator_mut(&mut self) -> &mut Authenticator {
        &mut self.authenticator
    }

    fn capabilities(&self) -> u8 {
        if self.authenticator.config.u2f_only {
            capability::WINK
        } else {
            capability::WINK | capability::CBOR
        }
    }

    /// Handles one report from the host; responses go out through `link`.
    pub fn handle_report(&mut self, report: &[u8; REPORT_LEN], link: &mut dyn Link) {
        let cid = u32::from_be_bytes([report[0], report[1], report[2], report[3]]);
        if self
            .assembly
            .as_ref()
            .is_some_and(|a| a.started.elapsed() > ASSEMBLY_TIMEOUT)
        {
            self.assembly = None;
        }
        if cid == 0 {
            link.send(&error_report(cid, err::INVALID_CHANNEL));
            return;
        }
        if self.lock.is_some_and(|(_, until)| Instant::now() >= until) {
            self.lock = None;
        }
        if let Some((owner, _)) = self.lock
            && owner != cid
        {
            if report[4] & 0x80 != 0 {
                link.send(&error_report(cid, err::CHANNEL_BUSY));
            }
            return;
        }
        if report[4] & 0x80 != 0 {
            let command = report[4] & 0x7F;
            let total = usize::from(u16::from_be_bytes([report[5], report[6]]));
            if command == cmd::INIT {
                self.init(cid, total, &report[7..15], link);
                return;
            }
            if cid == BROADCAST_CID || !self.channels.contains(&cid) {
                link.send(&error_report(cid, err::INVALID_CHANNEL));
                return;
            }
            if let Some(a) = &self.assembly {
                if a.cid != cid {
                    link.send(&error_report(cid, err::CHANNEL_BUSY));
                    return;
                }
                self.assembly = None;
                link.send(&error_report(cid, err::INVALID_SEQ));
                return;
            }
            if command == cmd::CANCEL {
                return;
            }
            if total > MAX_MESSAGE {
                link.send(&error_report(cid, err::INVALID_LEN));
                return;
            }
            let n = total.min(INIT_DATA);
            let assembly = Assembly {
                cid,
                command,
                total,
                data: report[7..7 + n].to_vec(),
                next_seq: 0,
                started: Instant::now(),
            };
            if n == total {
                self.process(assembly, link);
            } else {
                self.assembly = Some(assembly);
            }
        } else {
            let seq = report[4];
            let Some(a) = self.assembly.as_mut().filter(|a| a.cid == cid) else {
                return;
            };
            if seq != a.next_seq {
                self.assembly = None;
                link.send(&error_report(cid, err::INVALID_SEQ));
                return;
            }
            a.next_seq += 1;
            let n = (a.total - a.data.len()).min(CONT_DATA);
            a.data.extend_from_slice(&report[5..5 + n]);
            if a.data.len() == a.total
                && let Some(done) = self.assembly.take()
            {
                self.process(done, link);
            }
        }
    }

    fn init(&mut self, cid: u32, total: usize, nonce: &[u8], link: &mut dyn Link) {
        if total != 8 {
            link.send(&error_report(cid, err::INVALID_LEN));
            return;
        }
        let new_cid = if cid == BROADCAST_CID {
            let mut c = self.next_cid;
            while c == 0 || c == BROADCAST_CID || self.channels.contains(&c) {
                c = c.wrapping_add(1);
            }
            self.next_cid = c.wrapping_add(1);
            if self.channels.len() >= MAX_CHANNELS {
                self.channels.pop_front();
            }
            self.channels.push_back(c);
            c
        } else if self.channels.contains(&cid) {
            if self.assembly.as_ref().is_some_and(|a| a.cid == cid) {
                self.assembly = None;
            }
            cid
        } else {
            link.send(&error_report(cid, err::INVALID_CHANNEL));
            return;
        };
        let mut data = nonce.to_vec();
        data.extend_from_slice(&new_cid.to_be_bytes());
        // CTAPHID protocol version 2, device version 0.1.0, capabilities.
        data.extend_from_slice(&[2, 0, 1, 0, self.capabilities()]);
        for r in frame(cid, cmd::INIT, &data) {
            link.send(&r);
        }
    }

    fn process(&mut self, message: Assembly, link: &mut dyn Link) {
        let cid = message.cid;
        let (command, response) = match message.command {
            cmd::PING => (cmd::PING, message.data),
            cmd::WINK => (cmd::WINK, Vec::new()),
            cmd::LOCK => match message.data.as_slice() {
                [0] => {
                    self.lock = None;
                    (cmd::LOCK, Vec::new())
                }
                [seconds @ 1..=MAX_LOCK_SECONDS] => {
                    let until = Instant::now() + Duration::from_secs(u64::from(*seconds));
                    self.lock = Some((cid, until));
                    (cmd::LOCK, Vec::new())
                }
                _ => (cmd::ERROR, vec![err::INVALID_PAR]),
            },
            cmd::POWER_CYCLE => {
                self.authenticator.power_cycle();
                (cmd::POWER_CYCLE, Vec::new())
            }
            cmd::CBOR if !self.authenticator.config.u2f_only => {
                let mut waiter = HidWaiter { link, cid };
                let out = self.authenticator.handle(&message.data, &mut waiter);
                (cmd::CBOR, out)
            }
            cmd::MSG => {
                let mut waiter = HidWaiter { link, cid };
                let out = self.authenticator.handle_apdu(&message.data, &mut waiter);
                (cmd::MSG, out)
            }
            _ => (cmd::ERROR, vec![err::INVALID_CMD]),
        };
        // A response that does not fit one CTAPHID message cannot be sent.
        let (command, response) = if response.len() > MAX_MESSAGE {
            (cmd::ERROR, vec![err::OTHER])
        } else {
            (command, response)
        };
        for r in frame(cid, command, &response) {
            link.send(&r);
        }
    }
}

/// Sends KEEPALIVEs on the request's channel and watches it for CANCEL.
struct HidWaiter<'a> {
    link: &'a mut dyn Link,
    cid: u32,
}

impl Waiter for HidWaiter<'_> {
    fn keepalive(&mut self, status: u8) {
        self.link
            .send(&frame(self.cid, cmd::KEEPALIVE, &[status])[0]);
    }

    fn wait_cancelled(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            let Some(report) = self.link.recv(deadline - now) else {
                return false;
            };
            let cid = u32::from_be_bytes([report[0], report[1], report[2], report[3]]);
            if cid == self.cid && report[4] == (cmd::CANCEL | 0x80) {
                return true;
            }
            if cid != self.cid && report[4] & 0x80 != 0 {
                self.link.send(&error_report(cid, err::CHANNEL_BUSY));
            }
        }
    }
}

#[cfg(test)]
mod tests;
