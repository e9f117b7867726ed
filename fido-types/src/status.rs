//! CTAP status codes: the first byte of every CTAP2 response.
//!
//! [`CtapStatus`] is a newtype over the wire byte with a named constant for every status
//! code that CTAP 2.2 defines, so that a code this crate does not know still round-trips
//! and prints (in hex). Source of the codes: CTAP 2.1/2.2 §8.2 "Status codes" as listed
//! by python-fido2's `fido2.ctap.CtapError.ERR` (the project seed
//! `shared/seed/fido2-client-api.txt`), cross-checked with libfido2's `fido/err.h`.
//!
//! ```
//! use fido_types::status::CtapStatus;
//!
//! let status = CtapStatus::from(0x31);
//! assert_eq!(status, CtapStatus::PIN_INVALID);
//! assert_eq!(status.to_string(), "PIN_INVALID (0x31)");
//! assert_eq!(CtapStatus::from(0x99).to_string(), "unknown status 0x99");
//! ```

use core::fmt;

/// A CTAP status byte, as returned by an authenticator.
///
/// Every value from 0x00 to 0xFF is representable; the named constants cover the
/// codes the specification assigns. Use [`CtapStatus::name`] to tell known from unknown.
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct CtapStatus(pub u8);

macro_rules! statuses {
    ($( $(#[$doc:meta])* $name:ident = $value:literal, $spec:literal, $text:literal; )*) => {
        impl CtapStatus {
            $( $(#[$doc])* pub const $name: CtapStatus = CtapStatus($value); )*

            /// The short name of a status the specification assigns (e.g. `"PIN_INVALID"`),
            /// or `None` for a code in a reserved, extension or vendor range.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $value => Some(stringify!($name)), )*
                    _ => None,
                }
            }

            /// The specification's constant name, e.g. `"CTAP2_ERR_PIN_INVALID"`.
            pub const fn spec_name(self) -> Option<&'static str> {
                match self.0 {
                    $( $value => Some($spec), )*
                    _ => None,
                }
            }

            /// A sentence, in plain words, saying what the status means.
            pub fn description(self) -> &'static str {
                match self.0 {
                    $( $value => $text, )*
                    0xE0..=0xEF => "an extension-specific error",
                    0xF0..=0xFF => "a vendor-specific error",
                    _ => "an error code this library does not know",
                }
            }

            /// Every status the specification names, in ascending order.
            pub const KNOWN: &'static [CtapStatus] = &[ $( CtapStatus::$name, )* ];
        }
    };
}

statuses! {
    /// The command succeeded (`CTAP2_OK`, also `CTAP1_ERR_SUCCESS`).
    SUCCESS = 0x00, "CTAP2_OK", "success";
    /// The command is not a valid CTAP command.
    INVALID_COMMAND = 0x01, "CTAP1_ERR_INVALID_COMMAND", "the authenticator does not know this command";
    /// The command included an invalid parameter.
    INVALID_PARAMETER = 0x02, "CTAP1_ERR_INVALID_PARAMETER", "the command has an invalid parameter";
    /// Invalid message or item length.
    INVALID_LENGTH = 0x03, "CTAP1_ERR_INVALID_LENGTH", "the message or an item in it has an invalid length";
    /// Invalid message sequencing.
    INVALID_SEQ = 0x04, "CTAP1_ERR_INVALID_SEQ", "the message was sent out of sequence";
    /// Message timed out.
    TIMEOUT = 0x05, "CTAP1_ERR_TIMEOUT", "the message timed out";
    /// Channel busy; the client should retry later.
    CHANNEL_BUSY = 0x06, "CTAP1_ERR_CHANNEL_BUSY", "the authenticator is busy with another channel";
    /// A command required a lock (CTAPHID_LOCK) that the channel does not hold.
    LOCK_REQUIRED = 0x0A, "CTAP1_ERR_LOCK_REQUIRED", "the command requires a channel lock";
    /// The command is not allowed on this channel id.
    INVALID_CHANNEL = 0x0B, "CTAP1_ERR_INVALID_CHANNEL", "the channel is not valid";
    /// Invalid or unexpected CBOR type.
    CBOR_UNEXPECTED_TYPE = 0x11, "CTAP2_ERR_CBOR_UNEXPECTED_TYPE", "a CBOR item has an unexpected type";
    /// Error when parsing CBOR.
    INVALID_CBOR = 0x12, "CTAP2_ERR_INVALID_CBOR", "the request is not valid CBOR";
    /// A required parameter is missing.
    MISSING_PARAMETER = 0x14, "CTAP2_ERR_MISSING_PARAMETER", "a required parameter is missing";
    /// A limit (e.g. on the number of items) was exceeded.
    LIMIT_EXCEEDED = 0x15, "CTAP2_ERR_LIMIT_EXCEEDED", "a limit of the authenticator was exceeded";
    /// An extension is not supported. Defined by CTAP 2.0 (libfido2's
    /// `FIDO_ERR_UNSUPPORTED_EXTENSION`), reserved since CTAP 2.1.
    UNSUPPORTED_EXTENSION = 0x16, "CTAP2_ERR_UNSUPPORTED_EXTENSION", "an extension is not supported (CTAP 2.0)";
    /// The fingerprint database is full.
    FP_DATABASE_FULL = 0x17, "CTAP2_ERR_FP_DATABASE_FULL", "the fingerprint database is full";
    /// The large-blob storage is full.
    LARGE_BLOB_STORAGE_FULL = 0x18, "CTAP2_ERR_LARGE_BLOB_STORAGE_FULL", "the large-blob storage is full";
    /// A valid credential was found in the exclude list.
    CREDENTIAL_EXCLUDED = 0x19, "CTAP2_ERR_CREDENTIAL_EXCLUDED", "a credential in the exclude list is already registered on this authenticator";
    /// The authenticator is processing the request.
    PROCESSING = 0x21, "CTAP2_ERR_PROCESSING", "the authenticator is still processing";
    /// The credential is not valid for this authenticator.
    INVALID_CREDENTIAL = 0x22, "CTAP2_ERR_INVALID_CREDENTIAL", "the credential is not valid for this authenticator";
    /// Authentication is waiting for user interaction.
    USER_ACTION_PENDING = 0x23, "CTAP2_ERR_USER_ACTION_PENDING", "the authenticator is waiting for the user";
    /// A processing operation is pending; a CTAPHID_CANCEL may cancel it.
    OPERATION_PENDING = 0x24, "CTAP2_ERR_OPERATION_PENDING", "another operation is pending";
    /// No request is pending.
    NO_OPERATIONS = 0x25, "CTAP2_ERR_NO_OPERATIONS", "no operation is pending";
    /// The authenticator does not support the requested algorithm.
    UNSUPPORTED_ALGORITHM = 0x26, "CTAP2_ERR_UNSUPPORTED_ALGORITHM", "the authenticator supports none of the requested algorithms";
    /// Not authorized for the requested operation.
    OPERATION_DENIED = 0x27, "CTAP2_ERR_OPERATION_DENIED", "the operation was denied";
    /// Internal key storage is full.
    KEY_STORE_FULL = 0x28, "CTAP2_ERR_KEY_STORE_FULL", "the authenticator's credential storage is full";
    /// Unsupported option.
    UNSUPPORTED_OPTION = 0x2B, "CTAP2_ERR_UNSUPPORTED_OPTION", "an option is not supported";
    /// Not a valid option for the current operation.
    INVALID_OPTION = 0x2C, "CTAP2_ERR_INVALID_OPTION", "an option is not valid for this operation";
    /// A pending keep-alive was cancelled.
    KEEPALIVE_CANCEL = 0x2D, "CTAP2_ERR_KEEPALIVE_CANCEL", "the request was cancelled";
    /// No valid credentials were provided or found.
    NO_CREDENTIALS = 0x2E, "CTAP2_ERR_NO_CREDENTIALS", "no matching credential was found";
    /// A user action timed out.
    USER_ACTION_TIMEOUT = 0x2F, "CTAP2_ERR_USER_ACTION_TIMEOUT", "the user did not act in time";
    /// Continuation command not allowed, such as getNextAssertion without a prior getAssertion.
    NOT_ALLOWED = 0x30, "CTAP2_ERR_NOT_ALLOWED", "the command is not allowed now";
    /// The PIN is invalid.
    PIN_INVALID = 0x31, "CTAP2_ERR_PIN_INVALID", "the PIN is incorrect";
    /// The PIN is blocked: no retries are left.
    PIN_BLOCKED = 0x32, "CTAP2_ERR_PIN_BLOCKED", "the PIN is blocked; the authenticator must be reset";
    /// pinUvAuthParam verification failed.
    PIN_AUTH_INVALID = 0x33, "CTAP2_ERR_PIN_AUTH_INVALID", "the PIN/UV authentication parameter is not valid";
    /// PIN authentication is blocked until the authenticator is power-cycled.
    PIN_AUTH_BLOCKED = 0x34, "CTAP2_ERR_PIN_AUTH_BLOCKED", "too many wrong PINs in a row; unplug and replug the authenticator";
    /// No PIN has been set.
    PIN_NOT_SET = 0x35, "CTAP2_ERR_PIN_NOT_SET", "no PIN is set";
    /// A pinUvAuthToken is required for the selected operation (`PIN_REQUIRED` in CTAP 2.0).
    PUAT_REQUIRED = 0x36, "CTAP2_ERR_PUAT_REQUIRED", "the operation needs a PIN/UV auth token";
    /// The PIN does not meet the authenticator's policy.
    PIN_POLICY_VIOLATION = 0x37, "CTAP2_ERR_PIN_POLICY_VIOLATION", "the PIN does not meet the authenticator's rules";
    /// Reserved (was `PIN_TOKEN_EXPIRED` in CTAP 2.0).
    PIN_TOKEN_EXPIRED = 0x38, "CTAP2_ERR_PIN_TOKEN_EXPIRED", "the PIN token expired";
    /// The request is larger than the authenticator can handle.
    REQUEST_TOO_LARGE = 0x39, "CTAP2_ERR_REQUEST_TOO_LARGE", "the request is too large for the authenticator";
    /// The current operation has timed out.
    ACTION_TIMEOUT = 0x3A, "CTAP2_ERR_ACTION_TIMEOUT", "the operation timed out";
    /// User presence is required for the requested operation.
    UP_REQUIRED = 0x3B, "CTAP2_ERR_UP_REQUIRED", "the operation needs user presence";
    /// Built-in user verification is blocked; use the PIN.
    UV_BLOCKED = 0x3C, "CTAP2_ERR_UV_BLOCKED", "built-in user verification is blocked; use the PIN";
    /// A check on integrity (e.g. the large-blob array hash) failed.
    INTEGRITY_FAILURE = 0x3D, "CTAP2_ERR_INTEGRITY_FAILURE", "an integrity check failed";
    /// The subcommand is not valid for this command.
    INVALID_SUBCOMMAND = 0x3E, "CTAP2_ERR_INVALID_SUBCOMMAND", "the subcommand is not valid";
    /// Built-in user verification failed (e.g. the fingerprint did not match).
    UV_INVALID = 0x3F, "CTAP2_ERR_UV_INVALID", "user verification failed";
    /// The pinUvAuthToken lacks the permission the operation needs.
    UNAUTHORIZED_PERMISSION = 0x40, "CTAP2_ERR_UNAUTHORIZED_PERMISSION", "the PIN/UV auth token lacks a permission this operation needs";
    /// Other unspecified error.
    OTHER = 0x7F, "CTAP1_ERR_OTHER", "an unspecified error";
    /// The last status the specification reserves for itself.
    SPEC_LAST = 0xDF, "CTAP2_ERR_SPEC_LAST", "an error code reserved by the specification";
    /// The first extension-specific status.
    EXTENSION_FIRST = 0xE0, "CTAP2_ERR_EXTENSION_FIRST", "an extension-specific error";
    /// The last extension-specific status.
    EXTENSION_LAST = 0xEF, "CTAP2_ERR_EXTENSION_LAST", "an extension-specific error";
    /// The first vendor-specific status.
    VENDOR_FIRST = 0xF0, "CTAP2_ERR_VENDOR_FIRST", "a vendor-specific error";
    /// The last vendor-specific status.
    VENDOR_LAST = 0xFF, "CTAP2_ERR_VENDOR_LAST", "a vendor-specific error";
}

impl CtapStatus {
    /// `true` for [`CtapStatus::SUCCESS`].
    pub const fn is_success(self) -> bool {
        self.0 == 0
    }

    /// `true` for codes in the extension-specific range 0xE0..=0xEF.
    pub const fn is_extension_specific(self) -> bool {
        matches!(self.0, 0xE0..=0xEF)
    }

    /// `true` for codes in the vendor-specific range 0xF0..=0xFF.
    pub const fn is_vendor_specific(self) -> bool {
        self.0 >= 0xF0
    }
}

impl From<u8> for CtapStatus {
    fn from(value: u8) -> Self {
        CtapStatus(value)
    }
}

impl From<CtapStatus> for u8 {
    fn from(value: CtapStatus) -> Self {
        value.0
    }
}

impl fmt::Display for CtapStatus {
    /// The status's name and code, e.g. `PIN_INVALID (0x31)`; codes without a name print
    /// their range and value, e.g. `vendor status 0xF3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The range bounds are named constants, but a code inside a range reads better as
        // "vendor status 0xF3" than as the bound's name, so names win only outside ranges.
        match self.name() {
            Some(name) if !(self.is_extension_specific() || self.is_vendor_specific()) => {
                write!(f, "{name} ({:#04X})", self.0)
            }
            _ if self.is_extension_specific() => write!(f, "extension status {:#04X}", self.0),
            _ if self.is_vendor_specific() => write!(f, "vendor status {:#04X}", self.0),
            _ => write!(f, "unknown status {:#04X}", self.0),
        }
    }
}

impl fmt::Debug for CtapStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CtapStatus({self})")
    }
}

#[cfg(test)]
mod tests;
