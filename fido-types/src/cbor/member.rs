//! Naming the member behind a strict-mode error, and pointing at the lenient mode.
//!
//! Some authenticators sort text map keys lexicographically instead of in CTAP2 canonical
//! order (shorter keys first). Strict decoding, the default, refuses their answers; the
//! error then names the map and the member out of order ([`out_of_order_member`]) and says
//! how to accept such answers ([`LENIENT_HINT`]).

use super::{DecodeError, DecodeErrorKind, Decoder, Value};

/// What to do about a non-canonical answer: decode it leniently.
pub const LENIENT_HINT: &str = "the authenticator does not sort map keys in CTAP2 canonical order; \
     decoding leniently accepts it (`fido --lenient-cbor`, `Fido2Client` with lenient CBOR, \
     `Ctap2::set_lenient`)";

/// For an [`UnsortedKeys`](DecodeErrorKind::UnsortedKeys) error in `input`, the map key
/// found out of order, as text: `0x03` for an integer key, `"up"` for a text key. `None`
/// for any other error, or when the key cannot be read at the error's offset.
pub fn out_of_order_member(input: &[u8], error: &DecodeError) -> Option<String> {
    if error.kind() != &DecodeErrorKind::UnsortedKeys {
        return None;
    }
    let rest = input.get(error.offset()..)?;
    let (key, _) = Decoder::new().lenient().decode_prefix::<Value>(rest).ok()?;
    Some(match key {
        Value::Integer(i) if i >= 0 => format!("0x{i:02x}"),
        Value::Integer(i) => i.to_string(),
        Value::Text(t) => format!("{t:?}"),
        other => format!("{other:?}"),
    })
}

/// A note for the error of decoding `input` as `map`: for a key out of canonical order,
/// `"; in <map>, member <key> is out of canonical order: <hint>"`; otherwise empty.
pub fn unsorted_note(map: &str, input: &[u8], error: &DecodeError) -> String {
    match out_of_order_member(input, error) {
        Some(member) => format!("; in {map}, member {member} is out of order: {LENIENT_HINT}"),
        None if error.kind() == &DecodeErrorKind::UnsortedKeys => {
            format!("; in {map}: {LENIENT_HINT}")
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_key_out_of_order() {
        // {"up": true, "rk": false, "plat": false}: "plat" (4 bytes) after 2-byte keys is
        // fine, "rk" after "up" is not (bytewise "rk" < "up").
        let input = [
            0xA3, 0x62, b'u', b'p', 0xF5, 0x62, b'r', b'k', 0xF4, 0x64, b'p', b'l', b'a', b't',
            0xF4,
        ];
        let err = Decoder::new().decode::<Value>(&input).unwrap_err();
        assert_eq!(out_of_order_member(&input, &err).as_deref(), Some("\"rk\""));
        let note = unsorted_note("Info.options", &input, &err);
        assert!(note.contains("in Info.options, member \"rk\""), "{note}");
        assert!(note.contains("--lenient-cbor"), "{note}");
        // {2: 0, 1: 0}
        let input = [0xA2, 0x02, 0x00, 0x01, 0x00];
        let err = Decoder::new().decode::<Value>(&input).unwrap_err();
        assert_eq!(out_of_order_member(&input, &err).as_deref(), Some("0x01"));
    }

    #[test]
    fn other_errors_get_no_note() {
        let input = [0xA1, 0x01];
        let err = Decoder::new().decode::<Value>(&input).unwrap_err();
        assert_eq!(out_of_order_member(&input, &err), None);
        assert_eq!(unsorted_note("X", &input, &err), "");
    }
}
