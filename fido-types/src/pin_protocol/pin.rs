//! The PIN rules: length limits, padding for `newPinEnc`, and `pinHash`.

use core::fmt;

use ring::digest;
use zeroize::Zeroizing;

use super::PinError;

/// The smallest minimum PIN length any authenticator may require, in Unicode code points
/// (CTAP 2.1 §6.5.1; also the default `minPINLength`).
pub const MIN_PIN_LENGTH: usize = 4;

/// The longest PIN, in bytes of UTF-8 (CTAP 2.1 §6.5.1: it must fit, with at least one
/// zero byte, in the 64-byte padded form).
pub const MAX_PIN_BYTES: usize = 63;

/// Length of the padded PIN that `newPinEnc` encrypts.
pub const PADDED_PIN_LEN: usize = 64;

/// Length of `pinHash`: LEFT(SHA-256(PIN), 16).
pub const PIN_HASH_LEN: usize = 16;

/// A PIN that satisfies the composition rules. Zeroized on drop, never printed by `Debug`.
///
/// The rules (CTAP 2.1 §6.5.1):
/// - at least `minPINLength` Unicode code points (4 unless the authenticator says more),
///   counted as python-fido2 `_pad_pin` counts them (`len(str)`); libfido2 `pad64`
///   counts bytes instead, which accepts e.g. `"€€"` (6 bytes, 2 code points);
/// - at most 63 bytes of UTF-8, as libfido2 `pad64` checks (python-fido2 pads longer PINs
///   to the next 16 bytes up to 255, which CTAP 2.1 authenticators reject);
/// - no NUL character. Neither python-fido2 nor libfido2 checks this (libfido2 takes a C
///   string, so it cannot carry one); an authenticator reads the PIN up to the first zero
///   byte of the padded form (OpenSK `decrypt_pin`), so a PIN with a NUL would be set
///   truncated and its full form would never verify.
///
/// ```
/// use fido_types::pin_protocol::{Pin, PinError};
///
/// let pin = Pin::new("1234").unwrap();
/// assert_eq!(&pin.padded()[..6], b"1234\0\0");
/// assert_eq!(format!("{pin:?}"), "Pin(..)");
/// assert_eq!(
///     Pin::with_min_length("12345", 6).unwrap_err(),
///     PinError::TooShort { code_points: 5, min: 6 }
/// );
/// ```
pub struct Pin {
    utf8: Zeroizing<String>,
}

impl Pin {
    /// Checks `pin` against the rules with the default minimum of 4 code points. Use this
    /// for the current PIN (getPinToken, changePIN): every PIN ever set has at least 4.
    ///
    /// # Errors
    /// [`PinError::ContainsNul`], [`PinError::TooLong`] or [`PinError::TooShort`].
    pub fn new(pin: &str) -> Result<Self, PinError> {
        Self::with_min_length(pin, MIN_PIN_LENGTH)
    }

    /// Checks `pin` against the rules with the authenticator's `minPINLength` (raised to
    /// 4 if smaller). Use this for a new PIN (setPIN, changePIN).
    ///
    /// # Errors
    /// [`PinError::ContainsNul`], [`PinError::TooLong`] or [`PinError::TooShort`].
    pub fn with_min_length(pin: &str, min_code_points: usize) -> Result<Self, PinError> {
        if pin.contains('\0') {
            return Err(PinError::ContainsNul);
        }
        Self::check(pin, min_code_points)?;
        Ok(Self {
            utf8: Zeroizing::new(pin.to_owned()),
        })
    }

    /// The authenticator side of setPIN/changePIN: reads a decrypted `newPinEnc`, which
    /// must be 64 bytes, up to its first zero byte (bytes after it are ignored, as OpenSK
    /// does), and checks the rules with the given `minPINLength`.
    ///
    /// # Errors
    /// [`PinError::PaddedLength`] if `padded` is not 64 bytes; [`PinError::TooLong`] if
    /// it has no zero byte; [`PinError::InvalidUtf8`]; [`PinError::TooShort`].
    pub fn from_padded(padded: &[u8], min_code_points: usize) -> Result<Self, PinError> {
        if padded.len() != PADDED_PIN_LEN {
            return Err(PinError::PaddedLength { len: padded.len() });
        }
        let len = padded.iter().position(|&b| b == 0).unwrap_or(padded.len());
        let pin = core::str::from_utf8(&padded[..len]).map_err(|_| PinError::InvalidUtf8)?;
        Self::check(pin, min_code_points)?;
        Ok(Self {
            utf8: Zeroizing::new(pin.to_owned()),
        })
    }

    fn check(pin: &str, min_code_points: usize) -> Result<(), PinError> {
        if pin.len() > MAX_PIN_BYTES {
            return Err(PinError::TooLong {
                bytes: pin.len(),
                max: MAX_PIN_BYTES,
            });
        }
        let min = min_code_points.max(MIN_PIN_LENGTH);
        let code_points = pin.chars().count();
        if code_points < min {
            return Err(PinError::TooShort { code_points, min });
        }
        Ok(())
    }

    /// The PIN padded with zero bytes to 64 bytes: the plaintext of `newPinEnc`.
    pub fn padded(&self) -> Zeroizing<[u8; PADDED_PIN_LEN]> {
        let mut out = Zeroizing::new([0; PADDED_PIN_LEN]);
        out[..self.utf8.len()].copy_from_slice(self.utf8.as_bytes());
        out
    }

    /// `pinHash` = LEFT(SHA-256(PIN), 16): the plaintext of `pinHashEnc`.
    pub fn pin_hash(&self) -> Zeroizing<[u8; PIN_HASH_LEN]> {
        let digest = digest::digest(&digest::SHA256, self.utf8.as_bytes());
        let mut out = Zeroizing::new([0; PIN_HASH_LEN]);
        out.copy_from_slice(&digest.as_ref()[..PIN_HASH_LEN]);
        out
    }

    /// Length in Unicode code points (what `minPINLength` counts).
    pub fn code_points(&self) -> usize {
        self.utf8.chars().count()
    }

    /// Length in bytes of UTF-8.
    pub fn len(&self) -> usize {
        self.utf8.len()
    }

    /// Always `false`: a valid PIN has at least 4 code points. Present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.utf8.is_empty()
    }

    /// The PIN itself. Named so that every use is easy to find and review.
    pub fn expose_secret(&self) -> &str {
        &self.utf8
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(..)")
    }
}
