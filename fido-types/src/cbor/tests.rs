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

// ---- strict mode: one rejection per rule, each accepted by lenient mode where it can be --

fn strict_err(input: &str) -> DecodeError {
    Decoder::new().validate(&hex(input)).unwrap_err()
}

fn lenient<'de, T: serde::Deserialize<'de>>(input: &'de [u8]) -> Result<T, DecodeError> {
    Decoder::new().lenient().decode(input)
}

#[test]
fn strict_rejects_non_minimal_integer() {
    let err = strict_err("18 05"); // 5 with a one-byte argument
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::NonMinimal, 0)
    );
    let err = strict_err("82 01 39 0000"); // [1, -1 with a two-byte argument]
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::NonMinimal, 2)
    );
    assert_eq!(lenient::<u8>(&hex("18 05")).unwrap(), 5);
    assert_eq!(lenient::<Vec<i8>>(&hex("82 01 39 0000")).unwrap(), [1, -1]);
}

#[test]
fn strict_rejects_non_minimal_length() {
    let err = strict_err("58 01 ff"); // h'ff' with a one-byte length
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::NonMinimal, 0)
    );
    let err = strict_err("a1 01 99 0001 00"); // {1: [0]} with a two-byte count
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::NonMinimal, 2)
    );
    assert_eq!(
        lenient::<Bytes>(&hex("58 01 ff")).unwrap(),
        Bytes(vec![0xff])
    );
}

#[test]
fn strict_rejects_indefinite_lengths() {
    for (input, offset) in [
        ("5f 41 01 ff", 0),
        ("81 9f 01 ff", 1),
        ("bf 01 02 ff", 0),
        ("7f 61 61 ff", 0),
    ] {
        let err = strict_err(input);
        assert_eq!(
            (err.kind(), err.offset()),
            (&DecodeErrorKind::IndefiniteLength, offset),
            "{input}"
        );
    }
    assert_eq!(
        lenient::<Bytes>(&hex("5f 41 01 42 0203 ff")).unwrap(),
        Bytes(vec![1, 2, 3])
    );
    assert_eq!(
        lenient::<Vec<Vec<u8>>>(&hex("81 9f 01 ff")).unwrap(),
        [vec![1]]
    );
    assert_eq!(
        lenient::<String>(&hex("7f 61 61 62 6263 ff")).unwrap(),
        "abc"
    );
    // {_ 2: h'', 3: h''} as a derived struct
    let a: Assertion = lenient(&hex("bf 02 40 03 40 ff")).unwrap();
    assert_eq!(a.number_of_credentials, None);
}

#[test]
fn strict_rejects_unsorted_keys() {
    let err = strict_err("a2 02 00 01 00");
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::UnsortedKeys, 3)
    );
    // -1 (major type 1) must come after 24 (major type 0) although it is "smaller"
    let err = strict_err("a2 20 00 18 18 00");
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::UnsortedKeys, 3)
    );
    // "aa" must come after "b": shorter first
    let err = strict_err("a2 62 6161 00 61 62 00");
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::UnsortedKeys, 5)
    );
    let map: StrMap<u8> = lenient(&hex("a2 62 6161 00 61 62 01")).unwrap();
    assert_eq!(map.keys().collect::<Vec<_>>(), ["b", "aa"]);
}

#[test]
fn strict_rejects_duplicate_keys_and_lenient_too() {
    let err = strict_err("a2 01 00 01 00");
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::DuplicateKey, 3)
    );
    // Lenient mode still refuses duplicates (ambiguous messages), even unsorted ones.
    let err = Decoder::new()
        .lenient()
        .validate(&hex("a3 01 00 02 00 01 00"))
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::DuplicateKey, 5)
    );
}

#[test]
fn both_modes_reject_trailing_bytes() {
    let err = strict_err("01 00");
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::TrailingBytes, 1)
    );
    let err = lenient::<u8>(&hex("01 00")).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::TrailingBytes, 1)
    );
}

#[test]
fn depth_limit_is_enforced_and_configurable() {
    let nested = hex("81 81 81 00"); // [[[0]]]: depth 3
    assert!(Decoder::new().max_depth(3).validate(&nested).is_ok());
    let err = Decoder::new().max_depth(2).validate(&nested).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::DepthLimitExceeded { max_depth: 2 }, 2)
    );
    let err = Decoder::new()
        .lenient()
        .max_depth(2)
        .validate(&nested)
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &DecodeErrorKind::DepthLimitExceeded { max_depth: 2 }
    );
    // The default limit: 16 levels pass, 17 do not.
    let deep = |n: usize| {
        let mut v = vec![0x81; n];
        v.push(0);
        v
    };
    assert!(
        Decoder::new()
            .validate(&deep(Decoder::DEFAULT_MAX_DEPTH))
            .is_ok()
    );
    assert_eq!(
        Decoder::new().validate(&deep(17)).unwrap_err().kind(),
        &DecodeErrorKind::DepthLimitExceeded { max_depth: 16 }
    );
    // Limits above the cap are clamped, so serde_cbor_2's own limit is never reached.
    let err = Decoder::new()
        .max_depth(10_000)
        .validate(&deep(200))
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &DecodeErrorKind::DepthLimitExceeded { max_depth: 100 }
    );
}

#[test]
fn strict_rejects_tags_floats_and_undefined() {
    let err = strict_err("c1 01");
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::TagNotAllowed, 0)
    );
    let err = strict_err("81 f9 3e00");
    assert_eq!(
        (err.kind(), err.offset()),
        (&DecodeErrorKind::FloatNotAllowed, 1)
    );
    let err = strict_err("f7");
    assert_eq!(err.kind(), &DecodeErrorKind::UnsupportedSimpleValue);
    assert_eq!(lenient::<u8>(&hex("c1 01")).unwrap(), 1);
    assert_eq!(lenient::<f64>(&hex("f9 3e00")).unwrap(), 1.5);
    assert_eq!(lenient::<Option<u8>>(&hex("f6")).unwrap(), None);
    assert!(Decoder::new().lenient().validate(&hex("f7")).is_ok());
    // simple(16) and a two-byte simple value below 32 are refused in both modes
    assert_eq!(
        lenient::<u8>(&hex("f0")).unwrap_err().kind(),
        &DecodeErrorKind::UnsupportedSimpleValue
    );
    assert_eq!(
        lenient::<u8>(&hex("f8 10")).unwrap_err().kind(),
        &DecodeErrorKind::Malformed
    );
}

#[test]
fn declared_lengths_beyond_the_input_are_rejected_in_both_modes() {
    for decoder in [Decoder::new(), Decoder::new().lenient()] {
        for (input, offset) in [
            ("5a ffffffff 00", 0),          // 4 GiB byte string
            ("5b ffffffffffffffff", 0),     // 2^64-1 byte string
            ("9b 00000001 00000000 00", 0), // 2^32-element array
            ("a1 01 b9 ffff 00", 2),        // 65535-entry map inside a map
            ("62 61", 0),                   // text of 2, 1 byte left
            ("19 01", 0),                   // truncated argument
            ("", 0),                        // nothing at all
            ("82 01", 0),                   // array of 2, only 1 byte left
            ("82 81 01", 3),                // array of 2 with 1 item
        ] {
            let err = decoder.validate(&hex(input)).unwrap_err();
            assert_eq!(
                (err.kind(), err.offset()),
                (&DecodeErrorKind::Truncated, offset),
                "{input}"
            );
        }
    }
}

#[test]
fn malformed_input_is_typed() {
    let err = strict_err("62 c3 28");
    assert_eq!(err.kind(), &DecodeErrorKind::InvalidUtf8);
    let err = strict_err("1c");
    assert_eq!(err.kind(), &DecodeErrorKind::Malformed);
    let err = strict_err("ff");
    assert_eq!(err.kind(), &DecodeErrorKind::Malformed);
    let err = Decoder::new()
        .lenient()
        .validate(&hex("5f 61 61 ff"))
        .unwrap_err();
    assert_eq!((err.kind(), err.offset()), (&DecodeErrorKind::Malformed, 1));
    let err = Decoder::new()
        .lenient()
        .validate(&hex("bf 01 ff"))
        .unwrap_err();
    assert_eq!((err.kind(), err.offset()), (&DecodeErrorKind::Malformed, 2));
}

#[test]
fn type_mismatch_at_top_level() {
    let err = from_slice::<Assertion>(&hex("01")).unwrap_err();
    assert!(
        matches!(err.kind(), DecodeErrorKind::Mismatch(m) if m.contains("a CBOR map (Assertion)"))
    );
    assert!(err.path().is_empty());
}

#[test]
fn derived_struct_rejects_duplicate_known_key_even_if_validation_is_bypassed() {
    // Through serde_cbor_2 directly (no validator): the derived code still checks.
    let err =
        serde_cbor_2::from_slice::<RpEntity>(&hex("a2 62 6964 61 61 62 6964 61 62")).unwrap_err();
    assert!(
        err.to_string()
            .contains(r#"RpEntity.id (key "id"): duplicate map key"#),
        "{err}"
    );
}

#[test]
fn explicit_null_for_optional_field_is_absent() {
    // {"id": "a", "name": null}
    let rp: RpEntity = from_slice(&hex("a2 62 6964 61 61 64 6e616d65 f6")).unwrap();
    assert_eq!(rp.name, None);
}

// ---- encoding: canonical whatever the input order --------------------------------------

#[test]
fn btreemap_with_string_keys_is_reordered_canonically() {
    let mut options = std::collections::BTreeMap::new();
    options.insert("alwaysUv".to_string(), true);
    options.insert("rk".to_string(), false);
    // serde_cbor_2 follows BTreeMap (bytewise) order: "alwaysUv" first.
    let raw = serde_cbor_2::to_vec(&options).unwrap();
    assert_eq!(diagnostic(&raw), r#"{"alwaysUv": true, "rk": false}"#);
    // to_vec sorts shorter keys first.
    let canonical = to_vec(&options).unwrap();
    assert_eq!(diagnostic(&canonical), r#"{"rk": false, "alwaysUv": true}"#);
    assert!(Decoder::new().validate(&canonical).is_ok());
}

#[test]
fn integer_keys_sort_positive_then_negative_by_magnitude() {
    let map: std::collections::HashMap<i64, u8> =
        [(-3, 0), (3, 0), (-1, 0), (1, 0), (24, 0), (-25, 0)]
            .into_iter()
            .collect();
    assert_eq!(
        diagnostic(&to_vec(&map).unwrap()),
        "{1: 0, 3: 0, 24: 0, -1: 0, -3: 0, -25: 0}"
    );
    let cose: CanonicalMap<i64, u8> = [(-2, 0), (3, 0), (-1, 0), (1, 0)].into_iter().collect();
    assert_eq!(cose.keys().copied().collect::<Vec<_>>(), [1, 3, -1, -2]);
    assert_eq!(
        serde_cbor_2::to_vec(&cose).unwrap(),
        to_vec(&cose).unwrap(),
        "CanonicalMap is canonical even through plain serde_cbor_2"
    );
}

#[test]
fn value_map_order_is_canonical_for_int_and_text_keys_only() {
    use std::collections::BTreeMap;
    // Integer and text keys: serde_cbor_2's Value order is already CTAP2 canonical.
    let mut m = BTreeMap::new();
    for k in [
        Value::Integer(-1),
        Value::Integer(24),
        Value::Integer(0),
        Value::Text("bb".into()),
        Value::Text("a".into()),
        Value::Integer(-24),
    ] {
        m.insert(k, Value::Null);
    }
    let value = Value::Map(m);
    let raw = serde_cbor_2::to_vec(&value).unwrap();
    assert_eq!(
        diagnostic(&raw),
        r#"{0: null, 24: null, -1: null, -24: null, "a": null, "bb": null}"#
    );
    assert_eq!(to_vec(&value).unwrap(), raw);
    // Array keys: Value compares encodings bytewise, [24] (3 bytes) before [-1] (2 bytes);
    // CTAP2 canonical order is shorter first. to_vec fixes it.
    let mut m = BTreeMap::new();
    m.insert(Value::Array(vec![Value::Integer(24)]), Value::Null);
    m.insert(Value::Array(vec![Value::Integer(-1)]), Value::Null);
    let value = Value::Map(m);
    let raw = serde_cbor_2::to_vec(&value).unwrap();
    assert_eq!(diagnostic(&raw), "{[24]: null, [-1]: null}");
    assert_eq!(
        Decoder::new().validate(&raw).unwrap_err().kind(),
        &DecodeErrorKind::UnsortedKeys
    );
    assert_eq!(
        diagnostic(&to_vec(&value).unwrap()),
        "{[-1]: null, [24]: null}"
    );
}

/// Serializes as a sequence of unknown length, so serde_cbor_2 writes an indefinite array.
struct Evens(Vec<u8>);

impl serde::Serialize for Evens {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().filter(|n| *n % 2 == 0))
    }
}

#[test]
fn indefinite_lengths_from_serde_become_definite() {
    let evens = Evens(vec![1, 2, 3, 4]);
    assert_eq!(serde_cbor_2::to_vec(&evens).unwrap(), hex("9f 02 04 ff"));
    assert_eq!(to_vec(&evens).unwrap(), hex("82 02 04"));
}

#[test]
fn floats_and_duplicates_are_refused_on_encode() {
    let err = to_vec(&vec![1.5f64]).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (&EncodeErrorKind::FloatNotAllowed, 1)
    );
    let mut kept: WithUnknown = from_slice(&hex("a2 01 01 04 04")).unwrap();
    kept.unknown.insert(Value::Integer(4), Value::Integer(5));
    let err = to_vec(&kept).unwrap_err();
    assert_eq!(err.kind(), &EncodeErrorKind::DuplicateKey);
}

#[derive(Debug, CborMap)]
struct Wide {
    #[cbor(key = 0x07)]
    big: u128,
}

#[test]
fn encode_error_names_the_field() {
    let err = to_vec(&Wide { big: u128::MAX }).unwrap_err();
    assert!(matches!(err.kind(), EncodeErrorKind::Unsupported(m) if m.contains("can't be stored")));
    assert_eq!(err.path().len(), 1);
    assert_eq!(err.path()[0].to_string(), "Wide.big (key 0x07)");
}

// ---- integer-valued registries -------------------------------------------------------

/// A COSE-algorithm-like registry: a transparent newtype with named constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct Alg(i32);

impl Alg {
    const ES256: Alg = Alg(-7);
    const EDDSA: Alg = Alg(-8);
}

#[derive(Debug, Clone, PartialEq, CborMap)]
struct Param {
    #[cbor(key = "alg")]
    alg: Alg,
    #[cbor(key = "type")]
    kind: String,
}

#[test]
fn integer_enum_newtype_round_trips_known_and_unknown_values() {
    let params = vec![
        Param {
            alg: Alg::ES256,
            kind: "public-key".into(),
        },
        Param {
            alg: Alg::EDDSA,
            kind: "public-key".into(),
        },
        Param {
            alg: Alg(-65535),
            kind: "public-key".into(),
        },
    ];
    let bytes = to_vec(&params).unwrap();
    assert_eq!(
        diagnostic(&bytes),
        r#"[{"alg": -7, "type": "public-key"}, {"alg": -8, "type": "public-key"}, {"alg": -65535, "type": "public-key"}]"#
    );
    assert_eq!(from_slice::<Vec<Param>>(&bytes).unwrap(), params);
}

// ---- diagnostic notation -------------------------------------------------------------

#[test]
fn diagnostic_shows_non_canonical_forms() {
    assert_eq!(diagnostic(&hex("18 05")), "5_0");
    assert_eq!(diagnostic(&hex("98 01 00")), "[_0 0]");
    assert_eq!(
        diagnostic(&hex("5f 41 01 42 0203 ff")),
        "(_ h'01', h'0203')"
    );
    assert_eq!(diagnostic(&hex("bf 61 61 01 ff")), r#"{_ "a": 1}"#);
    assert_eq!(diagnostic(&hex("c1 1a 514b67b0")), "1(1363896240)");
    assert_eq!(
        diagnostic(&hex("f9 3e00 f7 f0")),
        "1.5, undefined, simple(16)"
    );
    assert_eq!(diagnostic(&hex("62 22 0a")), r#""\"\u000a""#);
    assert_eq!(
        diagnostic(&hex("82 01")),
        "[1, <error: input truncated at offset 2>"
    );
}

// ---- key order helpers agree with the encodings ----------------------------------------

fn key_strategy() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    prop_oneof![
        any::<u64>().prop_map(|n| Value::Integer(n.into())),
        any::<i64>().prop_map(|n| Value::Integer(n.into())),
        (0u64..300).prop_map(|n| Value::Integer(n.into())),
        (-300i64..0).prop_map(|n| Value::Integer(n.into())),
        "[a-c]{0,3}|[a-z]{20,30}".prop_map(Value::Text),
        proptest::collection::vec(any::<u8>(), 0..30).prop_map(Value::Bytes),
        Just(Value::Bool(true)),
        Just(Value::Array(vec![Value::Integer(24)])),
    ]
}

proptest::proptest! {
    #[test]
    fn value_key_order_matches_encoded_canonical_order(a in key_strategy(), b in key_strategy()) {
        let ea = to_vec(&a).unwrap();
        let eb = to_vec(&b).unwrap();
        proptest::prop_assert_eq!(
            canonical::value_key_cmp(&a, &b),
            validate::canonical_key_cmp(&ea, &eb)
        );
    }
}

#[derive(Debug, Clone, PartialEq, CborMap)]
struct Entity {
    #[cbor(key = "id")]
    id: String,
    #[cbor(key = "name")]
    name: Option<String>,
    #[cbor(unknown)]
    extra: UnknownFields,
}

#[test]
fn string_keyed_unknown_fields_go_back_in_canonical_place() {
    // {"x": 1, "id": "a", "icon": 2, "name": "n", "displayName": 3}: canonical order
    let bytes = hex(
        "a5 61 78 01 62 6964 61 61 64 69636f6e 02 64 6e616d65 61 6e 6b 646973706c61794e616d65 03",
    );
    let e: Entity = from_slice(&bytes).unwrap();
    assert_eq!(e.id, "a");
    assert_eq!(
        e.extra.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
        [
            Value::Text("x".into()),
            Value::Text("icon".into()),
            Value::Text("displayName".into())
        ]
    );
    assert_eq!(to_vec(&e).unwrap(), bytes);
    // Without the name, "icon" still sorts between "id" and the end.
    let mut e = e;
    e.name = None;
    assert_eq!(
        diagnostic(&to_vec(&e).unwrap()),
        r#"{"x": 1, "id": "a", "icon": 2, "displayName": 3}"#
    );
}

#[test]
fn strict_decoding_refuses_a_byte_string_for_text() {
    // {"id": h'61'}: the bytes are valid UTF-8, but a text string was asked for; accepting
    // it would give a value that re-encodes differently.
    let bytes = hex("a1 62 6964 41 61");
    let err = from_slice::<RpEntity>(&bytes).unwrap_err();
    assert!(
        matches!(err.kind(), DecodeErrorKind::Mismatch(m) if m.contains("byte string")),
        "{err}"
    );
    assert_eq!(err.path_string(), "RpEntity.id (key \"id\")");
    assert_eq!(err.offset(), 4);
    // The same inside a sequence and as an optional value.
    let nested = hex("a2 62 6964 61 61 64 6e616d65 41 62");
    assert!(from_slice::<RpEntity>(&nested).is_err());
    let list: Result<Vec<String>, _> = from_slice(&hex("82 61 61 41 62"));
    assert!(list.is_err());
    // Byte strings are still byte strings, and lenient decoding keeps serde's leniency.
    let descriptor = from_slice::<Descriptor>(&hex("a2 62 6964 41 01 64 74797065 61 78")).unwrap();
    assert_eq!(descriptor.id, vec![1]);
    let rp: RpEntity = Decoder::new().lenient().decode(&bytes).unwrap();
    assert_eq!(rp.id, "a");
}
