//! The errors of the WebAuthn client, and how each maps to a python-fido2-style
//! [`ClientError`] code.
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

use crate::rp_id::RpIdError;

/// Everything that can make a WebAuthn client operation fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
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
    /// The PIN the user gave breaks the PIN rules (BAD_REQUEST).
    #[error(transparent)]
    InvalidPin(#[from] PinError),
    /// User verification is needed but the authenticator has none configured or none at
    /// all (CONFIGURATION_UNSUPPORTED, python-fido2 "User verification not
    /// configured/supported").
    #[error("user verification is needed but not configured or not supported")]
    UvNotConfigured,
    /// The request needs a feature the authenticator lacks, e.g. resident keys
    /// (CONFIGURATION_UNSUPPORTED).
    #[error("not supported by the authenticator: {0}")]
    Unsupported(String),
    /// The authenticator answered with an error status (code per [`ctap_status_code`]).
    #[error(transparent)]
    Ctap(#[from] CtapError),
    /// A `Ctap2`/`ClientPin` call failed (fido-ctap's error, kept whole). Its code is
    /// [`ctap_status_code`] of the authenticator status behind it; without one, TIMEOUT
    /// for cancellation and timeouts, BAD_REQUEST for a PIN that breaks the rules, else
    /// OTHER_ERROR.
    #[error(transparent)]
    Device(#[from] fido_ctap::error::Error),
    /// A CTAP1/U2F authenticator answered with an error status word (OTHER_ERROR, as
    /// python-fido2's `_call_polling`).
    #[error(transparent)]
    Apdu(#[from] ApduError),
    /// The device could not be reached or misbehaved on the transport (TIMEOUT for
    /// timeouts and cancellation, OTHER_ERROR otherwise).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A PIN/UV auth protocol step failed, e.g. a malformed key from the authenticator
    /// (OTHER_ERROR).
    #[error(transparent)]
    PinProtocol(#[from] PinProtocolError),
    /// The authenticator's answer does not make sense, e.g. an assertion without a
    /// credential or unreadable authenticator data (OTHER_ERROR).
    #[error("invalid response from the authenticator: {0}")]
    InvalidResponse(String),
    /// The operation's time ran out (TIMEOUT).
    #[error("the operation timed out")]
    Timeout,
    /// The operation was cancelled by the caller (TIMEOUT, as python-fido2 maps
    /// KEEPALIVE_CANCEL).
    #[error("the operation was cancelled")]
    Cancelled,
    /// No authenticator could serve the request, e.g. none was selected (DEVICE_INELIGIBLE).
    #[error("no eligible authenticator: {0}")]
    DeviceIneligible(String),
}

impl Error {
    /// The [`ClientErrorCode`] python-fido2 reports for this failure.
    pub fn code(&self) -> ClientErrorCode {
        match self {
            Error::RpId(_)
            | Error::BadRequest(_)
            | Error::PinRequired(_)
            | Error::InvalidPin(_) => ClientErrorCode::BAD_REQUEST,
            Error::UvNotConfigured | Error::Unsupported(_) => {
                ClientErrorCode::CONFIGURATION_UNSUPPORTED
            }
            Error::Ctap(e) => ctap_status_code(e.status()),
            Error::Device(e) => match (e.ctap_status(), e) {
                (Some(status), _) => ctap_status_code(status),
                (
                    None,
                    fido_ctap::error::Error::Transport(
                        TransportError::Cancelled | TransportError::Timeout { .. },
                    ),
                ) => ClientErrorCode::TIMEOUT,
                (None, fido_ctap::error::Error::PinRule(_)) => ClientErrorCode::BAD_REQUEST,
                (None, _) => ClientErrorCode::OTHER_ERROR,
            },
            Error::Transport(TransportError::Cancelled | TransportError::Timeout { .. })
            | Error::Timeout
            | Error::Cancelled => ClientErrorCode::TIMEOUT,
            Error::DeviceIneligible(_) => ClientErrorCode::DEVICE_INELIGIBLE,
            Error::Apdu(_)
            | Error::Transport(_)
            | Error::PinProtocol(_)
            | Error::InvalidResponse(_) => ClientErrorCode::OTHER_ERROR,
        }
    }

    /// The authenticator's status, when the failure is a CTAP2 error.
    pub fn ctap_status(&self) -> Option<CtapStatus> {
        match self {
            Error::Ctap(e) => Some(e.status()),
            Error::Device(e) => e.ctap_status(),
            _ => None,
        }
    }
}

impl From<CtapStatus> for Error {
    fn from(status: CtapStatus) -> Self {
        Error::Ctap(CtapError::new(status))
    }
}

impl From<Error> for ClientError {
    fn from(error: Error) -> Self {
        let code = error.code();
        let client = ClientError::new(code);
        match error {
            // Keep the concrete cause so ClientError::ctap_status / is_pin_required work.
            Error::Ctap(e) => client.with_cause(e),
            Error::PinRequired(e) => client.with_cause(e),
            // As python-fido2: the cause of a CTAP failure is the CtapError.
            Error::Device(e) => match e.ctap_status() {
                Some(status) => client.with_cause(CtapError::new(status)),
                None => client.with_cause(e),
            },
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
