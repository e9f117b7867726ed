//! The serialized large-blob array (CTAP 2.1 §6.10): a CBOR array of entries followed by
//! the first 16 bytes of its SHA-256. Each entry keeps the exact bytes it was read as, so
//! writing the array back after changing one entry leaves every other entry
//! byte-identical (entries this library cannot read included).

use fido_types::cbor::{self, Decoder, Value};
use fido_types::generated::LargeBlobMap;
use ring::digest;
use zeroize::Zeroizing;

use super::entry::{self, KEY_LEN};
use super::error::LargeBlobError;

/// The length of the truncated hash that ends the serialized array.
pub const HASH_LEN: usize = 16;

/// CBOR major type 4 (array), as the initial byte's top three bits.
const MAJOR_ARRAY: u8 = 0x80;

/// One entry: the bytes read (or written), and the entry map when they are one.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEntry {
    bytes: Vec<u8>,
    map: Option<LargeBlobMap>,
}

impl RawEntry {
    /// The entry's CBOR bytes, as read.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The entry as a large-blob map, when it is one.
    pub fn map(&self) -> Option<&LargeBlobMap> {
        self.map.as_ref()
    }

    fn of(map: LargeBlobMap) -> Result<Self, LargeBlobError> {
        Ok(RawEntry {
            bytes: entry::encode(&map)?,
            map: Some(map),
        })
    }
}

/// An entry's index and the blob it holds.
type Found = (usize, Zeroizing<Vec<u8>>);

/// The large-blob array.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LargeBlobArray {
    entries: Vec<RawEntry>,
}

impl LargeBlobArray {
    /// The empty array (what a reset authenticator holds: `0x80` and its hash).
    pub fn empty() -> Self {
        LargeBlobArray::default()
    }

    /// Reads a serialized array, checking its hash.
    ///
    /// # Errors
    /// [`LargeBlobError::HashMismatch`]; [`LargeBlobError::MalformedArray`] for anything
    /// but a definite-length CBOR array of well-formed items followed by the hash.
    pub fn parse(serialized: &[u8]) -> Result<Self, LargeBlobError> {
        let split = serialized
            .len()
            .checked_sub(HASH_LEN)
            .filter(|&n| n > 0)
            .ok_or_else(|| LargeBlobError::MalformedArray("shorter than its hash".into()))?;
        let (data, hash) = serialized.split_at(split);
        if truncated_hash(data) != hash {
            return Err(LargeBlobError::HashMismatch);
        }
        let (count, mut rest) = array_header(data)?;
        let decoder = Decoder::new();
        let mut entries = Vec::new();
        for _ in 0..count {
            let (_, used) = decoder
                .decode_prefix::<Value>(rest)
                .map_err(|e| LargeBlobError::MalformedArray(e.to_string()))?;
            let bytes = rest[..used].to_vec();
            rest = &rest[used..];
            let map = cbor::from_slice::<LargeBlobMap>(&bytes).ok();
            entries.push(RawEntry { bytes, map });
        }
        if !rest.is_empty() {
            return Err(LargeBlobError::MalformedArray(
                "bytes after the array".into(),
            ));
        }
        Ok(LargeBlobArray { entries })
    }

    /// The serialized array: the CBOR array of the entries' bytes, then its hash.
    pub fn serialize(&self) -> Vec<u8> {
        let mut out = array_header_bytes(self.entries.len() as u64);
        for entry in &self.entries {
            out.extend_from_slice(&entry.bytes);
        }
        let hash = truncated_hash(&out);
        out.extend_from_slice(&hash);
        out
    }

    /// The entries, in order.
    pub fn entries(&self) -> &[RawEntry] {
        &self.entries
    }

    /// The index of the first entry `key` opens, and its blob.
    fn find(&self, key: &[u8; KEY_LEN]) -> Result<Option<Found>, LargeBlobError> {
        for (i, e) in self.entries.iter().enumerate() {
            if let Some(map) = &e.map
                && let Some(blob) = entry::open(key, map)?
            {
                return Ok(Some((i, blob)));
            }
        }
        Ok(None)
    }

    /// The blob stored under `key`, if any (python-fido2 `LargeBlobs.get_blob`).
    ///
    /// # Errors
    /// As [`entry::open`].
    pub fn get(&self, key: &[u8; KEY_LEN]) -> Result<Option<Zeroizing<Vec<u8>>>, LargeBlobError> {
        Ok(self.find(key)?.map(|(_, blob)| blob))
    }

    /// Stores `blob` under `key`: replaces the entry `key` opens, in place, or appends
    /// one. Every other entry keeps its bytes.
    ///
    /// # Errors
    /// As [`entry::seal`].
    pub fn put(&mut self, key: &[u8; KEY_LEN], blob: &[u8]) -> Result<(), LargeBlobError> {
        let new = RawEntry::of(entry::seal(key, blob)?)?;
        self.put_entry(key, new)
    }

    /// As [`put`](Self::put) with a given entry (e.g. one sealed with a fixed nonce).
    ///
    /// # Errors
    /// As [`entry::open`].
    pub fn put_entry(&mut self, key: &[u8; KEY_LEN], new: RawEntry) -> Result<(), LargeBlobError> {
        match self.find(key)? {
            Some((i, _)) => self.entries[i] = new,
            None => self.entries.push(new),
        }
        Ok(())
    }

    /// Seals `blob` under `key` with `nonce` as an entry for [`put_entry`](Self::put_entry).
    ///
    /// # Errors
    /// As [`entry::seal_with_nonce`].
    pub fn sealed_entry(
        key: &[u8; KEY_LEN],
        blob: &[u8],
        nonce: [u8; 12],
    ) -> Result<RawEntry, LargeBlobError> {
        RawEntry::of(entry::seal_with_nonce(key, blob, nonce)?)
    }

    /// Removes the entry `key` opens; whether there was one.
    ///
    /// # Errors
    /// As [`entry::open`].
    pub fn delete(&mut self, key: &[u8; KEY_LEN]) -> Result<bool, LargeBlobError> {
        match self.find(key)? {
            Some((i, _)) => {
                self.entries.remove(i);
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

/// The first [`HASH_LEN`] bytes of SHA-256(`data`).
fn truncated_hash(data: &[u8]) -> [u8; HASH_LEN] {
    let mut out = [0; HASH_LEN];
    out.copy_from_slice(&digest::digest(&digest::SHA256, data).as_ref()[..HASH_LEN]);
    out
}

/// A definite-length array header: the entry count and what follows it.
fn array_header(data: &[u8]) -> Result<(u64, &[u8]), LargeBlobError> {
    let malformed = |why: &str| LargeBlobError::MalformedArray(why.into());
    let (&first, rest) = data.split_first().ok_or_else(|| malformed("empty"))?;
    if first & 0xe0 != MAJOR_ARRAY {
        return Err(malformed("not a CBOR array"));
    }
    let width = match first & 0x1f {
        n @ 0..=23 => return Ok((u64::from(n), rest)),
        24 => 1,
        25 => 2,
        26 => 4,
        27 => 8,
        _ => return Err(malformed("not a definite-length array")),
    };
    if rest.len() < width {
        return Err(malformed("truncated array header"));
    }
    let (len, rest) = rest.split_at(width);
    let count = len.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b));
    Ok((count, rest))
}

/// The canonical header of an array of `count` items.
fn array_header_bytes(count: u64) -> Vec<u8> {
    match count {
        0..=23 => vec![MAJOR_ARRAY | count as u8],
        24..=0xff => vec![MAJOR_ARRAY | 24, count as u8],
        0x100..=0xffff => [&[MAJOR_ARRAY | 25][..], &(count as u16).to_be_bytes()].concat(),
        0x1_0000..=0xffff_ffff => [&[MAJOR_ARRAY | 26][..], &(count as u32).to_be_bytes()].concat(),
        _ => [&[MAJOR_ARRAY | 27][..], &count.to_be_bytes()].concat(),
    }
}

#[cfg(test)]
mod tests;
