//! Fixed-size secrets: zeroized on drop, redacted in `Debug`, hex in the state file.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// `N` secret bytes. Zeroized on drop; `Debug` prints only the length; compared in
/// constant time.
#[derive(Clone)]
pub struct Secret<const N: usize>(pub(crate) [u8; N]);

impl<const N: usize> Secret<N> {
    /// The secret bytes.
    pub fn expose_secret(&self) -> &[u8; N] {
        &self.0
    }

    /// Constant-time comparison with `other`.
    pub fn ct_eq(&self, other: &[u8]) -> bool {
        other.len() == N && bool::from(self.0.as_slice().ct_eq(other))
    }
}

impl<const N: usize> Drop for Secret<N> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<const N: usize> fmt::Debug for Secret<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret<{N}>(..)")
    }
}

impl<const N: usize> Serialize for Secret<N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = zeroize::Zeroizing::new(hex::encode(self.0));
        serializer.serialize_str(&text)
    }
}

impl<'de, const N: usize> Deserialize<'de> for Secret<N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = zeroize::Zeroizing::new(String::deserialize(deserializer)?);
        let mut out = Secret([0u8; N]);
        hex::decode_to_slice(text.as_bytes(), &mut out.0).map_err(serde::de::Error::custom)?;
        Ok(out)
    }
}

/// Serde helper: `Vec<u8>` as a hex string (credential IDs, user IDs, blobs).
pub(crate) mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        hex::decode(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Serde helper: `Option<Vec<u8>>` as an optional hex string.
pub(crate) mod hex_opt {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        bytes: &Option<Vec<u8>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => s.serialize_some(&hex::encode(b)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|t| hex::decode(t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_redacts_and_hex_round_trips() {
        let s = Secret([0xAB; 4]);
        assert_eq!(format!("{s:?}"), "Secret<4>(..)");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"abababab\"");
        let back: Secret<4> = serde_json::from_str(&json).unwrap();
        assert!(back.ct_eq(&[0xAB; 4]));
        assert!(!back.ct_eq(&[0xAB; 3]));
        assert!(serde_json::from_str::<Secret<4>>("\"abab\"").is_err());
    }
}
