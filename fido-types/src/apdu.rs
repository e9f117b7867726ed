//! APDU status words, the last two bytes of every CTAP1/U2F response.
//!
//! [`ApduStatus`] is a newtype over the 16-bit status word with named constants for the
//! words U2F defines; other words are kept and printed in hex. Source: FIDO U2F Raw
//! Message Formats v1.2 §3.3 "Status Codes" (ISO 7816-4 words), cross-checked with
//! python-fido2's `fido2.ctap1.APDU` (OK, USE_NOT_SATISFIED, WRONG_DATA).
//!
//! ```
//! use fido_types::apdu::ApduStatus;
//!
//! let (body, status) = ApduStatus::split_response(&[0x01, 0x02, 0x90, 0x00]).unwrap();
//! assert_eq!(body, &[0x01, 0x02]);
//! assert!(status.is_ok());
//! assert_eq!(ApduStatus(0x6985).to_string(), "USE_NOT_SATISFIED (0x6985)");
//! ```

use core::fmt;

/// A 16-bit APDU status word (SW1 SW2).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApduStatus(pub u16);

macro_rules! words {
    ($( $(#[$doc:meta])* $name:ident = $value:literal; )*) => {
        impl ApduStatus {
            $( $(#[$doc])* pub const $name: ApduStatus = ApduStatus($value); )*

            /// The name of a status word U2F defines, or `None`.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $value => Some(stringify!($name)), )*
                    _ => None,
                }
            }
        }
    };
}

words! {
    /// The command completed successfully (`SW_NO_ERROR`).
    OK = 0x9000;
    /// Conditions of use not satisfied: for U2F, user presence is required
    /// (`SW_CONDITIONS_NOT_SATISFIED`); also the answer to a check-only authenticate
    /// for a known key handle.
    USE_NOT_SATISFIED = 0x6985;
    /// The request was rejected due to an invalid key handle (`SW_WRONG_DATA`).
    WRONG_DATA = 0x6A80;
    /// The length of the request was invalid (`SW_WRONG_LENGTH`).
    WRONG_LENGTH = 0x6700;
    /// The class byte of the request is not supported (`SW_CLA_NOT_SUPPORTED`).
    CLA_NOT_SUPPORTED = 0x6E00;
    /// The instruction of the request is not supported (`SW_INS_NOT_SUPPORTED`).
    INS_NOT_SUPPORTED = 0x6D00;
    /// Command not allowed (ISO 7816-4 `SW_COMMAND_NOT_ALLOWED`): a CTAP2 authenticator
    /// with alwaysUv on refuses U2F REGISTER and AUTHENTICATE with it (OpenSK does too).
    COMMAND_NOT_ALLOWED = 0x6986;
}

impl ApduStatus {
    /// No precise diagnosis (ISO 7816-4 0x6F00): an internal error of the authenticator.
    /// U2F does not define it, so it has no [`name`](Self::name) and prints in hex.
    pub const INTERNAL_ERROR: ApduStatus = ApduStatus(0x6F00);

    /// `true` for [`ApduStatus::OK`].
    pub const fn is_ok(self) -> bool {
        self.0 == 0x9000
    }

    /// The status word as the two bytes that end a response APDU.
    pub const fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }

    /// Splits a response APDU into its body and status word; `None` when it is shorter
    /// than the two status bytes.
    pub fn split_response(response: &[u8]) -> Option<(&[u8], ApduStatus)> {
        let split = response.len().checked_sub(2)?;
        let (body, sw) = response.split_at(split);
        Some((body, ApduStatus(u16::from_be_bytes([sw[0], sw[1]]))))
    }
}

impl From<u16> for ApduStatus {
    fn from(value: u16) -> Self {
        ApduStatus(value)
    }
}

impl fmt::Display for ApduStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name} ({:#06X})", self.0),
            None => write!(f, "status word {:#06X}", self.0),
        }
    }
}

impl fmt::Debug for ApduStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApduStatus({self})")
    }
}

#[cfg(test)]
mod tests;
