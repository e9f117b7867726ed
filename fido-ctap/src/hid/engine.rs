//! The client side of CTAPHID as a state machine without I/O.
//!
//! An [`Exchange`] is one request and its response on one channel. It never reads a clock
//! or a socket: the driver hands it reports and the current time, and asks it what to send
//! and when to wake it up. [`HidDevice`](super::HidDevice) is the driver for real
//! connections; tests drive it with synthetic time.
//!
//! ```text
//! loop {
//!     while let Some(report) = exchange.poll_transmit() { send(report) }
//!     while let Some(status) = exchange.poll_keepalive() { on_keepalive(status) }
//!     if let Some(result) = exchange.take_result() { return result }
//!     if cancelled { exchange.cancel(now) }
//!     match receive_until(exchange.poll_timeout()) {
//!         Some(report) => exchange.handle_report(&report, now),
//!         None => exchange.handle_timeout(now),
//!     }
//! }
//! ```
//!
//! Behaviour, cross-checked against python-fido2 (`fido2/hid/__init__.py`: keepalive
//! callback on status change only, CHANNEL_BUSY retried) and libfido2 (`src/io.c`:
//! KEEPALIVE frames on the channel skipped while waiting, the response command must match
//! the request, continuation sequence numbers 0, 1, 2, …, CANCEL is a bare init packet with
//! BCNT 0; `src/dev.c`: INIT reply checked against the nonce). libfido2 fails on a frame of
//! another channel; we ignore it, as CTAP 2.1 §11.2.4 lets several clients share a device:
//!
//! - reports on other channels are ignored; stray continuation packets are ignored;
//! - KEEPALIVE reports a status to the driver only when it differs from the previous one,
//!   and keeps the idle timer alive;
//! - ERROR CHANNEL_BUSY resends the request after a growing backoff, up to
//!   [`BusyRetry::max_retries`]; every other ERROR ends the exchange with
//!   [`TransportError::Hid`];
//! - a CBOR response of status 0x2D (CTAP2_ERR_KEEPALIVE_CANCEL) ends it with
//!   [`TransportError::Cancelled`];
//! - an INIT exchange ignores responses whose nonce is not its own (another client's INIT
//!   on the broadcast channel), and, being a resynchronisation, also any leftover message
//!   or broken framing from an earlier request on its channel;
//! - [`Exchange::cancel`] queues one CANCEL packet; the exchange then ends at the
//!   authenticator's answer or after [`Timeouts::cancel_grace`], with
//!   [`TransportError::Cancelled`] unless a real response arrived first;
//! - the exchange ends with [`TransportError::Timeout`] at the overall deadline
//!   ([`Timeouts::call`]) or after [`Timeouts::idle`] without any report on its channel.

use std::collections::VecDeque;
use std::time::Instant;

use fido_types::ctaphid::{
    AssembleError, Assembler, ChannelId, CtaphidCommand, CtaphidError, KeepaliveStatus, Message,
    NONCE_LEN, Progress, Report, encode_init, split,
};

use fido_types::status::CtapStatus;

use crate::transport::TransportError;
pub use crate::transport::{BusyRetry, EngineConfig, Timeouts};

#[cfg(test)]
mod tests;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// The request is queued or sent; waiting for its response.
    Waiting,
    /// The device was busy; resend at this time.
    Backoff(Instant),
    /// The result is ready (or taken).
    Done,
}

/// One request/response exchange on one channel (see the [module](self) documentation).
#[derive(Debug)]
pub struct Exchange {
    cid: ChannelId,
    cmd: CtaphidCommand,
    request: Vec<u8>,
    config: EngineConfig,
    state: State,
    assembler: Assembler,
    outbox: VecDeque<Report>,
    keepalives: VecDeque<KeepaliveStatus>,
    last_keepalive: Option<KeepaliveStatus>,
    result: Option<Result<Vec<u8>, TransportError>>,
    started: Instant,
    deadline: Instant,
    idle_deadline: Instant,
    cancel_deadline: Option<Instant>,
    busy_answers: u32,
}

impl Exchange {
    /// Starts an exchange: the request's reports are queued for [`poll_transmit`](Self::poll_transmit).
    pub fn new(
        cid: ChannelId,
        cmd: CtaphidCommand,
        payload: &[u8],
        now: Instant,
        config: EngineConfig,
    ) -> Result<Self, TransportError> {
        let outbox: VecDeque<Report> = split(cid, cmd, payload)?.collect();
        Ok(Self::waiting(
            cid,
            cmd,
            payload.to_vec(),
            outbox,
            now,
            config,
        ))
    }

    /// An exchange waiting for its answer, with `outbox` queued for sending.
    fn waiting(
        cid: ChannelId,
        cmd: CtaphidCommand,
        request: Vec<u8>,
        outbox: VecDeque<Report>,
        now: Instant,
        config: EngineConfig,
    ) -> Self {
        Exchange {
            cid,
            cmd,
            request,
            config,
            state: State::Waiting,
            assembler: Assembler::for_channel(cid),
            outbox,
            keepalives: VecDeque::new(),
            last_keepalive: None,
            result: None,
            started: now,
            deadline: now + config.timeouts.call,
            idle_deadline: now + config.timeouts.idle,
            cancel_deadline: None,
            busy_answers: 0,
        }
    }

    /// Starts an INIT exchange with `nonce` on `cid` (the broadcast channel to allocate a
    /// channel, or an allocated channel to resynchronise it).
    pub fn init(
        cid: ChannelId,
        nonce: [u8; NONCE_LEN],
        now: Instant,
        config: EngineConfig,
    ) -> Self {
        let mut exchange = Self::waiting(
            cid,
            CtaphidCommand::INIT,
            nonce.to_vec(),
            VecDeque::new(),
            now,
            config,
        );
        exchange.queue_request();
        exchange
    }

    /// The channel of this exchange.
    pub fn cid(&self) -> ChannelId {
        self.cid
    }

    /// The command of the request.
    pub fn cmd(&self) -> CtaphidCommand {
        self.cmd
    }

    /// The next report to send, if any.
    pub fn poll_transmit(&mut self) -> Option<Report> {
        self.outbox.pop_front()
    }

    /// The next keepalive status change to report, if any.
    pub fn poll_keepalive(&mut self) -> Option<KeepaliveStatus> {
        self.keepalives.pop_front()
    }

    /// The outcome, once the exchange has ended (given out once).
    pub fn take_result(&mut self) -> Option<Result<Vec<u8>, TransportError>> {
        self.result.take()
    }

    /// Whether the exchange has ended.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelling(&self) -> bool {
        self.cancel_deadline.is_some()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called at the latest, if the
    /// exchange is still running.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::Done => None,
            State::Backoff(until) => Some(until.min(self.deadline)),
            State::Waiting => {
                let mut at = self.deadline.min(self.idle_deadline);
                if let Some(cancel) = self.cancel_deadline {
                    at = at.min(cancel);
                }
                Some(at)
            }
        }
    }

    /// Asks the authenticator to stop: queues one CANCEL packet. Cancelling during a busy
    /// backoff ends the exchange at once, since nothing is pending on the device.
    pub fn cancel(&mut self, now: Instant) {
        match self.state {
            State::Done => {}
            State::Backoff(_) => self.finish(Err(TransportError::Cancelled)),
            State::Waiting => {
                if self.cancel_deadline.is_none() {
                    self.outbox
                        .push_back(encode_init(self.cid, CtaphidCommand::CANCEL, 0, &[]));
                    self.cancel_deadline = Some(now + self.config.timeouts.cancel_grace);
                }
            }
        }
    }

    /// Tells the exchange the time has come: retries after a backoff, or ends it on a
    /// deadline.
    pub fn handle_timeout(&mut self, now: Instant) {
        match self.state {
            State::Done => {}
            _ if now >= self.deadline => self.expire(now),
            State::Backoff(until) => {
                if now >= until {
                    self.queue_request();
                    self.state = State::Waiting;
                    self.idle_deadline = now + self.config.timeouts.idle;
                }
            }
            State::Waiting => {
                let cancel_over = self.cancel_deadline.is_some_and(|at| now >= at);
                if cancel_over || now >= self.idle_deadline {
                    self.expire(now);
                }
            }
        }
    }

    /// Takes one received report.
    pub fn handle_report(&mut self, report: &Report, now: Instant) {
        // Deadlines hold even when reports never stop coming (a keepalive flood, a chatty
        // neighbour on another channel).
        self.handle_timeout(now);
        if self.state != State::Waiting {
            return;
        }
        let message = match self.assembler.push(report) {
            Ok(Progress::Ignored(_)) => return,
            Ok(Progress::Incomplete) => {
                self.idle_deadline = now + self.config.timeouts.idle;
                return;
            }
            Ok(Progress::Complete(message)) => message,
            Err(error) => {
                self.idle_deadline = now + self.config.timeouts.idle;
                self.framing_error(error);
                return;
            }
        };
        self.idle_deadline = now + self.config.timeouts.idle;
        self.handle_message(message, now);
    }

    fn handle_message(&mut self, message: Message, now: Instant) {
        let resync = self.cmd == CtaphidCommand::INIT;
        match message.cmd {
            CtaphidCommand::KEEPALIVE => {
                if let Some(&byte) = message.data.first() {
                    let status = KeepaliveStatus(byte);
                    if self.last_keepalive != Some(status) {
                        self.last_keepalive = Some(status);
                        self.keepalives.push_back(status);
                    }
                }
            }
            CtaphidCommand::ERROR => {
                let code = message.data.first().copied().map(CtaphidError);
                match code {
                    Some(CtaphidError::CHANNEL_BUSY) => self.busy(now),
                    Some(code) => self.finish(Err(TransportError::Hid(code))),
                    None => self.finish(Err(TransportError::MalformedResponse {
                        cmd: CtaphidCommand::ERROR,
                        reason: "empty error code",
                    })),
                }
            }
            cmd if cmd == self.cmd => {
                if resync && !message.data.starts_with(&self.request) {
                    // Another client's INIT, or a stale one of ours.
                    return;
                }
                // A cancelled CBOR request is answered with CTAP2_ERR_KEEPALIVE_CANCEL alone.
                if cmd == CtaphidCommand::CBOR && message.data == [CtapStatus::KEEPALIVE_CANCEL.0] {
                    self.finish(Err(TransportError::Cancelled));
                } else {
                    self.finish(Ok(message.data));
                }
            }
            // A leftover of an abandoned request; INIT exists to skip those.
            _ if resync => {}
            got => self.finish(Err(TransportError::UnexpectedCommand {
                expected: self.cmd,
                got,
            })),
        }
    }

    fn framing_error(&mut self, error: AssembleError) {
        if self.cmd == CtaphidCommand::INIT {
            // Resynchronising: wait for the INIT response behind the debris.
            return;
        }
        self.finish(Err(TransportError::Framing(error)));
    }

    fn busy(&mut self, now: Instant) {
        self.busy_answers += 1;
        if self.cancel_deadline.is_some() {
            self.finish(Err(TransportError::Cancelled));
            return;
        }
        let retry = self.busy_answers;
        if retry > self.config.busy.max_retries {
            self.finish(Err(TransportError::ChannelBusy {
                attempts: self.busy_answers,
            }));
            return;
        }
        let until = now + self.config.busy.backoff(retry);
        if until >= self.deadline {
            self.finish(Err(TransportError::ChannelBusy {
                attempts: self.busy_answers,
            }));
            return;
        }
        self.assembler.reset();
        self.state = State::Backoff(until);
    }

    fn expire(&mut self, now: Instant) {
        if self.cancel_deadline.is_some() {
            self.finish(Err(TransportError::Cancelled));
        } else {
            self.finish(Err(TransportError::Timeout {
                waited: now.saturating_duration_since(self.started),
            }));
        }
    }

    fn queue_request(&mut self) {
        // The request was split once already in `new` (or is an 8-byte nonce), so it fits.
        if let Ok(reports) = split(self.cid, self.cmd, &self.request) {
            self.outbox.extend(reports);
        }
    }

    fn finish(&mut self, result: Result<Vec<u8>, TransportError>) {
        self.state = State::Done;
        self.outbox.clear();
        self.result = Some(result);
    }
}
