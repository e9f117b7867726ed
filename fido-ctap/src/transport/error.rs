//! The transport error type.

use std::time::Duration;

use fido_types::apdu::{ApduFormatError, ApduStatus};
use fido_types::ctaphid::{AssembleError, CtaphidCommand, CtaphidError, MessageTooLong};

use super::UriError;

/// Everything that can go wrong below the CTAP layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The caller cancelled the request.
    #[error("the request was cancelled")]
    Cancelled,
    /// No (complete) response arrived in time.
    #[error("no response from the authenticator after {waited:?}")]
    Timeout {
        /// How long the call waited.
        waited: Duration,
    },
    /// The authenticator answered with a CTAPHID ERROR packet.
    #[error("the authenticator answered CTAPHID {0}")]
    Hid(CtaphidError),
    /// The authenticator stayed busy with another channel through every retry.
    #[error("the authenticator was busy with another client through {attempts} attempts")]
    ChannelBusy {
        /// Number of requests answered with ERR_CHANNEL_BUSY.
        attempts: u32,
    },
    /// The response broke CTAPHID framing.
    #[error("malformed CTAPHID response: {0}")]
    Framing(#[from] AssembleError),
    /// The response carried another command than the request.
    #[error("the authenticator answered a {expected} request with {got}")]
    UnexpectedCommand {
        /// The command of the request.
        expected: CtaphidCommand,
        /// The command of the response.
        got: CtaphidCommand,
    },
    /// A response was complete but its content was invalid.
    #[error("malformed {cmd} response: {reason}")]
    MalformedResponse {
        /// The command of the response.
        cmd: CtaphidCommand,
        /// What was wrong.
        reason: &'static str,
    },
    /// The request is longer than CTAPHID can carry.
    #[error(transparent)]
    MessageTooLong(#[from] MessageTooLong),
    /// A backend received a report that is not 64 bytes long.
    #[error("received a report of {len} bytes, CTAPHID reports have 64")]
    BadReportLength {
        /// The length received.
        len: usize,
    },
    /// The other end of the connection went away (device unplugged, peer dropped).
    #[error("the device disconnected")]
    Disconnected,
    /// The device was closed by [`CtapDevice::close`](super::CtapDevice::close).
    #[error("the device is closed")]
    Closed,
    /// An operating-system I/O error (sockets, files).
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// An error reported by the HID library.
    #[error("HID error: {0}")]
    Backend(String),
    /// No FIDO device was found.
    #[error("no FIDO device found")]
    NoDevice,
    /// The device kind exists but is not part of this build (for example `virtual` before a
    /// software authenticator is registered, or `hid` without the `hidapi` feature).
    #[error("{what} is not available in this build")]
    NotAvailable {
        /// What is missing.
        what: &'static str,
    },
    /// A device URI could not be parsed.
    #[error(transparent)]
    InvalidUri(#[from] UriError),
    /// The PC/SC resource manager failed, or a reader name did not pick one reader.
    #[error("PC/SC: {0}")]
    Pcsc(String),
    /// A card (PC/SC, NFC) answered an APDU with a status word that ends the exchange.
    #[error("the card answered {0}")]
    StatusWord(ApduStatus),
    /// An APDU broke ISO 7816-4 framing (or one of our limits).
    #[error("malformed APDU: {0}")]
    Apdu(#[from] ApduFormatError),
    /// A replayed transcript did not match what the client did.
    #[error(transparent)]
    Replay(#[from] ReplayError),
}

/// A replay did not go as recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The transcript file is malformed.
    #[error("transcript line {line}: {reason}")]
    Parse {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The client sent another report than recorded.
    #[error(
        "transcript line {line}: the client sent\n  {got}\nbut the recording has\n  {expected}"
    )]
    Mismatch {
        /// 1-based line number.
        line: usize,
        /// The recorded report, in hex.
        expected: String,
        /// The report the client sent, in hex.
        got: String,
    },
    /// The client sent a report where the recording has the device answering.
    #[error(
        "transcript line {line}: the client sent a report, but the recording has the device answering"
    )]
    UnexpectedSend {
        /// 1-based line number.
        line: usize,
    },
    /// The client waited for a report where the recording has the client sending.
    #[error(
        "transcript line {line}: the client waited for a report, but the recording has the client sending"
    )]
    UnexpectedReceive {
        /// 1-based line number.
        line: usize,
    },
    /// The transcript has ended.
    #[error("the transcript ended after {entries} reports, the client wanted more")]
    Exhausted {
        /// Number of reports in the transcript.
        entries: usize,
    },
}
