//! Assembling CTAPHID reports into a message, with checks of channel, sequence order and
//! total length.
//!
//! The rules, from CTAP 2.1 §11.2.4 and §11.2.5, cross-checked against libfido2
//! (`src/io.c`, `rx`: sequence numbers must follow 0, 1, 2, …; data past BCNT is dropped)
//! and OpenSK (`src/ctap/hid/receive.rs`: packets of other channels do not disturb a
//! message in progress; spurious continuation packets are ignored):
//!
//! - a packet on a channel other than the one being assembled is [`Progress::Ignored`];
//! - a continuation packet with no message in progress is ignored (a stray leftover);
//! - an initialization packet announcing more than [`MAX_MESSAGE_LEN`] bytes is
//!   [`AssembleError::TooLong`];
//! - while a message is in progress on a channel, its next packet there must be the
//!   continuation with the next sequence number: another initialization packet is
//!   [`AssembleError::UnexpectedInit`], any other sequence number (a reordered, duplicated
//!   or missing packet) is [`AssembleError::UnexpectedSeq`];
//! - data past the announced length in the last packet is padding and is dropped.
//!
//! After an error the assembler is idle again. Memory grows with the data actually
//! received, never with the announced length.

use super::{
    ChannelId, CtaphidCommand, CtaphidError, Fragments, MAX_MESSAGE_LEN, MessageTooLong, Packet,
    Report, split,
};

#[cfg(test)]
mod tests;

/// A complete CTAPHID message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The channel it travelled on.
    pub cid: ChannelId,
    /// Its command.
    pub cmd: CtaphidCommand,
    /// Its payload, exactly as long as announced.
    pub data: Vec<u8>,
}

impl Message {
    /// The reports that carry this message.
    pub fn reports(&self) -> Result<Fragments<'_>, MessageTooLong> {
        split(self.cid, self.cmd, &self.data)
    }
}

/// Why a report did not take part in the message being assembled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    /// The report belongs to another channel than the one being assembled or listened to.
    ForeignChannel(ChannelId),
    /// A continuation packet arrived with no message in progress.
    StrayContinuation,
}

/// What one report did to the assembler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The report was not used (see [`Ignored`]); the state is unchanged.
    Ignored(Ignored),
    /// The report was taken; the message needs more.
    Incomplete,
    /// The report completed a message.
    Complete(Message),
}

/// A report broke the framing of the message being assembled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AssembleError {
    /// BCNT announced more than CTAPHID can carry.
    #[error("channel {cid}: message announces {announced} bytes, at most {max} are allowed", max = MAX_MESSAGE_LEN)]
    TooLong {
        /// The channel.
        cid: ChannelId,
        /// The announced length.
        announced: u16,
    },
    /// An initialization packet arrived while a message was still incomplete. The
    /// assembler is idle afterwards; an authenticator that sees `cmd` INIT here
    /// resynchronises (CTAP 2.1 §11.2.9.1.3) by pushing the same report again.
    #[error(
        "channel {cid}: new {cmd} message started before continuation packet {expected_seq} of the previous one"
    )]
    UnexpectedInit {
        /// The channel.
        cid: ChannelId,
        /// The command of the interrupting packet.
        cmd: CtaphidCommand,
        /// The sequence number that was expected instead.
        expected_seq: u8,
    },
    /// A continuation packet arrived out of order (reordered, duplicated or lost packets).
    #[error("channel {cid}: continuation packet {got} where {expected} was expected")]
    UnexpectedSeq {
        /// The channel.
        cid: ChannelId,
        /// The expected sequence number.
        expected: u8,
        /// The sequence number received.
        got: u8,
    },
}

impl AssembleError {
    /// The channel the error happened on.
    pub fn cid(&self) -> ChannelId {
        match *self {
            AssembleError::TooLong { cid, .. }
            | AssembleError::UnexpectedInit { cid, .. }
            | AssembleError::UnexpectedSeq { cid, .. } => cid,
        }
    }

    /// The CTAPHID error an authenticator answers with for this framing error
    /// (CTAP 2.1 §11.2.4: ERR_INVALID_LEN, ERR_INVALID_SEQ).
    pub fn error_code(&self) -> CtaphidError {
        match self {
            AssembleError::TooLong { .. } => CtaphidError::INVALID_LEN,
            AssembleError::UnexpectedInit { .. } | AssembleError::UnexpectedSeq { .. } => {
                CtaphidError::INVALID_SEQ
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Partial {
    cid: ChannelId,
    cmd: CtaphidCommand,
    total: usize,
    data: Vec<u8>,
    next_seq: u8,
}

/// Assembles reports into messages, one message at a time (see the [module](self) rules).
#[derive(Debug, Clone)]
pub struct Assembler {
    filter: Option<ChannelId>,
    partial: Option<Partial>,
}

impl Assembler {
    /// An assembler that listens to one channel only (a client waiting for its response);
    /// reports of every other channel are ignored.
    pub fn for_channel(cid: ChannelId) -> Self {
        Assembler {
            filter: Some(cid),
            partial: None,
        }
    }

    /// An assembler that accepts a message on any channel (an authenticator), and then
    /// follows the channel of that message until it is complete.
    pub fn any_channel() -> Self {
        Assembler {
            filter: None,
            partial: None,
        }
    }

    /// The channel and command of the message in progress, if any.
    pub fn in_progress(&self) -> Option<(ChannelId, CtaphidCommand)> {
        self.partial.as_ref().map(|p| (p.cid, p.cmd))
    }

    /// Drops any message in progress.
    pub fn reset(&mut self) {
        self.partial = None;
    }

    /// Takes one report.
    pub fn push(&mut self, report: &Report) -> Result<Progress, AssembleError> {
        let packet = Packet::parse(report);
        let cid = packet.cid();
        let listening = self.partial.as_ref().map(|p| p.cid).or(self.filter);
        if listening.is_some_and(|listening| cid != listening) {
            return Ok(Progress::Ignored(Ignored::ForeignChannel(cid)));
        }
        match packet {
            Packet::Init {
                cmd,
                total_len,
                data,
                ..
            } => {
                if let Some(partial) = self.partial.take() {
                    return Err(AssembleError::UnexpectedInit {
                        cid,
                        cmd,
                        expected_seq: partial.next_seq,
                    });
                }
                let total = usize::from(total_len);
                if total > MAX_MESSAGE_LEN {
                    return Err(AssembleError::TooLong {
                        cid,
                        announced: total_len,
                    });
                }
                if total <= data.len() {
                    return Ok(Progress::Complete(Message {
                        cid,
                        cmd,
                        data: data[..total].to_vec(),
                    }));
                }
                self.partial = Some(Partial {
                    cid,
                    cmd,
                    total,
                    data: data.to_vec(),
                    next_seq: 0,
                });
                Ok(Progress::Incomplete)
            }
            Packet::Cont { seq, data, .. } => {
                let Some(mut partial) = self.partial.take() else {
                    return Ok(Progress::Ignored(Ignored::StrayContinuation));
                };
                if seq != partial.next_seq {
                    return Err(AssembleError::UnexpectedSeq {
                        cid,
                        expected: partial.next_seq,
                        got: seq,
                    });
                }
                let wanted = (partial.total - partial.data.len()).min(data.len());
                partial.data.extend_from_slice(&data[..wanted]);
                if partial.data.len() < partial.total {
                    // Stays below 0x80: 57 + 128 × 59 bytes cover every allowed total.
                    partial.next_seq += 1;
                    self.partial = Some(partial);
                    return Ok(Progress::Incomplete);
                }
                Ok(Progress::Complete(Message {
                    cid: partial.cid,
                    cmd: partial.cmd,
                    data: partial.data,
                }))
            }
        }
    }
}
