//! [`CanonicalMap`]: maps with dynamic keys (authenticator options, extensions, COSE keys)
//! kept in CTAP2 canonical key order.

use std::cmp::Ordering;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A map key type with a CTAP2 canonical order: major type first (non-negative integers
/// before negative ones before strings), then encoded length, then bytes. For integers
/// that is `0, 1, .., 23, 24, .., -1, -2, ..`; for strings, shorter first, then bytewise.
pub trait CanonicalKey: Ord {
    /// Compares two keys in CTAP2 canonical order.
    fn canonical_cmp(&self, other: &Self) -> Ordering;
}

impl CanonicalKey for String {
    fn canonical_cmp(&self, other: &Self) -> Ordering {
        self.len()
            .cmp(&other.len())
            .then_with(|| self.as_bytes().cmp(other.as_bytes()))
    }
}

impl CanonicalKey for &str {
    fn canonical_cmp(&self, other: &Self) -> Ordering {
        self.len()
            .cmp(&other.len())
            .then_with(|| self.as_bytes().cmp(other.as_bytes()))
    }
}

impl CanonicalKey for u64 {
    fn canonical_cmp(&self, other: &Self) -> Ordering {
        self.cmp(other)
    }
}

impl CanonicalKey for i64 {
    fn canonical_cmp(&self, other: &Self) -> Ordering {
        // Non-negative (major type 0) first, ascending; then negative (major type 1) by
        // magnitude: -1, -2, ...
        match (*self >= 0, *other >= 0) {
            (true, true) => self.cmp(other),
            (false, false) => other.cmp(self),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
        }
    }
}

/// A map whose entries are kept, and encoded, in CTAP2 canonical key order; decoding
/// rejects a key seen twice.
///
/// A `BTreeMap<String, _>` sorts bytewise (`"alwaysUv" < "rk"`), but CTAP2 wants shorter
/// keys first (`"rk"` before `"alwaysUv"`); a `BTreeMap<i64, _>` puts `-1` before `1`.
/// (`fido_types::cbor::to_vec` re-sorts those anyway, but other serializers would not.)
///
/// ```
/// use fido_types::cbor::{self, StrMap};
///
/// let mut options = StrMap::new();
/// options.insert("alwaysUv".to_string(), true);
/// options.insert("rk".to_string(), false);
/// let bytes = cbor::to_vec(&options).unwrap();
/// assert_eq!(cbor::diagnostic(&bytes), r#"{"rk": false, "alwaysUv": true}"#);
/// assert_eq!(cbor::from_slice::<StrMap<bool>>(&bytes).unwrap(), options);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CanonicalMap<K, V> {
    entries: Vec<(K, V)>,
}

/// A string-keyed [`CanonicalMap`] (options, extension inputs and outputs).
pub type StrMap<V> = CanonicalMap<String, V>;

impl<K, V> Default for CanonicalMap<K, V> {
    fn default() -> Self {
        CanonicalMap {
            entries: Vec::new(),
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for CanonicalMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl<K: CanonicalKey, V> CanonicalMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        CanonicalMap {
            entries: Vec::new(),
        }
    }

    fn search<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        Q: ?Sized + CanonicalKeyRef<K>,
    {
        self.entries
            .binary_search_by(|(k, _)| key.cmp_key(k).reverse())
    }

    /// Inserts an entry, returning the previous value for the key.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        // Decoding inserts canonical input in order: append without a search.
        if self
            .entries
            .last()
            .is_none_or(|(last, _)| last.canonical_cmp(&key).is_lt())
        {
            self.entries.push((key, value));
            return None;
        }
        match self
            .entries
            .binary_search_by(|(k, _)| k.canonical_cmp(&key))
        {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// The value for `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        Q: ?Sized + CanonicalKeyRef<K>,
    {
        self.search(key).ok().map(|i| &self.entries[i].1)
    }

    /// Whether the map has `key`.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        Q: ?Sized + CanonicalKeyRef<K>,
    {
        self.search(key).is_ok()
    }

    /// Removes and returns the value for `key`.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        Q: ?Sized + CanonicalKeyRef<K>,
    {
        self.search(key).ok().map(|i| self.entries.remove(i).1)
    }
}

impl<K, V> CanonicalMap<K, V> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in canonical key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys in canonical order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }
}

/// Lookup by a borrowed form of the key (`&str` for `String` keys).
pub trait CanonicalKeyRef<K> {
    /// Compares `self` with a stored key in canonical order.
    fn cmp_key(&self, key: &K) -> Ordering;
}

impl CanonicalKeyRef<String> for str {
    fn cmp_key(&self, key: &String) -> Ordering {
        self.len()
            .cmp(&key.len())
            .then_with(|| self.as_bytes().cmp(key.as_bytes()))
    }
}

impl<'a> CanonicalKeyRef<&'a str> for str {
    fn cmp_key(&self, key: &&'a str) -> Ordering {
        self.len()
            .cmp(&key.len())
            .then_with(|| self.as_bytes().cmp(key.as_bytes()))
    }
}

impl CanonicalKeyRef<String> for String {
    fn cmp_key(&self, key: &String) -> Ordering {
        self.canonical_cmp(key)
    }
}

impl CanonicalKeyRef<u64> for u64 {
    fn cmp_key(&self, key: &u64) -> Ordering {
        self.canonical_cmp(key)
    }
}

impl CanonicalKeyRef<i64> for i64 {
    fn cmp_key(&self, key: &i64) -> Ordering {
        self.canonical_cmp(key)
    }
}

impl<K: CanonicalKey, V> FromIterator<(K, V)> for CanonicalMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = CanonicalMap::new();
        map.extend(iter);
        map
    }
}

impl<K: CanonicalKey, V> Extend<(K, V)> for CanonicalMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K, V> IntoIterator for CanonicalMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Serialize, V: Serialize> Serialize for CanonicalMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, K, V> Deserialize<'de> for CanonicalMap<K, V>
where
    K: CanonicalKey + Deserialize<'de>,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

struct MapVisitor<K, V>(PhantomData<(K, V)>);

impl<'de, K, V> Visitor<'de> for MapVisitor<K, V>
where
    K: CanonicalKey + Deserialize<'de>,
    V: Deserialize<'de>,
{
    type Value = CanonicalMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CBOR map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut map = CanonicalMap::new();
        while let Some((k, v)) = access.next_entry::<K, V>()? {
            if map.insert(k, v).is_some() {
                return Err(super::context::decode_error(
                    super::DecodeErrorKind::DuplicateKey,
                ));
            }
        }
        Ok(map)
    }
}
