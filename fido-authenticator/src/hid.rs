//! The device side of CTAPHID (CTAP 2.2 §11.2): the policy of a device around the shared
//! packet codec.
//!
//! The packet format (reports, splitting, assembling, the INIT response, the command,
//! error and capability registries) is [`fido_types::ctaphid`], the same codec the client
//! engine uses and the fuzz target covers. This module keeps only what a device decides:
//!
//! - the channel table: INIT on the broadcast channel allocates a channel with an
//!   unpredictable ID, bound to the [`Peer`] that asked for it; a report on a channel of
//!   another peer is answered ERR_INVALID_CHANNEL, like one on an unallocated channel.
//!   Each peer has its own pool of at most [`MAX_CHANNELS_PER_PEER`] channels (its oldest
//!   is evicted when it asks for more). The table holds at most [`MAX_CHANNELS`]; when it
//!   is full, a peer holding several channels loses its oldest, else a channel idle for
//!   [`CHANNEL_IDLE_LIMIT`] is evicted, else the INIT is answered ERR_CHANNEL_BUSY. So
//!   asking for many channels, from one address or many, never evicts a channel in use;
//! - each channel assembles its own message, so a peer that leaves a message incomplete
//!   delays nobody else; a message left incomplete for [`ASSEMBLY_TIMEOUT`] is dropped;
//! - PING, MSG (U2F), CBOR, WINK, LOCK (other channels are busy until it ends, at most
//!   [`MAX_LOCK_SECONDS`]);
//! - KEEPALIVE while the authenticator waits for the user, and CANCEL of that wait;
//! - the simulated power cycle (vendor command `POWER_CYCLE`, 0x7E, answered with an empty
//!   `POWER_CYCLE` response; see the shared conventions), only when
//!   [`Config::allow_power_cycle`](crate::Config::allow_power_cycle) is set; otherwise
//!   0x7E is an unknown command.
//!
//! Every report is answered with at most one error report: a request from a peer that has
//! no channel (or a spoofed one) is never amplified.
//!
//! [`HidDevice`] is transport-agnostic: it takes one 64-byte report and a [`Link`] to send
//! reports back (and to read more while it waits for the user).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ring::rand::{SecureRandom, SystemRandom};

use fido_types::ctaphid::packet::encode_error;
use fido_types::ctaphid::{
    Assembler, ChannelId, INIT_DATA_LEN, InitResponse, Message, NONCE_LEN, Packet, Progress,
    encode_init, split,
};
use fido_types::generated::ctaphid::{
    CapabilityFlags, CtaphidCommand, CtaphidError, KeepaliveStatus,
};

use crate::Authenticator;
use crate::presence::Waiter;

pub use fido_types::ctaphid::{REPORT_LEN, Report};

/// At most this many channels are allocated in all; INIT beyond evicts the oldest channel
/// of the peer holding the most (so the table stays bounded).
pub const MAX_CHANNELS: usize = 1024;
/// At most this many channels per peer; its INIT beyond evicts its own oldest channel.
pub const MAX_CHANNELS_PER_PEER: usize = 16;
/// When the table is full, a channel unused for this long may be evicted for a new peer.
pub const CHANNEL_IDLE_LIMIT: Duration = Duration::from_secs(60);
/// The longest LOCK, in seconds (CTAP 2.2 §11.2.9.2.4).
pub const MAX_LOCK_SECONDS: u8 = 10;
/// How long a partly received message may wait for its next packet.
pub const ASSEMBLY_TIMEOUT: Duration = Duration::from_secs(3);

/// The device version this device reports in its INIT response (major, minor, build).
const DEVICE_VERSION: (u8, u8, u8) = (0, 1, 0);
/// The CTAPHID protocol version of CTAP 2.x, reported in the INIT response.
const CTAPHID_PROTOCOL_VERSION: u8 = 2;

/// How the device sends reports back and reads more while it waits for the user.
pub trait Link {
    /// Sends one report to the peer whose request is being processed.
    fn send(&mut self, report: &Report);
    /// Receives the next report from that peer, waiting up to `timeout`.
    fn recv(&mut self, timeout: Duration) -> Option<Report>;
}

/// Who sent a report: channels belong to the peer that allocated them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Peer {
    /// The one host of a local link (USB HID, the in-process device).
    Local,
    /// A UDP sender, by its address.
    Udp(SocketAddr),
}

/// An allocated channel: its owner and the message it is assembling.
struct Channel {
    cid: ChannelId,
    peer: Peer,
    assembler: Assembler,
    /// When the message being assembled started, if one is.
    started: Option<Instant>,
    /// When the peer last sent on it (by the authenticator's clock).
    last_used: Instant,
}

/// The CTAPHID device around an [`Authenticator`].
pub struct HidDevice {
    authenticator: Authenticator,
    /// Allocated channels, oldest first.
    channels: Vec<Channel>,
    /// The channel holding a LOCK, and when the lock ends.
    lock: Option<(ChannelId, Instant)>,
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
            channels: Vec::new(),
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

    fn capabilities(&self) -> CapabilityFlags {
        if self.authenticator.config.u2f_only {
            CapabilityFlags::WINK
        } else {
            CapabilityFlags::WINK | CapabilityFlags::CBOR
        }
    }

    /// Handles one report from the local host ([`Peer::Local`]); responses go out
    /// through `link`.
    pub fn handle_report(&mut self, report: &Report, link: &mut dyn Link) {
        self.handle_report_from(Peer::Local, report, link);
    }

    /// Handles one report from `peer`; responses go out through `link` (to that peer).
    pub fn handle_report_from(&mut self, peer: Peer, report: &Report, link: &mut dyn Link) {
        self.expire_assemblies();
        let packet = Packet::parse(report);
        let cid = packet.cid();
        let is_init = matches!(packet, Packet::Init { .. });
        if cid == ChannelId::RESERVED {
            if is_init {
                link.send(&encode_error(cid, CtaphidError::INVALID_CHANNEL));
            }
            return;
        }
        if self.locked_against(cid) {
            if is_init {
                link.send(&encode_error(cid, CtaphidError::CHANNEL_BUSY));
            }
            return;
        }
        if let Packet::Init {
            cmd: CtaphidCommand::INIT,
            total_len,
            data,
            ..
        } = packet
        {
            self.init(peer, cid, total_len, data, link);
            return;
        }
        let Some(index) = self.channel_of(peer, cid) else {
            // Unallocated, or another peer's: one error for an initialization packet,
            // nothing for a continuation.
            if is_init {
                link.send(&encode_error(cid, CtaphidError::INVALID_CHANNEL));
            }
            return;
        };
        self.channels[index].last_used = self.authenticator.clock.now();
        // A CANCEL with no request in progress has nothing to cancel.
        if let Packet::Init {
            cmd: CtaphidCommand::CANCEL,
            ..
        } = packet
            && self.channels[index].assembler.in_progress().is_none()
        {
            return;
        }
        self.assemble(index, report, is_init, link);
    }

    /// The index of channel `cid` if `peer` owns it.
    fn channel_of(&self, peer: Peer, cid: ChannelId) -> Option<usize> {
        self.channels
            .iter()
            .position(|c| c.cid == cid && c.peer == peer)
    }

    /// Drops messages whose next packet is overdue.
    fn expire_assemblies(&mut self) {
        for channel in &mut self.channels {
            if channel
                .started
                .is_some_and(|started| started.elapsed() > ASSEMBLY_TIMEOUT)
            {
                channel.assembler.reset();
                channel.started = None;
            }
        }
    }

    /// Whether another channel than `cid` holds a LOCK (an expired lock is released).
    fn locked_against(&mut self, cid: ChannelId) -> bool {
        if self.lock.is_some_and(|(_, until)| Instant::now() >= until) {
            self.lock = None;
        }
        self.lock.is_some_and(|(owner, _)| owner != cid)
    }

    /// Feeds a report of an allocated channel to its assembler and acts on the outcome.
    fn assemble(&mut self, index: usize, report: &Report, is_init: bool, link: &mut dyn Link) {
        let channel = &mut self.channels[index];
        match channel.assembler.push(report) {
            Ok(Progress::Complete(message)) => {
                channel.started = None;
                self.process(message, link);
            }
            Ok(Progress::Incomplete) => {
                if is_init {
                    channel.started = Some(Instant::now());
                }
            }
            Ok(Progress::Ignored(_)) => {}
            Err(error) => {
                channel.started = None;
                link.send(&encode_error(error.cid(), error.error_code()));
            }
        }
    }

    /// INIT: allocates a channel for `peer` (on the broadcast channel) or resynchronises
    /// one of its channels.
    fn init(
        &mut self,
        peer: Peer,
        cid: ChannelId,
        total_len: u16,
        data: &[u8; INIT_DATA_LEN],
        link: &mut dyn Link,
    ) {
        let Some(nonce) = data.first_chunk::<NONCE_LEN>() else {
            return;
        };
        if usize::from(total_len) != NONCE_LEN {
            link.send(&encode_error(cid, CtaphidError::INVALID_LEN));
            return;
        }
        let allocated = if cid == ChannelId::BROADCAST {
            match self.allocate(peer) {
                Ok(new) => new,
                Err(code) => {
                    link.send(&encode_error(cid, code));
                    return;
                }
            }
        } else if let Some(index) = self.channel_of(peer, cid) {
            let now = self.authenticator.clock.now();
            let channel = &mut self.channels[index];
            channel.assembler.reset();
            channel.started = None;
            channel.last_used = now;
            cid
        } else {
            link.send(&encode_error(cid, CtaphidError::INVALID_CHANNEL));
            return;
        };
        let (major, minor, build) = DEVICE_VERSION;
        let response = InitResponse {
            nonce: *nonce,
            cid: allocated,
            protocol_version: CTAPHID_PROTOCOL_VERSION,
            major,
            minor,
            build,
            capabilities: self.capabilities(),
        };
        send_message(link, cid, CtaphidCommand::INIT, &response.to_bytes());
    }

    /// A fresh channel for `peer` with a random ID, making room as the module
    /// documentation says. ERR_CHANNEL_BUSY when the table is full of channels in use,
    /// ERR_OTHER if the system random number generator fails.
    fn allocate(&mut self, peer: Peer) -> Result<ChannelId, CtaphidError> {
        let now = self.authenticator.clock.now();
        let own = self.channels.iter().filter(|c| c.peer == peer).count();
        if own >= MAX_CHANNELS_PER_PEER {
            self.evict_oldest_of(peer);
        } else if self.channels.len() >= MAX_CHANNELS && !self.make_room(now) {
            return Err(CtaphidError::CHANNEL_BUSY);
        }
        let rng = SystemRandom::new();
        let cid = loop {
            let mut bytes = [0u8; 4];
            rng.fill(&mut bytes).map_err(|_| CtaphidError::OTHER)?;
            let candidate = ChannelId(u32::from_be_bytes(bytes));
            if candidate.is_allocatable() && !self.channels.iter().any(|c| c.cid == candidate) {
                break candidate;
            }
        };
        self.channels.push(Channel {
            cid,
            peer,
            assembler: Assembler::for_channel(cid),
            started: None,
            last_used: now,
        });
        Ok(cid)
    }

    /// Frees one channel of a full table: the oldest of the peer holding the most, if it
    /// holds several; else the least recently used one if it is idle past
    /// [`CHANNEL_IDLE_LIMIT`]. Whether one was freed.
    fn make_room(&mut self, now: Instant) -> bool {
        let mut counts: std::collections::HashMap<Peer, usize> = std::collections::HashMap::new();
        for c in &self.channels {
            *counts.entry(c.peer).or_default() += 1;
        }
        if let Some((&hog, _)) = counts
            .iter()
            .filter(|(_, n)| **n > 1)
            .max_by_key(|(_, n)| **n)
        {
            self.evict_oldest_of(hog);
            return true;
        }
        let idle = self
            .channels
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| c.last_used)
            .filter(|(_, c)| now.saturating_duration_since(c.last_used) > CHANNEL_IDLE_LIMIT)
            .map(|(i, _)| i);
        match idle {
            Some(i) => {
                self.channels.remove(i);
                true
            }
            None => false,
        }
    }

    /// Removes the oldest channel of `peer`.
    fn evict_oldest_of(&mut self, peer: Peer) {
        if let Some(index) = self.channels.iter().position(|c| c.peer == peer) {
            self.channels.remove(index);
        }
    }

    /// Answers a complete message.
    fn process(&mut self, message: Message, link: &mut dyn Link) {
        let cid = message.cid;
        match self.respond(message, link) {
            Ok((command, response)) => send_message(link, cid, command, &response),
            Err(code) => link.send(&encode_error(cid, code)),
        }
    }

    /// The response to a complete message: its command and payload, or a CTAPHID error.
    fn respond(
        &mut self,
        message: Message,
        link: &mut dyn Link,
    ) -> Result<(CtaphidCommand, Vec<u8>), CtaphidError> {
        let Message { cid, cmd, data } = message;
        match cmd {
            CtaphidCommand::PING => Ok((cmd, data)),
            CtaphidCommand::WINK => Ok((cmd, Vec::new())),
            CtaphidCommand::LOCK => self.lock(cid, &data).map(|()| (cmd, Vec::new())),
            CtaphidCommand::POWER_CYCLE if self.authenticator.config.allow_power_cycle => {
                self.authenticator.power_cycle();
                Ok((cmd, Vec::new()))
            }
            CtaphidCommand::CBOR if !self.authenticator.config.u2f_only => {
                let mut waiter = HidWaiter { link, cid };
                Ok((cmd, self.authenticator.handle(&data, &mut waiter)))
            }
            CtaphidCommand::MSG => {
                let mut waiter = HidWaiter { link, cid };
                Ok((cmd, self.authenticator.handle_apdu(&data, &mut waiter)))
            }
            _ => Err(CtaphidError::INVALID_CMD),
        }
    }

    /// LOCK: 0 releases, 1 to [`MAX_LOCK_SECONDS`] locks the device to `cid`.
    fn lock(&mut self, cid: ChannelId, data: &[u8]) -> Result<(), CtaphidError> {
        match data {
            [0] => self.lock = None,
            [seconds @ 1..=MAX_LOCK_SECONDS] => {
                let until = Instant::now() + Duration::from_secs(u64::from(*seconds));
                self.lock = Some((cid, until));
            }
            _ => return Err(CtaphidError::INVALID_PAR),
        }
        Ok(())
    }
}

/// Sends a message; one that does not fit a CTAPHID message becomes ERR_OTHER.
fn send_message(link: &mut dyn Link, cid: ChannelId, cmd: CtaphidCommand, data: &[u8]) {
    match split(cid, cmd, data) {
        Ok(reports) => reports.for_each(|report| link.send(&report)),
        Err(_) => link.send(&encode_error(cid, CtaphidError::OTHER)),
    }
}

/// Sends KEEPALIVEs on the request's channel and watches it for CANCEL.
struct HidWaiter<'a> {
    link: &'a mut dyn Link,
    cid: ChannelId,
}

impl Waiter for HidWaiter<'_> {
    fn keepalive(&mut self, status: KeepaliveStatus) {
        let report = encode_init(self.cid, CtaphidCommand::KEEPALIVE, 1, &[status.0]);
        self.link.send(&report);
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
            let Packet::Init { cid, cmd, .. } = Packet::parse(&report) else {
                continue;
            };
            if cid == self.cid && cmd == CtaphidCommand::CANCEL {
                return true;
            }
            if cid != self.cid {
                self.link
                    .send(&encode_error(cid, CtaphidError::CHANNEL_BUSY));
            }
        }
    }
}

#[cfg(test)]
mod tests;
