//! The few places where the COSE and WebAuthn code touches CBOR.
//!
//! Everything goes through these functions so that the backend (today `serde_cbor_2`'s
//! `Value`) can be swapped for `fido_types::cbor` in one place. Decoding is lenient (any
//! well-formed CBOR is accepted, the original bytes are kept by the callers); encoding is
//! always CTAP2-canonical, whatever order the backend keeps map entries in.

use core::cmp::Ordering;

use serde::Deserialize;
pub(crate) use serde_cbor_2::Value;

/// Why a CBOR item could not be decoded.
pub(crate) type DecodeError = serde_cbor_2::Error;

/// Decodes one CBOR item at the start of `bytes`, returning it and the number of bytes it
/// took. Bytes after the item are left alone (callers check them).
pub(crate) fn decode_prefix(bytes: &[u8]) -> Result<(Value, usize), DecodeError> {
    let mut de = serde_cbor_2::Deserializer::from_slice(bytes);
    let value = Value::deserialize(&mut de)?;
    Ok((value, de.byte_offset()))
}

/// Decodes exactly one CBOR item that fills all of `bytes`.
#[cfg(test)]
pub(crate) fn decode_exact(bytes: &[u8]) -> Result<Value, DecodeError> {
    serde_cbor_2::from_slice(bytes)
}

/// Encodes `value` as CTAP2-canonical CBOR: shortest heads, definite lengths, map entries
/// sorted by encoded key (major type, then length, then bytes).
///
/// Integers outside the CBOR range (below -2^64 or above 2^64-1) cannot come from the
/// decoder; should one be built by hand, it is clamped to the nearest end of that range.
pub(crate) fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, value);
    out
}

fn write_head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if let Ok(n) = u8::try_from(n) {
        out.extend_from_slice(&[m | 24, n]);
    } else if let Ok(n) = u16::try_from(n) {
        out.push(m | 25);
        out.extend_from_slice(&n.to_be_bytes());
    } else if let Ok(n) = u32::try_from(n) {
        out.push(m | 26);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn write(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(0xf6),
        Value::Bool(false) => out.push(0xf4),
        Value::Bool(true) => out.push(0xf5),
        Value::Integer(i) => {
            if *i >= 0 {
                write_head(out, 0, u64::try_from(*i).unwrap_or(u64::MAX));
            } else {
                write_head(out, 1, u64::try_from(-1 - *i).unwrap_or(u64::MAX));
            }
        }
        Value::Float(f) => {
            out.push(0xfb);
            out.extend_from_slice(&f.to_bits().to_be_bytes());
        }
        Value::Bytes(b) => {
            write_head(out, 2, b.len() as u64);
            out.extend_from_slice(b);
        }
        Value::Text(t) => {
            write_head(out, 3, t.len() as u64);
            out.extend_from_slice(t.as_bytes());
        }
        Value::Array(items) => {
            write_head(out, 4, items.len() as u64);
            for item in items {
                write(out, item);
            }
        }
        Value::Map(map) => {
            let mut entries: Vec<(Vec<u8>, &Value)> =
                map.iter().map(|(k, v)| (encode(k), v)).collect();
            entries.sort_by(|a, b| canonical_key_order(&a.0, &b.0));
            write_head(out, 5, entries.len() as u64);
            for (key, v) in entries {
                out.extend_from_slice(&key);
                write(out, v);
            }
        }
        Value::Tag(tag, inner) => {
            write_head(out, 6, *tag);
            write(out, inner);
        }
        // Not constructible outside serde_cbor_2; encode as CBOR `undefined`.
        _ => out.push(0xf7),
    }
}

/// CTAP2 canonical key order: major type, then encoded length, then bytewise.
pub(crate) fn canonical_key_order(a: &[u8], b: &[u8]) -> Ordering {
    let major = |k: &[u8]| k.first().map(|b| b >> 5);
    major(a)
        .cmp(&major(b))
        .then(a.len().cmp(&b.len()))
        .then_with(|| a.cmp(b))
}

/// Builds a map value from entries.
pub(crate) fn map(entries: impl IntoIterator<Item = (Value, Value)>) -> Value {
    Value::Map(entries.into_iter().collect())
}

/// Looks up an integer label in a decoded map.
pub(crate) fn get_int(
    map: &std::collections::BTreeMap<Value, Value>,
    label: i64,
) -> Option<&Value> {
    map.get(&Value::Integer(label.into()))
}

/// Looks up a text key in a decoded map.
pub(crate) fn get_text<'a>(
    map: &'a std::collections::BTreeMap<Value, Value>,
    key: &str,
) -> Option<&'a Value> {
    map.get(&Value::Text(key.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cose_labels_sort_canonically() {
        // 1, 3, -1, -2, -3: positive before negative, then by encoded bytes.
        let v = map([
            (Value::Integer(-3), Value::Null),
            (Value::Integer(3), Value::Null),
            (Value::Integer(-1), Value::Null),
            (Value::Integer(1), Value::Null),
            (Value::Integer(-2), Value::Null),
        ]);
        assert_eq!(
            hex::encode(encode(&v)),
            "a501f603f620f621f622f6",
            "labels 1, 3, -1, -2, -3"
        );
    }

    #[test]
    fn text_keys_sort_shorter_first() {
        let v = map([
            (Value::Text("authData".into()), Value::Integer(1)),
            (Value::Text("fmt".into()), Value::Integer(2)),
            (Value::Text("attStmt".into()), Value::Integer(3)),
        ]);
        let out = encode(&v);
        // a3 | 63 "fmt" 02 | 67 "attStmt" 03 | 68 "authData" 01
        assert_eq!(
            hex::encode(out),
            "a363666d74026761747453746d740368617574684461746101"
        );
    }

    #[test]
    fn integer_key_before_text_key_even_if_longer() {
        // 1000 encodes in 3 bytes, "a" in 2, but major type 0 sorts before major type 3.
        let v = map([
            (Value::Text("a".into()), Value::Null),
            (Value::Integer(1000), Value::Null),
        ]);
        assert_eq!(hex::encode(encode(&v)), "a21903e8f66161f6");
    }

    #[test]
    fn heads_are_shortest() {
        for (n, want) in [
            (23i128, "17"),
            (24, "1818"),
            (255, "18ff"),
            (256, "190100"),
            (65536, "1a00010000"),
            (4294967296, "1b0000000100000000"),
            (-1, "20"),
            (-25, "3818"),
            (-257, "390100"),
        ] {
            assert_eq!(hex::encode(encode(&Value::Integer(n))), want, "{n}");
        }
    }

    #[test]
    fn prefix_decoding_reports_the_end() {
        let (v, used) = decode_prefix(&[0x01, 0xff, 0xff]).unwrap();
        assert_eq!(v, Value::Integer(1));
        assert_eq!(used, 1);
        assert!(decode_exact(&[0x01, 0x02]).is_err());
    }

    #[test]
    fn round_trips_a_nested_value() {
        let v = map([
            (
                Value::Integer(1),
                Value::Array(vec![Value::Bytes(vec![1, 2]), Value::Bool(true)]),
            ),
            (
                Value::Text("x".into()),
                Value::Tag(24, Box::new(Value::Text("t".into()))),
            ),
        ]);
        assert_eq!(decode_exact(&encode(&v)).unwrap(), v);
    }
}
