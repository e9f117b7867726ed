//! The error type of the CTAP layer: one enum, with nested enums for the topics callers act
//! on (PIN and UV state, permissions, requests refused before sending, malformed
//! responses).
//!
//! Each error of the layers below is wrapped once, in one variant: the transport's
//! [`TransportError`], fido-types' [`CtapError`] (a [`CtapStatus`]), [`ApduError`],
//! [`DecodeError`] and [`EncodeError`] of the CBOR codec, [`PinError`] (PIN rules) and
//! [`PinProtocolError`] (the PIN/UV auth protocols).
//!
//! Authenticator status bytes that callers handle differently become their own variants:
//! a wrong PIN is [`PinUvError::PinInvalid`] with the retries left, a PIN that needs a
//! power cycle is [`PinUvError::PinAuthBlocked`], and so on. Every other status stays a
//! [`CtapError`] with its [`CtapStatus`]. Every status takes that one path
//! ([`Error::from_status`], also behind `From<CtapStatus>` and `From<CtapError>`), so a
//! status has exactly one shape.
//!
//! Cancellation has one shape too: [`TransportError::Cancelled`] inside
//! [`Error::Transport`] ([`Error::is_cancelled`]), whether the caller's
//! [`CancelToken`](crate::device::CancelToken) fired or the authenticator answered
//! `CTAP2_ERR_KEEPALIVE_CANCEL`.

use fido_types::cbor::{DecodeError, EncodeError};
use fido_types::error::{ApduError, CtapError};
use fido_types::pin_protocol::{PinError, PinProtocolError, PinUvAuthProtocol};
use fido_types::status::CtapStatus;

use crate::device::TransportError;

/// Everything that can go wrong in `Ctap1`, `Ctap2` and the PIN/UV session.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The transport failed (device gone, timeout, cancelled, framing).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A PIN or built-in UV problem the caller can act on.
    #[error(transparent)]
    PinUv(#[from] PinUvError),
    /// The authenticator refused the operation, or the token lacks a permission.
    #[error(transparent)]
    Permission(#[from] PermissionError),
    /// The authenticator answered a CTAP2 command with an error status that has no variant
    /// of its own (converting a [`CtapError`] or [`CtapStatus`] goes through
    /// [`Error::from_status`]).
    #[error(transparent)]
    Ctap(CtapError),
    /// A U2F command ended with an error status word.
    #[error(transparent)]
    Apdu(#[from] ApduError),
    /// The request was not sent: it could not succeed.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The response broke the protocol.
    #[error(transparent)]
    Response(#[from] ResponseError),
    /// A CBOR response could not be decoded.
    #[error("malformed CBOR response: {0}")]
    Decode(#[from] DecodeError),
    /// A request could not be encoded.
    #[error("request could not be encoded: {0}")]
    Encode(#[from] EncodeError),
    /// The PIN breaks the PIN rules; nothing was sent.
    #[error(transparent)]
    PinRule(#[from] PinError),
    /// The PIN/UV auth protocol failed (a bad key from the authenticator, a bad token).
    #[error(transparent)]
    PinProtocol(#[from] PinProtocolError),
}

/// PIN and built-in user verification failures (CTAP 2.1 §6.5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinUvError {
    /// The PIN was wrong (`CTAP2_ERR_PIN_INVALID`). `retries` is what the authenticator
    /// reported afterwards (`None` if asking failed).
    #[error("wrong PIN{}", retries_text(*.retries))]
    PinInvalid {
        /// PIN retries left before the PIN is blocked.
        retries: Option<u32>,
    },
    /// Too many wrong PINs since power-up (`CTAP2_ERR_PIN_AUTH_BLOCKED`): unplug and
    /// replug the authenticator before trying again.
    #[error("too many wrong PINs in a row: unplug and replug the authenticator")]
    PinAuthBlocked,
    /// No PIN retries are left (`CTAP2_ERR_PIN_BLOCKED`): only a reset helps.
    #[error("the PIN is blocked; the authenticator must be reset")]
    PinBlocked,
    /// Built-in UV failed (`CTAP2_ERR_UV_INVALID`).
    #[error("user verification failed{}", retries_text(*.retries))]
    UvInvalid {
        /// UV retries left.
        retries: Option<u32>,
    },
    /// Built-in UV is blocked (`CTAP2_ERR_UV_BLOCKED`): fall back to the PIN.
    #[error("built-in user verification is blocked; use the PIN")]
    UvBlocked,
    /// No PIN is set (`CTAP2_ERR_PIN_NOT_SET`).
    #[error("no PIN is set on the authenticator")]
    PinNotSet,
    /// The operation needs a pinUvAuthToken (`CTAP2_ERR_PUAT_REQUIRED`, `PIN_REQUIRED`
    /// in CTAP 2.0).
    #[error("the operation needs a PIN/UV auth token")]
    TokenRequired,
    /// The new PIN breaks the authenticator's policy (`CTAP2_ERR_PIN_POLICY_VIOLATION`),
    /// for example it is shorter than its minPINLength or `forcePINChange` is set.
    #[error("the PIN does not meet the authenticator's PIN policy")]
    PolicyViolation,
    /// The pinUvAuthParam was rejected (`CTAP2_ERR_PIN_AUTH_INVALID`): the token expired
    /// or belongs to an earlier power cycle.
    #[error("the authenticator rejected the PIN/UV auth parameter")]
    AuthInvalid,
    /// The authenticator offers no PIN/UV auth protocol this library implements.
    #[error("the authenticator offers no supported PIN/UV auth protocol (it lists {offered:?})")]
    NoSupportedProtocol {
        /// The protocols the authenticator listed.
        offered: Vec<PinUvAuthProtocol>,
    },
    /// The authenticator has no built-in UV that can issue tokens.
    #[error("the authenticator cannot issue tokens through built-in user verification")]
    UvTokenUnsupported,
    /// The authenticator does not support a client PIN.
    #[error("the authenticator does not support a PIN")]
    PinUnsupported,
}

fn retries_text(retries: Option<u32>) -> String {
    match retries {
        Some(1) => " (1 attempt left)".to_owned(),
        Some(n) => format!(" ({n} attempts left)"),
        None => String::new(),
    }
}

/// The operation is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PermissionError {
    /// The command is not allowed now (`CTAP2_ERR_NOT_ALLOWED`).
    #[error("the authenticator does not allow this command now")]
    NotAllowed,
    /// The user or the authenticator denied the operation (`CTAP2_ERR_OPERATION_DENIED`).
    #[error("the operation was denied")]
    OperationDenied,
    /// The token lacks a permission the authenticator wanted
    /// (`CTAP2_ERR_UNAUTHORIZED_PERMISSION`).
    #[error("the authenticator says the PIN/UV auth token lacks a permission")]
    Unauthorized,
    /// A token with a run-time permission set was used for an operation it lacks; nothing
    /// was sent.
    #[error("the token's permissions {granted:#04x} lack {missing}")]
    Missing {
        /// The name of the missing permission.
        missing: &'static str,
        /// The bits the token holds.
        granted: u32,
    },
    /// The permissions include `mc` or `ga` but no permissions RP ID was given.
    #[error("makeCredential and getAssertion permissions need a permissions RP ID")]
    RpIdRequired,
    /// The token was acquired for another RP ID than the request's.
    #[error("the token is bound to RP ID {token:?}, the request is for {request:?}")]
    RpIdMismatch {
        /// The token's permissions RP ID.
        token: String,
        /// The request's RP ID.
        request: String,
    },
}

/// A request was refused before sending, because it could not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The encoded request exceeds the authenticator's `maxMsgSize`.
    #[error("the request is {len} bytes, the authenticator accepts at most {max}")]
    TooLarge {
        /// The encoded length (command byte included).
        len: usize,
        /// The authenticator's `maxMsgSize`.
        max: usize,
    },
    /// The authenticator does not support the command or option.
    #[error("the authenticator does not support {0}")]
    Unsupported(&'static str),
    /// A parameter is out of range.
    #[error("invalid request: {0}")]
    Invalid(&'static str),
}

/// A response broke the protocol.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError {
    /// The CTAP2 response was empty (no status byte).
    #[error("empty CTAP2 response")]
    Empty,
    /// A required member was missing from a response.
    #[error("the response lacks {0}")]
    Missing(&'static str),
    /// A member had an invalid value.
    #[error("invalid {what} in the response: {reason}")]
    Invalid {
        /// The member.
        what: &'static str,
        /// What was wrong.
        reason: &'static str,
    },
    /// A response was shorter than its fixed layout.
    #[error("{what} is {len} bytes, shorter than its layout")]
    Truncated {
        /// The structure.
        what: &'static str,
        /// Its length.
        len: usize,
    },
    /// A signature in a response does not verify.
    #[error("the {0} signature does not verify")]
    BadSignature(&'static str),
    /// Strict decoding: a map key of the response is out of CTAP2 canonical order.
    #[error("{map}: member {member} is out of CTAP2 canonical key order ({error}); {hint}", hint = fido_types::cbor::LENIENT_HINT)]
    NotCanonical {
        /// The response type, e.g. `Info`.
        map: &'static str,
        /// The key found out of order, e.g. `"rk"` or `0x03`.
        member: String,
        /// The decoder's error (kind and offset).
        error: DecodeError,
    },
}

impl Error {
    /// The typed error for an authenticator status byte (not success).
    pub fn from_status(status: CtapStatus) -> Self {
        match status {
            CtapStatus::PIN_INVALID => PinUvError::PinInvalid { retries: None }.into(),
            CtapStatus::PIN_AUTH_BLOCKED => PinUvError::PinAuthBlocked.into(),
            CtapStatus::PIN_BLOCKED => PinUvError::PinBlocked.into(),
            CtapStatus::UV_INVALID => PinUvError::UvInvalid { retries: None }.into(),
            CtapStatus::UV_BLOCKED => PinUvError::UvBlocked.into(),
            CtapStatus::PIN_NOT_SET => PinUvError::PinNotSet.into(),
            CtapStatus::PUAT_REQUIRED => PinUvError::TokenRequired.into(),
            CtapStatus::PIN_POLICY_VIOLATION => PinUvError::PolicyViolation.into(),
            CtapStatus::PIN_AUTH_INVALID => PinUvError::AuthInvalid.into(),
            CtapStatus::NOT_ALLOWED => PermissionError::NotAllowed.into(),
            CtapStatus::OPERATION_DENIED => PermissionError::OperationDenied.into(),
            CtapStatus::UNAUTHORIZED_PERMISSION => PermissionError::Unauthorized.into(),
            CtapStatus::KEEPALIVE_CANCEL => TransportError::Cancelled.into(),
            other => Error::Ctap(CtapError::new(other)),
        }
    }

    /// Whether the request was cancelled (by the caller's token, or by the authenticator
    /// answering `CTAP2_ERR_KEEPALIVE_CANCEL`).
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Error::Transport(TransportError::Cancelled))
    }

    /// The authenticator status behind this error, if it came from one.
    pub fn ctap_status(&self) -> Option<CtapStatus> {
        Some(match self {
            Error::Ctap(e) => e.status(),
            Error::PinUv(e) => match e {
                PinUvError::PinInvalid { .. } => CtapStatus::PIN_INVALID,
                PinUvError::PinAuthBlocked => CtapStatus::PIN_AUTH_BLOCKED,
                PinUvError::PinBlocked => CtapStatus::PIN_BLOCKED,
                PinUvError::UvInvalid { .. } => CtapStatus::UV_INVALID,
                PinUvError::UvBlocked => CtapStatus::UV_BLOCKED,
                PinUvError::PinNotSet => CtapStatus::PIN_NOT_SET,
                PinUvError::TokenRequired => CtapStatus::PUAT_REQUIRED,
                PinUvError::PolicyViolation => CtapStatus::PIN_POLICY_VIOLATION,
                PinUvError::AuthInvalid => CtapStatus::PIN_AUTH_INVALID,
                _ => return None,
            },
            Error::Permission(e) => match e {
                PermissionError::NotAllowed => CtapStatus::NOT_ALLOWED,
                PermissionError::OperationDenied => CtapStatus::OPERATION_DENIED,
                PermissionError::Unauthorized => CtapStatus::UNAUTHORIZED_PERMISSION,
                _ => return None,
            },
            _ => return None,
        })
    }
}

impl From<CtapStatus> for Error {
    /// As [`Error::from_status`].
    fn from(status: CtapStatus) -> Self {
        Error::from_status(status)
    }
}

impl From<CtapError> for Error {
    /// As [`Error::from_status`]: a status with a variant of its own lands there.
    fn from(error: CtapError) -> Self {
        Error::from_status(error.status())
    }
}

/// Shorthand for results of this crate's CTAP layer.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_status_round_trips_through_the_typed_error() {
        for &status in CtapStatus::KNOWN {
            if status == CtapStatus::SUCCESS || status == CtapStatus::KEEPALIVE_CANCEL {
                continue;
            }
            let err = Error::from_status(status);
            assert_eq!(err.ctap_status(), Some(status), "{status:?} -> {err:?}");
        }
    }

    #[test]
    fn callers_can_match_the_statuses_they_act_on() {
        assert!(matches!(
            Error::from_status(CtapStatus::PIN_AUTH_BLOCKED),
            Error::PinUv(PinUvError::PinAuthBlocked)
        ));
        assert!(matches!(
            Error::from_status(CtapStatus::UV_BLOCKED),
            Error::PinUv(PinUvError::UvBlocked)
        ));
        assert!(matches!(
            Error::from_status(CtapStatus::OPERATION_DENIED),
            Error::Permission(PermissionError::OperationDenied)
        ));
        assert!(matches!(
            Error::from_status(CtapStatus::KEEPALIVE_CANCEL),
            Error::Transport(TransportError::Cancelled)
        ));
        assert!(
            matches!(Error::from_status(CtapStatus(0xF3)), Error::Ctap(e) if e.status() == CtapStatus(0xF3))
        );
        // Every conversion from a status takes the same path: one shape per status.
        assert!(Error::from(CtapError::new(CtapStatus::KEEPALIVE_CANCEL)).is_cancelled());
        assert!(matches!(
            Error::from(CtapStatus::PIN_BLOCKED),
            Error::PinUv(PinUvError::PinBlocked)
        ));
        assert_eq!(
            PinUvError::PinInvalid { retries: Some(3) }.to_string(),
            "wrong PIN (3 attempts left)"
        );
    }
}
