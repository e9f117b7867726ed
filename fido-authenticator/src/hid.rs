//! The device side of CTAPHID (CTAP 2.2 §11.2): the policy of a device around the shared
//! packet codec.
//!
//! The packet format (reports, splitting, assembling, the INIT response, the command,
//! error and capability registries) is [`fido_types::ctaphid`], the same codec the client
//! engine uses and the fuzz target covers. This module keeps only what a device decides:
//!
//! - the channel table: INIT on the broadcast channel allocates a channel (at most
//!   [`MAX_CHANNELS`], the oldest evicted), INIT on an allocated channel resynchronises it;
//! - one message at a time: an initialization packet of another channel while a message is
//!   being assembled is answered ERR_CHANNEL_BUSY, and a message left incomplete for
//!   [`ASSEMBLY_TIMEOUT`] is dropped;
//! - PING, MSG (U2F), CBOR, WINK, LOCK (other channels are busy until it ends, at most
//!   [`MAX_LOCK_SECONDS`]);
//! - KEEPALIVE while the authenticator waits for the user, and CANCEL of that wait;
//! - the simulated power cycle (vendor command `POWER_CYCLE`, 0x7E, answered with an empty
//!   `POWER_CYCLE` response; see the shared conventions).
//!
//! [`HidDevice`] is transport-agnostic: it takes one 64-byte report and a [`Link`] to send
//! reports back (and to read more while it waits for the user).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use fido_types::ctaphid::packet::encode_error;
use fido_types::ctaphid::{
    Assembler, ChannelId, INIT_DATA_LEN, Ignored, InitResponse, Message, NONCE_LEN, Packet,
    Progress, encode_init, split,
};
use fido_types::generated::ctaphid::{
    CapabilityFlags, CtaphidCommand, CtaphidError, KeepaliveStatus,
};

use crate::Authenticator;
use crate::presence::Waiter;

pub use fido_types::ctaphid::{REPORT_LEN, Report};

/// At most this many channels are allocated; INIT beyond evicts the oldest (so a client
/// that keeps asking cannot grow the table without bound).
pub const MAX_CHANNELS: usize = 1024;
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

/// The CTAPHID device around an [`Authenticator`].
pub struct HidDevice {
    authenticator: Authenticator,
    channels: VecDeque<ChannelId>,
    next_cid: u32,
    assembler: Assembler,
    /// When the message being assembled started, if one is.
    assembly_started: Option<Instant>,
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
            channels: VecDeque::new(),
            next_cid: 1,
            assembler: Assembler::any_channel(),
            assembly_started: None,
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

    /// Handles one report from the host; responses go out through `link`.
    pub fn handle_report(&mut self, report: &Report, link: &mut dyn Link) {
        self.expire_assembly();
        let packet = Packet::parse(report);
        let cid = packet.cid();
        if cid == ChannelId::RESERVED {
            link.send(&encode_error(cid, CtaphidError::INVALID_CHANNEL));
            return;
        }
        let is_init = matches!(packet, Packet::Init { .. });
        if self.locked_against(cid) {
            if is_init {
                link.send(&encode_error(cid, CtaphidError::CHANNEL_BUSY));
            }
            return;
        }
        if let Packet::Init {
            cmd,
            total_len,
            data,
            ..
        } = packet
        {
            if cmd == CtaphidCommand::INIT {
                self.init(cid, total_len, data, link);
                return;
            }
            if !self.channels.contains(&cid) {
                link.send(&encode_error(cid, CtaphidError::INVALID_CHANNEL));
                return;
            }
            // A CANCEL with no request in progress has nothing to cancel.
            if cmd == CtaphidCommand::CANCEL && self.assembler.in_progress().is_none() {
                return;
            }
        }
        self.assemble(report, is_init, link);
    }

    /// Drops a message whose next packet is overdue.
    fn expire_assembly(&mut self) {
        if self
            .assembly_started
            .is_some_and(|started| started.elapsed() > ASSEMBLY_TIMEOUT)
        {
            self.assembler.reset();
            self.assembly_started = None;
        }
    }

    /// Whether another channel than `cid` holds a LOCK (an expired lock is released).
    fn locked_against(&mut self, cid: ChannelId) -> bool {
        if self.lock.is_some_and(|(_, until)| Instant::now() >= until) {
            self.lock = None;
        }
        self.lock.is_some_and(|(owner, _)| owner != cid)
    }

    /// Feeds a report of an allocated channel to the assembler and acts on the outcome.
    fn assemble(&mut self, report: &Report, is_init: bool, link: &mut dyn Link) {
        match self.assembler.push(report) {
            Ok(Progress::Complete(message)) => {
                self.assembly_started = None;
                self.process(message, link);
            }
            Ok(Progress::Incomplete) => {
                if is_init {
                    self.assembly_started = Some(Instant::now());
                }
            }
            // One message at a time: a new one on another channel has to wait.
            Ok(Progress::Ignored(Ignored::ForeignChannel(cid))) if is_init => {
                link.send(&encode_error(cid, CtaphidError::CHANNEL_BUSY));
            }
            Ok(Progress::Ignored(_)) => {}
            Err(error) => {
                self.assembly_started = None;
                link.send(&encode_error(error.cid(), error.error_code()));
            }
        }
    }

    /// INIT: allocates a channel (on the broadcast channel) or resynchronises one.
    fn init(
        &mut self,
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
            self.allocate()
        } else if self.channels.contains(&cid) {
            if self.assembler.in_progress().is_some_and(|(c, _)| c == cid) {
                self.assembler.reset();
                self.assembly_started = None;
            }
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

    /// A fresh channel, evicting the oldest when the table is full.
    fn allocate(&mut self) -> ChannelId {
        let mut candidate = ChannelId(self.next_cid);
        while !candidate.is_allocatable() || self.channels.contains(&candidate) {
            candidate = ChannelId(candidate.0.wrapping_add(1));
        }
        self.next_cid = candidate.0.wrapping_add(1);
        if self.channels.len() >= MAX_CHANNELS {
            self.channels.pop_front();
        }
        self.channels.push_back(candidate);
        candidate
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
            CtaphidCommand::POWER_CYCLE => {
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
