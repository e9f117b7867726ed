//! Unit tests of the CBOR codec: the derive contract, canonical encoding, strict and
//! lenient decoding. RFC 8949 vectors and snapshots live in `fido-types/tests/cbor_*.rs`.

use super::*;

#[derive(Debug, Clone, PartialEq, CborMap)]
struct RpEntity {
    #[cbor(key = "id")]
    id: String,
    #[cbor(key = "name")]
    name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, CborMap)]
struct Descriptor {
    #[cbor(key = "id")]
    id: Vec<u8>,
    #[cbor(key = "type")]
    kind: String,
}

#[derive(Debug, Clone, PartialEq, CborMap)]
struct Assertion {
    #[cbor(key = 0x01)]
    credential: Option<Descriptor>,
    #[cbor(key = 0x02)]
    auth_data: Vec<u8>,
    #[cbor(key = 0x03)]
    signature: Vec<u8>,
    #[cbor(key = 0x05)]
    number_of_credentials: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, CborMap)]
struct Fixed {
    #[cbor(key = 0x01)]
    hash: [u8; 4],
    #[cbor(key = 0x02)]
    salt: Option<[u8; 2]>,
    #[cbor(key = 0x03)]
    list: Vec<Bytes>,
}

#[derive(Debug, Clone, PartialEq, CborMap)]
struct WithUnknown {
    #[cbor(key = 0x01)]
    a: u8,
    #[cbor(key = 0x04)]
    d: u8,
    #[cbor(unknown)]
    unknown: UnknownFields,
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn string_keys_encode_in_declared_order_and_omit_none() {
    let rp = RpEntity {
        id: "a".into(),
        name: None,
    };
    // {"id": "a"}
    assert_eq!(to_vec(&rp).unwrap(), hex("a1 62 6964 61 61"));
    let rp = RpEntity {
        id: "a".into(),
        name: Some("b".into()),
    };
    // {"id": "a", "name": "b"}
    let bytes = to_vec(&rp).unwrap();
    assert_eq!(bytes, hex("a2 62 6964 61 61 64 6e616d65 61 62"));
    assert_eq!(from_slice::<RpEntity>(&bytes).unwrap(), rp);
}

#[test]
fn integer_keys_and_byte_fields_round_trip() {
    let a = Assertion {
        credential: Some(Descriptor {
            id: vec![0xaa, 0xbb],
            kind: "public-key".into(),
        }),
        auth_data: vec![1, 2, 3],
        signature: vec![],
        number_of_credentials: Some(2),
    };
    let bytes = to_vec(&a).unwrap();
    assert_eq!(
        diagnostic(&bytes),
        r#"{1: {"id": h'aabb', "type": "public-key"}, 2: h'010203', 3: h'', 5: 2}"#
    );
    assert_eq!(from_slice::<Assertion>(&bytes).unwrap(), a);
}

#[test]
fn missing_required_key_names_struct_field_and_key() {
    // {2: h'01'}: signature (key 3) missing
    let err = from_slice::<Assertion>(&hex("a1 02 41 01")).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::MissingField);
    assert_eq!(err.path_string(), "Assertion.signature (key 0x03)");
    assert_eq!(err.offset(), 0);
    assert_eq!(
        err.to_string(),
        "CBOR decode error at offset 0 in Assertion.signature (key 0x03): missing required key"
    );
}

#[test]
fn nested_error_has_full_path_and_offset() {
    // {1: {"id": 5, "type": "x"}, 2: h'', 3: h''}: id must be bytes
    let bytes = hex("a3 01 a2 62 6964 05 64 74797065 61 78 02 40 03 40");
    let err = from_slice::<Assertion>(&bytes).unwrap_err();
    assert!(
        matches!(err.kind(), DecodeErrorKind::Mismatch(m) if m.contains("expected a byte string"))
    );
    assert_eq!(
        err.path_string(),
        r#"Assertion.credential (key 0x01) > Descriptor.id (key "id")"#
    );
    assert_eq!(err.offset(), 6);
}

#[test]
fn fixed_size_bytes_are_length_checked() {
    let ok = Fixed {
        hash: [1, 2, 3, 4],
        salt: Some([9, 9]),
        list: vec![Bytes(vec![7])],
    };
    let bytes = to_vec(&ok).unwrap();
    assert_eq!(
        diagnostic(&bytes),
        "{1: h'01020304', 2: h'0909', 3: [h'07']}"
    );
    assert_eq!(from_slice::<Fixed>(&bytes).unwrap(), ok);
    // hash of 3 bytes
    let err = from_slice::<Fixed>(&hex("a2 01 43 010203 03 80")).unwrap_err();
    assert_eq!(
        err.kind(),
        &DecodeErrorKind::WrongLength {
            expected: 4,
            actual: 3
        }
    );
    assert_eq!(err.path_string(), "Fixed.hash (key 0x01)");
    assert_eq!(err.offset(), 2);
}

#[test]
fn unknown_keys_skipped_or_kept_in_canonical_position() {
    // {1: 1, 2: "x", 4: 4, 5: h'ff', -1: 0}
    let bytes = hex("a5 01 01 02 61 78 04 04 05 41 ff 20 00");
    let skipped = from_slice::<Assertion>(&hex("a3 02 40 03 40 04 f5")).unwrap();
    assert_eq!(skipped.auth_data, Vec::<u8>::new());
    let kept: WithUnknown = from_slice(&bytes).unwrap();
    assert_eq!(kept.a, 1);
    assert_eq!(kept.d, 4);
    assert_eq!(kept.unknown.len(), 3);
    assert_eq!(
        kept.unknown.get(&Value::Integer(2)),
        Some(&Value::Text("x".into()))
    );
    assert_eq!(to_vec(&kept).unwrap(), bytes);
}

#[test]
fn strict_rejects_non_canonical_and_lenient_accepts() {
    // {"name": "b", "id": "a"}: unsorted
    let unsorted = hex("a2 64 6e616d65 61 62 62 6964 61 61");
    let err = from_slice::<RpEntity>(&unsorted).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::UnsortedKeys);
    assert_eq!(err.offset(), 8);
    let rp: RpEntity = Decoder::new().lenient().decode(&unsorted).unwrap();
    assert_eq!(rp.name.as_deref(), Some("b"));
}
