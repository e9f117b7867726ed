//! The `pinUvAuthProtocol` number as it travels on the wire.
//!
//! The registry is generated from `spec/client_pin.toml` ([`PinUvAuthProtocol`], a newtype
//! rather than an enum, so that a number this library does not know survives a
//! decode/encode round trip); this module adds its behaviour.
//!
//! ```
//! use fido_types::pin_protocol::PinUvAuthProtocol;
//!
//! assert_eq!(PinUvAuthProtocol::from(2), PinUvAuthProtocol::TWO);
//! assert!(!PinUvAuthProtocol(7).is_known());
//! assert_eq!(format!("{:?}", PinUvAuthProtocol(7)), "PinUvAuthProtocol(0x07)");
//! ```

use core::fmt;

pub use crate::generated::client_pin::PinUvAuthProtocol;

impl PinUvAuthProtocol {
    /// Whether this is a protocol this library implements (one or two).
    pub const fn is_known(self) -> bool {
        self.name().is_some()
    }
}

/// Short form used in messages and in the `Debug` output of secrets: `v1`, `v2`, `v7`.
impl fmt::Display for PinUvAuthProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}
