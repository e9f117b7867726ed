//! Authenticator data (WebAuthn §6.1) and attested credential data (§6.5.2).

use crate::cbor::{Decoder, Value};
use crate::cose::{CoseError, CoseKey};

use super::{Aaguid, WebAuthnError};

/// The flags byte of authenticator data (WebAuthn §6.1), generated from
/// `spec/auth_data.toml`. Unknown bits are kept.
pub use crate::generated::auth_data::AuthDataFlags;

impl AuthDataFlags {
    /// This set with the bits of `other` set or cleared.
    pub const fn with(self, other: Self, on: bool) -> Self {
        if on {
            Self(self.0 | other.0)
        } else {
            Self(self.0 & !other.0)
        }
    }

    /// UP: the user was present.
    pub const fn user_present(self) -> bool {
        self.contains(Self::USER_PRESENT)
    }

    /// UV: the user was verified.
    pub const fn user_verified(self) -> bool {
        self.contains(Self::USER_VERIFIED)
    }

    /// BE: the credential may be backed up.
    pub const fn backup_eligible(self) -> bool {
        self.contains(Self::BACKUP_ELIGIBLE)
    }

    /// BS: the credential is backed up.
    pub const fn backed_up(self) -> bool {
        self.contains(Self::BACKED_UP)
    }

    /// AT: attested credential data follows the sign count.
    pub const fn attested_credential_data(self) -> bool {
        self.contains(Self::ATTESTED)
    }

    /// ED: an extensions map ends the authenticator data.
    pub const fn extension_data(self) -> bool {
        self.contains(Self::EXTENSION_DATA)
    }
}

/// Attested credential data (WebAuthn §6.5.2): AAGUID, credential ID and public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestedCredentialData {
    aaguid: Aaguid,
    credential_id: Vec<u8>,
    public_key: CoseKey,
    /// The COSE key exactly as encoded (as received, or canonical when built here).
    public_key_cbor: Vec<u8>,
}

impl AttestedCredentialData {
    /// Builds attested credential data. The credential ID length must fit its 2-byte length
    /// field.
    pub fn new(
        aaguid: Aaguid,
        credential_id: Vec<u8>,
        public_key: CoseKey,
    ) -> Result<Self, WebAuthnError> {
        if credential_id.len() > usize::from(u16::MAX) {
            return Err(WebAuthnError::invalid(
                "credential ID",
                format!("{} bytes, more than 65535", credential_id.len()),
            ));
        }
        let public_key_cbor = public_key.to_cbor();
        Ok(Self {
            aaguid,
            credential_id,
            public_key,
            public_key_cbor,
        })
    }

    /// The attested credential data of a CTAP1/U2F registration: AAGUID all zeros, the key
    /// handle as credential ID, and the ES256 form of the 65-byte public key.
    pub fn from_ctap1(key_handle: &[u8], public_key: &[u8]) -> Result<Self, WebAuthnError> {
        Self::new(
            Aaguid::NONE,
            key_handle.to_vec(),
            CoseKey::from_ctap1(public_key)?,
        )
    }

    /// Reads attested credential data at the start of `bytes` (its public key with
    /// `decoder`'s rules); returns it and its length.
    fn parse_prefix(bytes: &[u8], decoder: &Decoder) -> Result<(Self, usize), WebAuthnError> {
        let what = "attested credential data";
        let head = bytes.get(..18).ok_or(WebAuthnError::Truncated {
            what,
            needed: 18,
            available: bytes.len(),
        })?;
        let aaguid = Aaguid::from_slice(&head[..16])?;
        let id_len = usize::from(u16::from_be_bytes([head[16], head[17]]));
        let credential_id = bytes
            .get(18..18 + id_len)
            .ok_or(WebAuthnError::Truncated {
                what: "credential ID",
                needed: id_len,
                available: bytes.len() - 18,
            })?
            .to_vec();
        let key_start = 18 + id_len;
        let key_bytes = &bytes[key_start..];
        if key_bytes.is_empty() {
            return Err(WebAuthnError::Truncated {
                what: "credential public key",
                needed: 1,
                available: 0,
            });
        }
        let (public_key, key_len) =
            CoseKey::from_cbor_prefix_with(key_bytes, decoder).map_err(|e| match e {
                // Strict mode: name the member out of order and the lenient mode.
                crate::cose::CoseError::InvalidCbor(error)
                    if error.kind() == &crate::cbor::DecodeErrorKind::UnsortedKeys =>
                {
                    WebAuthnError::cbor_in("credential public key", key_bytes, error)
                }
                other => other.into(),
            })?;
        Ok((
            Self {
                aaguid,
                credential_id,
                public_key,
                public_key_cbor: key_bytes[..key_len].to_vec(),
            },
            key_start + key_len,
        ))
    }

    /// The authenticator's AAGUID.
    pub fn aaguid(&self) -> Aaguid {
        self.aaguid
    }

    /// The credential ID.
    pub fn credential_id(&self) -> &[u8] {
        &self.credential_id
    }

    /// The credential public key.
    pub fn public_key(&self) -> &CoseKey {
        &self.public_key
    }

    /// The credential public key's CBOR, exactly as it appears in the authenticator data.
    pub fn public_key_cbor(&self) -> &[u8] {
        &self.public_key_cbor
    }

    /// Appends the binary form.
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.aaguid.as_bytes());
        // Length checked in `new` and by the 2-byte field in `parse_prefix`.
        out.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
        out.extend_from_slice(&self.credential_id);
        out.extend_from_slice(&self.public_key_cbor);
    }

    /// The binary form: AAGUID || credential ID length (2 bytes) || credential ID || COSE key.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(18 + self.credential_id.len() + self.public_key_cbor.len());
        self.write(&mut out);
        out
    }
}

/// Authenticator data (WebAuthn §6.1): RP ID hash, flags, signature counter, optional
/// attested credential data and extensions.
///
/// It keeps the bytes it was read from (or built as), since signatures cover exactly those.
///
/// ```
/// use fido_types::webauthn::{AuthenticatorData, AuthDataFlags};
/// // python-fido2 tests/test_ctap2.py, _AUTH_DATA_GA.
/// let bytes = hex::decode(
///     "0021F5FC0B85CD22E60623BCD7D1CA48948909249B4776EB515154E57B66AE12010000001D",
/// ).unwrap();
/// let data = AuthenticatorData::from_bytes(&bytes)?;
/// assert!(data.flags().user_present());
/// assert_eq!(data.sign_count(), 29);
/// assert_eq!(data.as_bytes(), &bytes[..]);
/// # Ok::<(), fido_types::webauthn::WebAuthnError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatorData {
    raw: Vec<u8>,
    rp_id_hash: [u8; 32],
    flags: AuthDataFlags,
    sign_count: u32,
    attested_credential_data: Option<AttestedCredentialData>,
    extensions: Option<Vec<u8>>,
}

fn check_extensions(bytes: &[u8], decoder: &Decoder) -> Result<usize, WebAuthnError> {
    let (value, used) = decoder
        .decode_prefix::<Value>(bytes)
        .map_err(|e| WebAuthnError::cbor_in("extensions", bytes, e))?;
    if !matches!(value, Value::Map(_)) {
        return Err(WebAuthnError::invalid("extensions", "not a CBOR map"));
    }
    Ok(used)
}

impl AuthenticatorData {
    /// Reads authenticator data. The flags must match the content: AT needs attested
    /// credential data, ED an extensions map, and nothing may follow. The CBOR inside
    /// (credential public key, extensions) is read leniently: any well-formed CBOR,
    /// duplicate keys refused. [`decode`](Self::decode) chooses the rules.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WebAuthnError> {
        Self::decode(bytes, &Decoder::new().lenient())
    }

    /// As [`from_bytes`](Self::from_bytes), reading the credential public key and the
    /// extensions with `decoder`: a strict decoder (a client's default for an
    /// authenticator's answer) also refuses non-canonical CBOR, and its error names the
    /// map and member out of order.
    pub fn decode(bytes: &[u8], decoder: &Decoder) -> Result<Self, WebAuthnError> {
        let head = bytes.get(..37).ok_or(WebAuthnError::Truncated {
            what: "authenticator data",
            needed: 37,
            available: bytes.len(),
        })?;
        let mut rp_id_hash = [0u8; 32];
        rp_id_hash.copy_from_slice(&head[..32]);
        let flags = AuthDataFlags(head[32]);
        let sign_count = u32::from_be_bytes([head[33], head[34], head[35], head[36]]);
        let mut pos = 37;
        let attested_credential_data = if flags.attested_credential_data() {
            let (acd, used) = AttestedCredentialData::parse_prefix(&bytes[pos..], decoder)?;
            pos += used;
            Some(acd)
        } else {
            None
        };
        let extensions = if flags.extension_data() {
            let rest = &bytes[pos..];
            if rest.is_empty() {
                return Err(WebAuthnError::Truncated {
                    what: "extensions",
                    needed: 1,
                    available: 0,
                });
            }
            let used = check_extensions(rest, decoder)?;
            pos += used;
            Some(rest[..used].to_vec())
        } else {
            None
        };
        if pos != bytes.len() {
            return Err(WebAuthnError::TrailingBytes {
                what: "authenticator data",
                count: bytes.len() - pos,
            });
        }
        Ok(Self {
            raw: bytes.to_vec(),
            rp_id_hash,
            flags,
            sign_count,
            attested_credential_data,
            extensions,
        })
    }

    /// Builds authenticator data. The AT and ED flags are set or cleared to match whether
    /// attested credential data and extensions are given; other flag bits are kept as given.
    /// `extensions_cbor`, if given, must be one CBOR map.
    pub fn new(
        rp_id_hash: [u8; 32],
        flags: AuthDataFlags,
        sign_count: u32,
        attested_credential_data: Option<AttestedCredentialData>,
        extensions_cbor: Option<&[u8]>,
    ) -> Result<Self, WebAuthnError> {
        if let Some(ext) = extensions_cbor {
            let used = check_extensions(ext, &Decoder::new().lenient())?;
            if used != ext.len() {
                return Err(WebAuthnError::TrailingBytes {
                    what: "extensions",
                    count: ext.len() - used,
                });
            }
        }
        let flags = flags
            .with(AuthDataFlags::ATTESTED, attested_credential_data.is_some())
            .with(AuthDataFlags::EXTENSION_DATA, extensions_cbor.is_some());
        let mut raw = Vec::with_capacity(37);
        raw.extend_from_slice(&rp_id_hash);
        raw.push(flags.0);
        raw.extend_from_slice(&sign_count.to_be_bytes());
        if let Some(acd) = &attested_credential_data {
            acd.write(&mut raw);
        }
        if let Some(ext) = extensions_cbor {
            raw.extend_from_slice(ext);
        }
        Ok(Self {
            raw,
            rp_id_hash,
            flags,
            sign_count,
            attested_credential_data,
            extensions: extensions_cbor.map(<[u8]>::to_vec),
        })
    }

    /// The bytes, exactly as read or built.
    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }

    /// SHA-256 of the RP ID.
    pub fn rp_id_hash(&self) -> &[u8; 32] {
        &self.rp_id_hash
    }

    /// The flags.
    pub fn flags(&self) -> AuthDataFlags {
        self.flags
    }

    /// The signature counter.
    pub fn sign_count(&self) -> u32 {
        self.sign_count
    }

    /// The attested credential data, present when the AT flag is set.
    pub fn attested_credential_data(&self) -> Option<&AttestedCredentialData> {
        self.attested_credential_data.as_ref()
    }

    /// The authenticator extension outputs: one CBOR map, exactly as encoded; present when
    /// the ED flag is set.
    pub fn extensions_cbor(&self) -> Option<&[u8]> {
        self.extensions.as_deref()
    }

    /// The message an authenticator signs for an assertion or a packed/self attestation:
    /// these bytes followed by the client data hash.
    pub fn signed_message(&self, client_data_hash: &[u8; 32]) -> Vec<u8> {
        [&self.raw[..], client_data_hash].concat()
    }

    /// Checks an assertion (or self-attestation) signature: `signature` over these bytes
    /// followed by `client_data_hash`, by `public_key`.
    pub fn verify_signature(
        &self,
        client_data_hash: &[u8; 32],
        signature: &[u8],
        public_key: &CoseKey,
    ) -> Result<(), CoseError> {
        public_key.verify(&self.signed_message(client_data_hash), signature)
    }
}
