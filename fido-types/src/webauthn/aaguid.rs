//! The authenticator's AAGUID.

use core::fmt;
use core::str::FromStr;

use super::WebAuthnError;

/// An Authenticator Attestation GUID: 16 bytes naming the authenticator model, written as a
/// canonical UUID string (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`).
///
/// ```
/// use fido_types::webauthn::Aaguid;
/// let a: Aaguid = "01020304-0102-0304-0506-010203040506".parse()?;
/// assert_eq!(a.as_bytes()[..4], [1, 2, 3, 4]);
/// assert_eq!(a.to_string(), "01020304-0102-0304-0506-010203040506");
/// assert!(Aaguid::NONE.is_none());
/// # Ok::<(), fido_types::webauthn::WebAuthnError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Aaguid([u8; 16]);

impl Aaguid {
    /// The all-zero AAGUID, used by U2F authenticators and when attestation is withheld.
    pub const NONE: Aaguid = Aaguid([0; 16]);

    /// Wraps 16 bytes.
    pub const fn new(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// Reads 16 bytes from a slice.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, WebAuthnError> {
        bytes
            .try_into()
            .map(Self)
            .map_err(|_| WebAuthnError::InvalidAaguid(format!("{} bytes, not 16", bytes.len())))
    }

    /// The bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Whether this is [`Aaguid::NONE`].
    pub fn is_none(&self) -> bool {
        self.0 == [0; 16]
    }
}

impl From<[u8; 16]> for Aaguid {
    fn from(b: [u8; 16]) -> Self {
        Self(b)
    }
}

impl FromStr for Aaguid {
    type Err = WebAuthnError;

    /// Parses the canonical UUID form (hex digits of either case, hyphens after the 8th,
    /// 12th, 16th and 20th digit).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || WebAuthnError::InvalidAaguid(format!("{s:?} is not a canonical UUID"));
        let b = s.as_bytes();
        if b.len() != 36 {
            return Err(err());
        }
        let mut out = [0u8; 16];
        let mut digits = Vec::with_capacity(32);
        for (i, c) in b.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if *c != b'-' {
                    return Err(err());
                }
            } else {
                digits.push((*c as char).to_digit(16).ok_or_else(err)? as u8);
            }
        }
        for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            *o = (pair[0] << 4) | pair[1];
        }
        Ok(Self(out))
    }
}

impl fmt::Display for Aaguid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Aaguid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Aaguid({self})")
    }
}
