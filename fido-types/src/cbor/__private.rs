//! Runtime support for the code `#[derive(CborMap)]` generates. Not a stable API: only
//! the derive should name these items.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, Serializer};

pub use super::bytes::ByteField;
use super::error::{DecodeErrorKind, EncodeErrorKind, FieldKey, PathSegment};
use super::unknown::UnknownFields;

pub use serde_cbor_2::Value;

/// Longest path kept for an error; deeper segments are dropped.
const MAX_PATH: usize = 32;

/// The structured side of the error being propagated on this thread. serde errors can
/// only carry a message, so the kind and path travel here, tied to the error by its exact
/// message: a stale context (from an error someone caught and dropped) never matches.
struct Context<K> {
    message: String,
    kind: K,
    /// Innermost first.
    path: Vec<PathSegment>,
}

thread_local! {
    static DECODE: RefCell<Option<Context<DecodeErrorKind>>> = const { RefCell::new(None) };
    static ENCODE: RefCell<Option<Context<EncodeErrorKind>>> = const { RefCell::new(None) };
}

/// Takes the decode context if it belongs to the error whose message is `message`.
/// Returns the kind and the path outermost first.
pub(crate) fn take_decode_context(message: &str) -> Option<(DecodeErrorKind, Vec<PathSegment>)> {
    take(&DECODE, message)
}

/// Takes the encode context if it belongs to the error whose message is `message`.
pub(crate) fn take_encode_context(message: &str) -> Option<(EncodeErrorKind, Vec<PathSegment>)> {
    take(&ENCODE, message)
}

fn take<K: 'static>(
    key: &'static std::thread::LocalKey<RefCell<Option<Context<K>>>>,
    message: &str,
) -> Option<(K, Vec<PathSegment>)> {
    key.with(|cell| {
        let ctx = cell.borrow_mut().take()?;
        if ctx.message != message {
            return None;
        }
        let mut path = ctx.path;
        path.reverse();
        Some((ctx.kind, path))
    })
}

/// Records a new error of `kind` (with an optional first path segment) and returns its
/// message.
fn start<K: 'static>(
    key: &'static std::thread::LocalKey<RefCell<Option<Context<K>>>>,
    kind: K,
    segment: Option<PathSegment>,
    message: String,
) -> String {
    key.with(|cell| {
        *cell.borrow_mut() = Some(Context {
            message: message.clone(),
            kind,
            path: segment.into_iter().collect(),
        });
    });
    message
}

/// Adds `segment` to the error whose message is `inner`, starting a new context with
/// `fresh_kind` if `inner` is not the error being tracked. Returns the new message.
fn wrap<K: 'static>(
    key: &'static std::thread::LocalKey<RefCell<Option<Context<K>>>>,
    inner: String,
    segment: PathSegment,
    fresh_kind: impl FnOnce(&str) -> K,
) -> String {
    key.with(|cell| {
        let mut slot = cell.borrow_mut();
        match slot.as_mut() {
            Some(ctx) if ctx.message == inner => {
                if ctx.path.len() < MAX_PATH {
                    ctx.path.push(segment);
                }
                ctx.message = format!("{segment} > {inner}");
                ctx.message.clone()
            }
            _ => {
                let message = format!("{segment}: {inner}");
                *slot = Some(Context {
                    message: message.clone(),
                    kind: fresh_kind(&inner),
                    path: vec![segment],
                });
                message
            }
        }
    })
}

fn segment(container: &'static str, field: &'static str, key: FieldKey) -> PathSegment {
    PathSegment {
        container,
        field,
        key,
    }
}

/// Wraps an error from decoding a field's value with the struct, field and key.
pub fn de_field_error<E: de::Error>(
    error: E,
    container: &'static str,
    field: &'static str,
    key: FieldKey,
) -> E {
    let message = wrap(
        &DECODE,
        error.to_string(),
        segment(container, field, key),
        |inner| DecodeErrorKind::Mismatch(inner.to_owned()),
    );
    E::custom(message)
}

/// The error for a required key that is absent.
pub fn missing_field<E: de::Error>(
    container: &'static str,
    field: &'static str,
    key: FieldKey,
) -> E {
    field_error(DecodeErrorKind::MissingField, container, field, key)
}

/// The error for a key that appears twice.
pub fn duplicate_field<E: de::Error>(
    container: &'static str,
    field: &'static str,
    key: FieldKey,
) -> E {
    field_error(DecodeErrorKind::DuplicateKey, container, field, key)
}

/// A decode error of `kind` about one field itself (not about its value).
fn field_error<E: de::Error>(
    kind: DecodeErrorKind,
    container: &'static str,
    field: &'static str,
    key: FieldKey,
) -> E {
    let segment = segment(container, field, key);
    let message = format!("{segment}: {kind}");
    E::custom(start(&DECODE, kind, Some(segment), message))
}

/// A decode error of a given kind raised by a helper type (e.g. a fixed-size byte string
/// of the wrong length); the enclosing field adds itself to the path.
pub fn decode_error<E: de::Error>(kind: DecodeErrorKind) -> E {
    let message = kind.to_string();
    E::custom(start(&DECODE, kind, None, message))
}

/// Wraps an error from encoding a field's value with the struct, field and key.
pub fn ser_field_error<E: ser::Error>(
    error: E,
    container: &'static str,
    field: &'static str,
    key: FieldKey,
) -> E {
    let message = wrap(
        &ENCODE,
        error.to_string(),
        segment(container, field, key),
        |inner| EncodeErrorKind::Unsupported(inner.to_owned()),
    );
    E::custom(message)
}

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
        return Err(E::custom(start(
            &DECODE,
            DecodeErrorKind::DuplicateKey,
            None,
            message,
        )));
    }
    Ok(())
}

/// Serializes a byte slice as a CBOR byte string.
pub struct SerBytes<'a>(pub &'a [u8]);

impl Serialize for SerBytes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// Deserializes a CBOR byte string into any [`ByteField`] type.
pub struct DeBytes<T>(pub T);

impl<'de, T: ByteField> Deserialize<'de> for DeBytes<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_bytes(BytesVisitor(std::marker::PhantomData))
            .map(DeBytes)
    }
}

struct BytesVisitor<T>(std::marker::PhantomData<T>);

impl<T: ByteField> Visitor<'_> for BytesVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a byte string")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<T, E> {
        T::from_byte_slice(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<T, E> {
        T::from_byte_vec(v)
    }
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
