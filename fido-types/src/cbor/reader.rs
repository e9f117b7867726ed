//! The direct decoder: a serde `Deserializer` over the input bytes that validates and
//! decodes in one pass, under the strict (canonical) rules.
//!
//! Each head is checked as it is read (shortest form, definite length, declared length
//! against the input that remains, nesting depth), each map key against the previous key
//! of its map (canonical order, no duplicate), each text string for UTF-8, and items the
//! target type ignores are walked by the strict validator. Values reach the visitor
//! exactly as serde_cbor_2 hands them over (`visit_u8` for a one-byte integer,
//! `visit_borrowed_str` for text, ...), and a byte string offered where text is asked for
//! is refused as [`super::strict_types`] refuses it.
//!
//! Anything else, and every error, *declines* ([`Decline`]): the caller then runs the
//! general path (the validating walk, then serde_cbor_2), which reports the typed error
//! with its offset and field path, or decodes what the direct path does not cover
//! (non-canonical input in lenient mode, tags, floats, enums).

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

use super::decline::Decline;
use super::validate::{Rules, canonical_key_cmp, read_head, walk};

/// Decodes exactly one item filling `input`, or `None` when the general path must.
pub(crate) fn decode<'de, T: de::Deserialize<'de>>(
    input: &'de [u8],
    max_depth: usize,
) -> Option<T> {
    let (value, end) = decode_prefix(input, max_depth)?;
    (end == input.len()).then_some(value)
}

/// Decodes the item at the start of `input`; returns it and the offset after it.
pub(crate) fn decode_prefix<'de, T: de::Deserialize<'de>>(
    input: &'de [u8],
    max_depth: usize,
) -> Option<(T, usize)> {
    let mut reader = Reader {
        input,
        pos: 0,
        depth: 0,
        max_depth,
    };
    let value = T::deserialize(&mut reader).ok()?;
    Some((value, reader.pos))
}

/// The input, the read position, and the open containers.
pub(crate) struct Reader<'de> {
    input: &'de [u8],
    pos: usize,
    depth: usize,
    max_depth: usize,
}

/// A head as the reader needs it.
#[derive(Clone, Copy)]
struct Head {
    initial: u8,
    arg: u64,
}

impl Head {
    #[inline]
    fn major(self) -> u8 {
        self.initial >> 5
    }
}

impl<'de> Reader<'de> {
    /// Reads a head in shortest form with a definite argument.
    #[inline(always)]
    fn head(&mut self) -> Result<Head, Decline> {
        let &initial = self.input.get(self.pos).ok_or(Decline)?;
        if initial & 0x1f < 24 {
            self.pos += 1;
            return Ok(Head {
                initial,
                arg: u64::from(initial & 0x1f),
            });
        }
        let head = read_head(self.input, self.pos).map_err(|_| Decline)?;
        if head.indefinite() || (head.major != 7 && !head.minimal()) {
            return Err(Decline);
        }
        self.pos = head.end;
        Ok(Head {
            initial,
            arg: head.arg,
        })
    }

    #[inline]
    fn remaining(&self) -> u64 {
        (self.input.len() - self.pos) as u64
    }

    /// The content of a definite string whose head was just read.
    #[inline]
    fn content(&mut self, len: u64) -> Result<&'de [u8], Decline> {
        if len > self.remaining() {
            return Err(Decline);
        }
        let start = self.pos;
        self.pos += len as usize;
        Ok(&self.input[start..self.pos])
    }

    /// The content of a definite text string whose head was just read.
    #[inline]
    fn text(&mut self, len: u64) -> Result<&'de str, Decline> {
        std::str::from_utf8(self.content(len)?).map_err(|_| Decline)
    }

    #[inline]
    fn enter(&mut self) -> Result<(), Decline> {
        if self.depth + 1 > self.max_depth {
            return Err(Decline);
        }
        self.depth += 1;
        Ok(())
    }

    #[inline]
    fn value<V: Visitor<'de>>(&mut self, head: Head, visitor: V) -> Result<V::Value, Decline> {
        match head.major() {
            0 => match head.initial & 0x1f {
                0..=24 => visitor.visit_u8(head.arg as u8),
                25 => visitor.visit_u16(head.arg as u16),
                26 => visitor.visit_u32(head.arg as u32),
                _ => visitor.visit_u64(head.arg),
            },
            1 => negative(head, visitor),
            2 => visitor.visit_borrowed_bytes(self.content(head.arg)?),
            3 => visitor.visit_borrowed_str(self.text(head.arg)?),
            4 => {
                // Every element takes at least one byte.
                if head.arg > self.remaining() {
                    return Err(Decline);
                }
                self.enter()?;
                let mut access = Items {
                    reader: self,
                    left: head.arg as usize,
                };
                let value = visitor.visit_seq(&mut access)?;
                if access.left != 0 {
                    return Err(Decline);
                }
                self.depth -= 1;
                Ok(value)
            }
            5 => {
                if head.arg > self.remaining() / 2 {
                    return Err(Decline);
                }
                self.enter()?;
                let mut access = Entries {
                    reader: self,
                    left: head.arg as usize,
                    prev_key: (0, 0),
                };
                let value = visitor.visit_map(&mut access)?;
                if access.left != 0 {
                    return Err(Decline);
                }
                self.depth -= 1;
                Ok(value)
            }
            6 => Err(Decline),
            _ => match head.initial {
                0xf4 => visitor.visit_bool(false),
                0xf5 => visitor.visit_bool(true),
                0xf6 => visitor.visit_unit(),
                _ => Err(Decline),
            },
        }
    }
}

/// Major type 1, with the visitor method serde_cbor_2 picks for each width.
#[inline]
fn negative<'de, V: Visitor<'de>>(head: Head, visitor: V) -> Result<V::Value, Decline> {
    let arg = head.arg;
    match head.initial & 0x1f {
        0..=23 => visitor.visit_i8(-1 - arg as i8),
        24 => visitor.visit_i16(-1 - arg as i16),
        25 => visitor.visit_i32(-1 - arg as i32),
        26 => visitor.visit_i64(-1 - arg as i64),
        _ if arg > i64::MAX as u64 => visitor.visit_i128(-1 - i128::from(arg)),
        _ => visitor.visit_i64(-1 - arg as i64),
    }
}

/// Integer requests: a one-byte unsigned integer goes straight to `visit_u8` (as
/// serde_cbor_2 hands it over); anything else takes the general dispatch.
macro_rules! small_uint {
    ($($method:ident)*) => {
        $(
            #[inline]
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
                match self.input.get(self.pos) {
                    Some(&b) if b < 24 => {
                        self.pos += 1;
                        visitor.visit_u8(b)
                    }
                    _ => self.deserialize_any(visitor),
                }
            }
        )*
    };
}

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = Decline;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        let head = self.head()?;
        self.value(head, visitor)
    }

    #[inline]
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        let head = self.head()?;
        match head.major() {
            // strict_types: a byte string is not text
            2 => Err(Decline),
            3 => visitor.visit_borrowed_str(self.text(head.arg)?),
            _ => self.value(head, visitor),
        }
    }

    #[inline]
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        let head = self.head()?;
        if head.major() == 2 {
            return visitor.visit_borrowed_bytes(self.content(head.arg)?);
        }
        self.value(head, visitor)
    }

    #[inline]
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        self.deserialize_bytes(visitor)
    }

    #[inline]
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        match self.input.get(self.pos) {
            Some(&b @ (0xf4 | 0xf5)) => {
                self.pos += 1;
                visitor.visit_bool(b == 0xf5)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    small_uint! {
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_i8
        deserialize_i16 deserialize_i32 deserialize_i64
    }

    #[inline]
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        self.deserialize_str(visitor)
    }

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        if self.input.get(self.pos) == Some(&0xf6) {
            self.pos += 1;
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Decline> {
        visitor.visit_newtype_struct(self)
    }

    #[inline]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Decline> {
        Err(Decline)
    }

    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        let rules = Rules {
            strict: true,
            max_depth: self.max_depth - self.depth,
            utf8: true,
        };
        self.pos = walk(self.input, self.pos, rules).map_err(|_| Decline)?;
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        false
    }

    serde::forward_to_deserialize_any! {
        i128 u128 f32 f64 char unit unit_struct seq
        tuple tuple_struct map struct identifier
    }
}

/// The elements of an array.
struct Items<'a, 'de> {
    reader: &'a mut Reader<'de>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for &mut Items<'_, 'de> {
    type Error = Decline;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Decline> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    #[inline]
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// The entries of a map; keys must come in canonical order.
struct Entries<'a, 'de> {
    reader: &'a mut Reader<'de>,
    left: usize,
    /// Span of the previous key (`(0, 0)`: none yet).
    prev_key: (usize, usize),
}

impl<'de> de::MapAccess<'de> for &mut Entries<'_, 'de> {
    type Error = Decline;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Decline> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let input = self.reader.input;
        let start = self.reader.pos;
        let (ps, pe) = self.prev_key;
        let key = match input.get(start) {
            // A one-byte unsigned key (every CTAP2 command parameter): after another
            // one, canonical order is byte order.
            Some(&b) if b < 24 => {
                if pe == ps + 1 && input[ps] < 24 {
                    if input[ps] >= b {
                        return Err(Decline);
                    }
                } else if pe != 0 && canonical_key_cmp(&input[ps..pe], &[b]).is_ge() {
                    return Err(Decline);
                }
                self.reader.pos += 1;
                self.prev_key = (start, start + 1);
                return seed.deserialize(SmallUint(b)).map(Some);
            }
            // A short text key (entity members, option names).
            Some(&b) if (0x60..0x78).contains(&b) => {
                self.reader.pos += 1;
                let text = self.reader.text(u64::from(b & 0x1f))?;
                seed.deserialize(ShortText(text))?
            }
            _ => seed.deserialize(&mut *self.reader)?,
        };
        let end = self.reader.pos;
        if pe != 0 && canonical_key_cmp(&input[ps..pe], &input[start..end]).is_ge() {
            return Err(Decline);
        }
        self.prev_key = (start, end);
        Ok(Some(key))
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Decline> {
        seed.deserialize(&mut *self.reader)
    }

    #[inline]
    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// A one-byte unsigned integer already read (a map key), handed over as
/// [`Reader`] would hand it over.
struct SmallUint(u8);

impl<'de> Deserializer<'de> for SmallUint {
    type Error = Decline;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        visitor.visit_u8(self.0)
    }

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        visitor.visit_some(self)
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Decline> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Decline> {
        Err(Decline)
    }

    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        false
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// A text string already read and checked (a map key), handed over as [`Reader`] would
/// hand it over.
struct ShortText<'de>(&'de str);

impl<'de> Deserializer<'de> for ShortText<'de> {
    type Error = Decline;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        visitor.visit_borrowed_str(self.0)
    }

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        visitor.visit_some(self)
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Decline> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Decline> {
        Err(Decline)
    }

    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Decline> {
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        false
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}
