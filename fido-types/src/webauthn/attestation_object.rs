//! Attestation objects (WebAuthn §6.5) and their attestation statements.

use std::collections::BTreeMap;

use crate::cbor::{self, Decoder, Value};
use crate::cose::{CoseAlgorithm, CoseKey, der};
use crate::generated::webauthn::AttestationFormat;

use super::{AttestedCredentialData, AuthDataFlags, AuthenticatorData, WebAuthnError};

/// The most sub-statements a `compound` statement may hold; more is refused as malformed
/// (a bound on work, not a WebAuthn rule).
pub const MAX_COMPOUND_MEMBERS: usize = 16;

/// An attestation statement (`attStmt`): a CBOR map whose shape depends on the format, or
/// for format `compound` (WebAuthn L3 §8.9) an array of sub-statements.
///
/// It is kept as decoded; accessors read the members the common formats (`packed`,
/// `fido-u2f`, `none`) use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttestationStatement {
    map: BTreeMap<Value, Value>,
    /// The sub-statements when the statement is a `compound` array.
    compound: Option<Vec<CompoundMember>>,
}

/// One sub-statement of a `compound` statement: `{fmt, attStmt}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompoundMember {
    /// The sub-statement's format identifier.
    pub fmt: String,
    /// The sub-statement.
    pub att_stmt: AttestationStatement,
}

impl AttestationStatement {
    /// The empty statement of the `none` format.
    pub fn none() -> Self {
        Self::default()
    }

    /// A `packed` statement: `alg`, `sig`, and `x5c` unless it is a self attestation.
    pub fn packed(alg: CoseAlgorithm, sig: Vec<u8>, x5c: Vec<Vec<u8>>) -> Self {
        let mut map = BTreeMap::new();
        map.insert(Value::Text("alg".into()), Value::Integer(alg.0.into()));
        map.insert(Value::Text("sig".into()), Value::Bytes(sig));
        if !x5c.is_empty() {
            map.insert(
                Value::Text("x5c".into()),
                Value::Array(x5c.into_iter().map(Value::Bytes).collect()),
            );
        }
        Self {
            map,
            compound: None,
        }
    }

    /// A `compound` statement (WebAuthn L3 §8.9) of `members`, in order.
    pub fn compound(members: Vec<CompoundMember>) -> Self {
        Self {
            map: BTreeMap::new(),
            compound: Some(members),
        }
    }

    /// A `fido-u2f` statement: `sig` and a one-certificate `x5c`.
    pub fn fido_u2f(sig: Vec<u8>, certificate: Vec<u8>) -> Self {
        let mut map = BTreeMap::new();
        map.insert(Value::Text("sig".into()), Value::Bytes(sig));
        map.insert(
            Value::Text("x5c".into()),
            Value::Array(vec![Value::Bytes(certificate)]),
        );
        Self {
            map,
            compound: None,
        }
    }

    /// Reads a statement from its CBOR encoding (one map filling `bytes`).
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, WebAuthnError> {
        let (value, used) = decode_prefix(bytes).map_err(|e| WebAuthnError::cbor("attStmt", e))?;
        if used != bytes.len() {
            return Err(WebAuthnError::TrailingBytes {
                what: "attStmt",
                count: bytes.len() - used,
            });
        }
        Self::from_value(value)
    }

    fn from_value(value: Value) -> Result<Self, WebAuthnError> {
        match value {
            Value::Map(map) => {
                // Input read leniently may hold floats or tags, which canonical CBOR
                // cannot carry.
                cbor::to_vec(&map).map_err(|e| WebAuthnError::invalid("attStmt", e.to_string()))?;
                Ok(Self {
                    map,
                    compound: None,
                })
            }
            _ => Err(WebAuthnError::invalid("attStmt", "not a CBOR map")),
        }
    }

    /// Reads the statement of format `fmt`: an array for `compound`, a map otherwise.
    fn from_value_for(fmt: &str, value: Value) -> Result<Self, WebAuthnError> {
        match value {
            Value::Array(items) if fmt == AttestationFormat::COMPOUND.as_str() => {
                if items.len() > MAX_COMPOUND_MEMBERS {
                    return Err(WebAuthnError::invalid(
                        "attStmt",
                        format!(
                            "compound holds {} statements, more than {MAX_COMPOUND_MEMBERS}",
                            items.len()
                        ),
                    ));
                }
                let members = items
                    .into_iter()
                    .map(CompoundMember::from_value)
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Self::compound(members))
            }
            other => Self::from_value(other),
        }
    }

    /// The sub-statements, if this is a `compound` array.
    pub fn compound_members(&self) -> Option<&[CompoundMember]> {
        self.compound.as_deref()
    }

    /// The canonical CBOR encoding.
    pub fn to_cbor(&self) -> Vec<u8> {
        encode(&self.to_value())
    }

    /// The members as the text-keyed map a CTAP2 makeCredential response carries (`attStmt`,
    /// key 0x03); the statement formats use text keys only. Empty for a `compound` array,
    /// which CTAP2 does not carry.
    pub fn to_str_map(&self) -> cbor::StrMap<Value> {
        self.map
            .iter()
            .filter_map(|(k, v)| match k {
                Value::Text(t) => Some((t.clone(), v.clone())),
                _ => None,
            })
            .collect()
    }

    /// Whether the statement has no members (the `none` format); a `compound` array is
    /// never empty in this sense.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty() && self.compound.is_none()
    }

    /// The `alg` member, if present and an integer.
    pub fn alg(&self) -> Option<CoseAlgorithm> {
        match get_text(&self.map, "alg") {
            Some(Value::Integer(i)) => i64::try_from(*i).ok().map(CoseAlgorithm),
            _ => None,
        }
    }

    /// The `sig` member, if present and a byte string.
    pub fn sig(&self) -> Option<&[u8]> {
        match get_text(&self.map, "sig") {
            Some(Value::Bytes(b)) => Some(b),
            _ => None,
        }
    }

    /// The `x5c` certificates (DER), if the member is present and an array of byte strings.
    pub fn x5c(&self) -> Option<Vec<&[u8]>> {
        match get_text(&self.map, "x5c") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::Bytes(b) => Some(b.as_slice()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    fn to_value(&self) -> Value {
        match &self.compound {
            Some(members) => Value::Array(members.iter().map(CompoundMember::to_value).collect()),
            None => Value::Map(self.map.clone()),
        }
    }
}

impl CompoundMember {
    /// Reads one `{fmt, attStmt}` item of a compound array. A member may itself be a
    /// compound array (the CBOR reader bounds the depth); verifiers refuse that.
    fn from_value(value: Value) -> Result<Self, WebAuthnError> {
        let Value::Map(map) = value else {
            return Err(WebAuthnError::invalid(
                "attStmt",
                "a compound member is not a CBOR map",
            ));
        };
        let fmt = text_field(&map, "fmt")?.to_owned();
        let att_stmt = AttestationStatement::from_value_for(
            &fmt,
            get_text(&map, "attStmt")
                .cloned()
                .ok_or(WebAuthnError::MissingField("attStmt"))?,
        )?;
        Ok(Self { fmt, att_stmt })
    }

    fn to_value(&self) -> Value {
        Value::Map(BTreeMap::from([
            (Value::Text("fmt".into()), Value::Text(self.fmt.clone())),
            (Value::Text("attStmt".into()), self.att_stmt.to_value()),
        ]))
    }
}

/// Decodes the CBOR item at the start of `bytes` leniently (as authenticators send it),
/// returning it and its length; errors keep their offset.
fn decode_prefix(bytes: &[u8]) -> Result<(Value, usize), cbor::DecodeError> {
    Decoder::new().lenient().decode_prefix(bytes)
}

/// Encodes a value whose members were checked to be canonically encodable (statements
/// are checked when read; everything else here is text, integers and byte strings).
fn encode(value: &Value) -> Vec<u8> {
    cbor::to_vec(value).unwrap_or_default()
}

fn get_text<'a>(map: &'a BTreeMap<Value, Value>, key: &str) -> Option<&'a Value> {
    map.get(&Value::Text(key.to_owned()))
}

fn get_int(map: &BTreeMap<Value, Value>, key: i64) -> Option<&Value> {
    map.get(&Value::Integer(key.into()))
}

/// Whose key an attestation signature was checked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttestationSigner {
    /// Format `none`: there is no signature.
    None,
    /// A self attestation: the credential's own key signed.
    Credential,
    /// The public key of the first `x5c` certificate signed (the chain is not checked).
    Certificate,
}

/// An attestation object (WebAuthn §6.5.4): `fmt`, `authData` and `attStmt`.
///
/// It keeps the bytes it was read from; objects built here are encoded canonically
/// (`fmt`, `attStmt`, `authData`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestationObject {
    raw: Vec<u8>,
    fmt: String,
    auth_data: AuthenticatorData,
    att_stmt: AttestationStatement,
}

fn text_field<'a>(
    map: &'a BTreeMap<Value, Value>,
    key: &'static str,
) -> Result<&'a str, WebAuthnError> {
    match get_text(map, key) {
        Some(Value::Text(t)) => Ok(t),
        Some(_) => Err(WebAuthnError::invalid(key, "not a text string")),
        None => Err(WebAuthnError::MissingField(key)),
    }
}

fn bytes_field<'a>(
    map: &'a BTreeMap<Value, Value>,
    key: &'static str,
) -> Result<&'a [u8], WebAuthnError> {
    match get_text(map, key) {
        Some(Value::Bytes(b)) => Ok(b),
        Some(_) => Err(WebAuthnError::invalid(key, "not a byte string")),
        None => Err(WebAuthnError::MissingField(key)),
    }
}

impl AttestationObject {
    /// Reads an attestation object from its CBOR encoding, keeping the bytes.
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, WebAuthnError> {
        let what = "attestation object";
        let (value, used) = decode_prefix(bytes).map_err(|e| WebAuthnError::cbor(what, e))?;
        if used != bytes.len() {
            return Err(WebAuthnError::TrailingBytes {
                what,
                count: bytes.len() - used,
            });
        }
        let Value::Map(map) = value else {
            return Err(WebAuthnError::invalid(what, "not a CBOR map"));
        };
        let fmt = text_field(&map, "fmt")?.to_owned();
        let auth_data = AuthenticatorData::from_bytes(bytes_field(&map, "authData")?)?;
        let att_stmt = AttestationStatement::from_value_for(
            &fmt,
            get_text(&map, "attStmt")
                .cloned()
                .ok_or(WebAuthnError::MissingField("attStmt"))?,
        )?;
        Ok(Self {
            raw: bytes.to_vec(),
            fmt,
            auth_data,
            att_stmt,
        })
    }

    /// Builds an attestation object, encoded canonically.
    pub fn create(
        fmt: impl Into<String>,
        auth_data: AuthenticatorData,
        att_stmt: AttestationStatement,
    ) -> Self {
        let fmt = fmt.into();
        let raw = encode(&Value::Map(BTreeMap::from([
            (Value::Text("fmt".into()), Value::Text(fmt.clone())),
            (Value::Text("attStmt".into()), att_stmt.to_value()),
            (
                Value::Text("authData".into()),
                Value::Bytes(auth_data.as_bytes().to_vec()),
            ),
        ])));
        Self {
            raw,
            fmt,
            auth_data,
            att_stmt,
        }
    }

    /// Builds the attestation object of a CTAP2 authenticatorMakeCredential response from
    /// its parts: `fmt` (0x01), `authData` (0x02, the byte string's content) and `attStmt`
    /// (0x03, the map's CBOR encoding).
    pub fn from_ctap2_parts(
        fmt: &str,
        auth_data: &[u8],
        att_stmt_cbor: &[u8],
    ) -> Result<Self, WebAuthnError> {
        Ok(Self::create(
            fmt,
            AuthenticatorData::from_bytes(auth_data)?,
            AttestationStatement::from_cbor(att_stmt_cbor)?,
        ))
    }

    /// Builds the attestation object of a whole CTAP2 authenticatorMakeCredential response
    /// map (`{1: fmt, 2: authData, 3: attStmt, ...}`; other members are ignored).
    pub fn from_ctap2_response(response: &[u8]) -> Result<Self, WebAuthnError> {
        let what = "makeCredential response";
        let (value, used) = decode_prefix(response).map_err(|e| WebAuthnError::cbor(what, e))?;
        if used != response.len() {
            return Err(WebAuthnError::TrailingBytes {
                what,
                count: response.len() - used,
            });
        }
        let Value::Map(map) = value else {
            return Err(WebAuthnError::invalid(what, "not a CBOR map"));
        };
        let fmt = match get_int(&map, 1) {
            Some(Value::Text(t)) => t.clone(),
            Some(_) => return Err(WebAuthnError::invalid("fmt", "not a text string")),
            None => return Err(WebAuthnError::MissingField("fmt")),
        };
        let auth_data = match get_int(&map, 2) {
            Some(Value::Bytes(b)) => AuthenticatorData::from_bytes(b)?,
            Some(_) => return Err(WebAuthnError::invalid("authData", "not a byte string")),
            None => return Err(WebAuthnError::MissingField("authData")),
        };
        let att_stmt = AttestationStatement::from_value(
            get_int(&map, 3)
                .cloned()
                .ok_or(WebAuthnError::MissingField("attStmt"))?,
        )?;
        Ok(Self::create(fmt, auth_data, att_stmt))
    }

    /// Converts a CTAP1/U2F registration response (U2F raw message format §4.3: 0x05,
    /// 65-byte public key, key handle length and key handle, X.509 certificate, signature)
    /// to a `fido-u2f` attestation object, as a client does for WebAuthn over U2F.
    ///
    /// `app_param` is the SHA-256 of the RP ID sent in the request; the authenticator data
    /// gets flags UP|AT, sign count 0, AAGUID all zeros and the key handle as credential ID.
    pub fn from_ctap1(app_param: &[u8; 32], registration: &[u8]) -> Result<Self, WebAuthnError> {
        let what = "U2F registration response";
        let truncated = |needed| WebAuthnError::Truncated {
            what,
            needed,
            available: registration.len(),
        };
        let head = registration.get(..67).ok_or_else(|| truncated(67))?;
        if head[0] != 0x05 {
            return Err(WebAuthnError::invalid(
                "U2F registration response",
                format!("reserved byte is {:#04x}, not 0x05", head[0]),
            ));
        }
        let public_key = &head[1..66];
        let kh_len = usize::from(head[66]);
        let key_handle = registration
            .get(67..67 + kh_len)
            .ok_or_else(|| truncated(67 + kh_len))?;
        let rest = &registration[67 + kh_len..];
        let cert_len = der::read(rest)
            .map_err(|e| WebAuthnError::invalid("U2F attestation certificate", format!("{e:?}")))?
            .encoded_len;
        let (certificate, signature) = rest.split_at(cert_len);
        if signature.is_empty() {
            return Err(WebAuthnError::MissingField("U2F registration signature"));
        }
        let acd = AttestedCredentialData::from_ctap1(key_handle, public_key)?;
        let auth_data = AuthenticatorData::new(
            *app_param,
            AuthDataFlags::USER_PRESENT | AuthDataFlags::ATTESTED,
            0,
            Some(acd),
            None,
        )?;
        Ok(Self::create(
            AttestationFormat::FIDO_U2F.as_str(),
            auth_data,
            AttestationStatement::fido_u2f(signature.to_vec(), certificate.to_vec()),
        ))
    }

    /// The bytes, exactly as read or built.
    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }

    /// The attestation statement format identifier.
    pub fn fmt(&self) -> &str {
        &self.fmt
    }

    /// The authenticator data.
    pub fn auth_data(&self) -> &AuthenticatorData {
        &self.auth_data
    }

    /// The attestation statement.
    pub fn att_stmt(&self) -> &AttestationStatement {
        &self.att_stmt
    }

    /// Checks the attestation signature of the `none`, `packed` (self or with `x5c`) and
    /// `fido-u2f` formats against `client_data_hash`.
    ///
    /// Only the signature is checked: certificate chains, certificate contents and AAGUID
    /// extensions are the relying party's business. Other formats give
    /// [`WebAuthnError::UnsupportedFormat`].
    pub fn verify_signature(
        &self,
        client_data_hash: &[u8; 32],
    ) -> Result<AttestationSigner, WebAuthnError> {
        let acd = self
            .auth_data
            .attested_credential_data()
            .ok_or(WebAuthnError::MissingField("attested credential data"))?;
        match self.fmt.as_str() {
            f if f == AttestationFormat::NONE.as_str() => self.verify_none(),
            f if f == AttestationFormat::PACKED.as_str() => {
                self.verify_packed(acd, client_data_hash)
            }
            f if f == AttestationFormat::FIDO_U2F.as_str() => {
                self.verify_fido_u2f(acd, client_data_hash)
            }
            other => Err(WebAuthnError::UnsupportedFormat(other.to_owned())),
        }
    }

    /// Format `none`: nothing signed, and `attStmt` must be empty.
    fn verify_none(&self) -> Result<AttestationSigner, WebAuthnError> {
        if self.att_stmt.is_empty() {
            Ok(AttestationSigner::None)
        } else {
            Err(WebAuthnError::invalid(
                "attStmt",
                "not empty for format none",
            ))
        }
    }

    /// Format `packed` (WebAuthn L3 §8.2): over authenticator data ‖ client data hash,
    /// with the `x5c` leaf's key or, for self attestation, the credential's own key.
    fn verify_packed(
        &self,
        acd: &AttestedCredentialData,
        client_data_hash: &[u8; 32],
    ) -> Result<AttestationSigner, WebAuthnError> {
        let alg = self
            .att_stmt
            .alg()
            .ok_or(WebAuthnError::MissingField("alg"))?;
        let sig = self
            .att_stmt
            .sig()
            .ok_or(WebAuthnError::MissingField("sig"))?;
        let message = self.auth_data.signed_message(client_data_hash);
        match self.att_stmt.x5c() {
            Some(certs) => {
                let cert = certs
                    .first()
                    .ok_or(WebAuthnError::invalid("x5c", "empty"))?;
                CoseKey::from_certificate_der(cert, alg)?.verify(&message, sig)?;
                Ok(AttestationSigner::Certificate)
            }
            None => {
                let key = acd.public_key();
                if key.alg() != Some(alg) {
                    return Err(WebAuthnError::invalid(
                        "alg",
                        format!("{alg} is not the credential key's algorithm"),
                    ));
                }
                key.verify(&message, sig)?;
                Ok(AttestationSigner::Credential)
            }
        }
    }

    /// Format `fido-u2f` (WebAuthn L3 §8.6): one certificate, an ES256 credential key, and
    /// the U2F registration message signed.
    fn verify_fido_u2f(
        &self,
        acd: &AttestedCredentialData,
        client_data_hash: &[u8; 32],
    ) -> Result<AttestationSigner, WebAuthnError> {
        let sig = self
            .att_stmt
            .sig()
            .ok_or(WebAuthnError::MissingField("sig"))?;
        let certs = self
            .att_stmt
            .x5c()
            .ok_or(WebAuthnError::MissingField("x5c"))?;
        let [cert] = certs.as_slice() else {
            return Err(WebAuthnError::invalid(
                "x5c",
                "fido-u2f needs exactly one certificate",
            ));
        };
        let CoseKey::Ec2(ec) = acd.public_key() else {
            return Err(WebAuthnError::invalid(
                "credential public key",
                "fido-u2f needs an EC2 key",
            ));
        };
        if ec.alg() != CoseAlgorithm::ES256 {
            return Err(WebAuthnError::invalid(
                "credential public key",
                "fido-u2f needs ES256",
            ));
        }
        // FIDO U2F raw message formats §4.3: 0x00 || app param || challenge param ||
        // key handle || public key.
        let mut message = vec![0x00];
        message.extend_from_slice(self.auth_data.rp_id_hash());
        message.extend_from_slice(client_data_hash);
        message.extend_from_slice(acd.credential_id());
        message.extend_from_slice(&ec.uncompressed_point());
        CoseKey::from_certificate_der(cert, CoseAlgorithm::ES256)?.verify(&message, sig)?;
        Ok(AttestationSigner::Certificate)
    }
}
