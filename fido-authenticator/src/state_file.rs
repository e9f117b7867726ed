//! The state file: the [`Persistent`] state as JSON, with a format version, written so
//! that a crash at any point leaves either the old state or the new one on disk.
//!
//! A save writes a temporary file beside the state file (created exclusively, mode 0600,
//! never through a symbolic link), flushes it to disk, renames it over the state file and
//! flushes the directory. The rename is the commit point: before it the old file is
//! untouched, after it the new file is complete.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::Error;
use crate::state::{FORMAT_VERSION, Persistent};

/// The bytes written at once: a crash can stop a save between any two such writes.
const CHUNK: usize = 256;

/// One step of a save, in order (what a fault-injecting test can stop before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Creating the temporary file.
    Create,
    /// Writing the bytes from this offset on (one chunk).
    Write(usize),
    /// Flushing the temporary file to disk.
    SyncFile,
    /// Renaming the temporary file over the state file.
    Rename,
    /// Flushing the directory (so that the rename is on disk).
    SyncDir,
}

/// The persistent state kept in `path`, or `None` if there is no such file yet.
///
/// # Errors
/// [`Error::StateFile`] if it cannot be read, [`Error::StateFormat`] if it does not parse,
/// [`Error::StateVersion`] if a newer release wrote it.
pub(crate) fn load(path: &Path) -> Result<Option<Persistent>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => zeroize::Zeroizing::new(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::StateFile {
                path: path.to_owned(),
                source,
            });
        }
    };
    let mut state: Persistent =
        serde_json::from_str(&text).map_err(|source| Error::StateFormat {
            path: path.to_owned(),
            source,
        })?;
    if state.format > FORMAT_VERSION {
        return Err(Error::StateVersion {
            path: path.to_owned(),
            found: state.format,
        });
    }
    state.upgrade();
    Ok(Some(state))
}

/// The temporary file a save of `path` writes first.
pub(crate) fn temporary_path(path: &Path) -> PathBuf {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    PathBuf::from(tmp)
}

/// Writes `bytes` to `path` atomically (see the module documentation).
///
/// # Errors
/// The I/O error of the step that failed; the old file is then still in place.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with_faults(path, bytes, &mut |_| Ok(()))
}

/// [`write`], calling `fault` before each step: an error from it stops the save there, as
/// a crash would (tests inject faults with it).
pub(crate) fn write_with_faults(
    path: &Path,
    bytes: &[u8],
    fault: &mut dyn FnMut(Step) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = temporary_path(path);
    fault(Step::Create)?;
    let mut file = create_exclusive(&tmp)?;
    for (i, chunk) in bytes.chunks(CHUNK).enumerate() {
        fault(Step::Write(i * CHUNK))?;
        file.write_all(chunk)?;
    }
    fault(Step::SyncFile)?;
    file.sync_all()?;
    drop(file);
    fault(Step::Rename)?;
    std::fs::rename(&tmp, path)?;
    fault(Step::SyncDir)?;
    sync_dir(path)
}

/// Creates `tmp` for writing: exclusively, 0600, not through a symbolic link. A leftover
/// of an interrupted save (or anything else by that name that is not a directory) is
/// unlinked first, once.
fn create_exclusive(tmp: &Path) -> io::Result<File> {
    match open_new(tmp) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(tmp)?;
            open_new(tmp)
        }
        other => other,
    }
}

#[cfg(unix)]
fn open_new(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

#[cfg(not(unix))]
fn open_new(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// Flushes the directory holding `path`, so that a rename in it survives a power loss.
#[cfg(unix)]
fn sync_dir(path: &Path) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests;
