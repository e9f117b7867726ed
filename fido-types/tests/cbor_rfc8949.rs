//! RFC 8949 Appendix A ("Examples of Encoded CBOR Data Items") through the fido-types
//! codec. Source: RFC 8949, Appendix A, Table 6 (https://www.rfc-editor.org/rfc/rfc8949#appendix-A).
//! Definite-length vectors without tags or floats are canonical: strict decoding accepts
//! them and encoding reproduces them byte for byte. Indefinite-length, tagged and float
//! vectors are rejected by strict decoding and read by lenient decoding.

use std::collections::BTreeMap;

use fido_types::cbor::{self, DecodeErrorKind, Decoder, Value};

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// (hex, diagnostic notation as `cbor::diagnostic` prints it). The RFC's own notation
/// differs only in escaping: it writes "\u00fc" where we print the character.
const CANONICAL: &[(&str, &str)] = &[
    ("00", "0"),
    ("01", "1"),
    ("0a", "10"),
    ("17", "23"),
    ("1818", "24"),
    ("1819", "25"),
    ("1864", "100"),
    ("1903e8", "1000"),
    ("1a000f4240", "1000000"),
    ("1b000000e8d4a51000", "1000000000000"),
    ("1bffffffffffffffff", "18446744073709551615"),
    ("3bffffffffffffffff", "-18446744073709551616"),
    ("20", "-1"),
    ("29", "-10"),
    ("3863", "-100"),
    ("3903e7", "-1000"),
    ("f4", "false"),
    ("f5", "true"),
    ("f6", "null"),
    ("40", "h''"),
    ("4401020304", "h'01020304'"),
    ("60", "\"\""),
    ("6161", "\"a\""),
    ("6449455446", "\"IETF\""),
    ("62225c", "\"\\\"\\\\\""),
    ("62c3bc", "\"\u{fc}\""),
    ("63e6b0b4", "\"\u{6c34}\""),
    ("64f0908591", "\"\u{10151}\""),
    ("80", "[]"),
    ("83010203", "[1, 2, 3]"),
    ("8301820203820405", "[1, [2, 3], [4, 5]]"),
    (
        "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
        "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]",
    ),
    ("a0", "{}"),
    ("a201020304", "{1: 2, 3: 4}"),
    ("a26161016162820203", "{\"a\": 1, \"b\": [2, 3]}"),
    ("826161a161626163", "[\"a\", {\"b\": \"c\"}]"),
    (
        "a56161614161626142616361436164614461656145",
        "{\"a\": \"A\", \"b\": \"B\", \"c\": \"C\", \"d\": \"D\", \"e\": \"E\"}",
    ),
];

#[test]
fn canonical_vectors_decode_strictly_and_re_encode_identically() {
    for (hex_str, diag) in CANONICAL {
        let bytes = hex(hex_str);
        assert_eq!(cbor::diagnostic(&bytes), *diag, "{hex_str}");
        let value: Value = cbor::from_slice(&bytes).unwrap_or_else(|e| panic!("{hex_str}: {e}"));
        assert_eq!(cbor::to_vec(&value).unwrap(), bytes, "{hex_str}");
    }
}

#[test]
fn typed_values_encode_to_the_vectors() {
    assert_eq!(cbor::to_vec(&0u8).unwrap(), hex("00"));
    assert_eq!(cbor::to_vec(&24u32).unwrap(), hex("1818"));
    assert_eq!(cbor::to_vec(&1000u16).unwrap(), hex("1903e8"));
    assert_eq!(cbor::to_vec(&1_000_000u32).unwrap(), hex("1a000f4240"));
    assert_eq!(
        cbor::to_vec(&1_000_000_000_000u64).unwrap(),
        hex("1b000000e8d4a51000")
    );
    assert_eq!(cbor::to_vec(&u64::MAX).unwrap(), hex("1bffffffffffffffff"));
    assert_eq!(
        cbor::to_vec(&-(1i128 << 64)).unwrap(),
        hex("3bffffffffffffffff")
    );
    assert_eq!(cbor::to_vec(&-1000i64).unwrap(), hex("3903e7"));
    assert_eq!(cbor::to_vec(&"IETF").unwrap(), hex("6449455446"));
    assert_eq!(cbor::to_vec(&"\u{10151}").unwrap(), hex("64f0908591"));
    assert_eq!(
        cbor::to_vec(&cbor::Bytes(vec![1, 2, 3, 4])).unwrap(),
        hex("4401020304")
    );
    assert_eq!(
        cbor::to_vec(&(1..=25).collect::<Vec<u8>>()).unwrap(),
        hex("98190102030405060708090a0b0c0d0e0f101112131415161718181819")
    );
    let map: BTreeMap<u8, u8> = [(3, 4), (1, 2)].into_iter().collect();
    assert_eq!(cbor::to_vec(&map).unwrap(), hex("a201020304"));
    assert_eq!(cbor::to_vec(&(true, false, ())).unwrap(), hex("83f5f4f6"));
}

#[test]
fn typed_values_decode_from_the_vectors() {
    assert_eq!(
        cbor::from_slice::<u64>(&hex("1bffffffffffffffff")).unwrap(),
        u64::MAX
    );
    assert_eq!(
        cbor::from_slice::<i128>(&hex("3bffffffffffffffff")).unwrap(),
        -(1i128 << 64)
    );
    assert_eq!(cbor::from_slice::<i16>(&hex("3903e7")).unwrap(), -1000);
    assert_eq!(
        cbor::from_slice::<String>(&hex("63e6b0b4")).unwrap(),
        "\u{6c34}"
    );
    assert_eq!(
        cbor::from_slice::<(u8, (u8, u8), (u8, u8))>(&hex("8301820203820405")).unwrap(),
        (1, (2, 3), (4, 5))
    );
    // An out-of-range value is a typed mismatch, not a panic or a wrap-around.
    let err = cbor::from_slice::<u8>(&hex("1903e8")).unwrap_err();
    assert!(matches!(err.kind(), DecodeErrorKind::Mismatch(_)), "{err}");
}

/// (indefinite-length vector, diagnostic, the definite encoding `to_vec` writes back)
const INDEFINITE: &[(&str, &str, &str)] = &[
    (
        "5f42010243030405ff",
        "(_ h'0102', h'030405')",
        "450102030405",
    ),
    (
        "7f657374726561646d696e67ff",
        "(_ \"strea\", \"ming\")",
        "6973747265616d696e67",
    ),
    ("9fff", "[_ ]", "80"),
    (
        "9f018202039f0405ffff",
        "[_ 1, [2, 3], [_ 4, 5]]",
        "8301820203820405",
    ),
    (
        "9f01820203820405ff",
        "[_ 1, [2, 3], [4, 5]]",
        "8301820203820405",
    ),
    (
        "83018202039f0405ff",
        "[1, [2, 3], [_ 4, 5]]",
        "8301820203820405",
    ),
    (
        "83019f0203ff820405",
        "[1, [_ 2, 3], [4, 5]]",
        "8301820203820405",
    ),
    (
        "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
        "[_ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]",
        "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
    ),
    (
        "bf61610161629f0203ffff",
        "{_ \"a\": 1, \"b\": [_ 2, 3]}",
        "a26161016162820203",
    ),
    (
        "826161bf61626163ff",
        "[\"a\", {_ \"b\": \"c\"}]",
        "826161a161626163",
    ),
    // Canonical order puts "Amt" before "Fun" (same length, bytewise).
    (
        "bf6346756ef563416d7421ff",
        "{_ \"Fun\": true, \"Amt\": -2}",
        "a263416d74216346756ef5",
    ),
];

#[test]
fn indefinite_vectors_are_strict_errors_and_lenient_values() {
    for (hex_str, diag, definite) in INDEFINITE {
        let bytes = hex(hex_str);
        assert_eq!(cbor::diagnostic(&bytes), *diag, "{hex_str}");
        let err = cbor::from_slice::<Value>(&bytes).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::IndefiniteLength, "{hex_str}");
        let value: Value = Decoder::new().lenient().decode(&bytes).unwrap();
        assert_eq!(cbor::to_vec(&value).unwrap(), hex(definite), "{hex_str}");
    }
}

/// (tagged vector, diagnostic, the tagged content as lenient decoding sees it)
const TAGGED: &[(&str, &str, &str)] = &[
    (
        "c074323031332d30332d32315432303a30343a30305a",
        "0(\"2013-03-21T20:04:00Z\")",
        "74323031332d30332d32315432303a30343a30305a",
    ),
    ("c11a514b67b0", "1(1363896240)", "1a514b67b0"),
    ("d74401020304", "23(h'01020304')", "4401020304"),
    ("d818456449455446", "24(h'6449455446')", "456449455446"),
    (
        "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
        "32(\"http://www.example.com\")",
        "76687474703a2f2f7777772e6578616d706c652e636f6d",
    ),
    (
        "c249010000000000000000",
        "2(h'010000000000000000')",
        "49010000000000000000",
    ),
    (
        "c349010000000000000000",
        "3(h'010000000000000000')",
        "49010000000000000000",
    ),
];

#[test]
fn tagged_vectors_are_strict_errors_and_lenient_looks_through_tags() {
    for (hex_str, diag, content) in TAGGED {
        let bytes = hex(hex_str);
        assert_eq!(cbor::diagnostic(&bytes), *diag, "{hex_str}");
        let err = cbor::from_slice::<Value>(&bytes).unwrap_err();
        assert_eq!(
            (err.kind(), err.offset()),
            (&DecodeErrorKind::TagNotAllowed, 0),
            "{hex_str}"
        );
        let value: Value = Decoder::new().lenient().decode(&bytes).unwrap();
        assert_eq!(cbor::to_vec(&value).unwrap(), hex(content), "{hex_str}");
    }
}

/// (float vector, diagnostic, value)
const FLOATS: &[(&str, &str, f64)] = &[
    ("f90000", "0.0", 0.0),
    ("f98000", "-0.0", -0.0),
    ("f93c00", "1.0", 1.0),
    ("fb3ff199999999999a", "1.1", 1.1),
    ("f93e00", "1.5", 1.5),
    ("f97bff", "65504.0", 65504.0),
    ("fa47c35000", "100000.0", 100000.0),
    ("fa7f7fffff", "3.4028234663852886e38", 3.4028234663852886e38),
    ("fb7e37e43c8800759c", "1e300", 1.0e300),
    ("f90001", "5.960464477539063e-8", 5.960464477539063e-8),
    ("f90400", "6.103515625e-5", 0.00006103515625),
    ("f9c400", "-4.0", -4.0),
    ("fbc010666666666666", "-4.1", -4.1),
    ("f97c00", "Infinity", f64::INFINITY),
    ("f9fc00", "-Infinity", f64::NEG_INFINITY),
];

#[test]
fn float_vectors_are_strict_errors_lenient_values_and_never_encoded() {
    for (hex_str, diag, expected) in FLOATS {
        let bytes = hex(hex_str);
        assert_eq!(cbor::diagnostic(&bytes), *diag, "{hex_str}");
        let err = cbor::from_slice::<f64>(&bytes).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::FloatNotAllowed, "{hex_str}");
        let value: f64 = Decoder::new().lenient().decode(&bytes).unwrap();
        assert_eq!(value.to_bits(), expected.to_bits(), "{hex_str}");
        assert!(cbor::to_vec(&value).is_err(), "{hex_str}");
    }
    // NaN (f97e00) compares unequal to itself: checked on its own.
    let nan: f64 = Decoder::new().lenient().decode(&hex("f97e00")).unwrap();
    assert!(nan.is_nan());
    assert_eq!(cbor::diagnostic(&hex("f97e00")), "NaN");
}

#[test]
fn simple_value_vectors() {
    // undefined: lenient only; simple(16), simple(255): unsupported in both modes.
    assert_eq!(cbor::diagnostic(&hex("f7")), "undefined");
    assert_eq!(
        cbor::from_slice::<Value>(&hex("f7")).unwrap_err().kind(),
        &DecodeErrorKind::UnsupportedSimpleValue
    );
    assert_eq!(
        Decoder::new()
            .lenient()
            .decode::<Value>(&hex("f7"))
            .unwrap(),
        Value::Null
    );
    for (hex_str, diag) in [("f0", "simple(16)"), ("f8ff", "simple(255)")] {
        assert_eq!(cbor::diagnostic(&hex(hex_str)), diag);
        let err = Decoder::new()
            .lenient()
            .decode::<Value>(&hex(hex_str))
            .unwrap_err();
        assert_eq!(
            err.kind(),
            &DecodeErrorKind::UnsupportedSimpleValue,
            "{hex_str}"
        );
    }
}
