//! Canonical CTAP2 CBOR: the writer, the strict and lenient readers, limits, and
//! byte-string helpers.
//!
//! - [`to_vec`] encodes any `Serialize` value as CTAP2 canonical CBOR: shortest-form
//!   integers and lengths, definite lengths, map keys in canonical order (major type, then
//!   encoded length, then bytes), no tags, no floats.
//! - [`from_slice`] decodes strictly: only canonical input is accepted. [`Decoder`] picks
//!   strict or lenient decoding and a nesting limit.
//! - [`CborMap`] derives `Serialize`/`Deserialize` for structs that are CBOR maps with
//!   explicit integer or string keys; [`UnknownFields`] keeps keys a struct does not know.
//! - [`Bytes`] is a byte string usable anywhere; [`CanonicalMap`]/[`StrMap`] are
//!   dynamic-key maps in canonical order; [`diagnostic`] prints diagnostic notation.
//!
//! Encoding and decoding each have two paths. The direct one (`writer`, `reader`) is a
//! serde serializer or deserializer of this module's own that writes canonical CBOR
//! straight into a `Vec`, or validates and decodes canonical input in one pass over the
//! bytes. Whatever it does not cover (non-canonical input, floats, tags, enums) and every
//! error goes to the general path: for decoding, a validating walk over the bytes
//! (iterative, with a fixed stack; no allocation in strict mode) that checks every
//! declared length against the remaining input, the nesting depth and, in strict mode,
//! the canonical rules, then serde_cbor_2 deserializing from the slice; for encoding,
//! serde_cbor_2 then a canonicalizing rewrite. Both paths give the same result for what
//! the direct one accepts, so errors always come from the general path: a
//! [`DecodeError`] with a [`DecodeErrorKind`], the byte offset, and the path of derived
//! fields, e.g. `MakeCredentialResponse.auth_data (key 0x02)`.
//!
//! # serde_cbor_2's `Value` and canonical order
//!
//! `serde_cbor_2::Value`'s `Ord` (and so the key order of its `Value::Map`) compares the
//! major type first, then integers by magnitude, then byte and text strings by length and
//! then bytewise. For integer, text and byte-string keys that is exactly CTAP2 canonical
//! order (`0..23, 24.., -1, -2, ..`; shorter strings first). For array, map and tag keys
//! it falls back to comparing encodings bytewise without comparing lengths first, which
//! is not canonical (`[24]`, 3 bytes, sorts before `[-1]`, 2 bytes). CTAP2 never uses such
//! keys; [`to_vec`] re-sorts any map it is given, so its output is canonical either way
//! (see the tests in `cbor/tests.rs`).
//!
//! # Floats, tags, simple values
//!
//! CTAP2 uses none of them, and CTAP2 canonical CBOR forbids tags. [`to_vec`] refuses
//! floats and tags ([`EncodeErrorKind`]); strict decoding rejects them and `undefined`;
//! lenient decoding accepts floats and `undefined` and looks through tags.
//!
//! # Integer-valued registries
//!
//! Algorithms, subcommands and the like are `#[serde(transparent)]` newtypes over an
//! integer with named constants, so unknown values survive a round trip:
//!
//! ```
//! use fido_types::cbor;
//!
//! #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
//! #[serde(transparent)]
//! struct Alg(i32);
//! impl Alg {
//!     const ES256: Alg = Alg(-7);
//! }
//!
//! assert_eq!(cbor::to_vec(&Alg::ES256).unwrap(), [0x26]);
//! assert_eq!(cbor::from_slice::<Alg>(&[0x39, 0x01, 0x00]).unwrap(), Alg(-257));
//! ```

mod bytes;
mod canonical;
mod context;
mod decline;
mod decoder;
mod diag;
mod error;
mod map;
mod member;
mod reader;
mod strict_types;
mod unknown;
mod validate;
mod writer;

#[doc(hidden)]
pub mod __private;

#[cfg(test)]
mod direct_tests;
#[cfg(test)]
mod tests;

pub use bytes::{ArrayView, ByteField, ByteView, Bytes};
pub use decoder::Decoder;
pub use diag::diagnostic;
pub use error::{
    DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, FieldKey, PathSegment,
};
pub use fido_derive::CborMap;
pub use map::{CanonicalKey, CanonicalKeyRef, CanonicalMap, StrMap};
pub use member::{LENIENT_HINT, out_of_order_member, unsorted_note};
pub use serde_cbor_2::Value;
pub use unknown::UnknownFields;

use serde::{Deserialize, Serialize};

/// Encodes `value` as CTAP2 canonical CBOR.
///
/// ```
/// use fido_types::cbor::{self, CborMap};
///
/// #[derive(CborMap)]
/// struct RpEntity {
///     #[cbor(key = "id")]
///     id: String,
///     #[cbor(key = "name")]
///     name: Option<String>,
/// }
///
/// let rp = RpEntity { id: "example.com".into(), name: None };
/// assert_eq!(cbor::diagnostic(&cbor::to_vec(&rp).unwrap()), r#"{"id": "example.com"}"#);
/// ```
pub fn to_vec<T: Serialize>(value: &T) -> Result<Vec<u8>, EncodeError> {
    if let Some(bytes) = writer::encode(value) {
        return Ok(bytes);
    }
    to_vec_general(value)
}

/// The general encoding path: serde_cbor_2, then the canonicalizing rewrite.
fn to_vec_general<T: Serialize>(value: &T) -> Result<Vec<u8>, EncodeError> {
    let bytes = serde_cbor_2::to_vec(value).map_err(encode_error)?;
    canonical::canonicalize(bytes)
}

fn encode_error(error: serde_cbor_2::Error) -> EncodeError {
    let message = error.to_string();
    match context::take_encode_context(&message) {
        Some((kind, path)) => EncodeError::new(kind, 0).with_path(path),
        None => EncodeError::new(EncodeErrorKind::Unsupported(message), 0),
    }
}

/// Decodes one value from `input`, strictly: the input must be exactly one item of CTAP2
/// canonical CBOR. Same as `Decoder::new().decode(input)`.
pub fn from_slice<'de, T: Deserialize<'de>>(input: &'de [u8]) -> Result<T, DecodeError> {
    Decoder::new().decode(input)
}
