//! The client side of CTAP over ISO 7816 APDUs as a state machine without I/O.
//!
//! An [`Exchange`] is one request (SELECT, a CTAP2 message, or a CTAP1/U2F APDU) and its
//! response. It never reads a clock and never touches a reader: the driver transmits the
//! APDUs it asks for, hands back each response APDU and the current time, and sleeps when
//! asked to. [`NfcDevice`](super::NfcDevice) is the driver; tests drive it with synthetic
//! responses and time.
//!
//! ```text
//! let mut apdu = exchange.start(now);
//! loop {
//!     match exchange.handle_response(&transmit(apdu)?, now)? {
//!         Step::Send(next) => apdu = next,
//!         Step::Wait { until, keepalive } => { report(keepalive); sleep_until(until);
//!                                              apdu = exchange.poll(now, cancelled) }
//!         Step::Done(body) => return body,
//!     }
//! }
//! ```
//!
//! Behaviour, cross-checked against python-fido2 (`fido2/pcsc.py`: short APDUs chained
//! in 250-byte parts, Le 00 on the last, 61XX answered with GET RESPONSE Le XX, NFCCTAP_MSG
//! P1 0x80, NFCCTAP_GETRESPONSE every 100 ms while 9100, P1 0x11 to cancel) and libfido2
//! (`src/nfc.c`: chained parts must be answered 9000, 61XX / GET RESPONSE, SELECT answered
//! `U2F_V2` or `FIDO_2_0`):
//!
//! - a chained part answered other than 9000 ends the exchange with that status word;
//! - response parts are collected up to [`MAX_RESPONSE`] bytes;
//! - 9100 (only to a CTAP2 message) reports its keepalive status to the driver when it
//!   changes, and asks for a poll after [`POLL_INTERVAL`];
//! - a poll after cancellation or past the deadline ([`Timeouts::call`]) is a cancel; the
//!   card's answer CTAP2_ERR_KEEPALIVE_CANCEL ends the exchange with
//!   [`TransportError::Cancelled`] or [`TransportError::Timeout`];
//! - a CTAP1/U2F response is returned with its status word, whatever it is (the U2F layer
//!   reads it); any other status word than 9000 ends a SELECT or CTAP2 exchange with
//!   [`TransportError::StatusWord`].

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use fido_types::apdu::{
    ApduStatus, CommandApdu, Form, Header, ResponseApdu, ResponseKind, SHORT_MAX_LE, select_fido,
};
use fido_types::ctaphid::{CtaphidCommand, KeepaliveStatus};
use fido_types::generated::nfc::{ApduClass, ApduInstruction, GetResponseControl, NfcctapMsgFlags};
use fido_types::status::CtapStatus;

use crate::transport::{Timeouts, TransportError};

#[cfg(test)]
mod tests;

/// How long to wait between NFCCTAP_GETRESPONSE polls (python-fido2 waits 100 ms).
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// The longest response collected through GET RESPONSE (a CTAP2 message is at most
/// a few kilobytes; this bounds memory against a card that never stops).
pub const MAX_RESPONSE: usize = 1 << 16;

/// The data bytes per chained short APDU (python-fido2 sends 250, libfido2 240).
pub const CHAIN_CHUNK: usize = 250;

/// What one exchange carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// SELECT of the FIDO applet; the result is the version string.
    Select,
    /// A CTAP2 message (`[command][CBOR]`) in NFCCTAP_MSG.
    Cbor(Vec<u8>),
    /// A CTAP1/U2F command APDU; the result is its response data and status word.
    Msg(CommandApdu),
}

/// What the driver does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Transmit this APDU and hand the answer to [`Exchange::handle_response`].
    Send(Vec<u8>),
    /// The card is still working: report `keepalive` (when `Some`, a change), then at
    /// `until` call [`Exchange::poll`].
    Wait {
        /// When to poll.
        until: Instant,
        /// The new keepalive status, if it changed.
        keepalive: Option<KeepaliveStatus>,
    },
    /// The exchange is over: the response.
    Done(Vec<u8>),
}

/// One request and its response.
#[derive(Debug)]
pub struct Exchange {
    request: Request,
    form: Form,
    queue: VecDeque<Vec<u8>>,
    body: Vec<u8>,
    started: Option<Instant>,
    deadline: Option<Instant>,
    keepalive: Option<KeepaliveStatus>,
    cancel_sent: bool,
    timed_out: bool,
}

impl Exchange {
    /// An exchange for `request`, with command APDUs in `form` (short APDUs are chained).
    pub fn new(request: Request, form: Form) -> Self {
        Exchange {
            request,
            form,
            queue: VecDeque::new(),
            body: Vec::new(),
            started: None,
            deadline: None,
            keepalive: None,
            cancel_sent: false,
            timed_out: false,
        }
    }

    /// An exchange for a CTAPHID-style call: CBOR or MSG (a CTAP1 APDU in any form).
    ///
    /// # Errors
    /// [`TransportError::NotAvailable`] for other commands; a MSG payload that is no
    /// command APDU is [`TransportError::Apdu`].
    pub fn for_command(
        cmd: CtaphidCommand,
        payload: &[u8],
        form: Form,
    ) -> Result<Self, TransportError> {
        let request = match cmd {
            CtaphidCommand::CBOR => Request::Cbor(payload.to_vec()),
            CtaphidCommand::MSG => Request::Msg(CommandApdu::parse(payload)?.0),
            _ => {
                return Err(TransportError::NotAvailable {
                    what: "this CTAPHID command over ISO 7816 (only CBOR and MSG)",
                });
            }
        };
        Ok(Exchange::new(request, form))
    }

    /// The first APDU to transmit; `now` starts the [`Timeouts::call`] deadline.
    ///
    /// # Errors
    /// [`TransportError::Apdu`] when the request does not fit the form.
    pub fn start(&mut self, now: Instant, timeouts: Timeouts) -> Result<Vec<u8>, TransportError> {
        self.started = Some(now);
        self.deadline = now.checked_add(timeouts.call);
        let command = match &self.request {
            Request::Select => select_fido(),
            Request::Cbor(message) => {
                let header = Header::new(
                    ApduClass::NFCCTAP.0,
                    ApduInstruction::NFCCTAP_MSG.0,
                    NfcctapMsgFlags::GETRESPONSE_SUPPORTED.bits(),
                    0,
                );
                CommandApdu::new(header, message.clone(), Some(self.form.max_le()))
            }
            Request::Msg(apdu) => {
                let le = apdu.le.map(|le| le.min(self.form.max_le()));
                CommandApdu::new(
                    apdu.header,
                    apdu.data.clone(),
                    le.or(Some(self.form.max_le())),
                )
            }
        };
        self.queue = match self.form {
            Form::Short => command.chain_short(CHAIN_CHUNK)?.into(),
            Form::Extended => VecDeque::from([command.encode(Form::Extended)?]),
        };
        self.next_queued()
    }

    fn next_queued(&mut self) -> Result<Vec<u8>, TransportError> {
        self.queue
            .pop_front()
            .ok_or(TransportError::MalformedResponse {
                cmd: CtaphidCommand::MSG,
                reason: "nothing left to send",
            })
    }

    /// Takes the card's answer to the last APDU sent.
    ///
    /// # Errors
    /// [`TransportError::Apdu`] for a response without status word or one too long,
    /// [`TransportError::StatusWord`] for a failure word, [`TransportError::Cancelled`] /
    /// [`TransportError::Timeout`] after a cancel.
    pub fn handle_response(&mut self, bytes: &[u8], now: Instant) -> Result<Step, TransportError> {
        let response = ResponseApdu::parse(bytes)?;
        if !self.queue.is_empty() {
            // A chained part: the card must take it with 9000 and nothing else.
            if response.status != ApduStatus::OK || !response.body.is_empty() {
                return Err(TransportError::StatusWord(response.status));
            }
            return Ok(Step::Send(self.next_queued()?));
        }
        if self.body.len() + response.body.len() > MAX_RESPONSE {
            return Err(fido_types::apdu::ApduFormatError::TooLong { max: MAX_RESPONSE }.into());
        }
        match response.kind() {
            ResponseKind::MoreData(n) => {
                self.body.extend_from_slice(response.body);
                Ok(Step::Send(get_response(n)))
            }
            ResponseKind::Update if matches!(self.request, Request::Cbor(_)) => {
                self.update(response.body, now)
            }
            ResponseKind::Complete if !matches!(self.request, Request::Msg(_)) => {
                self.body.extend_from_slice(response.body);
                self.finish(now)
            }
            _ if matches!(self.request, Request::Msg(_)) => {
                self.body.extend_from_slice(response.body);
                self.body.extend_from_slice(&response.status.to_bytes());
                Ok(Step::Done(std::mem::take(&mut self.body)))
            }
            _ => Err(TransportError::StatusWord(response.status)),
        }
    }

    fn update(&mut self, body: &[u8], now: Instant) -> Result<Step, TransportError> {
        let &[status] = body else {
            return Err(TransportError::MalformedResponse {
                cmd: CtaphidCommand::KEEPALIVE,
                reason: "the keepalive status word 9100 came without exactly one status byte",
            });
        };
        let status = KeepaliveStatus(status);
        let changed = self.keepalive != Some(status);
        self.keepalive = Some(status);
        self.body.clear();
        Ok(Step::Wait {
            until: now + POLL_INTERVAL,
            keepalive: changed.then_some(status),
        })
    }

    fn finish(&mut self, now: Instant) -> Result<Step, TransportError> {
        let body = std::mem::take(&mut self.body);
        let cancelled = matches!(self.request, Request::Cbor(_))
            && body.as_slice() == [CtapStatus::KEEPALIVE_CANCEL.0];
        match (cancelled, self.timed_out) {
            (true, true) => Err(TransportError::Timeout {
                waited: self
                    .started
                    .map_or(Duration::ZERO, |s| now.saturating_duration_since(s)),
            }),
            (true, false) => Err(TransportError::Cancelled),
            _ => Ok(Step::Done(body)),
        }
    }

    /// The NFCCTAP_GETRESPONSE to send after a [`Step::Wait`]: a poll, or a cancel when
    /// `cancelled` or past the deadline.
    pub fn poll(&mut self, now: Instant, cancelled: bool) -> Vec<u8> {
        let expired = self.deadline.is_some_and(|d| now >= d);
        let control = if (cancelled || expired) && !self.cancel_sent {
            self.cancel_sent = true;
            self.timed_out = expired && !cancelled;
            GetResponseControl::CANCEL
        } else {
            GetResponseControl::POLL
        };
        let header = Header::new(
            ApduClass::NFCCTAP.0,
            ApduInstruction::NFCCTAP_GETRESPONSE.0,
            control.0,
            0,
        );
        // A header-only APDU (case 1) is the same in both forms.
        header.to_bytes().to_vec()
    }

    /// `true` once a cancel was sent.
    pub fn cancel_sent(&self) -> bool {
        self.cancel_sent
    }
}

/// GET RESPONSE asking for `n` bytes (1..=256).
fn get_response(n: usize) -> Vec<u8> {
    let header = Header::new(ApduClass::ISO.0, ApduInstruction::GET_RESPONSE.0, 0, 0);
    let le = n.clamp(1, SHORT_MAX_LE);
    // Encoding a case-2 short APDU with Le 1..=256 cannot fail.
    CommandApdu::new(header, Vec::new(), Some(le))
        .encode(Form::Short)
        .unwrap_or_else(|_| header.to_bytes().to_vec())
}
