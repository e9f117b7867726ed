//! CTAP status codes: the first byte of every CTAP2 response.
//!
//! [`CtapStatus`] is a newtype over the wire byte, so that a code this crate does not know
//! still round-trips and prints (in hex). Its named constants, names, spec names and
//! versions are generated from `spec/status.toml` (CTAP 2.2 §8.2 "Status codes", checked
//! against python-fido2's `CtapError.ERR` and libfido2's `fido/err.h`); this module adds
//! what a person reads: a plain-words description, the code ranges, and `Display`.
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

pub use crate::generated::status::CtapStatus;

impl CtapStatus {
    /// A sentence, in plain words, saying what the status means.
    pub fn description(self) -> &'static str {
        match self.0 {
            0x00 => "success",
            0x01 => "the authenticator does not know this command",
            0x02 => "the command has an invalid parameter",
            0x03 => "the message or an item in it has an invalid length",
            0x04 => "the message was sent out of sequence",
            0x05 => "the message timed out",
            0x06 => "the authenticator is busy with another channel",
            0x0A => "the command requires a channel lock",
            0x0B => "the channel is not valid",
            0x11 => "a CBOR item has an unexpected type",
            0x12 => "the request is not valid CBOR",
            0x14 => "a required parameter is missing",
            0x15 => "a limit of the authenticator was exceeded",
            0x16 => "an extension is not supported (CTAP 2.0)",
            0x17 => "the fingerprint database is full",
            0x18 => "the large-blob storage is full",
            0x19 => "a credential in the exclude list is already registered on this authenticator",
            0x21 => "the authenticator is still processing",
            0x22 => "the credential is not valid for this authenticator",
            0x23 => "the authenticator is waiting for the user",
            0x24 => "another operation is pending",
            0x25 => "no operation is pending",
            0x26 => "the authenticator supports none of the requested algorithms",
            0x27 => "the operation was denied",
            0x28 => "the authenticator's credential storage is full",
            0x2B => "an option is not supported",
            0x2C => "an option is not valid for this operation",
            0x2D => "the request was cancelled",
            0x2E => "no matching credential was found",
            0x2F => "the user did not act in time",
            0x30 => "the command is not allowed now",
            0x31 => "the PIN is incorrect",
            0x32 => "the PIN is blocked; the authenticator must be reset",
            0x33 => "the PIN/UV authentication parameter is not valid",
            0x34 => "too many wrong PINs in a row; unplug and replug the authenticator",
            0x35 => "no PIN is set",
            0x36 => "the operation needs a PIN/UV auth token",
            0x37 => "the PIN does not meet the authenticator's rules",
            0x38 => "the PIN token expired",
            0x39 => "the request is too large for the authenticator",
            0x3A => "the operation timed out",
            0x3B => "the operation needs user presence",
            0x3C => "built-in user verification is blocked; use the PIN",
            0x3D => "an integrity check failed",
            0x3E => "the subcommand is not valid",
            0x3F => "user verification failed",
            0x40 => "the PIN/UV auth token lacks a permission this operation needs",
            0x7F => "an unspecified error",
            0xDF => "an error code reserved by the specification",
            0x29 => "the authenticator is not busy (CTAP 2.0)",
            0x2A => "no operation is pending (CTAP 2.0)",
            0xE0..=0xEF => "an extension-specific error",
            0xF0..=0xFF => "a vendor-specific error",
            _ => "an error code this library does not know",
        }
    }

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

#[cfg(test)]
mod tests;
