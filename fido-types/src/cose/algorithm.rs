//! COSE algorithm identifiers (the IANA "COSE Algorithms" registry).

use core::fmt;

use serde::{Deserialize, Serialize};

/// A COSE algorithm identifier, as registered in the IANA "COSE Algorithms" registry.
///
/// This is a newtype over the registry's integer, so an identifier that this crate does not
/// know survives a round trip unchanged. The named constants are the values WebAuthn and
/// CTAP use.
///
/// ```
/// use fido_types::cose::CoseAlgorithm;
/// assert_eq!(CoseAlgorithm::ES256.value(), -7);
/// assert_eq!(CoseAlgorithm::from(-7), CoseAlgorithm::ES256);
/// assert_eq!(CoseAlgorithm(-4711).to_string(), "-4711");
/// assert_eq!(CoseAlgorithm::EDDSA.to_string(), "EdDSA");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CoseAlgorithm(pub i64);

// Values from the IANA "COSE Algorithms" registry
// (https://www.iana.org/assignments/cose/cose.xhtml#algorithms), RFC 9053, RFC 8812 and
// draft-ietf-jose-fully-specified-algorithms (the "fully specified" ESP* and Ed25519 ids).
impl CoseAlgorithm {
    /// ECDSA with SHA-256 (RFC 9053).
    pub const ES256: Self = Self(-7);
    /// EdDSA (RFC 9053); the curve is given by the key.
    pub const EDDSA: Self = Self(-8);
    /// ECDSA using P-256 and SHA-256, fully specified.
    pub const ESP256: Self = Self(-9);
    /// ECDSA with SHA-384 (RFC 9053).
    pub const ES384: Self = Self(-35);
    /// ECDSA with SHA-512 (RFC 9053).
    pub const ES512: Self = Self(-36);
    /// RSASSA-PSS with SHA-256 (RFC 8230).
    pub const PS256: Self = Self(-37);
    /// RSASSA-PSS with SHA-384 (RFC 8230).
    pub const PS384: Self = Self(-38);
    /// RSASSA-PSS with SHA-512 (RFC 8230).
    pub const PS512: Self = Self(-39);
    /// ECDSA using secp256k1 and SHA-256 (RFC 8812).
    pub const ES256K: Self = Self(-47);
    /// ECDSA using P-384 and SHA-384, fully specified.
    pub const ESP384: Self = Self(-48);
    /// ECDSA using P-521 and SHA-512, fully specified.
    pub const ESP512: Self = Self(-49);
    /// EdDSA using Ed25519, fully specified.
    pub const ED25519: Self = Self(-50);
    /// EdDSA using Ed448, fully specified.
    pub const ED448: Self = Self(-53);
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8812).
    pub const RS256: Self = Self(-257);
    /// RSASSA-PKCS1-v1_5 with SHA-384 (RFC 8812).
    pub const RS384: Self = Self(-258);
    /// RSASSA-PKCS1-v1_5 with SHA-512 (RFC 8812).
    pub const RS512: Self = Self(-259);
    /// RSASSA-PKCS1-v1_5 with SHA-1 (RFC 8812; deprecated, used by Windows Hello TPM attestation).
    pub const RS1: Self = Self(-65535);

    /// The registry value.
    pub const fn value(self) -> i64 {
        self.0
    }

    /// The registry name of a known algorithm, or `None` for one this crate does not name.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            -7 => "ES256",
            -8 => "EdDSA",
            -9 => "ESP256",
            -35 => "ES384",
            -36 => "ES512",
            -37 => "PS256",
            -38 => "PS384",
            -39 => "PS512",
            -47 => "ES256K",
            -48 => "ESP384",
            -49 => "ESP512",
            -50 => "Ed25519",
            -53 => "Ed448",
            -257 => "RS256",
            -258 => "RS384",
            -259 => "RS512",
            -65535 => "RS1",
            _ => return None,
        })
    }
}

impl From<i64> for CoseAlgorithm {
    fn from(value: i64) -> Self {
        Self(value)
    }
}

impl From<CoseAlgorithm> for i64 {
    fn from(value: CoseAlgorithm) -> Self {
        value.0
    }
}

impl fmt::Display for CoseAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", self.0),
        }
    }
}
