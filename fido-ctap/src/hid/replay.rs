//! Replaying a recorded transcript as a device.
//!
//! [`ReplayConnection`] plays the device's side of a transcript (see [`super::transcript`]): each
//! report the client sends must equal the next `>` line, and each receive returns the next
//! `<` line. Anything else is a [`ReplayError`] naming the line, so a test fails clearly
//! the moment the client deviates from the recording.
//!
//! INIT nonces are random, so they are the one exception: when the client sends an INIT
//! init-packet where the transcript has one, the 8 nonce bytes may differ; the replay
//! remembers the pair and writes the client's nonce into the matching recorded INIT
//! response.

use std::time::Instant;

use fido_types::ctaphid::{CtaphidCommand, NONCE_LEN, Report};

use super::ReportConnection;
use super::transcript::{self, Direction, Entry};
use crate::transport::TransportError;

pub use crate::transport::ReplayError;

#[cfg(test)]
mod tests;

/// A device that replays a transcript (see the [module](self) documentation).
#[derive(Debug, Clone)]
pub struct ReplayConnection {
    entries: Vec<Entry>,
    position: usize,
    nonces: Vec<([u8; NONCE_LEN], [u8; NONCE_LEN])>,
}

fn init_nonce(report: &Report) -> Option<[u8; NONCE_LEN]> {
    if report[4] != CtaphidCommand::INIT.init_byte() {
        return None;
    }
    report[7..7 + NONCE_LEN].try_into().ok()
}

impl ReplayConnection {
    /// Replays transcript text.
    pub fn from_transcript(text: &str) -> Result<Self, TransportError> {
        Ok(ReplayConnection {
            entries: transcript::parse(text)?,
            position: 0,
            nonces: Vec::new(),
        })
    }

    /// Replays a transcript file.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Self, TransportError> {
        Self::from_transcript(&std::fs::read_to_string(path)?)
    }

    /// Whether every recorded report has been played.
    pub fn is_finished(&self) -> bool {
        self.position == self.entries.len()
    }

    /// Reports not yet played.
    pub fn remaining(&self) -> usize {
        self.entries.len() - self.position
    }

    fn next(&mut self) -> Result<&Entry, ReplayError> {
        let entry = self
            .entries
            .get(self.position)
            .ok_or(ReplayError::Exhausted {
                entries: self.entries.len(),
            })?;
        Ok(entry)
    }
}

impl ReportConnection for ReplayConnection {
    fn send(&mut self, report: &Report) -> Result<(), TransportError> {
        let entry = self.next()?;
        let line = entry.line;
        if entry.direction != Direction::Sent {
            return Err(ReplayError::UnexpectedSend { line }.into());
        }
        let recorded = entry.report;
        let mut expected = recorded;
        let nonce_pair = init_nonce(&recorded).zip(init_nonce(report));
        if let Some((recorded_nonce, actual_nonce)) = nonce_pair {
            expected[7..7 + NONCE_LEN].copy_from_slice(&actual_nonce);
            if expected == *report {
                self.nonces.push((recorded_nonce, actual_nonce));
            }
        }
        if expected != *report {
            return Err(ReplayError::Mismatch {
                line,
                expected: hex::encode(recorded),
                got: hex::encode(report),
            }
            .into());
        }
        self.position += 1;
        Ok(())
    }

    fn recv(&mut self, _deadline: Instant) -> Result<Option<Report>, TransportError> {
        let entry = self.next()?;
        if entry.direction != Direction::Received {
            return Err(ReplayError::UnexpectedReceive { line: entry.line }.into());
        }
        let mut report = entry.report;
        self.position += 1;
        let substitute = init_nonce(&report)
            .and_then(|recorded| self.nonces.iter().find(|(r, _)| *r == recorded));
        if let Some((_, actual)) = substitute {
            report[7..7 + NONCE_LEN].copy_from_slice(actual);
        }
        Ok(Some(report))
    }
}
