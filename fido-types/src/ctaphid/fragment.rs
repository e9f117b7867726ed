//! Splitting a message into CTAPHID reports.

use super::{
    CONT_DATA_LEN, ChannelId, CtaphidCommand, INIT_DATA_LEN, MAX_MESSAGE_LEN, Report, encode_cont,
    encode_init,
};

#[cfg(test)]
mod tests;

/// The message is longer than CTAPHID can carry ([`MAX_MESSAGE_LEN`] bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a CTAPHID message holds at most {max} bytes, this one has {len}", max = MAX_MESSAGE_LEN)]
pub struct MessageTooLong {
    /// The length of the rejected payload.
    pub len: usize,
}

/// Splits `payload` into the reports of one message on channel `cid`.
///
/// ```
/// use fido_types::ctaphid::{ChannelId, CtaphidCommand, split};
/// let reports: Vec<_> = split(ChannelId(7), CtaphidCommand::PING, &[1; 100]).unwrap().collect();
/// assert_eq!(reports.len(), 2); // 57 + 43 bytes
/// assert_eq!(&reports[0][..7], &[0, 0, 0, 7, 0x81, 0, 100]);
/// assert_eq!(&reports[1][..5], &[0, 0, 0, 7, 0x00]);
/// ```
pub fn split(
    cid: ChannelId,
    cmd: CtaphidCommand,
    payload: &[u8],
) -> Result<Fragments<'_>, MessageTooLong> {
    if payload.len() > MAX_MESSAGE_LEN {
        return Err(MessageTooLong { len: payload.len() });
    }
    Ok(Fragments {
        cid,
        cmd,
        payload,
        next: 0,
    })
}

/// The reports of one message, in order (see [`split`]).
#[derive(Debug, Clone)]
pub struct Fragments<'a> {
    cid: ChannelId,
    cmd: CtaphidCommand,
    payload: &'a [u8],
    /// Index of the next packet: 0 is the init packet, n ≥ 1 is continuation n − 1.
    next: usize,
}

impl Fragments<'_> {
    /// The number of reports this message needs in total.
    pub fn packet_count(&self) -> usize {
        let rest = self.payload.len().saturating_sub(INIT_DATA_LEN);
        1 + rest.div_ceil(CONT_DATA_LEN)
    }
}

impl Iterator for Fragments<'_> {
    type Item = Report;

    fn next(&mut self) -> Option<Report> {
        let index = self.next;
        if index >= self.packet_count() {
            return None;
        }
        self.next += 1;
        if index == 0 {
            // Checked by `split`: the payload length fits in BCNT.
            let total = u16::try_from(self.payload.len()).unwrap_or(u16::MAX);
            let end = self.payload.len().min(INIT_DATA_LEN);
            Some(encode_init(self.cid, self.cmd, total, &self.payload[..end]))
        } else {
            let start = INIT_DATA_LEN + (index - 1) * CONT_DATA_LEN;
            let end = self.payload.len().min(start + CONT_DATA_LEN);
            // At most 128 continuation packets, so the sequence number fits in 7 bits.
            let seq = u8::try_from(index - 1).unwrap_or(0x7F);
            Some(encode_cont(self.cid, seq, &self.payload[start..end]))
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.packet_count() - self.next.min(self.packet_count());
        (left, Some(left))
    }
}

impl ExactSizeIterator for Fragments<'_> {}
