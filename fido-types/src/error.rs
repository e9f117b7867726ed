//! Errors shared by every layer: what the authenticator answered ([`CtapError`],
//! [`ApduError`]), what a WebAuthn client reports ([`ClientError`] with its
//! [`ClientErrorCode`], and [`PinRequiredError`]). Each layer above wraps the ones it
//! meets in its own error type.
//!
//! The shape follows python-fido2 (`CtapError`, `ApduError`, `ClientError`,
//! `PinRequiredError`), with Rust types in place of exception classes: each error keeps
//! the wire code it came from, so a caller can match on it, and prints it in plain words.
//!
//! ```
//! use fido_types::error::{ClientError, ClientErrorCode, CtapError};
//! use fido_types::status::CtapStatus;
//!
//! let ctap = CtapError::new(CtapStatus::PIN_INVALID);
//! assert_eq!(ctap.to_string(), "the authenticator answered PIN_INVALID (0x31): the PIN is incorrect");
//!
//! let client = ClientError::new(ClientErrorCode::DEVICE_INELIGIBLE).with_cause(ctap);
//! assert_eq!(client.code(), ClientErrorCode::DEVICE_INELIGIBLE);
//! assert!(std::error::Error::source(&client).is_some());
//! ```

use core::fmt;
use std::error::Error as StdError;

use crate::apdu::ApduStatus;
use crate::status::CtapStatus;

/// The authenticator answered a CTAP2 command with a status other than success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CtapError {
    status: CtapStatus,
}

impl CtapError {
    /// An error for `status`.
    pub const fn new(status: CtapStatus) -> Self {
        CtapError { status }
    }

    /// The status byte the authenticator sent.
    pub const fn status(&self) -> CtapStatus {
        self.status
    }
}

impl From<CtapStatus> for CtapError {
    fn from(status: CtapStatus) -> Self {
        CtapError::new(status)
    }
}

impl fmt::Display for CtapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the authenticator answered {}: {}",
            self.status,
            self.status.description()
        )
    }
}

impl StdError for CtapError {}

/// A CTAP1/U2F response APDU ended with a status word other than [`ApduStatus::OK`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApduError {
    status: ApduStatus,
    data: Vec<u8>,
}

impl ApduError {
    /// An error for `status`, with the response body that came with it (often empty).
    pub fn new(status: ApduStatus, data: impl Into<Vec<u8>>) -> Self {
        ApduError {
            status,
            data: data.into(),
        }
    }

    /// The status word.
    pub const fn status(&self) -> ApduStatus {
        self.status
    }

    /// The response body sent before the status word.
    pub fn data(&self) -> &[u8] {
        &self.data
    }
}

impl fmt::Display for ApduError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the authenticator answered APDU {}", self.status)?;
        if !self.data.is_empty() {
            write!(f, " with {} bytes of data", self.data.len())?;
        }
        Ok(())
    }
}

impl StdError for ApduError {}

/// The error code of a [`ClientError`], as WebAuthn clients report them.
///
/// Values from python-fido2's `ClientError.ERR` (shared/seed/fido2-client-api.txt); unknown
/// values are kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientErrorCode(pub u8);

impl ClientErrorCode {
    /// Any other error.
    pub const OTHER_ERROR: Self = Self(1);
    /// The request was malformed or cannot be satisfied as given.
    pub const BAD_REQUEST: Self = Self(2);
    /// The request needs a configuration the client or authenticator does not support.
    pub const CONFIGURATION_UNSUPPORTED: Self = Self(3);
    /// The authenticator is not eligible for the request (e.g. already registered).
    pub const DEVICE_INELIGIBLE: Self = Self(4);
    /// The operation timed out.
    pub const TIMEOUT: Self = Self(5);

    /// The name of a known code, e.g. `"BAD_REQUEST"`.
    pub const fn name(self) -> Option<&'static str> {
        match self.0 {
            1 => Some("OTHER_ERROR"),
            2 => Some("BAD_REQUEST"),
            3 => Some("CONFIGURATION_UNSUPPORTED"),
            4 => Some("DEVICE_INELIGIBLE"),
            5 => Some("TIMEOUT"),
            _ => None,
        }
    }
}

impl fmt::Display for ClientErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "client error {}", self.0),
        }
    }
}

impl fmt::Debug for ClientErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClientErrorCode({self})")
    }
}

/// A WebAuthn-level client failure: a code saying what kind, and the underlying cause.
#[derive(Debug)]
pub struct ClientError {
    code: ClientErrorCode,
    cause: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl ClientError {
    /// An error with `code` and no cause.
    pub fn new(code: ClientErrorCode) -> Self {
        ClientError { code, cause: None }
    }

    /// The same error, caused by `cause` (reachable through [`StdError::source`]).
    pub fn with_cause(mut self, cause: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    /// The kind of failure.
    pub const fn code(&self) -> ClientErrorCode {
        self.code
    }

    /// `true` when the operation needs a PIN that the caller did not provide.
    pub fn is_pin_required(&self) -> bool {
        self.cause
            .as_deref()
            .is_some_and(|cause| cause.is::<PinRequiredError>())
    }

    /// The authenticator's status, when the cause is a [`CtapError`].
    pub fn ctap_status(&self) -> Option<CtapStatus> {
        self.cause
            .as_deref()
            .and_then(|cause| cause.downcast_ref::<CtapError>())
            .map(CtapError::status)
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cause {
            Some(cause) => write!(f, "{}: {cause}", self.code),
            None => write!(f, "{}", self.code),
        }
    }
}

impl StdError for ClientError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.cause
            .as_deref()
            .map(|cause| cause as &(dyn StdError + 'static))
    }
}

/// The operation needs a PIN, but none was provided.
///
/// Converts into a [`ClientError`] with code [`ClientErrorCode::BAD_REQUEST`], as in
/// python-fido2, where `PinRequiredError` is a `ClientError` subclass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PinRequiredError;

impl fmt::Display for PinRequiredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PIN required but not provided")
    }
}

impl StdError for PinRequiredError {}

impl From<PinRequiredError> for ClientError {
    fn from(error: PinRequiredError) -> Self {
        ClientError::new(ClientErrorCode::BAD_REQUEST).with_cause(error)
    }
}

#[cfg(test)]
mod tests;
