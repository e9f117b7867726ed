//! The transcript format of [`Recorder`](super::record::Recorder) and
//! [`ReplayConnection`](super::replay::ReplayConnection).
//!
//! A small text file, one report per line, in order:
//!
//! ```text
//! # fido-rs CTAPHID transcript v1
//! > ffffffff860008a1a2a3a4a5a6a7a8000000…   (client to device, 128 hex digits)
//! < ffffffff860011a1a2a3a4a5a6a7a8000000…   (device to client)
//! ```
//!
//! Lines starting with `#` and blank lines are comments.

use fido_types::ctaphid::Report;

use crate::transport::ReplayError;

/// The first line written by the recorder.
pub const HEADER: &str = "# fido-rs CTAPHID transcript v1";

/// Which way a report went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Client to device, written `>`.
    Sent,
    /// Device to client, written `<`.
    Received,
}

impl Direction {
    /// The line marker.
    pub fn marker(self) -> char {
        match self {
            Direction::Sent => '>',
            Direction::Received => '<',
        }
    }
}

/// One transcript line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line number in the file.
    pub line: usize,
    /// Direction of the report.
    pub direction: Direction,
    /// The report.
    pub report: Report,
}

/// Formats one transcript line (without the newline).
pub fn format_line(direction: Direction, report: &Report) -> String {
    format!("{} {}", direction.marker(), hex::encode(report))
}

/// Parses a whole transcript.
pub fn parse(text: &str) -> Result<Vec<Entry>, ReplayError> {
    let mut entries = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let fail = |reason| ReplayError::Parse { line, reason };
        let mut chars = trimmed.chars();
        let marker = chars.next();
        let hex_part = chars.as_str();
        let direction = match marker {
            Some('>') => Direction::Sent,
            Some('<') => Direction::Received,
            _ => return Err(fail("a report line starts with > or <")),
        };
        let bytes = hex::decode(hex_part.trim()).map_err(|_| fail("invalid hex"))?;
        let report: Report = bytes
            .try_into()
            .map_err(|_| fail("a report has 64 bytes (128 hex digits)"))?;
        entries.push(Entry {
            line,
            direction,
            report,
        });
    }
    Ok(entries)
}
