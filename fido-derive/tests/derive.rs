//! The derive used from another crate (as `fido-ctap` and the tests will): the generated
//! code must only name `::serde` and `::fido_types`.

use fido_types::cbor::{self, Bytes, CborMap, DecodeErrorKind, UnknownFields, Value};

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
    fmt: String,
    #[cbor(key = 0x02)]
    auth_data: Vec<u8>,
    #[cbor(key = 0x04, bytes)]
    large_blob_key: Option<Box<[u8]>>,
    #[cbor(key = 0x05)]
    user: Option<User>,
    #[cbor(unknown)]
    unknown: UnknownFields,
}

#[test]
fn round_trip_from_another_crate() {
    let mut unknown = UnknownFields::new();
    unknown.insert(Value::Integer(3), Value::Map(Default::default()));
    let response = Response {
        fmt: "none".into(),
        auth_data: vec![0xde, 0xad],
        large_blob_key: Some(vec![1; 3].into_boxed_slice()),
        user: Some(User {
            id: Bytes(vec![7]),
            name: None,
            display_name: Some("A".into()),
        }),
        unknown,
    };
    let bytes = cbor::to_vec(&response).unwrap();
    assert_eq!(
        cbor::diagnostic(&bytes),
        r#"{1: "none", 2: h'dead', 3: {}, 4: h'010101', 5: {"id": h'07', "displayName": "A"}}"#
    );
    assert_eq!(cbor::from_slice::<Response>(&bytes).unwrap(), response);
}

#[test]
fn missing_key_error_from_another_crate() {
    // {1: "none"}
    let err =
        cbor::from_slice::<Response>(&[0xa1, 0x01, 0x64, b'n', b'o', b'n', b'e']).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::MissingField);
    assert_eq!(err.path_string(), "Response.auth_data (key 0x02)");
}
