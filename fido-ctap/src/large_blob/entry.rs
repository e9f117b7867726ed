//! One per-credential entry of the large-blob array (CTAP 2.1 §6.10.3): the blob
//! DEFLATE-compressed (RFC 1951, raw), encrypted with AES-256-GCM under the credential's
//! 32-byte largeBlobKey, nonce random, associated data `"blob" || uint64LE(origSize)`.

use fido_types::cbor;
use fido_types::generated::LargeBlobMap;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use super::error::LargeBlobError;

/// The length of a largeBlobKey.
pub const KEY_LEN: usize = 32;

/// The largest blob this library compresses or inflates (16 MiB): a bound on what an
/// entry's `origSize` may make it allocate.
pub const MAX_BLOB_SIZE: u64 = 16 << 20;

/// The DEFLATE level used when writing (miniz's default).
const LEVEL: u8 = 6;

/// The associated data: `"blob" || uint64LE(origSize)`.
fn associated_data(orig_size: u64) -> [u8; 12] {
    let mut ad = [0; 12];
    ad[..4].copy_from_slice(b"blob");
    ad[4..].copy_from_slice(&orig_size.to_le_bytes());
    ad
}

/// The AES-256-GCM key of a largeBlobKey.
fn aead_key(key: &[u8; KEY_LEN]) -> Result<LessSafeKey, LargeBlobError> {
    UnboundKey::new(&AES_256_GCM, key)
        .map(LessSafeKey::new)
        .map_err(|_| LargeBlobError::Crypto)
}

/// Encrypts `blob` under `key` as an entry (nonce from the system generator).
///
/// # Errors
/// [`LargeBlobError::TooLarge`] over [`MAX_BLOB_SIZE`]; [`LargeBlobError::Crypto`].
pub fn seal(key: &[u8; KEY_LEN], blob: &[u8]) -> Result<LargeBlobMap, LargeBlobError> {
    let mut nonce = [0; NONCE_LEN];
    SystemRandom::new()
        .fill(&mut nonce)
        .map_err(|_| LargeBlobError::Crypto)?;
    seal_with_nonce(key, blob, nonce)
}

/// Encrypts `blob` under `key` with the given nonce (deterministic, for tests; a nonce
/// must never be reused under one key).
///
/// # Errors
/// As [`seal`].
pub fn seal_with_nonce(
    key: &[u8; KEY_LEN],
    blob: &[u8],
    nonce: [u8; NONCE_LEN],
) -> Result<LargeBlobMap, LargeBlobError> {
    let orig_size = u64::try_from(blob.len()).unwrap_or(u64::MAX);
    if orig_size > MAX_BLOB_SIZE {
        return Err(LargeBlobError::TooLarge {
            what: "blob",
            size: orig_size,
            limit: MAX_BLOB_SIZE,
        });
    }
    let mut data = miniz_oxide::deflate::compress_to_vec(blob, LEVEL);
    aead_key(key)?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(associated_data(orig_size)),
            &mut data,
        )
        .map_err(|_| LargeBlobError::Crypto)?;
    Ok(LargeBlobMap {
        ciphertext: data,
        nonce,
        orig_size,
    })
}

/// Decrypts `entry` with `key`: `None` when the entry is not this key's (the tag does
/// not verify), the blob otherwise.
///
/// # Errors
/// [`LargeBlobError::TooLarge`] for an `origSize` over [`MAX_BLOB_SIZE`];
/// [`LargeBlobError::BadEntry`] when the decrypted data does not inflate to `origSize`
/// bytes.
pub fn open(
    key: &[u8; KEY_LEN],
    entry: &LargeBlobMap,
) -> Result<Option<Zeroizing<Vec<u8>>>, LargeBlobError> {
    let mut data = Zeroizing::new(entry.ciphertext.clone());
    let Ok(compressed) = aead_key(key)?.open_in_place(
        Nonce::assume_unique_for_key(entry.nonce),
        Aad::from(associated_data(entry.orig_size)),
        &mut data,
    ) else {
        return Ok(None);
    };
    if entry.orig_size > MAX_BLOB_SIZE {
        return Err(LargeBlobError::TooLarge {
            what: "origSize",
            size: entry.orig_size,
            limit: MAX_BLOB_SIZE,
        });
    }
    let limit =
        usize::try_from(entry.orig_size).map_err(|_| LargeBlobError::BadEntry("origSize"))?;
    let blob = miniz_oxide::inflate::decompress_to_vec_with_limit(compressed, limit)
        .map_err(|_| LargeBlobError::BadEntry("the blob does not inflate within origSize"))?;
    if blob.len() != limit {
        return Err(LargeBlobError::BadEntry("the blob is not origSize bytes"));
    }
    Ok(Some(Zeroizing::new(blob)))
}

/// The CBOR encoding of an entry.
///
/// # Errors
/// [`LargeBlobError::MalformedArray`] if it cannot be encoded.
pub fn encode(entry: &LargeBlobMap) -> Result<Vec<u8>, LargeBlobError> {
    cbor::to_vec(entry).map_err(|e| LargeBlobError::MalformedArray(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_round_trips_and_other_keys_do_not_open() {
        let key = [1u8; KEY_LEN];
        let blob = b"some data, some data, some data".repeat(10);
        let entry = seal(&key, &blob).unwrap();
        assert_eq!(entry.orig_size, blob.len() as u64);
        assert!(entry.ciphertext.len() < blob.len(), "compressed");
        assert_eq!(open(&key, &entry).unwrap().unwrap().as_slice(), blob);
        assert!(open(&[2u8; KEY_LEN], &entry).unwrap().is_none());
    }

    #[test]
    fn a_changed_orig_size_does_not_authenticate() {
        let key = [1u8; KEY_LEN];
        let mut entry = seal_with_nonce(&key, b"abc", [0; NONCE_LEN]).unwrap();
        entry.orig_size = 4;
        assert!(open(&key, &entry).unwrap().is_none());
    }

    #[test]
    fn a_huge_orig_size_is_refused_before_inflating() {
        // A well-formed entry claiming more than MAX_BLOB_SIZE: sealed with a lying
        // origSize through the same construction.
        let key = [3u8; KEY_LEN];
        let orig_size = MAX_BLOB_SIZE + 1;
        let mut data = miniz_oxide::deflate::compress_to_vec(b"x", LEVEL);
        aead_key(&key)
            .unwrap()
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key([0; NONCE_LEN]),
                Aad::from(associated_data(orig_size)),
                &mut data,
            )
            .unwrap();
        let entry = LargeBlobMap {
            ciphertext: data,
            nonce: [0; NONCE_LEN],
            orig_size,
        };
        assert!(matches!(
            open(&key, &entry),
            Err(LargeBlobError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_wrong_orig_size_that_authenticates_is_a_bad_entry() {
        let key = [3u8; KEY_LEN];
        let orig_size = 10;
        let mut data = miniz_oxide::deflate::compress_to_vec(b"abc", LEVEL);
        aead_key(&key)
            .unwrap()
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key([0; NONCE_LEN]),
                Aad::from(associated_data(orig_size)),
                &mut data,
            )
            .unwrap();
        let entry = LargeBlobMap {
            ciphertext: data,
            nonce: [0; NONCE_LEN],
            orig_size,
        };
        assert!(matches!(
            open(&key, &entry),
            Err(LargeBlobError::BadEntry(_))
        ));
    }
}
