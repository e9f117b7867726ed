//! [`Decoder`]: strict (canonical-only) or lenient decoding, with a nesting limit.

use serde::Deserialize;

use super::context::take_decode_context;
use super::error::{DecodeError, DecodeErrorKind};
use super::reader;
use super::strict_types::StrictTypes;
use super::validate::{MAX_DEPTH_CAP, Rules, locate, validate, walk};

/// Decoding options: strict or lenient, and the nesting limit.
///
/// Strict mode (the default, like python-fido2's `Ctap2(device, strict_cbor=True)`)
/// accepts only CTAP2 canonical CBOR: it rejects non-minimal integers and lengths,
/// indefinite lengths, unsorted or duplicate map keys, tags, floats and simple values
/// other than `false`/`true`/`null`. Lenient mode, for authenticators known to send
/// non-canonical CBOR, accepts all of those except duplicate keys (compared by their
/// encoded bytes) and unassigned simple values; tags are looked through.
///
/// Both modes reject trailing bytes, nesting deeper than [`Decoder::max_depth`], invalid
/// UTF-8, and any declared length or count larger than the input that remains; a length
/// is checked before anything is allocated for it, so what the decoder allocates grows
/// with the input's actual size, never with a length the input claims.
///
/// ```
/// use fido_types::cbor::{Decoder, DecodeErrorKind};
///
/// let non_minimal = [0x18, 0x05]; // 5, with a one-byte argument
/// let err = Decoder::new().decode::<u8>(&non_minimal).unwrap_err();
/// assert_eq!(err.kind(), &DecodeErrorKind::NonMinimal);
/// assert_eq!(Decoder::new().lenient().decode::<u8>(&non_minimal).unwrap(), 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoder {
    rules: Rules,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new()
    }
}

impl Decoder {
    /// The default nesting limit: containers (arrays, maps, tags) inside one another.
    /// CTAP2 messages nest four or five deep at most.
    pub const DEFAULT_MAX_DEPTH: usize = 16;

    /// The largest nesting limit [`Decoder::max_depth`] accepts (serde_cbor_2 stops at 128).
    pub const MAX_DEPTH_CAP: usize = MAX_DEPTH_CAP;

    /// A strict decoder with the default nesting limit.
    pub const fn new() -> Self {
        Decoder {
            rules: Rules {
                strict: true,
                max_depth: Self::DEFAULT_MAX_DEPTH,
                utf8: true,
            },
        }
    }

    /// Accept only canonical CBOR (the default).
    pub const fn strict(mut self) -> Self {
        self.rules.strict = true;
        self
    }

    /// Accept non-canonical CBOR (see the type documentation).
    pub const fn lenient(mut self) -> Self {
        self.rules.strict = false;
        self
    }

    /// Reject nesting deeper than `max_depth` containers (clamped to
    /// [`Decoder::MAX_DEPTH_CAP`]). A scalar at the top level has depth 0; a map, 1.
    pub const fn max_depth(mut self, max_depth: usize) -> Self {
        self.rules.max_depth = if max_depth > MAX_DEPTH_CAP {
            MAX_DEPTH_CAP
        } else {
            max_depth
        };
        self
    }

    /// Whether this decoder is strict.
    pub const fn is_strict(&self) -> bool {
        self.rules.strict
    }

    /// Checks that `input` is exactly one item this decoder accepts, without decoding it.
    pub fn validate(&self, input: &[u8]) -> Result<(), DecodeError> {
        validate(input, self.rules)
    }

    /// Decodes `input` as `T`: in one pass when the input is canonical (see
    /// `cbor::reader`); otherwise, and for every error, by validating `input` and then
    /// deserializing it with serde_cbor_2.
    pub fn decode<'de, T: Deserialize<'de>>(&self, input: &'de [u8]) -> Result<T, DecodeError> {
        if let Some(value) = reader::decode(input, self.rules.max_depth) {
            return Ok(value);
        }
        self.decode_general(input)
    }

    /// The general decoding path: the validating walk, then serde_cbor_2.
    pub(crate) fn decode_general<'de, T: Deserialize<'de>>(
        &self,
        input: &'de [u8],
    ) -> Result<T, DecodeError> {
        validate(input, self.walk_rules())?;
        self.deserialize(input)
    }

    /// The rules of the validating walk. serde_cbor_2 checks the UTF-8 of every text
    /// string it reads, so the walk need not do it twice.
    fn walk_rules(&self) -> Rules {
        Rules {
            utf8: false,
            ..self.rules
        }
    }

    /// Deserializes `input`, which the walk has validated, as `T`.
    fn deserialize<'de, T: Deserialize<'de>>(&self, input: &'de [u8]) -> Result<T, DecodeError> {
        let mut de = serde_cbor_2::Deserializer::from_slice(input);
        let value = if self.rules.strict {
            T::deserialize(StrictTypes(&mut de))
        } else {
            T::deserialize(&mut de)
        }
        .map_err(|e| convert(input, e))?;
        de.end().map_err(|e| convert(input, e))?;
        Ok(value)
    }

    /// Decodes the one item at the start of `input` as `T` and returns it with the number
    /// of bytes it took; bytes after it are left to the caller (e.g. a COSE key inside
    /// authenticator data, followed by the extensions). The item obeys this decoder's
    /// rules, and errors carry offsets into `input`.
    ///
    /// ```
    /// use fido_types::cbor::Decoder;
    ///
    /// let (n, used) = Decoder::new().decode_prefix::<u8>(&[0x05, 0xff]).unwrap();
    /// assert_eq!((n, used), (5, 1));
    /// ```
    pub fn decode_prefix<'de, T: Deserialize<'de>>(
        &self,
        input: &'de [u8],
    ) -> Result<(T, usize), DecodeError> {
        if let Some(found) = reader::decode_prefix(input, self.rules.max_depth) {
            return Ok(found);
        }
        // One walk finds the item's end and validates it.
        let end = walk(input, 0, self.walk_rules()).map_err(|f| f.into_error())?;
        let value = self.deserialize(&input[..end])?;
        Ok((value, end))
    }
}

/// Turns a serde_cbor_2 error into a [`DecodeError`], recovering the kind and path that
/// the derived code recorded, and the offset by following the path.
fn convert(input: &[u8], error: serde_cbor_2::Error) -> DecodeError {
    if error.is_data() {
        let message = error.to_string();
        if let Some((kind, path)) = take_decode_context(&message) {
            let offset = locate(input, &path);
            return DecodeError::new(kind, offset).with_path(path);
        }
        return DecodeError::new(DecodeErrorKind::Mismatch(message), 0);
    }
    let offset = usize::try_from(error.offset()).unwrap_or(usize::MAX);
    let kind = if error.is_eof() {
        DecodeErrorKind::Truncated
    } else if error.to_string().starts_with("invalid UTF-8") {
        // serde_cbor_2's ErrorCode::InvalidUtf8; its offset is that of the bad byte.
        DecodeErrorKind::InvalidUtf8
    } else {
        DecodeErrorKind::Malformed
    };
    DecodeError::new(kind, offset)
}
