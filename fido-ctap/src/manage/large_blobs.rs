//! The large-blob store: python-fido2's `LargeBlobs` role over the one implementation of
//! the format in [`large_blob`](crate::large_blob).
//!
//! Every per-credential operation reads the whole serialized array first and checks its
//! hash; a damaged array is reported ([`LargeBlobError::HashMismatch`],
//! [`LargeBlobError::MalformedArray`]) and never written over, except by
//! [`LargeBlobs::replace`], which the caller calls to replace the array wholesale.
//! Changing one entry writes back every other entry byte-identical.

use zeroize::Zeroizing;

use crate::capability::{LargeBlobSupport, ProvesLargeBlobs};
use crate::error::ResponseError;
use crate::large_blob::LargeBlobAccess;
use crate::large_blob::LargeBlobError;
use crate::large_blob::access::{MIN_ARRAY_SIZE, read_array, write_array};
use crate::large_blob::array::LargeBlobArray;
use crate::large_blob::entry::KEY_LEN;

/// The large-blob store through `A` (the bare authenticator reads; a token with
/// largeBlobWrite reads and writes), with the proof that the authenticator has one.
///
/// ```compile_fail
/// # use fido_ctap::{perms, pin::PinToken, manage::LargeBlobs};
/// # fn f(token: &mut PinToken<'_, perms![LargeBlobWrite]>) {
/// let blobs = LargeBlobs::new(token, true); // `bool` is not a proof
/// # }
/// ```
pub struct LargeBlobs<'a, A: LargeBlobAccess> {
    access: &'a mut A,
    support: LargeBlobSupport,
}

impl<A: LargeBlobAccess> std::fmt::Debug for LargeBlobs<'_, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LargeBlobs")
            .field("support", &self.support)
            .finish_non_exhaustive()
    }
}

/// A largeBlobKey as the 32-byte key the entry format takes.
///
/// # Errors
/// [`ResponseError::Invalid`] when it is not 32 bytes.
pub fn large_blob_key(key: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>, LargeBlobError> {
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    if key.len() != KEY_LEN {
        return Err(crate::error::Error::from(ResponseError::Invalid {
            what: "largeBlobKey",
            reason: "not 32 bytes",
        })
        .into());
    }
    out.copy_from_slice(key);
    Ok(out)
}

impl<'a, A: LargeBlobAccess> LargeBlobs<'a, A> {
    /// The store through `access`, given the proof from
    /// [`LargeBlobSupport::check`](crate::capability::LargeBlobSupport::check).
    pub fn new(access: &'a mut A, proof: impl ProvesLargeBlobs) -> Self {
        LargeBlobs {
            access,
            support: proof.proof(),
        }
    }

    /// The proof the store was built with.
    pub fn support(&self) -> LargeBlobSupport {
        self.support
    }

    /// maxSerializedLargeBlobArray: getInfo's, or the CTAP 2.1 minimum (1024 bytes) when
    /// getInfo omits it.
    pub fn max_array(&self) -> u64 {
        self.support
            .declared_max_array()
            .unwrap_or(0)
            .max(MIN_ARRAY_SIZE)
    }

    /// Reads the whole array, hash checked (python-fido2 `read_blob_array`).
    ///
    /// # Errors
    /// [`LargeBlobError::HashMismatch`] or [`LargeBlobError::MalformedArray`] for a damaged
    /// array; [`LargeBlobError::TooLarge`] over maxSerializedLargeBlobArray; the
    /// authenticator's.
    pub fn read(&mut self) -> Result<LargeBlobArray, LargeBlobError> {
        read_array(&mut *self.access)
    }

    /// The serialized array (CBOR array and truncated hash), hash checked.
    ///
    /// # Errors
    /// As [`read`](Self::read).
    pub fn read_serialized(&mut self) -> Result<Vec<u8>, LargeBlobError> {
        Ok(self.read()?.serialize())
    }

    /// Replaces the whole array with `array`, whatever the device holds now (damaged
    /// included): the one operation that writes without reading first.
    ///
    /// # Errors
    /// [`LargeBlobError::TooLarge`] over maxSerializedLargeBlobArray (nothing sent);
    /// [`PermissionError::Missing`](crate::error::PermissionError::Missing) through an
    /// access that may not write; the authenticator's.
    pub fn replace(&mut self, array: &LargeBlobArray) -> Result<(), LargeBlobError> {
        let size = array.serialize().len() as u64;
        if size > self.max_array() {
            return Err(LargeBlobError::TooLarge {
                what: "the serialized array",
                size,
                limit: self.max_array(),
            });
        }
        write_array(&mut *self.access, array)
    }

    /// Replaces the whole array with `serialized` after checking its hash and form.
    ///
    /// # Errors
    /// As [`LargeBlobArray::parse`] (nothing sent), then as [`replace`](Self::replace).
    pub fn replace_serialized(&mut self, serialized: &[u8]) -> Result<(), LargeBlobError> {
        let array = LargeBlobArray::parse(serialized)?;
        self.replace(&array)
    }

    /// The blob stored under `key` (python-fido2 `get_blob`).
    ///
    /// # Errors
    /// As [`read`](Self::read); [`ResponseError::Invalid`] for a key that is not 32 bytes;
    /// as [`LargeBlobArray::get`].
    pub fn get(&mut self, key: &[u8]) -> Result<Option<Zeroizing<Vec<u8>>>, LargeBlobError> {
        let key = large_blob_key(key)?;
        self.read()?.get(&key)
    }

    /// Stores `blob` under `key`, replacing the entry `key` opens or appending one; every
    /// other entry is written back byte-identical (python-fido2 `put_blob`).
    ///
    /// # Errors
    /// As [`read`](Self::read) (a damaged array is not overwritten); as
    /// [`replace`](Self::replace).
    pub fn put(&mut self, key: &[u8], blob: &[u8]) -> Result<(), LargeBlobError> {
        let key = large_blob_key(key)?;
        let mut array = self.read()?;
        array.put(&key, blob)?;
        self.replace(&array)
    }

    /// Removes the entry `key` opens, writing only when there was one; whether there was
    /// (python-fido2 `delete_blob`).
    ///
    /// # Errors
    /// As [`put`](Self::put).
    pub fn delete(&mut self, key: &[u8]) -> Result<bool, LargeBlobError> {
        let key = large_blob_key(key)?;
        let mut array = self.read()?;
        if !array.delete(&key)? {
            return Ok(false);
        }
        self.replace(&array)?;
        Ok(true)
    }
}
