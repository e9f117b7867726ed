//! Errors of the WebAuthn data model.

use crate::cose::CoseError;

/// Why authenticator data, an attestation object, client data or a WebAuthn JSON value
/// could not be read or built, or why a signature over them did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebAuthnError {
    /// The input ends before a part that the structure (or its flags) says is there.
    #[error("{what} is truncated: {needed} bytes needed, {available} present")]
    Truncated {
        /// The part being read.
        what: &'static str,
        /// Bytes needed.
        needed: usize,
        /// Bytes present.
        available: usize,
    },
    /// Bytes follow the structure where none may (e.g. authenticator data without the AT or
    /// ED flag followed by more bytes).
    #[error("{count} unexpected bytes after {what}")]
    TrailingBytes {
        /// The structure that should have ended.
        what: &'static str,
        /// How many bytes follow it.
        count: usize,
    },
    /// A CBOR item is not well-formed, or (strict decoding) not canonical.
    #[error("invalid CBOR in {what}: {error}{note}")]
    InvalidCbor {
        /// The part being read.
        what: &'static str,
        /// The decoder's error: kind and byte offset.
        error: crate::cbor::DecodeError,
        /// For a map key out of canonical order: which member, and the lenient mode
        /// that accepts it ([`crate::cbor::unsorted_note`]); otherwise empty.
        note: String,
    },
    /// A required member is absent.
    #[error("missing {0}")]
    MissingField(&'static str),
    /// A member has the wrong type or an unacceptable value.
    #[error("invalid {field}: {reason}")]
    InvalidField {
        /// The member.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A COSE key is malformed, or a signature did not verify.
    #[error(transparent)]
    Cose(#[from] CoseError),
    /// An AAGUID string is not a canonical UUID, or AAGUID bytes are not 16 bytes.
    #[error("invalid AAGUID: {0}")]
    InvalidAaguid(String),
    /// A string is not base64url.
    #[error("invalid base64url: {0}")]
    Base64Url(String),
    /// A JSON document could not be read or does not have the WebAuthn shape.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// The attestation format is one whose signature this crate does not check.
    #[error("unsupported attestation format {0:?}")]
    UnsupportedFormat(String),
}

impl WebAuthnError {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        WebAuthnError::InvalidField {
            field,
            reason: reason.into(),
        }
    }

    pub(crate) fn cbor(what: &'static str, error: crate::cbor::DecodeError) -> Self {
        WebAuthnError::InvalidCbor {
            what,
            error,
            note: String::new(),
        }
    }

    /// A CBOR error in `input`, the encoding of `what`, naming the member out of
    /// canonical order when that is the error.
    pub(crate) fn cbor_in(
        what: &'static str,
        input: &[u8],
        error: crate::cbor::DecodeError,
    ) -> Self {
        let note = crate::cbor::unsorted_note(what, input, &error);
        WebAuthnError::InvalidCbor { what, error, note }
    }
}

impl From<serde_json::Error> for WebAuthnError {
    fn from(e: serde_json::Error) -> Self {
        WebAuthnError::Json(e.to_string())
    }
}
