//! Property tests of the codec: arbitrary or mutated input never panics and obeys the
//! strict/lenient contract; derived structs round-trip; truncated encodings are typed
//! `Truncated` errors.

use fido_types::cbor::{
    self, Bytes, CborMap, DecodeErrorKind, Decoder, StrMap, UnknownFields, Value,
};
use proptest::prelude::*;

fn value_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<u64>().prop_map(|n| Value::Integer(n.into())),
        any::<i64>().prop_map(|n| Value::Integer(n.into())),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
        "[a-z\u{e9}\u{6c34}]{0,30}".prop_map(Value::Text),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            any::<i16>().prop_map(|n| Value::Integer(n.into())),
            "[a-z]{0,12}".prop_map(Value::Text),
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key, inner, 0..6).prop_map(Value::Map),
        ]
    })
}

/// Encoded values, then damaged: one byte overwritten, and/or the end cut off.
fn damaged_input() -> impl Strategy<Value = Vec<u8>> {
    (
        value_strategy(),
        any::<prop::sample::Index>(),
        any::<u8>(),
        any::<bool>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(value, at, byte, cut, cut_at)| {
            let mut bytes = serde_cbor_2::to_vec(&value).unwrap();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            if cut {
                bytes.truncate(cut_at.index(bytes.len() + 1));
            }
            bytes
        })
}

fn check_contract(input: &[u8]) -> Result<(), TestCaseError> {
    let strict = cbor::from_slice::<Value>(input);
    let lenient = Decoder::new().lenient().decode::<Value>(input);
    let _ = cbor::diagnostic(input);
    let _ = cbor::from_slice::<Response>(input);
    let _ = Decoder::new().lenient().decode::<Response>(input);
    if let Ok(value) = &strict {
        // Strictly accepted input is canonical: re-encoding gives the same bytes.
        prop_assert_eq!(&cbor::to_vec(value).unwrap(), input);
        prop_assert!(lenient.is_ok(), "strict accepted but lenient rejected");
    }
    if let Ok(value) = &lenient {
        // Whatever lenient mode reads, to_vec writes canonically (or refuses floats),
        // and strict mode reads that back as the same value.
        match cbor::to_vec(value) {
            Ok(bytes) => prop_assert_eq!(&cbor::from_slice::<Value>(&bytes).unwrap(), value),
            Err(err) => prop_assert_eq!(err.kind(), &cbor::EncodeErrorKind::FloatNotAllowed),
        }
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, CborMap)]
struct User {
    #[cbor(key = "id")]
    id: Bytes,
    #[cbor(key = "name")]
    name: Option<String>,
    #[cbor(key = "displayName")]
    display_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, CborMap)]
struct Response {
    #[cbor(key = 0x01)]
    credential_id: Option<Vec<u8>>,
    #[cbor(key = 0x02)]
    auth_data: Vec<u8>,
    #[cbor(key = 0x03)]
    signature: [u8; 8],
    #[cbor(key = 0x04)]
    user: Option<User>,
    #[cbor(key = 0x05)]
    count: Option<u32>,
    #[cbor(key = 0x06)]
    options: StrMap<bool>,
    #[cbor(key = 0x18)]
    list: Vec<Bytes>,
    #[cbor(unknown)]
    unknown: UnknownFields,
}

fn response_strategy() -> impl Strategy<Value = Response> {
    let user = (
        proptest::collection::vec(any::<u8>(), 0..20),
        proptest::option::of("[a-z ]{0,10}"),
        proptest::option::of("[a-zA-Z]{0,10}"),
    )
        .prop_map(|(id, name, display_name)| User {
            id: Bytes(id),
            name,
            display_name,
        });
    let unknown = proptest::collection::btree_map(
        prop_oneof![
            (7i128..24).prop_map(Value::Integer),
            (25i128..1000).prop_map(Value::Integer),
            (-1000i128..0).prop_map(Value::Integer),
            "[a-z]{1,5}".prop_map(Value::Text),
        ],
        value_strategy(),
        0..4,
    );
    (
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..32)),
        proptest::collection::vec(any::<u8>(), 0..64),
        any::<[u8; 8]>(),
        proptest::option::of(user),
        proptest::option::of(any::<u32>()),
        proptest::collection::btree_map("[a-zA-Z]{1,12}", any::<bool>(), 0..5),
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..5), 0..4),
        unknown,
    )
        .prop_map(
            |(credential_id, auth_data, signature, user, count, options, list, unknown)| {
                let mut fields = UnknownFields::new();
                for (k, v) in unknown {
                    fields.insert(k, v);
                }
                Response {
                    credential_id,
                    auth_data,
                    signature,
                    user,
                    count,
                    options: options.into_iter().collect(),
                    list: list.into_iter().map(Bytes).collect(),
                    unknown: fields,
                }
            },
        )
}

proptest! {
    #[test]
    fn random_bytes_obey_the_contract(input in proptest::collection::vec(any::<u8>(), 0..64)) {
        check_contract(&input)?;
    }

    #[test]
    fn damaged_encodings_obey_the_contract(input in damaged_input()) {
        check_contract(&input)?;
    }

    #[test]
    fn values_round_trip_canonically(value in value_strategy()) {
        let bytes = cbor::to_vec(&value).unwrap();
        prop_assert_eq!(cbor::from_slice::<Value>(&bytes).unwrap(), value);
    }

    #[test]
    fn derived_structs_round_trip(response in response_strategy()) {
        let bytes = cbor::to_vec(&response).unwrap();
        // The derive's own output is already canonical: plain serde_cbor_2 gives the
        // same bytes (no re-sorting was needed).
        prop_assert_eq!(&serde_cbor_2::to_vec(&response).unwrap(), &bytes);
        prop_assert_eq!(cbor::from_slice::<Response>(&bytes).unwrap(), response);
    }

    #[test]
    fn every_proper_prefix_is_truncated(response in response_strategy()) {
        let bytes = cbor::to_vec(&response).unwrap();
        for end in 0..bytes.len() {
            let err = cbor::from_slice::<Response>(&bytes[..end]).unwrap_err();
            prop_assert_eq!(err.kind(), &DecodeErrorKind::Truncated, "prefix of {}", end);
            let err = Decoder::new().lenient().decode::<Response>(&bytes[..end]).unwrap_err();
            prop_assert_eq!(err.kind(), &DecodeErrorKind::Truncated, "prefix of {}", end);
        }
    }
}

#[test]
fn unknown_fields_of_every_key_kind_come_back_in_canonical_place() {
    // Known keys 1..6 and 0x18; unknown 0 (before all), 7 (between), 0x19, -1, "x" (after).
    let mut unknown = UnknownFields::new();
    for key in [
        Value::Text("x".into()),
        Value::Integer(-1),
        Value::Integer(0x19),
        Value::Integer(7),
        Value::Integer(0),
    ] {
        unknown.insert(key, Value::Null);
    }
    let response = Response {
        credential_id: None,
        auth_data: vec![],
        signature: [0; 8],
        user: None,
        count: None,
        options: StrMap::new(),
        list: vec![],
        unknown,
    };
    let bytes = cbor::to_vec(&response).unwrap();
    assert_eq!(
        cbor::diagnostic(&bytes),
        "{0: null, 2: h'', 3: h'0000000000000000', 6: {}, 7: null, 24: [], 25: null, -1: null, \"x\": null}"
    );
    assert_eq!(cbor::from_slice::<Response>(&bytes).unwrap(), response);
}
