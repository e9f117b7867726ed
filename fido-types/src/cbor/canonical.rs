//! The encode side of canonical CBOR. serde_cbor_2 already writes shortest-form integers
//! and lengths; what it cannot guarantee is map order (it follows the map's iteration
//! order) and definite lengths (it writes indefinite ones when serde gives no length).
//! [`canonicalize`] checks its output with the strict validator and, only if needed,
//! rewrites it: maps sorted into CTAP2 canonical key order, indefinite items made definite.

use super::error::{DecodeErrorKind, EncodeError, EncodeErrorKind};
use super::validate::{MAX_DEPTH_CAP, Rules, canonical_key_cmp, read_head, validate};
use serde_cbor_2::Value;
use std::cmp::Ordering;

/// Appends a head (major type and argument) in shortest form.
#[inline]
pub(crate) fn write_head(out: &mut Vec<u8>, major: u8, arg: u64) {
    let m = major << 5;
    if arg < 24 {
        out.push(m | arg as u8);
    } else {
        write_long_head(out, m, arg);
    }
}

/// [`write_head`] for an argument of 24 or more.
fn write_long_head(out: &mut Vec<u8>, m: u8, arg: u64) {
    if arg <= 0xff {
        out.extend_from_slice(&[m | 24, arg as u8]);
    } else if arg <= 0xffff {
        out.push(m | 25);
        out.extend_from_slice(&(arg as u16).to_be_bytes());
    } else if arg <= 0xffff_ffff {
        out.push(m | 26);
        out.extend_from_slice(&(arg as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&arg.to_be_bytes());
    }
}

/// The canonical encoding of a `Value` used as a map key (for ordering). A key that cannot
/// be encoded sorts by an empty encoding; encoding the map then reports the error.
pub(crate) fn encode_value_key(key: &Value) -> Vec<u8> {
    super::to_vec(key).unwrap_or_default()
}

/// A key's head (major type, argument) and content, when it is an integer or a string.
fn simple_key(key: &Value) -> Option<(u8, u64, &[u8])> {
    match key {
        Value::Integer(n) if (0..=i128::from(u64::MAX)).contains(n) => Some((0, *n as u64, &[])),
        Value::Integer(n) if (-(1i128 << 64)..0).contains(n) => Some((1, (-1 - *n) as u64, &[])),
        Value::Bytes(b) => Some((2, b.len() as u64, b)),
        Value::Text(s) => Some((3, s.len() as u64, s.as_bytes())),
        _ => None,
    }
}

/// Length of the head for an argument.
fn head_len(arg: u64) -> usize {
    match arg {
        0..=23 => 1,
        24..=0xff => 2,
        0x100..=0xffff => 3,
        0x1_0000..=0xffff_ffff => 5,
        _ => 9,
    }
}

/// Compares two `Value` keys in CTAP2 canonical order (major type, encoded length, then
/// bytes), without allocating for integer and string keys.
pub(crate) fn value_key_cmp(a: &Value, b: &Value) -> Ordering {
    match (simple_key(a), simple_key(b)) {
        (Some((ma, xa, ca)), Some((mb, xb, cb))) => {
            let la = head_len(xa) + ca.len();
            let lb = head_len(xb) + cb.len();
            // Same major type and total length: the heads have the same size, and
            // comparing arguments then contents is comparing the encodings bytewise.
            ma.cmp(&mb)
                .then(la.cmp(&lb))
                .then(xa.cmp(&xb))
                .then_with(|| ca.cmp(cb))
        }
        _ => canonical_key_cmp(&encode_value_key(a), &encode_value_key(b)),
    }
}

/// Makes serde_cbor_2 output canonical (see the module documentation).
pub(crate) fn canonicalize(bytes: Vec<u8>) -> Result<Vec<u8>, EncodeError> {
    let rules = Rules {
        strict: true,
        max_depth: MAX_DEPTH_CAP,
        // serde_cbor_2 writes text only from `str`, which is UTF-8.
        utf8: false,
    };
    match validate(&bytes, rules) {
        Ok(()) => Ok(bytes),
        Err(err) => match err.kind() {
            DecodeErrorKind::IndefiniteLength
            | DecodeErrorKind::UnsortedKeys
            | DecodeErrorKind::NonMinimal => {
                let mut out = Vec::with_capacity(bytes.len());
                let end = rewrite(&bytes, 0, &mut out, 0)?;
                debug_assert_eq!(end, bytes.len());
                Ok(out)
            }
            other => Err(EncodeError::new(encode_kind(other), err.offset())),
        },
    }
}

fn encode_kind(kind: &DecodeErrorKind) -> EncodeErrorKind {
    match kind {
        DecodeErrorKind::DuplicateKey => EncodeErrorKind::DuplicateKey,
        DecodeErrorKind::FloatNotAllowed => EncodeErrorKind::FloatNotAllowed,
        DecodeErrorKind::TagNotAllowed => EncodeErrorKind::TagNotAllowed,
        DecodeErrorKind::DepthLimitExceeded { max_depth } => EncodeErrorKind::DepthLimitExceeded {
            max_depth: *max_depth,
        },
        other => EncodeErrorKind::Unsupported(other.to_string()),
    }
}

fn fail(kind: DecodeErrorKind, offset: usize) -> EncodeError {
    EncodeError::new(encode_kind(&kind), offset)
}

/// Writes the item at `pos` canonically into `out`; returns the offset after the item.
fn rewrite(
    input: &[u8],
    pos: usize,
    out: &mut Vec<u8>,
    depth: usize,
) -> Result<usize, EncodeError> {
    let head = read_head(input, pos).map_err(|e| fail(e.kind(), e.offset()))?;
    let mut pos = head.end;
    match head.major {
        0 | 1 => {
            write_head(out, head.major, head.arg);
            Ok(pos)
        }
        2 | 3 => {
            if head.indefinite() {
                let mut content = Vec::new();
                while input.get(pos) != Some(&0xff) {
                    let chunk = read_head(input, pos).map_err(|e| fail(e.kind(), e.offset()))?;
                    let end = chunk.end + chunk.arg as usize;
                    content.extend_from_slice(slice(input, chunk.end, end)?);
                    pos = end;
                }
                write_head(out, head.major, content.len() as u64);
                out.extend_from_slice(&content);
                Ok(pos + 1)
            } else {
                let end = pos + head.arg as usize;
                write_head(out, head.major, head.arg);
                out.extend_from_slice(slice(input, pos, end)?);
                Ok(end)
            }
        }
        4 => {
            enter(depth, head.start)?;
            let mut items = Vec::new();
            let mut count = 0u64;
            while more(input, pos, head.indefinite(), count, head.arg) {
                pos = rewrite(input, pos, &mut items, depth + 1)?;
                count += 1;
            }
            if head.indefinite() {
                pos += 1;
            }
            write_head(out, 4, count);
            out.extend_from_slice(&items);
            Ok(pos)
        }
        5 => {
            enter(depth, head.start)?;
            let mut entries: Vec<(Vec<u8>, Vec<u8>, usize)> = Vec::new();
            let mut count = 0u64;
            while more(input, pos, head.indefinite(), count, head.arg) {
                let key_offset = pos;
                let mut key = Vec::new();
                pos = rewrite(input, pos, &mut key, depth + 1)?;
                let mut value = Vec::new();
                pos = rewrite(input, pos, &mut value, depth + 1)?;
                entries.push((key, value, key_offset));
                count += 1;
            }
            if head.indefinite() {
                pos += 1;
            }
            entries.sort_by(|a, b| canonical_key_cmp(&a.0, &b.0));
            for pair in entries.windows(2) {
                if pair[0].0 == pair[1].0 {
                    return Err(EncodeError::new(
                        EncodeErrorKind::DuplicateKey,
                        pair[0].2.max(pair[1].2),
                    ));
                }
            }
            write_head(out, 5, count);
            for (key, value, _) in entries {
                out.extend_from_slice(&key);
                out.extend_from_slice(&value);
            }
            Ok(pos)
        }
        6 => Err(EncodeError::new(EncodeErrorKind::TagNotAllowed, head.start)),
        _ => match head.ai {
            20..=22 => {
                out.push(input[head.start]);
                Ok(pos)
            }
            25..=27 => Err(EncodeError::new(
                EncodeErrorKind::FloatNotAllowed,
                head.start,
            )),
            _ => Err(EncodeError::new(
                EncodeErrorKind::Unsupported(format!(
                    "unsupported simple value 0x{:02x}",
                    input[head.start]
                )),
                head.start,
            )),
        },
    }
}

fn slice(input: &[u8], start: usize, end: usize) -> Result<&[u8], EncodeError> {
    input
        .get(start..end)
        .ok_or_else(|| fail(DecodeErrorKind::Truncated, start))
}

fn enter(depth: usize, offset: usize) -> Result<(), EncodeError> {
    if depth + 1 > MAX_DEPTH_CAP {
        return Err(EncodeError::new(
            EncodeErrorKind::DepthLimitExceeded {
                max_depth: MAX_DEPTH_CAP,
            },
            offset,
        ));
    }
    Ok(())
}

fn more(input: &[u8], pos: usize, indefinite: bool, count: u64, arg: u64) -> bool {
    if indefinite {
        input.get(pos) != Some(&0xff)
    } else {
        count < arg
    }
}
