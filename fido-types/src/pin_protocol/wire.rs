//! The `pinUvAuthProtocol` number as it travels on the wire.

use core::fmt;

/// A PIN/UV auth protocol number, as sent in `pinUvAuthProtocol` and listed in
/// `authenticatorGetInfo`'s `pinUvAuthProtocols` (CTAP 2.1 §6.5).
///
/// A newtype rather than an enum, so that a number this library does not know survives a
/// decode/encode round trip.
///
/// ```
/// use fido_types::pin_protocol::PinUvAuthProtocol;
///
/// assert_eq!(PinUvAuthProtocol::from(2), PinUvAuthProtocol::TWO);
/// assert!(!PinUvAuthProtocol(7).is_known());
/// assert_eq!(format!("{:?}", PinUvAuthProtocol(7)), "PinUvAuthProtocol(7)");
/// ```
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct PinUvAuthProtocol(pub u64);

impl PinUvAuthProtocol {
    /// PIN/UV auth protocol one (CTAP 2.0's only protocol).
    pub const ONE: Self = Self(1);
    /// PIN/UV auth protocol two (CTAP 2.1, FIPS-approved primitives).
    pub const TWO: Self = Self(2);

    /// Whether this is a protocol this library implements (one or two).
    pub const fn is_known(self) -> bool {
        matches!(self, Self::ONE | Self::TWO)
    }
}

impl From<u64> for PinUvAuthProtocol {
    fn from(value: u64) -> Self {
        Self(value)
    }
}

impl From<PinUvAuthProtocol> for u64 {
    fn from(value: PinUvAuthProtocol) -> Self {
        value.0
    }
}

impl fmt::Debug for PinUvAuthProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::ONE => f.write_str("PinUvAuthProtocol::ONE"),
            Self::TWO => f.write_str("PinUvAuthProtocol::TWO"),
            Self(other) => write!(f, "PinUvAuthProtocol({other})"),
        }
    }
}

/// Short form used in messages and in the `Debug` output of secrets: `v1`, `v2`, `v7`.
impl fmt::Display for PinUvAuthProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}
