//! The credential store: credential keys (ES256 with p256, EdDSA with ring), the
//! credentials themselves, discoverable ones listed newest first, and a capacity limit.

use p256::ecdsa::signature::Signer;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde::{Deserialize, Serialize};

use crate::secret::{Secret, hex_bytes, hex_opt};

/// A COSE algorithm the authenticator can make credentials for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    /// ECDSA with P-256 and SHA-256 (COSE -7).
    Es256,
    /// EdDSA with Ed25519 (COSE -8).
    EdDsa,
}

impl Algorithm {
    /// The COSE algorithm identifier.
    pub const fn cose(self) -> i64 {
        match self {
            Algorithm::Es256 => -7,
            Algorithm::EdDsa => -8,
        }
    }

    /// The algorithm with this COSE identifier, if supported.
    pub const fn from_cose(alg: i64) -> Option<Self> {
        match alg {
            -7 => Some(Algorithm::Es256),
            -8 => Some(Algorithm::EdDsa),
            _ => None,
        }
    }
}

/// Why a credential key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The stored private key bytes are not a valid key for the algorithm.
    #[error("invalid private key for {0:?}")]
    InvalidKey(Algorithm),
}

/// A credential's private key: 32 bytes (a P-256 scalar or an Ed25519 seed).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CredentialKey {
    /// The algorithm.
    pub alg: Algorithm,
    secret: Secret<32>,
}

impl CredentialKey {
    /// A key for `alg` derived from 32 secret bytes. For ES256 the bytes must be a valid
    /// scalar (`1..n`); callers draw again otherwise.
    ///
    /// # Errors
    /// [`KeyError::InvalidKey`] if the bytes are not a valid key.
    pub fn from_bytes(alg: Algorithm, bytes: &[u8; 32]) -> Result<Self, KeyError> {
        let key = CredentialKey {
            alg,
            secret: Secret(*bytes),
        };
        match alg {
            Algorithm::Es256 => key.es256().map(drop)?,
            Algorithm::EdDsa => key.ed25519().map(drop)?,
        }
        Ok(key)
    }

    /// The public key as a COSE_Key, CTAP2-canonical CBOR (`{1: kty, 3: alg, -1: crv,
    /// -2: x, -3: y}`).
    ///
    /// # Errors
    /// [`KeyError::InvalidKey`] if the private key is invalid.
    pub fn public_cose(&self) -> Result<Vec<u8>, KeyError> {
        use fido_types::cbor::Value;
        let entries: Vec<(i128, Value)> = match self.alg {
            Algorithm::Es256 => {
                let sk = self.es256()?;
                let point = sk.verifying_key().to_sec1_point(false);
                let bytes = point.as_bytes();
                vec![
                    (1, Value::Integer(2)),
                    (3, Value::Integer(-7)),
                    (-1, Value::Integer(1)),
                    (-2, Value::Bytes(bytes[1..33].to_vec())),
                    (-3, Value::Bytes(bytes[33..65].to_vec())),
                ]
            }
            Algorithm::EdDsa => {
                let kp = self.ed25519()?;
                vec![
                    (1, Value::Integer(1)),
                    (3, Value::Integer(-8)),
                    (-1, Value::Integer(6)),
                    (-2, Value::Bytes(kp.public_key().as_ref().to_vec())),
                ]
            }
        };
        let map = entries
            .into_iter()
            .map(|(k, v)| (Value::Integer(k), v))
            .collect();
        fido_types::cbor::to_vec(&Value::Map(map)).map_err(|_| KeyError::InvalidKey(self.alg))
    }

    /// The uncompressed SEC1 public point (65 bytes) of an ES256 key; `None` for EdDSA.
    pub fn public_point(&self) -> Option<Vec<u8>> {
        match self.alg {
            Algorithm::Es256 => Some(
                self.es256()
                    .ok()?
                    .verifying_key()
                    .to_sec1_point(false)
                    .as_bytes()
                    .to_vec(),
            ),
            Algorithm::EdDsa => None,
        }
    }

    /// Signs `message`: ES256 gives a DER ECDSA signature (RFC 6979 deterministic nonce),
    /// EdDSA the 64-byte Ed25519 signature.
    ///
    /// # Errors
    /// [`KeyError::InvalidKey`] if the private key is invalid.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        match self.alg {
            Algorithm::Es256 => {
                let sig: p256::ecdsa::Signature = self.es256()?.sign(message);
                let raw = sig.to_bytes();
                Ok(der_signature(&raw[..32], &raw[32..]))
            }
            Algorithm::EdDsa => Ok(self.ed25519()?.sign(message).as_ref().to_vec()),
        }
    }

    /// The private key bytes (for wrapping into a credential ID).
    pub(crate) fn secret_bytes(&self) -> &[u8; 32] {
        self.secret.expose_secret()
    }

    fn es256(&self) -> Result<p256::ecdsa::SigningKey, KeyError> {
        p256::ecdsa::SigningKey::from_slice(self.secret.expose_secret())
            .map_err(|_| KeyError::InvalidKey(self.alg))
    }

    fn ed25519(&self) -> Result<Ed25519KeyPair, KeyError> {
        Ed25519KeyPair::from_seed_unchecked(self.secret.expose_secret())
            .map_err(|_| KeyError::InvalidKey(self.alg))
    }
}

/// DER `SEQUENCE { INTEGER r, INTEGER s }` from big-endian `r` and `s`.
pub(crate) fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn integer(v: &[u8]) -> Vec<u8> {
        let start = v.iter().position(|&b| b != 0).unwrap_or(v.len() - 1);
        let v = &v[start..];
        let mut out = vec![0x02];
        if v[0] & 0x80 != 0 {
            out.push(v.len() as u8 + 1);
            out.push(0);
        } else {
            out.push(v.len() as u8);
        }
        out.extend_from_slice(v);
        out
    }
    let (r, s) = (integer(r), integer(s));
    let mut out = vec![0x30, (r.len() + s.len()) as u8];
    out.extend(r);
    out.extend(s);
    out
}

/// The credProtect policy of a credential (CTAP 2.1 §12.1).
pub mod cred_protect {
    /// userVerificationOptional.
    pub const OPTIONAL: u8 = 1;
    /// userVerificationOptionalWithCredentialIDList.
    pub const OPTIONAL_WITH_LIST: u8 = 2;
    /// userVerificationRequired.
    pub const REQUIRED: u8 = 3;
}

/// One credential.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Credential {
    /// The credential ID.
    #[serde(with = "hex_bytes")]
    pub id: Vec<u8>,
    /// The RP ID it is scoped to (for U2F credentials, the hex of the application parameter).
    pub rp_id: String,
    /// SHA-256 of the RP ID (for U2F, the application parameter).
    #[serde(with = "hex_bytes")]
    pub rp_id_hash: Vec<u8>,
    /// The RP's name, as given at creation.
    pub rp_name: Option<String>,
    /// The user handle.
    #[serde(with = "hex_bytes")]
    pub user_id: Vec<u8>,
    /// The user's name.
    pub user_name: Option<String>,
    /// The user's display name.
    pub user_display_name: Option<String>,
    /// The private key.
    pub key: CredentialKey,
    /// Whether this is a discoverable (resident) credential.
    pub discoverable: bool,
    /// The credProtect level (1 to 3).
    pub cred_protect: u8,
    /// hmac-secret's CredRandomWithUV.
    pub cred_random_uv: Secret<32>,
    /// hmac-secret's CredRandomWithoutUV.
    pub cred_random_no_uv: Secret<32>,
    /// Whether the hmac-secret extension was requested at creation.
    pub hmac_secret: bool,
    /// The credBlob, if one was stored.
    #[serde(with = "hex_opt")]
    pub cred_blob: Option<Vec<u8>>,
    /// The largeBlobKey, if one was requested.
    pub large_blob_key: Option<Secret<32>>,
    /// Whether the thirdPartyPayment extension was set at creation.
    pub third_party_payment: bool,
    /// Creation order (higher is newer).
    pub created: u64,
}

/// Why the store refused an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No room for another discoverable credential.
    #[error("the credential store is full")]
    Full,
}

/// The credentials. Discoverable ones are stored (and count against the capacity);
/// non-discoverable ones live in their credential ID: the key and its options sealed with
/// AES-256-GCM under the store's wrapping key, bound to the RP ID hash, like a hardware
/// key does. A reset draws a new wrapping key, which disowns every old credential ID.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Store {
    credentials: Vec<Credential>,
    capacity: usize,
    next: u64,
    wrap_key: Secret<32>,
}

/// Version byte of the sealed credential format.
const WRAP_VERSION: u8 = 1;
/// Nonce length of the sealed credential format.
const WRAP_NONCE: usize = 12;

/// Flag bits in the sealed credential.
mod wrap_flags {
    pub(super) const HMAC_SECRET: u8 = 0x01;
    pub(super) const THIRD_PARTY_PAYMENT: u8 = 0x02;
    pub(super) const LARGE_BLOB_KEY: u8 = 0x04;
}

/// HMAC-SHA-256(`key`, `label`): per-credential secrets derived from its private key.
fn derive(key: &[u8; 32], label: &[u8]) -> Secret<32> {
    let tag = ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key), label);
    let mut out = [0u8; 32];
    out.copy_from_slice(tag.as_ref());
    Secret(out)
}

/// The secrets of a non-discoverable credential, derived from its private key:
/// (CredRandomWithUV, CredRandomWithoutUV, largeBlobKey).
pub(crate) fn derived_secrets(key: &CredentialKey) -> (Secret<32>, Secret<32>, Secret<32>) {
    let k = key.secret_bytes();
    (
        derive(k, b"fido-rs credRandomWithUV"),
        derive(k, b"fido-rs credRandomWithoutUV"),
        derive(k, b"fido-rs largeBlobKey"),
    )
}

impl Store {
    /// An empty store with room for `capacity` discoverable credentials, wrapping
    /// non-discoverable ones with `wrap_key`.
    pub fn new(capacity: usize, wrap_key: Secret<32>) -> Self {
        Store {
            credentials: Vec::new(),
            capacity,
            next: 0,
            wrap_key,
        }
    }

    fn aead(&self) -> ring::aead::LessSafeKey {
        // A 32-byte key is always a valid AES-256 key.
        let key =
            ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, self.wrap_key.expose_secret())
                .unwrap_or_else(|_| unreachable!("AES-256 takes any 32-byte key"));
        ring::aead::LessSafeKey::new(key)
    }

    /// Seals a non-discoverable credential into its credential ID:
    /// `nonce ‖ AES-256-GCM(version ‖ alg ‖ credProtect ‖ flags ‖ key ‖ len ‖ credBlob)`,
    /// with the RP ID hash as associated data.
    pub fn wrap(&self, credential: &Credential, nonce: [u8; WRAP_NONCE]) -> Vec<u8> {
        let mut flags = 0;
        if credential.hmac_secret {
            flags |= wrap_flags::HMAC_SECRET;
        }
        if credential.third_party_payment {
            flags |= wrap_flags::THIRD_PARTY_PAYMENT;
        }
        if credential.large_blob_key.is_some() {
            flags |= wrap_flags::LARGE_BLOB_KEY;
        }
        let alg = match credential.key.alg {
            Algorithm::Es256 => 0,
            Algorithm::EdDsa => 1,
        };
        let blob = credential.cred_blob.as_deref().unwrap_or_default();
        let mut buf = zeroize::Zeroizing::new(Vec::with_capacity(38 + blob.len() + 16));
        buf.extend_from_slice(&[WRAP_VERSION, alg, credential.cred_protect, flags]);
        buf.extend_from_slice(credential.key.secret_bytes());
        buf.push(blob.len() as u8);
        buf.extend_from_slice(blob);
        let mut sealed: Vec<u8> = buf.to_vec();
        let sealed_ok = self.aead().seal_in_place_append_tag(
            ring::aead::Nonce::assume_unique_for_key(nonce),
            ring::aead::Aad::from(&credential.rp_id_hash[..]),
            &mut sealed,
        );
        if sealed_ok.is_err() {
            return Vec::new();
        }
        let mut id = nonce.to_vec();
        id.extend(sealed);
        id
    }

    /// Opens a credential ID sealed by [`wrap`](Self::wrap) for this RP ID hash.
    fn unwrap_id(&self, rp_id_hash: &[u8], id: &[u8]) -> Option<Credential> {
        if id.len() < WRAP_NONCE + 16 {
            return None;
        }
        let (nonce, sealed) = id.split_at(WRAP_NONCE);
        let nonce = ring::aead::Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut buf = zeroize::Zeroizing::new(sealed.to_vec());
        let plain = self
            .aead()
            .open_in_place(nonce, ring::aead::Aad::from(rp_id_hash), &mut buf)
            .ok()?;
        let (head, rest) = plain.split_at_checked(4)?;
        if head[0] != WRAP_VERSION {
            return None;
        }
        let alg = match head[1] {
            0 => Algorithm::Es256,
            1 => Algorithm::EdDsa,
            _ => return None,
        };
        let (secret, rest) = rest.split_at_checked(32)?;
        let (len, blob) = rest.split_first()?;
        if blob.len() != usize::from(*len) {
            return None;
        }
        let secret: [u8; 32] = secret.try_into().ok()?;
        let key = CredentialKey::from_bytes(alg, &secret).ok()?;
        let (uv, no_uv, large_blob_key) = derived_secrets(&key);
        let flags = head[3];
        Some(Credential {
            id: id.to_vec(),
            rp_id: String::new(),
            rp_id_hash: rp_id_hash.to_vec(),
            rp_name: None,
            user_id: Vec::new(),
            user_name: None,
            user_display_name: None,
            key,
            discoverable: false,
            cred_protect: head[2],
            cred_random_uv: uv,
            cred_random_no_uv: no_uv,
            hmac_secret: flags & wrap_flags::HMAC_SECRET != 0,
            cred_blob: (!blob.is_empty()).then(|| blob.to_vec()),
            large_blob_key: (flags & wrap_flags::LARGE_BLOB_KEY != 0).then_some(large_blob_key),
            third_party_payment: flags & wrap_flags::THIRD_PARTY_PAYMENT != 0,
            created: 0,
        })
    }

    /// Room for how many discoverable credentials in all.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many discoverable credentials are stored.
    pub fn discoverable_count(&self) -> usize {
        self.credentials.len()
    }

    /// How many more discoverable credentials fit.
    pub fn remaining(&self) -> usize {
        self.capacity.saturating_sub(self.discoverable_count())
    }

    /// The creation number the next credential gets.
    pub(crate) fn next_sequence(&mut self) -> u64 {
        self.next += 1;
        self.next
    }

    /// Stores a discoverable credential, replacing one for the same RP ID and user handle;
    /// it needs room otherwise. Non-discoverable credentials are not stored (their ID
    /// holds them): this is a no-op for them.
    ///
    /// # Errors
    /// [`StoreError::Full`] if a new discoverable credential does not fit.
    pub fn insert(&mut self, credential: Credential) -> Result<(), StoreError> {
        if !credential.discoverable {
            return Ok(());
        }
        let existing = self
            .credentials
            .iter()
            .position(|c| c.rp_id == credential.rp_id && c.user_id == credential.user_id);
        match existing {
            Some(i) => {
                self.credentials.remove(i);
            }
            None if self.remaining() == 0 => return Err(StoreError::Full),
            None => {}
        }
        self.credentials.push(credential);
        Ok(())
    }

    /// The credential with this ID for this RP ID hash: a stored discoverable one, or a
    /// non-discoverable one opened from its ID.
    pub fn find(&self, rp_id_hash: &[u8], id: &[u8]) -> Option<Credential> {
        self.credentials
            .iter()
            .find(|c| c.id == id && c.rp_id_hash == rp_id_hash)
            .cloned()
            .or_else(|| self.unwrap_id(rp_id_hash, id))
    }

    /// The stored (discoverable) credential with this ID, whatever its RP.
    pub fn find_by_id(&self, id: &[u8]) -> Option<&Credential> {
        self.credentials.iter().find(|c| c.id == id)
    }

    /// The stored (discoverable) credential with this ID, mutable.
    pub fn find_by_id_mut(&mut self, id: &[u8]) -> Option<&mut Credential> {
        self.credentials.iter_mut().find(|c| c.id == id)
    }

    /// The discoverable credentials of an RP, newest first.
    pub fn discoverable_for(&self, rp_id_hash: &[u8]) -> Vec<&Credential> {
        let mut found: Vec<&Credential> = self
            .credentials
            .iter()
            .filter(|c| c.rp_id_hash == rp_id_hash)
            .collect();
        found.sort_by_key(|c| std::cmp::Reverse(c.created));
        found
    }

    /// All discoverable credentials, newest first.
    pub fn discoverable(&self) -> Vec<&Credential> {
        let mut found: Vec<&Credential> = self.credentials.iter().collect();
        found.sort_by_key(|c| std::cmp::Reverse(c.created));
        found
    }

    /// Deletes the stored credential with this ID; whether there was one.
    pub fn delete(&mut self, id: &[u8]) -> bool {
        let before = self.credentials.len();
        self.credentials.retain(|c| c.id != id);
        before != self.credentials.len()
    }
}

#[cfg(test)]
mod tests;
