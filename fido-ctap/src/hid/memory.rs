//! An in-process report connection: two ends joined by channels.
//!
//! One end goes to [`HidDevice`](super::HidDevice); the other to whatever plays the
//! authenticator (a scripted fake device in tests, the software authenticator), which
//! uses the same [`ReportConnection`] trait to receive requests and send responses.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Instant;

use fido_types::ctaphid::Report;

use super::ReportConnection;
use crate::transport::TransportError;

/// One end of an in-process pair (see [`pair`]).
#[derive(Debug)]
pub struct MemoryConnection {
    tx: Sender<Report>,
    rx: Receiver<Report>,
}

/// Two connected ends: reports sent on one are received on the other, in order.
/// When one end is dropped, the other gets [`TransportError::Disconnected`].
pub fn pair() -> (MemoryConnection, MemoryConnection) {
    let (a_tx, b_rx) = mpsc::channel();
    let (b_tx, a_rx) = mpsc::channel();
    (
        MemoryConnection { tx: a_tx, rx: a_rx },
        MemoryConnection { tx: b_tx, rx: b_rx },
    )
}

impl ReportConnection for MemoryConnection {
    fn send(&mut self, report: &Report) -> Result<(), TransportError> {
        self.tx
            .send(*report)
            .map_err(|_| TransportError::Disconnected)
    }

    fn recv(&mut self, deadline: Instant) -> Result<Option<Report>, TransportError> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(wait) {
            Ok(report) => Ok(Some(report)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(TransportError::Disconnected),
        }
    }
}
