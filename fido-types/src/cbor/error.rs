//! Typed encode and decode errors: a kind, a byte offset and a field path.

use std::fmt;

/// The key of a derived struct's field, as declared in `#[cbor(key = ..)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKey {
    /// An integer key, e.g. `0x02` for `authData` in a getAssertion response.
    Int(u64),
    /// A string key, e.g. `"id"` in a relying-party entity.
    Text(&'static str),
}

impl fmt::Display for FieldKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldKey::Int(n) => write!(f, "0x{n:02x}"),
            FieldKey::Text(s) => write!(f, "{s:?}"),
        }
    }
}

/// One step of a field path: a field of a derived struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PathSegment {
    /// The Rust name of the struct, e.g. `MakeCredentialResponse`.
    pub container: &'static str,
    /// The Rust name of the field, e.g. `auth_data`.
    pub field: &'static str,
    /// The field's CBOR map key.
    pub key: FieldKey,
}

impl fmt::Display for PathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{} (key {})", self.container, self.field, self.key)
    }
}

/// Writes a path outermost first, segments separated by ` > `.
fn write_path(f: &mut fmt::Formatter<'_>, path: &[PathSegment]) -> fmt::Result {
    for (i, segment) in path.iter().enumerate() {
        if i > 0 {
            f.write_str(" > ")?;
        }
        write!(f, "{segment}")?;
    }
    Ok(())
}

/// What went wrong while decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ends inside an item, or a declared length or count exceeds the bytes left.
    Truncated,
    /// Bytes follow the single top-level item.
    TrailingBytes,
    /// The input is not well-formed CBOR: a reserved additional-information value (28..30),
    /// a `break` outside an indefinite-length item, an indefinite-length string chunk of
    /// another type, or a two-byte simple value below 32.
    Malformed,
    /// Strict mode: an integer, length, or tag number not in its shortest form.
    NonMinimal,
    /// Strict mode: an indefinite-length string, array or map.
    IndefiniteLength,
    /// Strict mode: map keys not in CTAP2 canonical order.
    UnsortedKeys,
    /// A map key appears twice.
    DuplicateKey,
    /// Items nest deeper than the decoder's limit.
    DepthLimitExceeded {
        /// The limit in force.
        max_depth: usize,
    },
    /// A text string is not valid UTF-8.
    InvalidUtf8,
    /// Strict mode: a tag (major type 6). CTAP2 canonical CBOR has no tags.
    TagNotAllowed,
    /// Strict mode: a floating-point number. No CTAP2 structure uses floats.
    FloatNotAllowed,
    /// A simple value other than `false`, `true` and `null` (`undefined` is accepted in
    /// lenient mode only).
    UnsupportedSimpleValue,
    /// A required key of a derived struct is missing (see the error's path).
    MissingField,
    /// A fixed-size byte string has the wrong length.
    WrongLength {
        /// The length the field requires.
        expected: usize,
        /// The length found.
        actual: usize,
    },
    /// Well-formed CBOR that does not fit the Rust type (wrong type, out-of-range integer,
    /// unknown enum variant, ...); the message comes from serde.
    Mismatch(String),
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeErrorKind::Truncated => {
                f.write_str("input truncated (a declared length exceeds the remaining input)")
            }
            DecodeErrorKind::TrailingBytes => f.write_str("trailing bytes after the CBOR item"),
            DecodeErrorKind::Malformed => f.write_str("malformed CBOR"),
            DecodeErrorKind::NonMinimal => {
                f.write_str("integer or length not in its shortest encoding")
            }
            DecodeErrorKind::IndefiniteLength => f.write_str("indefinite-length item"),
            DecodeErrorKind::UnsortedKeys => f.write_str("map keys not in CTAP2 canonical order"),
            DecodeErrorKind::DuplicateKey => f.write_str("duplicate map key"),
            DecodeErrorKind::DepthLimitExceeded { max_depth } => {
                write!(f, "nesting deeper than {max_depth}")
            }
            DecodeErrorKind::InvalidUtf8 => f.write_str("text string is not valid UTF-8"),
            DecodeErrorKind::TagNotAllowed => f.write_str("CBOR tags are not allowed"),
            DecodeErrorKind::FloatNotAllowed => {
                f.write_str("floating-point values are not allowed")
            }
            DecodeErrorKind::UnsupportedSimpleValue => f.write_str("unsupported simple value"),
            DecodeErrorKind::MissingField => f.write_str("missing required key"),
            DecodeErrorKind::WrongLength { expected, actual } => {
                write!(f, "byte string of length {actual}, expected {expected}")
            }
            DecodeErrorKind::Mismatch(message) => f.write_str(message),
        }
    }
}

/// A decode failure: what ([`DecodeErrorKind`]), where in the input (byte offset), and in
/// which field of which derived struct (path, outermost first).
///
/// ```
/// use fido_types::cbor::{self, CborMap, DecodeErrorKind};
///
/// #[derive(Debug, CborMap)]
/// struct Response {
///     #[cbor(key = 0x02)]
///     auth_data: Vec<u8>,
/// }
///
/// let err = cbor::from_slice::<Response>(&[0xa0]).unwrap_err();
/// assert_eq!(err.kind(), &DecodeErrorKind::MissingField);
/// assert_eq!(err.path_string(), "Response.auth_data (key 0x02)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    offset: usize,
    path: Vec<PathSegment>,
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        DecodeError {
            kind,
            offset,
            path: Vec::new(),
        }
    }

    pub(crate) fn with_path(mut self, path: Vec<PathSegment>) -> Self {
        self.path = path;
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// Byte offset in the input of the item at fault (for a missing key: the map; for an
    /// error inside a field: that field's value, as far as the path can be followed).
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The derived-struct fields leading to the error, outermost first; empty for errors
    /// found before any struct was matched (malformed or non-canonical input).
    pub fn path(&self) -> &[PathSegment] {
        &self.path
    }

    /// The path as text, e.g. `MakeCredentialResponse.auth_data (key 0x02)`.
    pub fn path_string(&self) -> String {
        struct P<'a>(&'a [PathSegment]);
        impl fmt::Display for P<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_path(f, self.0)
            }
        }
        P(&self.path).to_string()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CBOR decode error at offset {}", self.offset)?;
        if !self.path.is_empty() {
            f.write_str(" in ")?;
            write_path(f, &self.path)?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for DecodeError {}

/// What went wrong while encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeErrorKind {
    /// Two map entries have the same key.
    DuplicateKey,
    /// A floating-point value: CTAP2 has none, and strict decoding would reject it.
    FloatNotAllowed,
    /// A tag: CTAP2 canonical CBOR has none.
    TagNotAllowed,
    /// Items nest deeper than the encoder accepts.
    DepthLimitExceeded {
        /// The limit in force.
        max_depth: usize,
    },
    /// The value cannot be represented (e.g. an integer beyond 64 bits) or its `Serialize`
    /// impl failed; the message comes from serde or serde_cbor_2.
    Unsupported(String),
}

impl fmt::Display for EncodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeErrorKind::DuplicateKey => f.write_str("duplicate map key"),
            EncodeErrorKind::FloatNotAllowed => {
                f.write_str("floating-point values are not allowed")
            }
            EncodeErrorKind::TagNotAllowed => f.write_str("CBOR tags are not allowed"),
            EncodeErrorKind::DepthLimitExceeded { max_depth } => {
                write!(f, "nesting deeper than {max_depth}")
            }
            EncodeErrorKind::Unsupported(message) => f.write_str(message),
        }
    }
}

/// An encode failure: what, at which offset of the (serde_cbor_2) output, and in which
/// derived-struct field when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    kind: EncodeErrorKind,
    offset: usize,
    path: Vec<PathSegment>,
}

impl EncodeError {
    pub(crate) fn new(kind: EncodeErrorKind, offset: usize) -> Self {
        EncodeError {
            kind,
            offset,
            path: Vec::new(),
        }
    }

    pub(crate) fn with_path(mut self, path: Vec<PathSegment>) -> Self {
        self.path = path;
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &EncodeErrorKind {
        &self.kind
    }

    /// Byte offset in the serializer output of the item at fault (0 when the `Serialize`
    /// impl itself failed).
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The derived-struct fields leading to the error, outermost first.
    pub fn path(&self) -> &[PathSegment] {
        &self.path
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CBOR encode error at offset {}", self.offset)?;
        if !self.path.is_empty() {
            f.write_str(" in ")?;
            write_path(f, &self.path)?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for EncodeError {}
