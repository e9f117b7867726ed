//! Reading PINs: from `--pin`, or from a no-echo prompt on the terminal.

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
