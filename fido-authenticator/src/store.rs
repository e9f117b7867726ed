//! The credential store: the credentials (their keys are [`crate::keys`]), discoverable
//! ones listed newest first, and a capacity limit.

use serde::{Deserialize, Serialize};

pub(crate) use crate::keys::der_signature;
pub use crate::keys::{Algorithm, CredentialKey, KeyError};

use crate::secret::{Secret, hex_bytes, hex_opt};

/// The credProtect policy of a credential (CTAP 2.1 §12.1): the generated registry.
pub use fido_types::generated::extensions::CredProtectPolicy;

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
    pub cred_protect: CredProtectPolicy,
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
        let alg = credential.key.alg.wrap_code();
        let blob = credential.cred_blob.as_deref().unwrap_or_default();
        let mut buf = zeroize::Zeroizing::new(Vec::with_capacity(38 + blob.len() + 16));
        // The policy is 1 to 3 (makeCredential checks it against the registry).
        let policy = u8::try_from(credential.cred_protect.0).unwrap_or_default();
        buf.extend_from_slice(&[WRAP_VERSION, alg, policy, flags]);
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
        let alg = Algorithm::from_wrap_code(head[1])?;
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
            cred_protect: CredProtectPolicy(u32::from(head[2])),
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
