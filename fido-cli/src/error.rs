//! Errors in plain words, and the exit status each one gives.

use fido_ctap::device::TransportError;
use fido_ctap::error::{Error as CtapError, PermissionError, PinUvError};
use fido_types::webauthn::WebAuthnError;

/// Everything a command can fail with.
#[derive(Debug)]
pub enum CliError {
    /// The authenticator or the transport failed (also under the WebAuthn client: a
    /// client error that wraps fido-ctap's is kept as that error).
    Ctap(CtapError),
    /// The WebAuthn client failed for a reason of its own.
    Client(fido_webauthn::Error),
    /// A WebAuthn structure did not parse or verify.
    WebAuthn(WebAuthnError),
    /// Anything else, already in words.
    Message(String),
}

impl CliError {
    /// An error from a sentence.
    pub fn msg(text: impl Into<String>) -> Self {
        CliError::Message(text.into())
    }

    /// Wraps an error from `fido virtual`.
    pub fn from_boxed(e: Box<dyn std::error::Error>) -> Self {
        CliError::Message(e.to_string())
    }

    /// Whether the user cancelled (Ctrl-C).
    pub fn is_cancelled(&self) -> bool {
        matches!(
            self,
            CliError::Ctap(CtapError::Transport(TransportError::Cancelled))
        )
    }

    /// The process exit status: 130 when cancelled (as for SIGINT), otherwise 1.
    pub fn exit_code(&self) -> u8 {
        if self.is_cancelled() { 130 } else { 1 }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Ctap(e) => f.write_str(&describe(e)),
            CliError::Client(e) => f.write_str(&describe_client(e)),
            CliError::WebAuthn(e) => write!(f, "invalid WebAuthn data: {e}"),
            CliError::Message(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CliError {}

impl From<CtapError> for CliError {
    fn from(e: CtapError) -> Self {
        CliError::Ctap(e)
    }
}

impl From<TransportError> for CliError {
    fn from(e: TransportError) -> Self {
        CliError::Ctap(e.into())
    }
}

impl From<fido_webauthn::Error> for CliError {
    fn from(e: fido_webauthn::Error) -> Self {
        match e {
            fido_webauthn::Error::Ctap(e) => CliError::Ctap(e),
            other => CliError::Client(other),
        }
    }
}

impl From<WebAuthnError> for CliError {
    fn from(e: WebAuthnError) -> Self {
        CliError::WebAuthn(e)
    }
}

impl From<fido_types::pin_protocol::PinError> for CliError {
    fn from(e: fido_types::pin_protocol::PinError) -> Self {
        CliError::Message(format!("unusable PIN: {e}"))
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Message(e.to_string())
    }
}

/// A fido-ctap error as a sentence a user can act on.
pub fn describe(e: &CtapError) -> String {
    match e {
        CtapError::Transport(TransportError::Cancelled) => "cancelled".to_owned(),
        CtapError::Transport(TransportError::NoDevice) => "no FIDO security key found: plug one \
             in, or pass `--device virtual` to use the built-in software authenticator"
            .to_owned(),
        CtapError::Transport(TransportError::Timeout { .. }) => {
            format!("the authenticator did not answer in time ({e})")
        }
        CtapError::Transport(t) => format!("could not talk to the authenticator: {t}"),
        CtapError::PinUv(PinUvError::PinInvalid { .. }) => {
            format!("{e}; check the PIN and try again")
        }
        CtapError::PinUv(PinUvError::PinNotSet) => {
            "no PIN is set on the authenticator: set one with `fido pin set`".to_owned()
        }
        CtapError::PinUv(PinUvError::TokenRequired) => {
            "the authenticator needs user verification for this: pass --pin (or set a PIN with \
             `fido pin set`)"
                .to_owned()
        }
        CtapError::Permission(PermissionError::OperationDenied) => {
            "the user refused (the touch or the verification was denied)".to_owned()
        }
        CtapError::Permission(PermissionError::NotAllowed) => {
            "the authenticator does not allow this now (a reset is only allowed within seconds \
             of plugging the key in; a PIN that is already set must be changed, not set)"
                .to_owned()
        }
        _ => match e.ctap_status() {
            Some(status) if matches!(e, CtapError::Ctap(_)) => format!(
                "the authenticator refused: {} ({status})",
                status.description()
            ),
            _ => e.to_string(),
        },
    }
}

/// A WebAuthn client error of the client's own as a sentence (one that wraps fido-ctap's
/// reads as [`describe`] says).
pub fn describe_client(e: &fido_webauthn::Error) -> String {
    use fido_webauthn::Error as W;
    match e {
        W::Ctap(inner) => describe(inner),
        W::PinRequired(_) => "the authenticator needs its PIN: pass --pin, or run `fido` in a \
             terminal to be asked for it"
            .to_owned(),
        W::UvNotConfigured => "the request asks for user verification, but the authenticator \
             has none set up (no PIN, no enrolled fingerprint): set a PIN with `fido pin set`, \
             or pass --user-verification discouraged"
            .to_owned(),
        W::RpId(r) => format!("{r}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
