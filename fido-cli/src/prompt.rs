//! Reading PINs: from `--pin`, `--pin-file` or the `FIDO_PIN` environment variable, or
//! from a no-echo prompt on the terminal.

use std::io::Read;
use std::path::{Path, PathBuf};

use fido_types::pin_protocol::Pin;
use zeroize::Zeroizing;

use crate::error::CliError;

/// Where a PIN comes from: the command line, or a prompt when it is needed. Its `Debug`
/// does not print the PIN.
#[derive(Clone)]
pub struct PinSource {
    given: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for PinSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinSource")
            .field("given", &self.given.is_some())
            .finish()
    }
}

impl PinSource {
    /// A source that returns `given` if set, and prompts otherwise.
    pub fn new(given: Option<String>) -> Self {
        PinSource {
            given: given.map(Zeroizing::new),
        }
    }

    /// A source holding `given` (already read, e.g. a PIN the user just chose).
    pub fn from_secret(given: Option<Zeroizing<String>>) -> Self {
        PinSource { given }
    }

    /// A source from the PIN options: `--pin`, else `--pin-file`, else the `FIDO_PIN`
    /// environment variable, else a prompt when the PIN is needed.
    ///
    /// # Errors
    /// A PIN file that cannot be read or is not safe to read a PIN from
    /// ([`read_pin_file`]).
    pub fn from_args(args: &PinArgs) -> Result<Self, CliError> {
        if let Some(pin) = &args.pin {
            return Ok(PinSource::new(Some(pin.clone())));
        }
        if let Some(path) = &args.pin_file {
            return Ok(PinSource::from_secret(Some(read_pin_file(path)?)));
        }
        Ok(PinSource::from_secret(pin_from_env()))
    }

    /// The PIN given, if any (the prompt is not used).
    pub fn into_given(self) -> Option<Zeroizing<String>> {
        self.given
    }

    /// Whether a PIN was given on the command line.
    pub fn is_given(&self) -> bool {
        self.given.is_some()
    }

    /// The PIN, asking for it with `prompt` if none was given.
    pub fn get(&self, prompt: &str) -> Result<Pin, CliError> {
        match &self.given {
            Some(text) => Ok(Pin::new(text)?),
            None => read(prompt),
        }
    }
}

/// Prompts for a PIN on the terminal without echo.
pub fn read(prompt: &str) -> Result<Pin, CliError> {
    Ok(Pin::new(&read_text(prompt)?)?)
}

/// Prompts for a PIN on the terminal without echo, and returns its text.
pub fn read_text(prompt: &str) -> Result<Zeroizing<String>, CliError> {
    let text = rpassword::prompt_password(format!("{prompt}: ")).map_err(|e| {
        CliError::msg(format!(
            "a PIN is needed and none could be read ({e}): pass --pin"
        ))
    })?;
    Ok(Zeroizing::new(text))
}

/// The environment variable a PIN may come from.
pub const PIN_ENV: &str = "FIDO_PIN";

/// The longest PIN file read: a PIN is at most 63 bytes (CTAP 2.1 §6.5.1), plus a line
/// ending; anything longer is not a PIN file.
const MAX_PIN_FILE: u64 = 256;

/// The PIN options of a command that may need the PIN.
#[derive(Debug, Clone, clap::Args)]
pub struct PinArgs {
    /// The PIN (default: from --pin-file, else the FIDO_PIN environment variable, else
    /// asked for on the terminal when needed). A PIN on the command line is visible to
    /// other users of this machine (in `ps` and /proc): prefer --pin-file, FIDO_PIN or
    /// the prompt.
    #[arg(long)]
    pub pin: Option<String>,
    /// Read the PIN from this file: one line, a trailing newline is dropped. The file
    /// must be a regular file that only its owner can read (e.g. mode 0600).
    #[arg(long, value_name = "FILE", conflicts_with = "pin")]
    pub pin_file: Option<PathBuf>,
}

/// The PIN in the `FIDO_PIN` environment variable, if set and not empty.
fn pin_from_env() -> Option<Zeroizing<String>> {
    let value = Zeroizing::new(std::env::var_os(PIN_ENV)?.into_string().ok()?);
    (!value.is_empty()).then_some(value)
}

/// Reads a PIN from `path`: a regular file (not a directory, device or FIFO) of at most
/// 256 bytes holding one line of UTF-8, which on Unix only its owner may read or write.
/// One trailing `\n` or `\r\n` is dropped. Every buffer that held the PIN is zeroized.
///
/// # Errors
/// A file that cannot be opened or read, is not a regular file, is readable or writable
/// by others, is too long, holds more than one line or is not UTF-8.
pub fn read_pin_file(path: &Path) -> Result<Zeroizing<String>, CliError> {
    let shown = path.display();
    let fail = |why: String| CliError::msg(format!("--pin-file {shown}: {why}"));
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let meta = file.metadata().map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail("not a regular file".into()));
    }
    check_owner_only(&meta).map_err(fail)?;
    if meta.len() > MAX_PIN_FILE {
        return Err(fail(format!(
            "longer than {MAX_PIN_FILE} bytes: not a PIN file"
        )));
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_PIN_FILE as usize + 1));
    file.take(MAX_PIN_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_PIN_FILE {
        return Err(fail(format!(
            "longer than {MAX_PIN_FILE} bytes: not a PIN file"
        )));
    }
    let mut line: &[u8] = &bytes;
    line = line.strip_suffix(b"\n").unwrap_or(line);
    line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.contains(&b'\n') {
        return Err(fail("more than one line".into()));
    }
    let text = std::str::from_utf8(line).map_err(|_| fail("not UTF-8".into()))?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// On Unix, refuses a file that anyone but its owner may read or write.
#[cfg(unix)]
fn check_owner_only(meta: &std::fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "its mode is {mode:04o}, so others may read it; make it private (chmod 600)"
        ));
    }
    Ok(())
}

/// Elsewhere the file's permissions are not checked.
#[cfg(not(unix))]
fn check_owner_only(_meta: &std::fs::Metadata) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests;
