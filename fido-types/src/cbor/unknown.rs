//! [`UnknownFields`]: map entries a derived struct does not know, kept for re-encoding.

use serde_cbor_2::Value;

use super::canonical::value_key_cmp;

/// Entries of a CBOR map whose keys a `#[derive(CborMap)]` struct does not declare.
///
/// Mark a field `#[cbor(unknown)]` to collect them; on encode they are written back in
/// canonical position among the known keys, so a message from an authenticator newer
/// than this library survives a decode/encode round trip unchanged.
///
/// ```
/// use fido_types::cbor::{self, CborMap, UnknownFields, Value};
///
/// #[derive(Debug, PartialEq, CborMap)]
/// struct Info {
///     #[cbor(key = 0x01)]
///     versions: Vec<String>,
///     #[cbor(key = 0x03)]
///     aaguid: [u8; 16],
///     #[cbor(unknown)]
///     unknown: UnknownFields,
/// }
///
/// // {1: ["FIDO_2_0"], 2: 7, 3: h'00..00'}: key 2 is unknown here.
/// let mut bytes = vec![0xa3, 0x01, 0x81, 0x68];
/// bytes.extend_from_slice(b"FIDO_2_0");
/// bytes.extend_from_slice(&[0x02, 0x07, 0x03, 0x50]);
/// bytes.extend_from_slice(&[0; 16]);
/// let info: Info = cbor::from_slice(&bytes).unwrap();
/// assert_eq!(info.unknown.get(&Value::Integer(2)), Some(&Value::Integer(7)));
/// assert_eq!(cbor::to_vec(&info).unwrap(), bytes);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnknownFields {
    /// Sorted by the canonical order of the keys; keys unique.
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) key: Value,
    pub(crate) value: Value,
}

impl UnknownFields {
    /// No entries.
    pub fn new() -> Self {
        UnknownFields::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn search(&self, key: &Value) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|e| value_key_cmp(&e.key, key))
    }

    /// Adds an entry, returning the previous value for that key.
    pub fn insert(&mut self, key: Value, value: Value) -> Option<Value> {
        match self.search(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].value, value)),
            Err(i) => {
                self.entries.insert(i, Entry { key, value });
                None
            }
        }
    }

    /// The value for `key`.
    pub fn get(&self, key: &Value) -> Option<&Value> {
        self.search(key).ok().map(|i| &self.entries[i].value)
    }

    /// Removes and returns the value for `key`.
    pub fn remove(&mut self, key: &Value) -> Option<Value> {
        self.search(key).ok().map(|i| self.entries.remove(i).value)
    }

    /// The entries in canonical key order.
    pub fn iter(&self) -> impl Iterator<Item = (&Value, &Value)> {
        self.entries.iter().map(|e| (&e.key, &e.value))
    }

    pub(crate) fn entry(&self, index: usize) -> Option<&Entry> {
        self.entries.get(index)
    }
}
