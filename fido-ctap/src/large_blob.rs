//! The large-blob array (CTAP 2.1 §6.10): what a client keeps in it for a credential, and
//! how the whole array travels.
//!
//! - [`entry`]: one per-credential entry, `{1: ciphertext, 2: nonce, 3: origSize}`: the
//!   blob DEFLATE-compressed, then AES-256-GCM under the credential's largeBlobKey with
//!   associated data `"blob" || uint64LE(origSize)` (§6.10.3).
//! - [`array`]: the serialized array, a CBOR array followed by the first 16 bytes of its
//!   SHA-256; entries are kept as the exact bytes read, so replacing one leaves every
//!   other byte-identical.
//! - [`access`]: reading and writing the serialized array in fragments of at most
//!   maxFragmentLength (maxMsgSize - 64) bytes through [`LargeBlobAccess`], which the
//!   bare authenticator (reads) and a token with the largeBlobWrite permission (reads and
//!   writes) implement.
//!
//! Facts checked against python-fido2 (fido2/ctap2/blob.py) and libfido2
//! (src/largeblob.c): raw DEFLATE (no zlib header), a 12-byte nonce, the 16-byte
//! truncated hash, the empty array `0x80` followed by its hash.
//!
//! ```
//! use fido_ctap::large_blob::array::LargeBlobArray;
//!
//! let key = [7u8; 32];
//! let mut array = LargeBlobArray::empty();
//! array.put(&key, b"hello, blob").unwrap();
//! let bytes = array.serialize();
//! let read = LargeBlobArray::parse(&bytes).unwrap();
//! let blob = read.get(&key).unwrap().map(|b| b.to_vec());
//! assert_eq!(blob, Some(b"hello, blob".to_vec()));
//! ```

pub mod access;
pub mod array;
pub mod entry;
mod error;

pub use access::LargeBlobAccess;
pub use error::LargeBlobError;
