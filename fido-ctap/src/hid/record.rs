//! Recording every report of a session to a transcript.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use fido_types::ctaphid::Report;

use super::ReportConnection;
use super::transcript::{Direction, HEADER, format_line};
use crate::transport::TransportError;

/// Wraps a connection and writes each report sent or received to a
/// [transcript](super::transcript), flushing after every line so that a crash or a hang
/// still leaves the evidence on disk.
///
/// ```
/// use fido_ctap::hid::{ReportConnection, memory, record::Recorder};
/// let (client, mut device) = memory::pair();
/// let mut lines = Vec::new();
/// {
///     let mut recorder = Recorder::new(client, &mut lines).unwrap();
///     recorder.send(&[0xAB; 64]).unwrap();
/// }
/// let text = String::from_utf8(lines).unwrap();
/// assert!(text.lines().nth(1).unwrap().starts_with("> abab"));
/// ```
pub struct Recorder<C, W: Write = BufWriter<File>> {
    inner: C,
    out: W,
}

impl<C, W: Write> std::fmt::Debug for Recorder<C, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").finish_non_exhaustive()
    }
}

impl<C: ReportConnection> Recorder<C> {
    /// Records to a new file at `path` (replacing an existing one).
    pub fn to_file(inner: C, path: impl AsRef<Path>) -> Result<Self, TransportError> {
        Self::new(inner, BufWriter::new(File::create(path)?))
    }
}

impl<C: ReportConnection, W: Write + Send> Recorder<C, W> {
    /// Records to `out`; the header line is written at once.
    pub fn new(inner: C, mut out: W) -> Result<Self, TransportError> {
        writeln!(out, "{HEADER}")?;
        out.flush()?;
        Ok(Recorder { inner, out })
    }

    /// The wrapped connection.
    pub fn into_inner(self) -> C {
        self.inner
    }

    fn write(&mut self, direction: Direction, report: &Report) -> Result<(), TransportError> {
        writeln!(self.out, "{}", format_line(direction, report))?;
        self.out.flush()?;
        Ok(())
    }
}

impl<C: ReportConnection, W: Write + Send> ReportConnection for Recorder<C, W> {
    fn send(&mut self, report: &Report) -> Result<(), TransportError> {
        self.inner.send(report)?;
        self.write(Direction::Sent, report)
    }

    fn recv(&mut self, deadline: Instant) -> Result<Option<Report>, TransportError> {
        let report = self.inner.recv(deadline)?;
        if let Some(report) = &report {
            self.write(Direction::Received, report)?;
        }
        Ok(report)
    }
}
