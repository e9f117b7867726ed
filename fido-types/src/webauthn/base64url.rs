//! Bytes that travel in WebAuthn JSON as base64url strings.

use core::fmt;
use core::ops::Deref;

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::WebAuthnError;

/// Encodes unpadded; decodes with or without padding (WebAuthn emits none; some relying
/// parties pad).
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Encodes bytes as base64url without padding (RFC 4648 §5), as WebAuthn's `Base64URLString`.
pub fn encode(bytes: &[u8]) -> String {
    ENGINE.encode(bytes)
}

/// Decodes a base64url string (padding optional). Standard-alphabet characters (`+`, `/`)
/// are rejected.
pub fn decode(text: &str) -> Result<Vec<u8>, WebAuthnError> {
    ENGINE
        .decode(text)
        .map_err(|e| WebAuthnError::Base64Url(e.to_string()))
}

/// A binary member of a WebAuthn JSON dictionary: raw bytes in Rust, a base64url string
/// (no padding) in JSON.
///
/// It is built from bytes, never from text: a base64url string where bytes are expected
/// does not compile. Some members carry secrets (PRF and hmac-secret outputs), so the
/// bytes are zeroized on drop.
///
/// ```compile_fail,E0277
/// use fido_types::webauthn::Base64UrlBytes;
/// let challenge: Base64UrlBytes = "Y2hhbGxlbmdl".into(); // text is not bytes
/// ```
///
/// ```
/// use fido_types::webauthn::Base64UrlBytes;
/// let challenge = Base64UrlBytes::from(b"challenge".to_vec());
/// assert_eq!(serde_json::to_string(&challenge).unwrap(), r#""Y2hhbGxlbmdl""#);
/// assert_eq!(Base64UrlBytes::decode("Y2hhbGxlbmdl")?, challenge);
/// # Ok::<(), fido_types::webauthn::WebAuthnError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Base64UrlBytes(Vec<u8>);

impl Base64UrlBytes {
    /// Wraps bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// Decodes a base64url string.
    pub fn decode(text: &str) -> Result<Self, WebAuthnError> {
        decode(text).map(Self)
    }

    /// The base64url form, without padding.
    pub fn to_base64url(&self) -> String {
        encode(&self.0)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, owned.
    pub fn into_vec(mut self) -> Vec<u8> {
        core::mem::take(&mut self.0)
    }
}

impl Drop for Base64UrlBytes {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl Deref for Base64UrlBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Base64UrlBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64UrlBytes {
    fn from(v: Vec<u8>) -> Self {
        Self(v)
    }
}

impl From<&[u8]> for Base64UrlBytes {
    fn from(v: &[u8]) -> Self {
        Self(v.to_vec())
    }
}

impl<const N: usize> From<[u8; N]> for Base64UrlBytes {
    fn from(v: [u8; N]) -> Self {
        Self(v.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for Base64UrlBytes {
    fn from(v: &[u8; N]) -> Self {
        Self(v.to_vec())
    }
}

impl From<Base64UrlBytes> for Vec<u8> {
    fn from(v: Base64UrlBytes) -> Self {
        v.into_vec()
    }
}

impl fmt::Debug for Base64UrlBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64UrlBytes({})", encode(&self.0))
    }
}

impl Serialize for Base64UrlBytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64UrlBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        decode(&text).map(Self).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_in_the_url_alphabet() {
        // RFC 4648 §10 test vectors, unpadded.
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(raw.as_bytes()), enc);
            assert_eq!(decode(enc).unwrap(), raw.as_bytes());
        }
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("Zg==").unwrap(), b"f", "padding is tolerated");
    }

    #[test]
    fn bad_base64url_is_a_typed_error() {
        for bad in ["+/8", "Zm9v!", "Z", "Zm9vY==="] {
            assert!(
                matches!(decode(bad), Err(WebAuthnError::Base64Url(_))),
                "{bad}"
            );
        }
        let e = serde_json::from_str::<Base64UrlBytes>(r#""a+b""#).unwrap_err();
        assert!(e.to_string().contains("Invalid"), "{e}");
    }
}
