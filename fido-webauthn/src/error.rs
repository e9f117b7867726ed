//! The errors of the WebAuthn client, and how each maps to a python-fido2-style
//! [`ClientError`] code.
//!
//! One story: whatever the CTAP layer reports (transport, cancellation, an authenticator
//! status, a U2F status word, a PIN/UV protocol step, a malformed response) is
//! [`Error::Ctap`], fido-ctap's [`Error`](fido_ctap::error::Error) kept whole; the other
//! variants are the client's own decisions. A cancellation (the caller's token or the
//! options' timeout) has one shape, `TransportError::Cancelled` inside [`Error::Ctap`]
//! ([`Error::is_cancelled`]).
//!
//! [`Error::code`] gives the [`ClientErrorCode`] python-fido2 would raise for the same
//! failure; `ClientError::from(error)` builds the [`ClientError`], keeping the
//! authenticator status (for [`ClientError::ctap_status`]) and the "PIN required" marker
//! (for [`ClientError::is_pin_required`]).
//!
//! ```
//! use fido_types::error::{ClientError, ClientErrorCode, CtapError};
//! use fido_types::status::CtapStatus;
//! use fido_webauthn::error::Error;
//!
//! let error = Error::from(CtapError::new(CtapStatus::NO_CREDENTIALS));
//! assert_eq!(error.code(), ClientErrorCode::DEVICE_INELIGIBLE);
//! let client = ClientError::from(error);
//! assert_eq!(client.ctap_status(), Some(CtapStatus::NO_CREDENTIALS));
//! ```

use fido_ctap::device::TransportError;
use fido_types::error::{ApduError, ClientError, ClientErrorCode, CtapError, PinRequiredError};
use fido_types::pin_protocol::{PinError, PinProtocolError};
use fido_types::status::CtapStatus;

use crate::extensions::ExtensionError;
use crate::rp_id::RpIdError;

/// fido-ctap's error, the one shape of every failure below the client.
type CtapLayer = fido_ctap::error::Error;

/// Everything that can make a WebAuthn client operation fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The CTAP layer failed: the transport (TIMEOUT for timeouts and cancellation,
    /// OTHER_ERROR otherwise), an authenticator status ([`ctap_status_code`]), a U2F
    /// status word or a PIN/UV protocol step (OTHER_ERROR), a PIN that breaks the rules
    /// (BAD_REQUEST).
    #[error(transparent)]
    Ctap(#[from] CtapLayer),
    /// The RP ID is not usable from the origin (BAD_REQUEST, as python-fido2's
    /// `DefaultClientDataCollector.verify_rp_id`).
    #[error(transparent)]
    RpId(#[from] RpIdError),
    /// The request options are malformed or contradictory (BAD_REQUEST).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The operation needs a PIN and the user interaction gave none (BAD_REQUEST).
    #[error(transparent)]
    PinRequired(#[from] PinRequiredError),
    /// User verification is needed but the authenticator has none configured or none at
    /// all (CONFIGURATION_UNSUPPORTED, python-fido2 "User verification not
    /// configured/supported").
    #[error("user verification is needed but not configured or not supported")]
    UvNotConfigured,
    /// The request needs a feature the authenticator lacks, e.g. resident keys
    /// (CONFIGURATION_UNSUPPORTED).
    #[error("not supported by the authenticator: {0}")]
    Unsupported(String),
    /// The authenticator's answer does not make sense to the client, e.g. an assertion
    /// without a credential or unreadable authenticator data (OTHER_ERROR).
    #[error("invalid response from the authenticator: {0}")]
    InvalidResponse(String),
    /// The authenticator's answer contradicts the request: another RP's rpIdHash, no
    /// presence or verification where they were asked for, a credential outside the
    /// allow list, a registration without a credential (OTHER_ERROR).
    #[error("the authenticator's response does not match the request: {0}")]
    Mismatch(#[from] crate::check::Mismatch),
    /// No authenticator could serve the request, e.g. none was selected (DEVICE_INELIGIBLE).
    #[error("no eligible authenticator: {0}")]
    DeviceIneligible(String),
    /// A client extension refused the request or the answer ([`ExtensionError`]):
    /// malformed inputs (BAD_REQUEST), an unmet requirement or no PIN/UV protocol for a
    /// key agreement (CONFIGURATION_UNSUPPORTED), a CTAP-layer step (as [`Error::Ctap`]),
    /// an invalid output or a large-blob failure (OTHER_ERROR).
    /// (Boxed: an extension error carries a CTAP-layer error of its own.)
    #[error(transparent)]
    Extension(Box<ExtensionError>),
}

impl From<ExtensionError> for Error {
    fn from(error: ExtensionError) -> Self {
        Error::Extension(Box::new(error))
    }
}

impl Error {
    /// The error of an operation cancelled by the caller's token or the options' timeout.
    pub fn cancelled() -> Self {
        TransportError::Cancelled.into()
    }

    /// Whether the operation was cancelled (the caller's token, the options' timeout, or
    /// the authenticator's KEEPALIVE_CANCEL).
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Error::Ctap(e) if e.is_cancelled())
    }

    /// The [`ClientErrorCode`] python-fido2 reports for this failure.
    pub fn code(&self) -> ClientErrorCode {
        match self {
            Error::Ctap(e) => ctap_layer_code(e),
            Error::RpId(_) | Error::BadRequest(_) | Error::PinRequired(_) => {
                ClientErrorCode::BAD_REQUEST
            }
            Error::UvNotConfigured | Error::Unsupported(_) => {
                ClientErrorCode::CONFIGURATION_UNSUPPORTED
            }
            Error::DeviceIneligible(_) => ClientErrorCode::DEVICE_INELIGIBLE,
            Error::InvalidResponse(_) | Error::Mismatch(_) => ClientErrorCode::OTHER_ERROR,
            Error::Extension(e) => extension_code(e),
        }
    }

    /// The authenticator's status, when the failure is a CTAP2 error.
    pub fn ctap_status(&self) -> Option<CtapStatus> {
        match self {
            Error::Ctap(e) => e.ctap_status(),
            _ => None,
        }
    }
}

/// The code of a CTAP-layer failure: [`ctap_status_code`] of the authenticator status
/// behind it; without one, TIMEOUT for cancellation and timeouts, BAD_REQUEST for a PIN
/// that breaks the rules, else OTHER_ERROR.
fn ctap_layer_code(e: &CtapLayer) -> ClientErrorCode {
    match (e.ctap_status(), e) {
        (Some(status), _) => ctap_status_code(status),
        (
            None,
            CtapLayer::Transport(TransportError::Cancelled | TransportError::Timeout { .. }),
        ) => ClientErrorCode::TIMEOUT,
        (None, CtapLayer::PinRule(_)) => ClientErrorCode::BAD_REQUEST,
        (None, _) => ClientErrorCode::OTHER_ERROR,
    }
}

/// The code of an extension's refusal.
fn extension_code(e: &ExtensionError) -> ClientErrorCode {
    match e {
        ExtensionError::Malformed { .. } => ClientErrorCode::BAD_REQUEST,
        ExtensionError::Required { .. } | ExtensionError::NoSharedSecret { .. } => {
            ClientErrorCode::CONFIGURATION_UNSUPPORTED
        }
        ExtensionError::Ctap { source, .. } => ctap_layer_code(source),
        _ => ClientErrorCode::OTHER_ERROR,
    }
}

/// An authenticator status as the CTAP layer types it ([`CtapLayer::from_status`]).
impl From<CtapStatus> for Error {
    fn from(status: CtapStatus) -> Self {
        CtapLayer::from(status).into()
    }
}

/// An authenticator status as the CTAP layer types it ([`CtapLayer::from_status`]).
impl From<CtapError> for Error {
    fn from(error: CtapError) -> Self {
        CtapLayer::from(error).into()
    }
}

/// Below the client, through the CTAP layer's error.
impl From<TransportError> for Error {
    fn from(error: TransportError) -> Self {
        CtapLayer::from(error).into()
    }
}

/// Below the client, through the CTAP layer's error.
impl From<ApduError> for Error {
    fn from(error: ApduError) -> Self {
        CtapLayer::from(error).into()
    }
}

/// Below the client, through the CTAP layer's error.
impl From<PinError> for Error {
    fn from(error: PinError) -> Self {
        CtapLayer::from(error).into()
    }
}

/// Below the client, through the CTAP layer's error.
impl From<PinProtocolError> for Error {
    fn from(error: PinProtocolError) -> Self {
        CtapLayer::from(error).into()
    }
}

impl From<Error> for ClientError {
    fn from(error: Error) -> Self {
        let code = error.code();
        let client = ClientError::new(code);
        match error {
            // As python-fido2: the cause of a CTAP failure is the CtapError, so
            // ClientError::ctap_status works.
            Error::Ctap(e) => match e.ctap_status() {
                Some(status) => client.with_cause(CtapError::new(status)),
                None => client.with_cause(e),
            },
            // Keep the marker so ClientError::is_pin_required works.
            Error::PinRequired(e) => client.with_cause(e),
            other => client.with_cause(other),
        }
    }
}

/// python-fido2's `_ctap2client_err`: the [`ClientErrorCode`] for an authenticator status.
///
/// | status | code |
/// |---|---|
/// | CREDENTIAL_EXCLUDED, NO_CREDENTIALS | DEVICE_INELIGIBLE |
/// | KEEPALIVE_CANCEL, ACTION_TIMEOUT, USER_ACTION_TIMEOUT | TIMEOUT |
/// | UNSUPPORTED_ALGORITHM, UNSUPPORTED_OPTION, KEY_STORE_FULL | CONFIGURATION_UNSUPPORTED |
/// | INVALID_COMMAND, CBOR_UNEXPECTED_TYPE, INVALID_CBOR, MISSING_PARAMETER, INVALID_OPTION, PUAT_REQUIRED, PIN_INVALID, PIN_BLOCKED, PIN_NOT_SET, PIN_POLICY_VIOLATION, PIN_TOKEN_EXPIRED, PIN_AUTH_INVALID, PIN_AUTH_BLOCKED, REQUEST_TOO_LARGE, OPERATION_DENIED | BAD_REQUEST |
/// | anything else | OTHER_ERROR |
pub fn ctap_status_code(status: CtapStatus) -> ClientErrorCode {
    match status {
        CtapStatus::CREDENTIAL_EXCLUDED | CtapStatus::NO_CREDENTIALS => {
            ClientErrorCode::DEVICE_INELIGIBLE
        }
        CtapStatus::KEEPALIVE_CANCEL
        | CtapStatus::ACTION_TIMEOUT
        | CtapStatus::USER_ACTION_TIMEOUT => ClientErrorCode::TIMEOUT,
        CtapStatus::UNSUPPORTED_ALGORITHM
        | CtapStatus::UNSUPPORTED_OPTION
        | CtapStatus::KEY_STORE_FULL => ClientErrorCode::CONFIGURATION_UNSUPPORTED,
        CtapStatus::INVALID_COMMAND
        | CtapStatus::CBOR_UNEXPECTED_TYPE
        | CtapStatus::INVALID_CBOR
        | CtapStatus::MISSING_PARAMETER
        | CtapStatus::INVALID_OPTION
        | CtapStatus::PUAT_REQUIRED
        | CtapStatus::PIN_INVALID
        | CtapStatus::PIN_BLOCKED
        | CtapStatus::PIN_NOT_SET
        | CtapStatus::PIN_POLICY_VIOLATION
        | CtapStatus::PIN_TOKEN_EXPIRED
        | CtapStatus::PIN_AUTH_INVALID
        | CtapStatus::PIN_AUTH_BLOCKED
        | CtapStatus::REQUEST_TOO_LARGE
        | CtapStatus::OPERATION_DENIED => ClientErrorCode::BAD_REQUEST,
        _ => ClientErrorCode::OTHER_ERROR,
    }
}

#[cfg(test)]
mod tests;
