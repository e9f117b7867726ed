//! Response APDUs: the body and status word, and what the status word asks of a client.

use super::ApduStatus;
use super::format_error::ApduFormatError;
use crate::generated::nfc::NfcStatusWord;

/// A response APDU, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseApdu<'a> {
    /// The response data.
    pub body: &'a [u8],
    /// SW1 SW2.
    pub status: ApduStatus,
}

/// What a client does next after a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    /// 9000: the body is (the last part of) the answer.
    Complete,
    /// 61XX: this many more bytes (1..=256) wait for GET RESPONSE.
    MoreData(usize),
    /// 9100: the request is still running; the body holds the keepalive status.
    Update,
    /// Any other word: the command failed.
    Failed,
}

impl<'a> ResponseApdu<'a> {
    /// Splits a response into body and status word.
    ///
    /// # Errors
    /// [`ApduFormatError::TruncatedResponse`] below two bytes.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ApduFormatError> {
        let (body, status) = ApduStatus::split_response(bytes)
            .ok_or(ApduFormatError::TruncatedResponse { len: bytes.len() })?;
        Ok(ResponseApdu { body, status })
    }

    /// What the status word asks for.
    pub fn kind(&self) -> ResponseKind {
        let word = NfcStatusWord(self.status.0);
        if word == NfcStatusWord::OK {
            ResponseKind::Complete
        } else if word == NfcStatusWord::UPDATE {
            ResponseKind::Update
        } else if (NfcStatusWord::MORE_DATA_FIRST.0..=NfcStatusWord::MORE_DATA_LAST.0)
            .contains(&word.0)
        {
            ResponseKind::MoreData(match word.0 & 0xFF {
                0 => 256,
                n => usize::from(n),
            })
        } else {
            ResponseKind::Failed
        }
    }
}

/// Encodes a response APDU: `body` then the status word.
pub fn encode_response(body: &[u8], status: ApduStatus) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 2);
    out.extend_from_slice(body);
    out.extend_from_slice(&status.to_bytes());
    out
}

/// The 61XX word announcing `remaining` more bytes (XX = 00 for 256 or more).
pub fn more_data(remaining: usize) -> ApduStatus {
    let xx = if remaining >= 256 {
        0
    } else {
        remaining as u16
    };
    ApduStatus(NfcStatusWord::MORE_DATA_FIRST.0 | xx)
}
