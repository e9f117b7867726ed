//! Collected client data (WebAuthn §5.8.1) and its JSON-compatible serialization.

use core::fmt::Write as _;

use ring::digest;
use serde_json::{Map, Value as Json};

use super::{WebAuthnError, base64url};

/// The client data of a WebAuthn ceremony, with the exact bytes (`clientDataJSON`) that the
/// authenticator's signature covers through their hash.
///
/// ```
/// use fido_types::webauthn::{ClientDataType, CollectedClientData};
/// // python-fido2 tests/test_webauthn.py, test_collected_client_data.
/// let data = CollectedClientData::create(
///     ClientDataType::CREATE.as_str(),
///     &hex::decode("71dc9238ffb5248e09fc1a4e78ef6eb76e6b95926e785d7a68ee9ab934d8022b").unwrap(),
///     "https://demo.yubico.com",
///     false,
///     Default::default(),
/// );
/// assert_eq!(
///     data.as_bytes(),
///     br#"{"type":"webauthn.create","challenge":"cdySOP-1JI4J_BpOeO9ut25rlZJueF16aO6auTTYAis","origin":"https://demo.yubico.com","crossOrigin":false}"#
/// );
/// assert_eq!(
///     hex::encode(data.hash()),
///     "8b20a0b904b4747aacae71d55bf60b4eb2583f7e639f55f40baac23c2600c178"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectedClientData {
    raw: Vec<u8>,
    type_: String,
    challenge: Vec<u8>,
    origin: String,
    cross_origin: Option<bool>,
    top_origin: Option<String>,
    extra: Map<String, Json>,
}

/// WebAuthn's CCDToString (§5.8.1.1): a JSON string with only `"` and `\` escaped by a
/// backslash, other code points below U+0020 as `\u` and four lower-case hex digits.
fn ccd_to_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn take_string(
    map: &mut Map<String, Json>,
    key: &'static str,
) -> Result<Option<String>, WebAuthnError> {
    match map.remove(key) {
        None => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(_) => Err(WebAuthnError::invalid(key, "not a string")),
    }
}

impl CollectedClientData {
    /// Builds client data and serializes it as WebAuthn §5.8.1.1 does: `type`, `challenge`
    /// (base64url), `origin`, `crossOrigin`, then `topOrigin` if `extra` has it as a
    /// string, then the other members of `extra` (as compact JSON). Members of `extra`
    /// named `type`, `challenge`, `origin` or `crossOrigin` are ignored.
    pub fn create(
        type_: &str,
        challenge: &[u8],
        origin: &str,
        cross_origin: bool,
        mut extra: Map<String, Json>,
    ) -> Self {
        for key in ["type", "challenge", "origin", "crossOrigin"] {
            extra.remove(key);
        }
        let top_origin = match extra.remove("topOrigin") {
            Some(Json::String(s)) => Some(s),
            Some(other) => {
                extra.insert("topOrigin".into(), other);
                None
            }
            None => None,
        };
        let mut out = String::from("{\"type\":");
        ccd_to_string(&mut out, type_);
        out.push_str(",\"challenge\":");
        ccd_to_string(&mut out, &base64url::encode(challenge));
        out.push_str(",\"origin\":");
        ccd_to_string(&mut out, origin);
        out.push_str(",\"crossOrigin\":");
        out.push_str(if cross_origin { "true" } else { "false" });
        if let Some(top) = &top_origin {
            out.push_str(",\"topOrigin\":");
            ccd_to_string(&mut out, top);
        }
        if extra.is_empty() {
            out.push('}');
        } else {
            let remainder = Json::Object(extra.clone()).to_string();
            out.push(',');
            out.push_str(&remainder[1..]);
        }
        Self {
            raw: out.into_bytes(),
            type_: type_.to_owned(),
            challenge: challenge.to_vec(),
            origin: origin.to_owned(),
            cross_origin: Some(cross_origin),
            top_origin,
            extra,
        }
    }

    /// Reads client data JSON as received, keeping the bytes. `type`, `challenge`
    /// (base64url) and `origin` are required.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WebAuthnError> {
        let mut map: Map<String, Json> = serde_json::from_slice(bytes)?;
        let type_ = take_string(&mut map, "type")?.ok_or(WebAuthnError::MissingField("type"))?;
        let challenge =
            take_string(&mut map, "challenge")?.ok_or(WebAuthnError::MissingField("challenge"))?;
        let challenge = base64url::decode(&challenge)?;
        let origin =
            take_string(&mut map, "origin")?.ok_or(WebAuthnError::MissingField("origin"))?;
        let cross_origin = match map.remove("crossOrigin") {
            None => None,
            Some(Json::Bool(b)) => Some(b),
            Some(_) => return Err(WebAuthnError::invalid("crossOrigin", "not a boolean")),
        };
        let top_origin = take_string(&mut map, "topOrigin")?;
        Ok(Self {
            raw: bytes.to_vec(),
            type_,
            challenge,
            origin,
            cross_origin,
            top_origin,
            extra: map,
        })
    }

    /// The bytes (`clientDataJSON`).
    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }

    /// The bytes as base64url (no padding).
    pub fn b64(&self) -> String {
        base64url::encode(&self.raw)
    }

    /// SHA-256 of the bytes: the `clientDataHash` sent to the authenticator.
    pub fn hash(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(digest::digest(&digest::SHA256, &self.raw).as_ref());
        out
    }

    /// The `type` member.
    pub fn type_(&self) -> &str {
        &self.type_
    }

    /// The challenge, decoded from base64url.
    pub fn challenge(&self) -> &[u8] {
        &self.challenge
    }

    /// The `origin` member.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The `crossOrigin` member; absent means `false`.
    pub fn cross_origin(&self) -> bool {
        self.cross_origin.unwrap_or(false)
    }

    /// The `topOrigin` member, if present.
    pub fn top_origin(&self) -> Option<&str> {
        self.top_origin.as_deref()
    }

    /// The other members (e.g. `tokenBinding`, or a payment extension's data).
    pub fn extra(&self) -> &Map<String, Json> {
        &self.extra
    }
}
