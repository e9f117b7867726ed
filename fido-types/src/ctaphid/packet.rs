//! One CTAPHID report: an initialization or a continuation packet.
//!
//! ```text
//! init:  CID(4, big-endian) | CMD(1, bit 7 set) | BCNT(2, big-endian) | DATA(57)
//! cont:  CID(4, big-endian) | SEQ(1, bit 7 clear)                     | DATA(59)
//! ```

use super::{
    CONT_DATA_LEN, ChannelId, CtaphidCommand, CtaphidError, INIT_DATA_LEN, REPORT_LEN, Report,
};

#[cfg(test)]
mod tests;

/// A report parsed into its header fields. Every 64-byte report is one of the two kinds:
/// bit 7 of byte 4 decides, so parsing cannot fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packet<'a> {
    /// The first packet of a message.
    Init {
        /// The channel.
        cid: ChannelId,
        /// The command (bit 7 of the wire byte removed).
        cmd: CtaphidCommand,
        /// The total payload length announced by BCNT (not yet checked against any limit).
        total_len: u16,
        /// The 57 data bytes of this packet, padding included.
        data: &'a [u8; INIT_DATA_LEN],
    },
    /// A following packet of a message.
    Cont {
        /// The channel.
        cid: ChannelId,
        /// The sequence number, 0..=0x7F.
        seq: u8,
        /// The 59 data bytes of this packet, padding included.
        data: &'a [u8; CONT_DATA_LEN],
    },
}

impl<'a> Packet<'a> {
    /// Reads the header fields of a report.
    pub fn parse(report: &'a Report) -> Packet<'a> {
        // Array patterns split the report without any fallible conversion.
        let [c0, c1, c2, c3, kind, rest @ ..] = report;
        let cid = ChannelId::from_bytes([*c0, *c1, *c2, *c3]);
        if CtaphidCommand::is_init_byte(*kind) {
            let [len_hi, len_lo, data @ ..] = rest;
            Packet::Init {
                cid,
                cmd: CtaphidCommand::from_init_byte(*kind),
                total_len: u16::from_be_bytes([*len_hi, *len_lo]),
                data,
            }
        } else {
            Packet::Cont {
                cid,
                seq: *kind,
                data: rest,
            }
        }
    }

    /// The channel of either kind of packet.
    pub fn cid(&self) -> ChannelId {
        match *self {
            Packet::Init { cid, .. } | Packet::Cont { cid, .. } => cid,
        }
    }
}

/// Encodes an initialization packet. `data` beyond 57 bytes is not taken; shorter data is
/// zero-padded.
pub fn encode_init(cid: ChannelId, cmd: CtaphidCommand, total_len: u16, data: &[u8]) -> Report {
    let mut report = [0u8; REPORT_LEN];
    report[..4].copy_from_slice(&cid.to_bytes());
    report[4] = cmd.init_byte();
    report[5..7].copy_from_slice(&total_len.to_be_bytes());
    let n = data.len().min(INIT_DATA_LEN);
    report[7..7 + n].copy_from_slice(&data[..n]);
    report
}

/// Encodes a continuation packet. `seq` is masked to 7 bits; `data` beyond 59 bytes is not
/// taken; shorter data is zero-padded.
pub fn encode_cont(cid: ChannelId, seq: u8, data: &[u8]) -> Report {
    let mut report = [0u8; REPORT_LEN];
    report[..4].copy_from_slice(&cid.to_bytes());
    report[4] = seq & 0x7F;
    let n = data.len().min(CONT_DATA_LEN);
    report[5..5 + n].copy_from_slice(&data[..n]);
    report
}

/// Encodes a CTAPHID ERROR response: one initialization packet carrying the error code
/// (CTAP 2.1 §11.2.9.1.6).
///
/// ```
/// use fido_types::ctaphid::{ChannelId, CtaphidError, packet::encode_error};
/// let report = encode_error(ChannelId(7), CtaphidError::CHANNEL_BUSY);
/// assert_eq!(&report[..8], &[0, 0, 0, 7, 0xBF, 0, 1, 0x06]);
/// ```
pub fn encode_error(cid: ChannelId, code: CtaphidError) -> Report {
    encode_init(cid, CtaphidCommand::ERROR, 1, &[code.0])
}
