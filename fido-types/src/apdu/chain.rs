//! Chaining on the card's side: reassembling a command sent as chained APDUs, and
//! handing out a long response in parts through 61XX and GET RESPONSE.

use super::ApduStatus;
use super::command::{CommandApdu, Form, Header};
use super::format_error::ApduFormatError;
use super::response::{encode_response, more_data};

/// What one command APDU completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assembled {
    /// A chained part was taken; the card answers 9000 and waits for the rest.
    Partial,
    /// The last (or only) APDU arrived: the whole command, in the form of its last APDU.
    Complete(CommandApdu, Form),
}

/// Reassembles chained command APDUs (class byte bit 0x10: more follow), up to a limit.
///
/// ```
/// use fido_types::apdu::{Assembled, CommandApdu, CommandAssembler, Header};
///
/// let command = CommandApdu::new(Header::new(0x80, 0x10, 0, 0), vec![7; 600], Some(256));
/// let mut assembler = CommandAssembler::new(4096);
/// let mut last = None;
/// for apdu in command.chain_short(250).unwrap() {
///     last = Some(assembler.push(&apdu).unwrap());
/// }
/// assert!(matches!(last, Some(Assembled::Complete(c, _)) if c == command));
/// ```
#[derive(Debug, Clone)]
pub struct CommandAssembler {
    max: usize,
    pending: Option<(Header, Vec<u8>)>,
}

impl CommandAssembler {
    /// An assembler refusing commands longer than `max` data bytes.
    pub fn new(max: usize) -> Self {
        CommandAssembler { max, pending: None }
    }

    /// `true` while a chain has started and not ended.
    pub fn in_chain(&self) -> bool {
        self.pending.is_some()
    }

    /// Forgets a chain in progress (power off, SELECT).
    pub fn reset(&mut self) {
        self.pending = None;
    }

    /// Takes one command APDU.
    ///
    /// # Errors
    /// Any [`CommandApdu::parse`] error; [`ApduFormatError::ChainBroken`] when a part
    /// changes the header of the chain it continues; [`ApduFormatError::TooLong`] past the
    /// limit. Each error drops the chain in progress.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Assembled, ApduFormatError> {
        let result = self.take(bytes);
        if result.is_err() {
            self.pending = None;
        }
        result
    }

    fn take(&mut self, bytes: &[u8]) -> Result<Assembled, ApduFormatError> {
        let (apdu, form) = CommandApdu::parse(bytes)?;
        let base = apdu.header.chained(false);
        let mut data = match self.pending.take() {
            Some((header, _)) if header != base => return Err(ApduFormatError::ChainBroken),
            Some((_, data)) => data,
            None => Vec::new(),
        };
        if data.len() + apdu.data.len() > self.max {
            return Err(ApduFormatError::TooLong { max: self.max });
        }
        data.extend_from_slice(&apdu.data);
        if apdu.header.is_chained() {
            self.pending = Some((base, data));
            return Ok(Assembled::Partial);
        }
        Ok(Assembled::Complete(
            CommandApdu::new(base, data, apdu.le),
            form,
        ))
    }
}

/// A response too long for one response APDU, handed out in parts: each part but the
/// last ends in 61XX, the last in the response's own status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseChunks {
    body: Vec<u8>,
    offset: usize,
    status: ApduStatus,
}

impl ResponseChunks {
    /// The response `body` with final status `status`.
    pub fn new(body: Vec<u8>, status: ApduStatus) -> Self {
        ResponseChunks {
            body,
            offset: 0,
            status,
        }
    }

    /// The next response APDU, with at most `max` bytes of the body (at least one).
    pub fn next_apdu(&mut self, max: usize) -> Vec<u8> {
        let end = self.body.len().min(self.offset + max.max(1));
        let part = &self.body[self.offset..end];
        self.offset = end;
        let remaining = self.body.len() - end;
        if remaining == 0 {
            encode_response(part, self.status)
        } else {
            encode_response(part, more_data(remaining))
        }
    }

    /// `true` once the last part was handed out.
    pub fn is_finished(&self) -> bool {
        self.offset >= self.body.len()
    }
}
