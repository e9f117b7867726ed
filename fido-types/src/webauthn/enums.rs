//! WebAuthn enumerations (§5.4) and the lenient reading the spec asks for.
//!
//! The enumerations are generated from `spec/webauthn.toml` into
//! [`crate::generated::webauthn`] and re-exported here. WebAuthn dictionaries carry their
//! values as plain DOMStrings "deliberately not referenced" (§2.1.1): a value the client
//! does not know is treated as if the member were absent, never as an error. So parsing
//! ([`FromStr`](core::str::FromStr)) accepts only the known values, and the [`lenient`]
//! functions use it when reading JSON: an unknown value in an optional member reads as
//! `None`, in a list it is dropped.

pub use crate::generated::webauthn::{
    AttestationConveyancePreference, AuthenticatorAttachment, AuthenticatorTransport,
    ClientDataType, LargeBlobSupport, PublicKeyCredentialHint, PublicKeyCredentialType,
    ResidentKeyRequirement, UserVerificationRequirement,
};

/// A string that is not one of an enumeration's known values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown enumeration value")]
pub struct UnknownValue;

/// `FromStr` for generated string enumerations: the known values only.
macro_rules! parse_known {
    ($($name:ident),+ $(,)?) => {$(
        impl core::str::FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                let value = $name::from(s);
                if value.is_known() { Ok(value) } else { Err(UnknownValue) }
            }
        }
    )+};
}

parse_known!(
    AuthenticatorAttachment,
    ResidentKeyRequirement,
    AttestationConveyancePreference,
    PublicKeyCredentialType,
    AuthenticatorTransport,
    UserVerificationRequirement,
    PublicKeyCredentialHint,
    LargeBlobSupport,
);

/// Serde helpers that read WebAuthn enumeration members leniently.
pub mod lenient {
    use core::str::FromStr;

    use serde::{Deserialize, Deserializer};

    /// An optional enumeration member: an unknown string reads as `None`.
    pub fn option<'de, D: Deserializer<'de>, T: FromStr>(d: D) -> Result<Option<T>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        Ok(s.and_then(|s| s.parse().ok()))
    }

    /// A list of enumeration values: unknown strings are dropped.
    pub fn list<'de, D: Deserializer<'de>, T: FromStr>(d: D) -> Result<Vec<T>, D::Error> {
        let v: Vec<String> = Vec::deserialize(d)?;
        Ok(v.into_iter().filter_map(|s| s.parse().ok()).collect())
    }

    /// An optional list of enumeration values: unknown strings are dropped.
    pub fn option_list<'de, D: Deserializer<'de>, T: FromStr>(
        d: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        let v: Option<Vec<String>> = Option::deserialize(d)?;
        Ok(v.map(|v| v.into_iter().filter_map(|s| s.parse().ok()).collect()))
    }
}
