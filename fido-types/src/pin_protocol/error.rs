//! Errors of the PIN/UV auth protocols and of the PIN rules.

use super::PinUvAuthProtocol;

/// Why a PIN/UV auth protocol operation failed.
///
/// Every variant describes bad input (from the caller, or from a possibly hostile peer) or
/// a failed system random source; none is a bug in this module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinProtocolError {
    /// The protocol number is not one this library implements.
    #[error("unsupported PIN/UV auth protocol {0}")]
    UnsupportedProtocol(PinUvAuthProtocol),
    /// A plaintext to encrypt is not a whole number of 16-byte AES blocks (the protocols
    /// use AES-256-CBC without padding).
    #[error("plaintext of {len} bytes is not a multiple of 16")]
    PlaintextLength {
        /// Length of the plaintext in bytes.
        len: usize,
    },
    /// A ciphertext to decrypt is not a whole number of 16-byte AES blocks.
    #[error("ciphertext of {len} bytes is not a multiple of 16")]
    CiphertextLength {
        /// Length of the ciphertext in bytes.
        len: usize,
    },
    /// A protocol-two ciphertext is shorter than its 16-byte IV.
    #[error("ciphertext of {len} bytes is shorter than the {min}-byte minimum")]
    CiphertextTooShort {
        /// Length of the ciphertext in bytes.
        len: usize,
        /// The minimum length (the IV).
        min: usize,
    },
    /// Bytes given as a shared secret have the wrong length for the protocol.
    #[error("{protocol} shared secret must be {expected} bytes, got {actual}")]
    SharedSecretLength {
        /// The protocol the secret was meant for.
        protocol: PinUvAuthProtocol,
        /// The length the protocol needs.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// A decrypted pinUvAuthToken has a length the protocol does not allow
    /// (protocol one: 16 or 32 bytes; protocol two: 32 bytes).
    #[error("{protocol} pinUvAuthToken must not be {len} bytes")]
    TokenLength {
        /// The protocol the token was meant for.
        protocol: PinUvAuthProtocol,
        /// The length received.
        len: usize,
    },
    /// A `pinUvAuthParam` has the wrong length (protocol one: 16 bytes; two: 32 bytes).
    #[error("{protocol} pinUvAuthParam must be {expected} bytes, got {actual}")]
    SignatureLength {
        /// The protocol whose MAC was checked.
        protocol: PinUvAuthProtocol,
        /// The length the protocol produces.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// A `pinUvAuthParam` does not authenticate the message (`CTAP2_ERR_PIN_AUTH_INVALID`
    /// on an authenticator).
    #[error("pinUvAuthParam does not match")]
    SignatureMismatch,
    /// The peer's key-agreement public key is not a point on P-256 (off the curve, a
    /// coordinate not below the field prime, or the point at infinity).
    #[error("peer key-agreement key is not a valid P-256 point")]
    InvalidPeerKey,
    /// Bytes given as a P-256 private key are not a scalar in `1..n`.
    #[error("invalid P-256 private key")]
    InvalidPrivateKey,
    /// The system random number generator failed.
    #[error("random number generator failed")]
    Random,
}

/// Why a PIN was rejected (CTAP 2.1 §6.5.1 PIN composition rules).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinError {
    /// Fewer Unicode code points than the minimum PIN length (`minPINLength`, default 4).
    #[error("PIN has {code_points} code points, at least {min} are needed")]
    TooShort {
        /// Code points in the PIN.
        code_points: usize,
        /// The minimum in force.
        min: usize,
    },
    /// More than 63 bytes of UTF-8.
    #[error("PIN is {bytes} bytes of UTF-8, at most {max} are allowed")]
    TooLong {
        /// UTF-8 length of the PIN.
        bytes: usize,
        /// The maximum (63).
        max: usize,
    },
    /// The PIN contains a NUL character. The authenticator takes the padded PIN up to its
    /// first zero byte, so such a PIN would be set truncated and never match its own hash.
    #[error("PIN contains a NUL character")]
    ContainsNul,
    /// A padded PIN (`newPinEnc` decrypted) is not exactly 64 bytes.
    #[error("padded PIN must be 64 bytes, got {len}")]
    PaddedLength {
        /// Length received.
        len: usize,
    },
    /// A padded PIN is not valid UTF-8 before its first zero byte.
    #[error("PIN is not valid UTF-8")]
    InvalidUtf8,
}
