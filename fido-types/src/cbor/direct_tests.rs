//! The direct encoder and decoder against the general path: they take canonical input and
//! ordinary values, decline everything else, and never disagree with the general path.

use proptest::prelude::*;

use super::*;
use crate::generated::Info;

#[derive(Debug, Clone, PartialEq, CborMap)]
struct Entity {
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
    user: Option<Entity>,
    #[cbor(key = 0x02)]
    auth_data: Vec<u8>,
    #[cbor(key = 0x03)]
    count: Option<u32>,
    #[cbor(key = 0x04)]
    options: Option<StrMap<bool>>,
    #[cbor(key = 0x05)]
    alg: Option<i64>,
    #[cbor(unknown)]
    unknown: UnknownFields,
}

/// getInfo of a YubiKey 5 NFC, firmware 5.2. Source: Yubico/Yubico.NET.SDK
/// Ctap2CborSerializerTests.cs (also in tests/generated_info.rs).
const YUBIKEY_5_NFC_INFO: &str = "AA0183665532465F5632684649444F5F325F306C4649444F5F325F315F50524502826B6372656450726F746563746B686D61632D73656372657403502FC0579F811347EAB116BB5A8DB9202A04A562726BF5627570F564706C6174F469636C69656E7450696EF47563726564656E7469616C4D676D7450726576696577F5051904B006810107080818800982636E6663637573620A82A263616C672664747970656A7075626C69632D6B6579A263616C672764747970656A7075626C69632D6B6579";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn sample() -> Response {
    let mut options = StrMap::new();
    options.insert("up".to_string(), true);
    options.insert("alwaysUv".to_string(), false);
    options.insert("rk".to_string(), true);
    let mut unknown = UnknownFields::new();
    unknown.insert(Value::Integer(0x09), Value::Text("later".into()));
    Response {
        user: Some(Entity {
            id: Bytes(vec![1, 2, 3]),
            name: Some("alice".into()),
            display_name: None,
        }),
        auth_data: vec![0xaa; 37],
        count: Some(300),
        options: Some(options),
        alg: Some(-257),
        unknown,
    }
}

#[test]
fn direct_encoder_writes_what_the_general_path_writes() {
    let value = sample();
    let direct = writer::encode(&value).expect("the direct encoder takes a derived struct");
    assert_eq!(direct, to_vec_general(&value).unwrap());
    let info: Info = from_slice(&hex(YUBIKEY_5_NFC_INFO)).unwrap();
    assert_eq!(writer::encode(&info).unwrap(), hex(YUBIKEY_5_NFC_INFO));
}

#[test]
fn direct_encoder_sorts_a_map_that_arrives_out_of_order() {
    // serde's BTreeMap<String, _> iterates bytewise, canonical order is shorter first.
    let map: std::collections::BTreeMap<String, u8> = [
        ("bb".to_string(), 1),
        ("a".to_string(), 2),
        ("ccc".to_string(), 3),
    ]
    .into();
    let direct = writer::encode(&map).unwrap();
    assert_eq!(diagnostic(&direct), r#"{"a": 2, "bb": 1, "ccc": 3}"#);
    assert_eq!(direct, to_vec_general(&map).unwrap());
}

#[test]
fn direct_encoder_declines_what_only_the_general_path_reports() {
    assert!(writer::encode(&1.5f64).is_none());
    assert!(writer::encode(&(u128::from(u64::MAX) + 1)).is_none());
    // A tag, via serde_cbor_2's tagged value.
    assert!(writer::encode(&Value::Tag(1, Box::new(Value::Null))).is_none());
    // Two keys that encode alike.
    let dup: Vec<(Value, u8)> = vec![(Value::Integer(1), 0), (Value::Integer(1), 1)];
    struct Pairs(Vec<(Value, u8)>);
    impl serde::Serialize for Pairs {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }
    assert!(writer::encode(&Pairs(dup.clone())).is_none());
    assert_eq!(
        to_vec(&Pairs(dup)).unwrap_err().kind(),
        &EncodeErrorKind::DuplicateKey
    );
}

#[test]
fn direct_decoder_takes_canonical_input() {
    let bytes = to_vec(&sample()).unwrap();
    let direct: Response = reader::decode(&bytes, Decoder::DEFAULT_MAX_DEPTH).unwrap();
    assert_eq!(direct, sample());
    let info = hex(YUBIKEY_5_NFC_INFO);
    let direct: Info = reader::decode(&info, Decoder::DEFAULT_MAX_DEPTH).unwrap();
    assert_eq!(
        direct,
        Decoder::new().decode_general::<Info>(&info).unwrap()
    );
    let (value, used) =
        reader::decode_prefix::<u8>(&[0x18, 0x20, 0xff], Decoder::DEFAULT_MAX_DEPTH).unwrap();
    assert_eq!((value, used), (32, 2));
}

#[test]
fn direct_decoder_declines_every_non_canonical_form() {
    let declined = |bytes: &[u8]| reader::decode::<Value>(bytes, 3).is_none();
    assert!(declined(&[0x18, 0x05]), "non-minimal integer");
    assert!(declined(&[0x5f, 0x41, 0x00, 0xff]), "indefinite bytes");
    assert!(declined(&[0xa2, 0x02, 0x00, 0x01, 0x00]), "unsorted keys");
    assert!(declined(&[0xa2, 0x01, 0x00, 0x01, 0x00]), "duplicate key");
    assert!(declined(&[0xc1, 0x00]), "tag");
    assert!(declined(&[0xf9, 0x3c, 0x00]), "float");
    assert!(declined(&[0xf7]), "undefined");
    assert!(declined(&[0x00, 0x00]), "trailing byte");
    assert!(declined(&[0x62, 0xc3, 0x28]), "invalid UTF-8");
    assert!(
        declined(&[0x81, 0x81, 0x81, 0x81, 0x00]),
        "deeper than the limit"
    );
    assert!(
        declined(&[0x9a, 0xff, 0xff, 0xff, 0xff]),
        "count beyond the input"
    );
    // A byte string where text is asked for (strict_types).
    assert!(reader::decode::<String>(&[0x42, 0x69, 0x64], 3).is_none());
    // An ignored member is still validated.
    let mut bytes = to_vec(&sample()).unwrap();
    bytes.extend_from_slice(&[0x18, 0x05]);
    assert!(reader::decode::<Response>(&bytes, 16).is_none());
}

fn value_strategy() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<u64>().prop_map(|n| Value::Integer(n.into())),
        any::<i64>().prop_map(|n| Value::Integer(n.into())),
        proptest::collection::vec(any::<u8>(), 0..30).prop_map(Value::Bytes),
        "[a-z\u{e9}]{0,20}".prop_map(Value::Text),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        let key = prop_oneof![
            (0u64..12).prop_map(|n| Value::Integer(n.into())),
            any::<i16>().prop_map(|n| Value::Integer(n.into())),
            prop_oneof![
                Just("id"),
                Just("name"),
                Just("displayName"),
                Just("up"),
                Just("rk")
            ]
            .prop_map(|s| Value::Text(s.into())),
            "[a-z]{0,8}".prop_map(Value::Text),
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(key, inner, 0..6).prop_map(Value::Map),
        ]
    })
}

/// Canonical encodings of arbitrary values, sometimes damaged (a byte overwritten, the
/// end cut off).
fn input_strategy() -> impl Strategy<Value = Vec<u8>> {
    (
        value_strategy(),
        any::<bool>(),
        any::<prop::sample::Index>(),
        any::<u8>(),
        any::<bool>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(value, damage, at, byte, cut, cut_at)| {
            let mut bytes = to_vec_general(&value).unwrap();
            if damage {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            if cut {
                bytes.truncate(cut_at.index(bytes.len() + 1));
            }
            bytes
        })
}

/// Whatever the direct decoder accepts, the general path decodes to the same value.
fn agrees<T>(input: &[u8], max_depth: usize) -> Result<(), TestCaseError>
where
    T: for<'de> serde::Deserialize<'de> + PartialEq + std::fmt::Debug,
{
    if let Some(direct) = reader::decode::<T>(input, max_depth) {
        let general = Decoder::new()
            .max_depth(max_depth)
            .decode_general::<T>(input);
        prop_assert_eq!(Some(direct), general.ok(), "input {:02x?}", input);
    }
    Ok(())
}

proptest! {
    #[test]
    fn direct_decoder_never_accepts_what_the_general_path_rejects(input in input_strategy()) {
        agrees::<Value>(&input, 16)?;
        agrees::<Value>(&input, 2)?;
        agrees::<Response>(&input, 16)?;
        agrees::<Entity>(&input, 16)?;
        agrees::<Info>(&input, 16)?;
        agrees::<StrMap<Value>>(&input, 16)?;
    }

    #[test]
    fn direct_encoder_agrees_with_the_general_path(value in value_strategy()) {
        if let Some(direct) = writer::encode(&value) {
            prop_assert_eq!(Ok(direct), to_vec_general(&value));
        }
    }

    #[test]
    fn direct_paths_take_every_canonical_value(value in value_strategy()) {
        let bytes = writer::encode(&value);
        prop_assert!(bytes.is_some(), "declined {:?}", value);
        let bytes = bytes.unwrap();
        prop_assert_eq!(reader::decode::<Value>(&bytes, 16), Some(value));
    }
}
