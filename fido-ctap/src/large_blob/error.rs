//! The large-blob error.

/// Why a large-blob operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LargeBlobError {
    /// The authenticator (or the transport) failed.
    #[error(transparent)]
    Ctap(#[from] crate::error::Error),
    /// The serialized array's trailing hash does not match its contents.
    #[error("large-blob array: the hash does not match")]
    HashMismatch,
    /// The serialized array is not a CBOR array followed by its hash.
    #[error("large-blob array: {0}")]
    MalformedArray(String),
    /// The array, an entry or a blob is larger than the limit that applies.
    #[error("large blob too large: {what} is {size} bytes, the limit is {limit}")]
    TooLarge {
        /// What is too large.
        what: &'static str,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// An entry did not decrypt or decompress to its original size.
    #[error("large-blob entry: {0}")]
    BadEntry(&'static str),
    /// A cryptographic primitive failed (random numbers, key setup).
    #[error("large blob: cryptography failed")]
    Crypto,
}
