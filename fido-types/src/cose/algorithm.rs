//! COSE algorithm identifiers (the IANA "COSE Algorithms" registry).
//!
//! The registry itself, with every value's source, lives in `spec/cose.toml` and is
//! generated as [`crate::generated::cose::CoseAlgorithm`]; this module re-exports that one
//! type, so there is a single list of values, and adds the conveniences the COSE code uses.
//!
//! ```
//! use fido_types::cose::CoseAlgorithm;
//! assert_eq!(CoseAlgorithm::ES256.value(), -7);
//! assert_eq!(CoseAlgorithm::from(-7), CoseAlgorithm::ES256);
//! assert_eq!(CoseAlgorithm(-4711).to_string(), "-4711");
//! assert_eq!(CoseAlgorithm::EDDSA.to_string(), "EdDSA");
//! assert_eq!(CoseAlgorithm::ED25519.to_string(), "Ed25519");
//! ```

use core::fmt;

pub use crate::generated::cose::CoseAlgorithm;

impl CoseAlgorithm {
    /// The registry value.
    pub const fn value(self) -> i64 {
        self.0
    }
}

impl fmt::Display for CoseAlgorithm {
    /// The registry's name for a known algorithm (e.g. `EdDSA`, `ML-DSA-44`), otherwise the
    /// number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.spec_name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", self.0),
        }
    }
}
