//! Byte strings: the [`Bytes`] newtype and the [`ByteField`] trait behind
//! `#[cbor(bytes)]`.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use super::context::decode_error;
use super::error::DecodeErrorKind;

/// A type that travels as a CBOR byte string in a `#[derive(CborMap)]` field.
///
/// Implemented for `Vec<u8>`, `[u8; N]` (length-checked on decode), `Box<[u8]>` and
/// [`Bytes`]. Implement it for your own type (e.g. a zeroizing buffer) and mark the field
/// `#[cbor(key = .., bytes)]`.
pub trait ByteField: Sized {
    /// The bytes to encode.
    fn as_byte_slice(&self) -> &[u8];

    /// Builds the value from decoded bytes; errors for a wrong length or content (use
    /// [`DecodeErrorKind::WrongLength`] through `E::custom` for lengths).
    fn from_byte_slice<E: de::Error>(bytes: &[u8]) -> Result<Self, E>;

    /// Builds the value from an owned buffer; defaults to [`ByteField::from_byte_slice`].
    fn from_byte_vec<E: de::Error>(bytes: Vec<u8>) -> Result<Self, E> {
        Self::from_byte_slice(&bytes)
    }
}

impl ByteField for Vec<u8> {
    fn as_byte_slice(&self) -> &[u8] {
        self
    }
    fn from_byte_slice<E: de::Error>(bytes: &[u8]) -> Result<Self, E> {
        Ok(bytes.to_vec())
    }
    fn from_byte_vec<E: de::Error>(bytes: Vec<u8>) -> Result<Self, E> {
        Ok(bytes)
    }
}

impl ByteField for Box<[u8]> {
    fn as_byte_slice(&self) -> &[u8] {
        self
    }
    fn from_byte_slice<E: de::Error>(bytes: &[u8]) -> Result<Self, E> {
        Ok(bytes.into())
    }
    fn from_byte_vec<E: de::Error>(bytes: Vec<u8>) -> Result<Self, E> {
        Ok(bytes.into_boxed_slice())
    }
}

impl<const N: usize> ByteField for [u8; N] {
    fn as_byte_slice(&self) -> &[u8] {
        self
    }
    fn from_byte_slice<E: de::Error>(bytes: &[u8]) -> Result<Self, E> {
        <[u8; N]>::try_from(bytes).map_err(|_| {
            decode_error(DecodeErrorKind::WrongLength {
                expected: N,
                actual: bytes.len(),
            })
        })
    }
}

impl ByteField for Bytes {
    fn as_byte_slice(&self) -> &[u8] {
        &self.0
    }
    fn from_byte_slice<E: de::Error>(bytes: &[u8]) -> Result<Self, E> {
        Ok(Bytes(bytes.to_vec()))
    }
    fn from_byte_vec<E: de::Error>(bytes: Vec<u8>) -> Result<Self, E> {
        Ok(Bytes(bytes))
    }
}

/// A `Vec<u8>` that serializes as a CBOR byte string anywhere, e.g. in `Vec<Bytes>` or
/// as a map value, where a plain `Vec<u8>` would become an array of integers.
///
/// ```
/// use fido_types::cbor::{self, Bytes};
///
/// let list = vec![Bytes::from(vec![1, 2]), Bytes::from(vec![3])];
/// assert_eq!(cbor::to_vec(&list).unwrap(), [0x82, 0x42, 1, 2, 0x41, 3]);
/// assert_eq!(cbor::diagnostic(&cbor::to_vec(&list).unwrap()), "[h'0102', h'03']");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    /// The inner buffer.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("h'")?;
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        f.write_str("'")
    }
}

impl Deref for Bytes {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Bytes {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Self {
        Bytes(v)
    }
}

impl From<&[u8]> for Bytes {
    fn from(v: &[u8]) -> Self {
        Bytes(v.to_vec())
    }
}

impl<const N: usize> From<[u8; N]> for Bytes {
    fn from(v: [u8; N]) -> Self {
        Bytes(v.to_vec())
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(b: Bytes) -> Self {
        b.0
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        DeBytes::<Bytes>::deserialize(deserializer).map(|b| b.0)
    }
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

/// A byte string borrowed from the message being decoded: the `&[u8]` of the borrowed
/// response views (`fido_types::ctap2::views`). It encodes as a CBOR byte string, and
/// decodes only from input that outlives it (`cbor::from_slice`, `Decoder::decode`).
///
/// ```
/// use fido_types::cbor::{self, ByteView};
///
/// let input = [0x43, 1, 2, 3];
/// let view: ByteView<'_> = cbor::from_slice(&input).unwrap();
/// assert_eq!(view.0, &input[1..]);
/// assert_eq!(cbor::to_vec(&view).unwrap(), input);
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteView<'a>(pub &'a [u8]);

impl fmt::Debug for ByteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("h'")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        f.write_str("'")
    }
}

impl Deref for ByteView<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.0
    }
}

impl AsRef<[u8]> for ByteView<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0
    }
}

impl Serialize for ByteView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ByteView<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_bytes(ByteViewVisitor)
    }
}

struct ByteViewVisitor;

impl<'de> Visitor<'de> for ByteViewVisitor {
    type Value = ByteView<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a byte string borrowed from the input")
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
        Ok(ByteView(v))
    }
}

/// A fixed-size byte string borrowed from the message being decoded (an AAGUID in
/// `fido_types::ctap2::views::InfoView`). Another length is a
/// [`DecodeErrorKind::WrongLength`] error, as for `[u8; N]` fields.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArrayView<'a, const N: usize>(pub &'a [u8; N]);

impl<const N: usize> fmt::Debug for ArrayView<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ByteView(self.0).fmt(f)
    }
}

impl<const N: usize> Serialize for ArrayView<'_, N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a, const N: usize> Deserialize<'de> for ArrayView<'a, N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let ByteView(bytes) = ByteView::deserialize(deserializer)?;
        <&[u8; N]>::try_from(bytes).map(ArrayView).map_err(|_| {
            decode_error(DecodeErrorKind::WrongLength {
                expected: N,
                actual: bytes.len(),
            })
        })
    }
}
