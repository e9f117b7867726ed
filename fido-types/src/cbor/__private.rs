//! Runtime support for the code `#[derive(CborMap)]` generates. Not a stable API: only
//! the derive should name these items.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;

pub use super::bytes::{ByteField, DeBytes, SerBytes};
use super::context::start_decode;
pub use super::context::{
    de_field_error, decode_error, duplicate_field, missing_field, ser_field_error,
};
use super::error::{DecodeErrorKind, FieldKey};
use super::unknown::UnknownFields;

pub use serde_cbor_2::Value;

/// A map key as the derived visitor sees it: integers and strings are matched against the
/// declared keys without allocation; anything else can only be an unknown key.
#[derive(Debug, Clone, PartialEq)]
pub enum MapKey<'de> {
    /// A non-negative integer key.
    Int(u64),
    /// A text key, borrowed from the input when possible.
    Text(Cow<'de, str>),
    /// Any other key (negative integer, byte string, ...). Boxed: this variant is rare,
    /// and an inline `Value` gives the enum a packed layout that is slow to move.
    Other(Box<Value>),
}

impl MapKey<'_> {
    /// The key as a non-negative integer.
    pub fn as_int(&self) -> Option<u64> {
        match self {
            MapKey::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The key as text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            MapKey::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The key as a `Value`, for [`UnknownFields`].
    pub fn into_value(self) -> Value {
        match self {
            MapKey::Int(n) => Value::Integer(i128::from(n)),
            MapKey::Text(s) => Value::Text(s.into_owned()),
            MapKey::Other(v) => *v,
        }
    }
}

impl<'de> Deserialize<'de> for MapKey<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MapKeyVisitor)
    }
}

struct MapKeyVisitor;

impl<'de> Visitor<'de> for MapKeyVisitor {
    type Value = MapKey<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CBOR map key")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(MapKey::Int(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match u64::try_from(v) {
            Ok(v) => Ok(MapKey::Int(v)),
            Err(_) => Ok(MapKey::Other(Box::new(Value::Integer(i128::from(v))))),
        }
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        match u64::try_from(v) {
            Ok(v) => Ok(MapKey::Int(v)),
            Err(_) => Ok(MapKey::Other(Box::new(Value::Integer(v)))),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(MapKey::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(MapKey::Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(MapKey::Text(Cow::Owned(v)))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(MapKey::Other(Box::new(Value::Bytes(v.to_vec()))))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(MapKey::Other(Box::new(Value::Bool(v))))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(MapKey::Other(Box::new(Value::Float(v))))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(MapKey::Other(Box::new(Value::Null)))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(MapKey::Other(Box::new(Value::Null)))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        MapKey::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(MapKey::Other(Box::new(Value::Array(items))))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<Value, Value>()? {
            entries.insert(k, v);
        }
        Ok(MapKey::Other(Box::new(Value::Map(entries))))
    }
}

/// Adds an unknown entry; a key seen twice is a [`DecodeErrorKind::DuplicateKey`].
pub fn insert_unknown<E: de::Error>(
    unknown: &mut UnknownFields,
    key: MapKey<'_>,
    value: Value,
    container: &'static str,
) -> Result<(), E> {
    if unknown.insert(key.into_value(), value).is_some() {
        let message = format!(
            "{container}: {} (unknown key)",
            DecodeErrorKind::DuplicateKey
        );
        return Err(E::custom(start_decode(
            DecodeErrorKind::DuplicateKey,
            message,
        )));
    }
    Ok(())
}

/// Emits [`UnknownFields`] entries in canonical position between the known fields.
pub struct UnknownCursor<'a> {
    unknown: &'a UnknownFields,
    next: usize,
}

impl<'a> UnknownCursor<'a> {
    /// Starts before the first unknown entry.
    pub fn new(unknown: &'a UnknownFields) -> Self {
        UnknownCursor { unknown, next: 0 }
    }

    /// Emits the pending unknown entries whose keys sort before `key`.
    pub fn emit_before<M: SerializeMap>(
        &mut self,
        map: &mut M,
        key: FieldKey,
    ) -> Result<(), M::Error> {
        if self.next >= self.unknown.len() {
            return Ok(());
        }
        let known = match key {
            FieldKey::Int(n) => Value::Integer(i128::from(n)),
            FieldKey::Text(s) => Value::Text(s.to_owned()),
        };
        while let Some(entry) = self.unknown.entry(self.next) {
            if super::canonical::value_key_cmp(&entry.key, &known).is_ge() {
                break;
            }
            map.serialize_entry(&entry.key, &entry.value)?;
            self.next += 1;
        }
        Ok(())
    }

    /// Emits all remaining unknown entries.
    pub fn emit_rest<M: SerializeMap>(&mut self, map: &mut M) -> Result<(), M::Error> {
        while let Some(entry) = self.unknown.entry(self.next) {
            map.serialize_entry(&entry.key, &entry.value)?;
            self.next += 1;
        }
        Ok(())
    }
}
