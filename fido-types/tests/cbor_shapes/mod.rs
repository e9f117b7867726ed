//! makeCredential- and getAssertion-shaped structs (CTAP 2.1 sections 6.1 and 6.2 key
//! numbers, as also used by python-fido2's `fido2/ctap2/base.py` and libfido2), with
//! fixed sample values. Shared by the snapshot tests and the codec bench
//! (`benches/codec.rs` includes this file by path).
#![allow(dead_code)]

use fido_types::cbor::{Bytes, CborMap, StrMap, UnknownFields, Value};

/// `PublicKeyCredentialRpEntity`.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct RpEntity {
    #[cbor(key = "id")]
    pub id: String,
    #[cbor(key = "name")]
    pub name: Option<String>,
}

/// `PublicKeyCredentialUserEntity`.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct UserEntity {
    #[cbor(key = "id")]
    pub id: Bytes,
    #[cbor(key = "name")]
    pub name: Option<String>,
    #[cbor(key = "displayName")]
    pub display_name: Option<String>,
}

/// COSE algorithm identifier: an integer registry, unknown values kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct CoseAlgorithm(pub i32);

impl CoseAlgorithm {
    /// ECDSA w/ SHA-256 (IANA COSE registry).
    pub const ES256: CoseAlgorithm = CoseAlgorithm(-7);
    /// EdDSA (IANA COSE registry).
    pub const EDDSA: CoseAlgorithm = CoseAlgorithm(-8);
}

/// `PublicKeyCredentialParameters`.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct CredentialParameters {
    #[cbor(key = "alg")]
    pub alg: CoseAlgorithm,
    #[cbor(key = "type")]
    pub kind: String,
}

/// `PublicKeyCredentialDescriptor`.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct CredentialDescriptor {
    #[cbor(key = "id")]
    pub id: Bytes,
    #[cbor(key = "type")]
    pub kind: String,
    #[cbor(key = "transports")]
    pub transports: Option<Vec<String>>,
}

/// authenticatorMakeCredential (0x01) parameters.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct MakeCredentialRequest {
    #[cbor(key = 0x01)]
    pub client_data_hash: [u8; 32],
    #[cbor(key = 0x02)]
    pub rp: RpEntity,
    #[cbor(key = 0x03)]
    pub user: UserEntity,
    #[cbor(key = 0x04)]
    pub pub_key_cred_params: Vec<CredentialParameters>,
    #[cbor(key = 0x05)]
    pub exclude_list: Option<Vec<CredentialDescriptor>>,
    #[cbor(key = 0x06)]
    pub extensions: Option<StrMap<Value>>,
    #[cbor(key = 0x07)]
    pub options: Option<StrMap<bool>>,
    #[cbor(key = 0x08)]
    pub pin_uv_auth_param: Option<Vec<u8>>,
    #[cbor(key = 0x09)]
    pub pin_uv_auth_protocol: Option<u32>,
    #[cbor(key = 0x0a)]
    pub enterprise_attestation: Option<u32>,
}

/// authenticatorGetAssertion (0x02) response.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct GetAssertionResponse {
    #[cbor(key = 0x01)]
    pub credential: Option<CredentialDescriptor>,
    #[cbor(key = 0x02)]
    pub auth_data: Vec<u8>,
    #[cbor(key = 0x03)]
    pub signature: Vec<u8>,
    #[cbor(key = 0x04)]
    pub user: Option<UserEntity>,
    #[cbor(key = 0x05)]
    pub number_of_credentials: Option<u32>,
    #[cbor(key = 0x06)]
    pub user_selected: Option<bool>,
    #[cbor(key = 0x07)]
    pub large_blob_key: Option<Vec<u8>>,
    #[cbor(unknown)]
    pub unknown: UnknownFields,
}

/// `0x00, 0x01, ..` of length `n`, offset by `seed`: recognizable sample bytes.
pub fn ramp(seed: u8, n: usize) -> Vec<u8> {
    (0..n).map(|i| seed.wrapping_add(i as u8)).collect()
}

/// A typical resident-key registration with PIN/UV auth and an exclude list.
pub fn make_credential_request() -> MakeCredentialRequest {
    let mut extensions = StrMap::new();
    extensions.insert("credProtect".to_string(), Value::Integer(2));
    extensions.insert("hmac-secret".to_string(), Value::Bool(true));
    let mut options = StrMap::new();
    options.insert("rk".to_string(), true);
    MakeCredentialRequest {
        client_data_hash: ramp(0xa0, 32).try_into().unwrap(),
        rp: RpEntity {
            id: "example.com".into(),
            name: Some("Example".into()),
        },
        user: UserEntity {
            id: Bytes(ramp(0x10, 16)),
            name: Some("alice@example.com".into()),
            display_name: Some("Alice".into()),
        },
        pub_key_cred_params: vec![
            CredentialParameters {
                alg: CoseAlgorithm::ES256,
                kind: "public-key".into(),
            },
            CredentialParameters {
                alg: CoseAlgorithm::EDDSA,
                kind: "public-key".into(),
            },
        ],
        exclude_list: Some(vec![CredentialDescriptor {
            id: Bytes(ramp(0x40, 32)),
            kind: "public-key".into(),
            transports: Some(vec!["usb".into(), "nfc".into()]),
        }]),
        extensions: Some(extensions),
        options: Some(options),
        pin_uv_auth_param: Some(ramp(0xc0, 32)),
        pin_uv_auth_protocol: Some(2),
        enterprise_attestation: None,
    }
}

/// A discoverable-credential assertion, with a key (0x08) newer than this struct.
pub fn get_assertion_response() -> GetAssertionResponse {
    let mut unknown = UnknownFields::new();
    unknown.insert(Value::Integer(0x08), Value::Bytes(ramp(0xe0, 4)));
    GetAssertionResponse {
        credential: Some(CredentialDescriptor {
            id: Bytes(ramp(0x40, 32)),
            kind: "public-key".into(),
            transports: None,
        }),
        // rpIdHash (32) | flags 0x05 (UP, UV) | signCount 7
        auth_data: [ramp(0x70, 32), vec![0x05, 0, 0, 0, 7]].concat(),
        // a DER ECDSA signature is about 70 bytes
        signature: [
            vec![0x30, 0x44, 0x02, 0x20],
            ramp(0x90, 32),
            vec![0x02, 0x20],
            ramp(0xb0, 32),
        ]
        .concat(),
        user: Some(UserEntity {
            id: Bytes(ramp(0x10, 16)),
            name: None,
            display_name: None,
        }),
        number_of_credentials: Some(2),
        user_selected: None,
        large_blob_key: None,
        unknown,
    }
}
