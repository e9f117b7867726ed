//! The direct encoder: a serde `Serializer` that writes CTAP2 canonical CBOR straight into
//! a `Vec<u8>`, one pass, no intermediate encoding to re-read.
//!
//! Integers and lengths are written in shortest form and every container with a definite
//! length; map keys are compared with the previous key as they are written, so a map
//! whose keys arrive in canonical order (every derived struct: the derive checks the
//! order at compile time) costs one comparison per key, and only a map that arrives out
//! of order is sorted, in place, when it ends.
//!
//! What this writer does not handle it *declines* ([`Decline`]): floats, tags, sequences
//! and maps of unknown length, tuple and struct enum variants, duplicate keys, integers
//! beyond 64 bits, nesting near the limit, and any error a `Serialize` impl raises.
//! [`super::to_vec`] then takes the general path (serde_cbor_2, then the canonicalizing
//! rewrite), which produces the same bytes for everything this writer accepts and the
//! typed error for the rest, so errors keep their kind and field path.

use serde::ser::{self, Impossible, Serialize, Serializer};

use super::canonical::write_head;
use super::decline::Decline;
use super::validate::{MAX_DEPTH_CAP, canonical_key_cmp, skip};

/// serde_cbor_2's marker for tagged values (`serde_cbor_2::tags`): tags are the general
/// path's business.
const TAG_NEWTYPE_NAME: &str = "\0cbor_tag";

/// Room for most CTAP2 messages without growing (a makeCredential request with an exclude
/// list is 200-400 bytes).
const INITIAL_CAPACITY: usize = 512;

/// Encodes `value` canonically, or `None` when the general path must do it.
pub(crate) fn encode<T: ?Sized + Serialize>(value: &T) -> Option<Vec<u8>> {
    let mut writer = Writer {
        out: Vec::with_capacity(INITIAL_CAPACITY),
        depth: 0,
    };
    value.serialize(&mut writer).ok()?;
    Some(writer.out)
}

/// The output and the current nesting depth.
pub(crate) struct Writer {
    out: Vec<u8>,
    depth: usize,
}

impl Writer {
    #[inline]
    fn head(&mut self, major: u8, arg: u64) {
        write_head(&mut self.out, major, arg);
    }

    /// Opens a container; the general path takes anything nested near the limit.
    #[inline]
    fn enter(&mut self) -> Result<(), Decline> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH_CAP {
            return Err(Decline);
        }
        Ok(())
    }

    #[inline]
    fn signed(&mut self, v: i64) {
        if v < 0 {
            self.head(1, (-1 - v) as u64);
        } else {
            self.head(0, v as u64);
        }
    }

    #[inline]
    fn text(&mut self, s: &str) {
        self.head(3, s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }

    #[inline]
    fn map(&mut self, len: usize) -> Result<MapWriter<'_>, Decline> {
        self.enter()?;
        self.head(5, len as u64);
        let body = self.out.len();
        Ok(MapWriter {
            writer: self,
            body,
            expected: len,
            count: 0,
            prev_key: (0, 0),
            sorted: true,
        })
    }
}

impl<'a> Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Decline;
    type SerializeSeq = SeqWriter<'a>;
    type SerializeTuple = SeqWriter<'a>;
    type SerializeTupleStruct = SeqWriter<'a>;
    type SerializeTupleVariant = Impossible<(), Decline>;
    type SerializeMap = MapWriter<'a>;
    type SerializeStruct = MapWriter<'a>;
    type SerializeStructVariant = Impossible<(), Decline>;

    fn is_human_readable(&self) -> bool {
        false
    }

    #[inline]
    fn serialize_bool(self, v: bool) -> Result<(), Decline> {
        self.out.push(if v { 0xf5 } else { 0xf4 });
        Ok(())
    }

    #[inline]
    fn serialize_i8(self, v: i8) -> Result<(), Decline> {
        self.signed(v.into());
        Ok(())
    }

    #[inline]
    fn serialize_i16(self, v: i16) -> Result<(), Decline> {
        self.signed(v.into());
        Ok(())
    }

    #[inline]
    fn serialize_i32(self, v: i32) -> Result<(), Decline> {
        self.signed(v.into());
        Ok(())
    }

    #[inline]
    fn serialize_i64(self, v: i64) -> Result<(), Decline> {
        self.signed(v);
        Ok(())
    }

    #[inline]
    fn serialize_i128(self, v: i128) -> Result<(), Decline> {
        if v < 0 {
            let arg = u64::try_from(-1 - v).map_err(|_| Decline)?;
            self.head(1, arg);
        } else {
            let arg = u64::try_from(v).map_err(|_| Decline)?;
            self.head(0, arg);
        }
        Ok(())
    }

    #[inline]
    fn serialize_u8(self, v: u8) -> Result<(), Decline> {
        self.head(0, v.into());
        Ok(())
    }

    #[inline]
    fn serialize_u16(self, v: u16) -> Result<(), Decline> {
        self.head(0, v.into());
        Ok(())
    }

    #[inline]
    fn serialize_u32(self, v: u32) -> Result<(), Decline> {
        self.head(0, v.into());
        Ok(())
    }

    #[inline]
    fn serialize_u64(self, v: u64) -> Result<(), Decline> {
        self.head(0, v);
        Ok(())
    }

    #[inline]
    fn serialize_u128(self, v: u128) -> Result<(), Decline> {
        self.head(0, u64::try_from(v).map_err(|_| Decline)?);
        Ok(())
    }

    #[inline]
    fn serialize_f32(self, _v: f32) -> Result<(), Decline> {
        Err(Decline)
    }

    #[inline]
    fn serialize_f64(self, _v: f64) -> Result<(), Decline> {
        Err(Decline)
    }

    #[inline]
    fn serialize_char(self, v: char) -> Result<(), Decline> {
        self.text(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    #[inline]
    fn serialize_str(self, v: &str) -> Result<(), Decline> {
        self.text(v);
        Ok(())
    }

    #[inline]
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Decline> {
        self.head(2, v.len() as u64);
        self.out.extend_from_slice(v);
        Ok(())
    }

    #[inline]
    fn serialize_none(self) -> Result<(), Decline> {
        self.out.push(0xf6);
        Ok(())
    }

    #[inline]
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Decline> {
        value.serialize(self)
    }

    #[inline]
    fn serialize_unit(self) -> Result<(), Decline> {
        self.serialize_none()
    }

    #[inline]
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Decline> {
        self.serialize_none()
    }

    #[inline]
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Decline> {
        self.text(variant);
        Ok(())
    }

    #[inline]
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Decline> {
        if name == TAG_NEWTYPE_NAME {
            return Err(Decline);
        }
        value.serialize(self)
    }

    #[inline]
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Decline> {
        // serde_cbor_2's default: a one-entry map (always canonical).
        self.enter()?;
        self.head(5, 1);
        self.text(variant);
        value.serialize(&mut *self)?;
        self.depth -= 1;
        Ok(())
    }

    #[inline]
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqWriter<'a>, Decline> {
        let len = len.ok_or(Decline)?;
        self.enter()?;
        self.head(4, len as u64);
        Ok(SeqWriter {
            writer: self,
            left: len,
        })
    }

    #[inline]
    fn serialize_tuple(self, len: usize) -> Result<SeqWriter<'a>, Decline> {
        self.serialize_seq(Some(len))
    }

    #[inline]
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqWriter<'a>, Decline> {
        self.serialize_seq(Some(len))
    }

    #[inline]
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Decline> {
        Err(Decline)
    }

    #[inline]
    fn serialize_map(self, len: Option<usize>) -> Result<MapWriter<'a>, Decline> {
        self.map(len.ok_or(Decline)?)
    }

    #[inline]
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapWriter<'a>, Decline> {
        self.map(len)
    }

    #[inline]
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Decline> {
        Err(Decline)
    }
}

/// An array being written: `left` elements still due.
pub(crate) struct SeqWriter<'a> {
    writer: &'a mut Writer,
    left: usize,
}

impl SeqWriter<'_> {
    #[inline]
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Decline> {
        self.left = self.left.checked_sub(1).ok_or(Decline)?;
        value.serialize(&mut *self.writer)
    }

    #[inline]
    fn finish(self) -> Result<(), Decline> {
        if self.left != 0 {
            return Err(Decline);
        }
        self.writer.depth -= 1;
        Ok(())
    }
}

impl ser::SerializeSeq for SeqWriter<'_> {
    type Ok = ();
    type Error = Decline;

    #[inline]
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Decline> {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Result<(), Decline> {
        self.finish()
    }
}

impl ser::SerializeTuple for SeqWriter<'_> {
    type Ok = ();
    type Error = Decline;

    #[inline]
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Decline> {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Result<(), Decline> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for SeqWriter<'_> {
    type Ok = ();
    type Error = Decline;

    #[inline]
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Decline> {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Result<(), Decline> {
        self.finish()
    }
}

/// A map being written: where its body starts, how many entries were announced and
/// written, the span of the previous key, and whether the keys so far are in order.
pub(crate) struct MapWriter<'a> {
    writer: &'a mut Writer,
    body: usize,
    expected: usize,
    count: usize,
    prev_key: (usize, usize),
    sorted: bool,
}

impl MapWriter<'_> {
    #[inline]
    fn key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Decline> {
        let start = self.writer.out.len();
        key.serialize(&mut *self.writer)?;
        let end = self.writer.out.len();
        if self.count > 0 && self.sorted {
            let out = &self.writer.out;
            let (ps, pe) = self.prev_key;
            match canonical_key_cmp(&out[ps..pe], &out[start..end]) {
                std::cmp::Ordering::Less => {}
                std::cmp::Ordering::Equal => return Err(Decline),
                std::cmp::Ordering::Greater => self.sorted = false,
            }
        }
        self.prev_key = (start, end);
        self.count += 1;
        Ok(())
    }

    #[inline]
    fn finish(self) -> Result<(), Decline> {
        if self.count != self.expected {
            return Err(Decline);
        }
        if !self.sorted {
            sort_entries(&mut self.writer.out, self.body, self.count)?;
        }
        self.writer.depth -= 1;
        Ok(())
    }
}

/// Sorts the `count` entries written from `body` to the end of `out` into canonical key
/// order; a duplicate key declines (the general path reports it).
#[cold]
fn sort_entries(out: &mut Vec<u8>, body: usize, count: usize) -> Result<(), Decline> {
    let mut entries = Vec::with_capacity(count);
    let mut pos = body;
    for _ in 0..count {
        let key_end = skip(out, pos).map_err(|_| Decline)?;
        let end = skip(out, key_end).map_err(|_| Decline)?;
        entries.push((pos, key_end, end));
        pos = end;
    }
    entries.sort_by(|a, b| canonical_key_cmp(&out[a.0..a.1], &out[b.0..b.1]));
    if entries
        .windows(2)
        .any(|pair| out[pair[0].0..pair[0].1] == out[pair[1].0..pair[1].1])
    {
        return Err(Decline);
    }
    let mut sorted = Vec::with_capacity(out.len() - body);
    for (start, _, end) in entries {
        sorted.extend_from_slice(&out[start..end]);
    }
    out.truncate(body);
    out.extend_from_slice(&sorted);
    Ok(())
}

impl ser::SerializeMap for MapWriter<'_> {
    type Ok = ();
    type Error = Decline;

    #[inline]
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Decline> {
        self.key(key)
    }

    #[inline]
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Decline> {
        value.serialize(&mut *self.writer)
    }

    #[inline]
    fn end(self) -> Result<(), Decline> {
        self.finish()
    }
}

impl ser::SerializeStruct for MapWriter<'_> {
    type Ok = ();
    type Error = Decline;

    #[inline]
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Decline> {
        self.key(key)?;
        value.serialize(&mut *self.writer)
    }

    #[inline]
    fn end(self) -> Result<(), Decline> {
        self.finish()
    }
}
