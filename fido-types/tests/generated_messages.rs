//! Every generated CTAP2 message type round-trips, and one insta snapshot per command
//! shows the canonical encoding of its messages as CBOR diagnostic notation and hex.

use std::fmt::Debug;

use fido_types::cbor::{self, Bytes, StrMap, Value};
use fido_types::generated::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Encodes, decodes, re-encodes; asserts the round trip and renders an annotated entry.
/// `members` names the integer keys of the top-level map (`T::MEMBERS`), if any.
fn show<T: Serialize + DeserializeOwned + PartialEq + Debug>(
    title: &str,
    value: &T,
    members: &[(u64, &str)],
) -> String {
    let bytes = cbor::to_vec(value).expect("encodes");
    let back: T = cbor::from_slice(&bytes).expect("decodes strictly");
    assert_eq!(&back, value, "{title}: decode(encode(x)) == x");
    assert_eq!(
        cbor::to_vec(&back).expect("re-encodes"),
        bytes,
        "{title}: stable bytes"
    );
    let hex = hex::encode(&bytes);
    let hex_lines: Vec<&str> = hex
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("ascii"))
        .collect();
    format!(
        "## {title}\n{}\nhex ({} bytes):\n  {}\n",
        annotate(&split_top_level(&cbor::diagnostic(&bytes)), members),
        bytes.len(),
        hex_lines.join("\n  ")
    )
}

/// Appends `/ name /` (an EDN comment) to each top-level `key: value` line.
fn annotate(diag: &str, members: &[(u64, &str)]) -> String {
    let lines: Vec<String> = diag
        .lines()
        .map(|line| {
            let key = line
                .trim_start()
                .split_once(": ")
                .and_then(|(k, _)| k.parse::<u64>().ok());
            match key.and_then(|k| members.iter().find(|(m, _)| *m == k)) {
                Some((_, name)) if line.starts_with("  ") => format!("{line}  / {name} /"),
                _ => line.to_string(),
            }
        })
        .collect();
    lines.join("\n")
}

/// Puts each entry of a top-level map or array on its own line.
fn split_top_level(diag: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    let mut chars = diag.chars().peekable();
    while let Some(c) = chars.next() {
        if in_str {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '{' | '[' => {
                depth += 1;
                out.push(c);
                if depth == 1 && chars.peek().is_some_and(|n| *n != '}' && *n != ']') {
                    out.push_str("\n  ");
                }
            }
            '}' | ']' => {
                if depth == 1 && !out.ends_with(['{', '[']) {
                    out.push('\n');
                }
                depth = depth.saturating_sub(1);
                out.push(c);
            }
            ',' if depth == 1 => {
                out.push_str(",\n ");
            }
            _ => out.push(c),
        }
    }
    out
}

fn options(pairs: &[(&str, bool)]) -> StrMap<bool> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// A P-256 COSE key (python-fido2 tests/test_ctap2.py EC_PUB_X / EC_PUB_Y) as a `Value` map.
fn cose_key() -> fido_types::cose::CoseKey {
    let x =
        hex::decode("44D78D7989B97E62EA993496C9EF6E8FD58B8B00715F9A89153DDD9C4657E47F").unwrap();
    let y =
        hex::decode("EC802EE7D22BD4E100F12E48537EB4E7E96ED3A47A0A3BD5F5EEAB65001664F9").unwrap();
    let map = Value::Map(
        [
            (Value::Integer(1), Value::Integer(2)),
            (Value::Integer(3), Value::Integer(-25)),
            (Value::Integer(-1), Value::Integer(1)),
            (Value::Integer(-2), Value::Bytes(x)),
            (Value::Integer(-3), Value::Bytes(y)),
        ]
        .into_iter()
        .collect(),
    );
    let key = fido_types::cose::CoseKey::from_cbor(&fido_types::cbor::to_vec(&map).unwrap());
    key.unwrap()
}

fn rp() -> PublicKeyCredentialRpEntity {
    PublicKeyCredentialRpEntity {
        id: "example.com".into(),
        name: Some("Example RP".into()),
    }
}

fn user() -> PublicKeyCredentialUserEntity {
    PublicKeyCredentialUserEntity {
        id: b"user_id".to_vec(),
        name: Some("A. User".into()),
        display_name: Some("A. User".into()),
    }
}

fn descriptor(id: u8) -> PublicKeyCredentialDescriptor {
    PublicKeyCredentialDescriptor {
        id: vec![id; 16],
        credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        transports: None,
    }
}

/// SHA-256 of a client data JSON (W3C/python-fido2 examples use this value).
fn client_data_hash() -> Vec<u8> {
    hex::decode("687134968222EC17202E42505F8ED2B16AE22F16BB05B88C25DB9E602645F141").unwrap()
}

#[test]
fn make_credential() {
    let mut extensions = StrMap::new();
    extensions.insert(ExtensionId::CRED_PROTECT.to_string(), Value::Integer(2));
    extensions.insert(ExtensionId::HMAC_SECRET.to_string(), Value::Bool(true));
    let request = MakeCredentialRequest {
        client_data_hash: client_data_hash(),
        rp: rp(),
        user: user(),
        pub_key_cred_params: vec![
            PublicKeyCredentialParameters {
                alg: CoseAlgorithm::ES256,
                credential_type: PublicKeyCredentialType::PUBLIC_KEY,
            },
            PublicKeyCredentialParameters {
                alg: CoseAlgorithm::EDDSA,
                credential_type: PublicKeyCredentialType::PUBLIC_KEY,
            },
        ],
        exclude_list: Some(vec![PublicKeyCredentialDescriptor {
            transports: Some(vec![
                AuthenticatorTransport::USB,
                AuthenticatorTransport::NFC,
            ]),
            ..descriptor(1)
        }]),
        extensions: Some(extensions),
        options: Some(options(&[("rk", true), ("uv", false)])),
        pin_uv_auth_param: Some(vec![0x02; 32]),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        enterprise_attestation: Some(1),
        attestation_formats_preference: Some(vec!["packed".into(), "none".into()]),
    };
    let mut att_stmt = StrMap::new();
    att_stmt.insert("alg".to_string(), Value::Integer(-7));
    att_stmt.insert(
        "sig".to_string(),
        Value::Bytes(vec![0x30, 0x45, 0x02, 0x20]),
    );
    let mut unsigned = StrMap::new();
    unsigned.insert("hmac-secret-mc".to_string(), Value::Bytes(vec![0x09; 32]));
    let response = MakeCredentialResponse {
        fmt: "packed".into(),
        auth_data: vec![0xAD; 37],
        att_stmt,
        ep_att: Some(false),
        large_blob_key: Some(vec![0x0B; 32]),
        unsigned_extension_outputs: Some(unsigned),
        unknown: Default::default(),
    };
    let minimal = MakeCredentialRequest {
        client_data_hash: client_data_hash(),
        rp: PublicKeyCredentialRpEntity {
            id: "example.com".into(),
            name: None,
        },
        user: PublicKeyCredentialUserEntity {
            id: vec![1],
            ..Default::default()
        },
        pub_key_cred_params: vec![PublicKeyCredentialParameters {
            alg: CoseAlgorithm::ES256,
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        }],
        ..Default::default()
    };
    let text = [
        show(
            "MakeCredentialRequest, every member",
            &request,
            MakeCredentialRequest::MEMBERS,
        ),
        show(
            "MakeCredentialRequest, required members only",
            &minimal,
            MakeCredentialRequest::MEMBERS,
        ),
        show(
            "MakeCredentialResponse, every member",
            &response,
            MakeCredentialResponse::MEMBERS,
        ),
    ]
    .join(
        "
",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn get_assertion() {
    let mut ext = StrMap::new();
    let hmac = HmacSecretInput {
        key_agreement: cose_key(),
        salt_enc: vec![0x5A; 32],
        salt_auth: vec![0x5B; 16],
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::ONE),
    };
    let hmac_value: Value = cbor::from_slice(&cbor::to_vec(&hmac).unwrap()).unwrap();
    ext.insert(ExtensionId::HMAC_SECRET.to_string(), hmac_value);
    let request = GetAssertionRequest {
        rp_id: "example.com".into(),
        client_data_hash: client_data_hash(),
        allow_list: Some(vec![descriptor(1), descriptor(2)]),
        extensions: Some(ext),
        options: Some(options(&[("up", true), ("uv", false)])),
        pin_uv_auth_param: Some(vec![0x02; 32]),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
    };
    let response = GetAssertionResponse {
        credential: Some(descriptor(1)),
        auth_data: vec![0xAD; 37],
        signature: vec![0x30, 0x44, 0x02, 0x20],
        user: Some(PublicKeyCredentialUserEntity {
            id: b"user_id".to_vec(),
            ..Default::default()
        }),
        number_of_credentials: Some(2),
        user_selected: Some(true),
        large_blob_key: Some(vec![0x0B; 32]),
        unsigned_extension_outputs: None,
        unknown: Default::default(),
    };
    let text = [
        show(
            "GetAssertionRequest, every member",
            &request,
            GetAssertionRequest::MEMBERS,
        ),
        show(
            "GetAssertionResponse (also authenticatorGetNextAssertion 0x08)",
            &response,
            GetAssertionResponse::MEMBERS,
        ),
        show(
            "HmacSecretInput (hmac-secret getAssertion input)",
            &hmac,
            HmacSecretInput::MEMBERS,
        ),
    ]
    .join(
        "
",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn client_pin() {
    let get_retries = ClientPinRequest {
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        sub_command: ClientPinSubCommand::GET_PIN_RETRIES,
        ..Default::default()
    };
    let get_token = ClientPinRequest {
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        sub_command: ClientPinSubCommand::GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS,
        key_agreement: Some(cose_key()),
        pin_hash_enc: Some(vec![0x03; 32]),
        permissions: Some(Permissions::MAKE_CREDENTIAL | Permissions::GET_ASSERTION),
        rp_id: Some("example.com".into()),
        ..Default::default()
    };
    let change_pin = ClientPinRequest {
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::ONE),
        sub_command: ClientPinSubCommand::CHANGE_PIN,
        key_agreement: Some(cose_key()),
        pin_uv_auth_param: Some(vec![0x04; 16]),
        new_pin_enc: Some(vec![0x05; 64]),
        pin_hash_enc: Some(vec![0x06; 16]),
        ..Default::default()
    };
    let retries = ClientPinResponse {
        pin_retries: Some(8),
        power_cycle_state: Some(false),
        ..Default::default()
    };
    let key_agreement = ClientPinResponse {
        key_agreement: Some(cose_key()),
        ..Default::default()
    };
    let token = ClientPinResponse {
        pin_uv_auth_token: Some(vec![0x07; 48]),
        ..Default::default()
    };
    let uv_retries = ClientPinResponse {
        uv_retries: Some(3),
        ..Default::default()
    };
    let text = [
        show(
            "ClientPinRequest getPINRetries",
            &get_retries,
            ClientPinRequest::MEMBERS,
        ),
        show(
            "ClientPinRequest getPinUvAuthTokenUsingPinWithPermissions (mc|ga)",
            &get_token,
            ClientPinRequest::MEMBERS,
        ),
        show(
            "ClientPinRequest changePIN (protocol one)",
            &change_pin,
            ClientPinRequest::MEMBERS,
        ),
        show(
            "ClientPinResponse getPINRetries",
            &retries,
            ClientPinResponse::MEMBERS,
        ),
        show(
            "ClientPinResponse getKeyAgreement",
            &key_agreement,
            ClientPinResponse::MEMBERS,
        ),
        show(
            "ClientPinResponse pinUvAuthToken",
            &token,
            ClientPinResponse::MEMBERS,
        ),
        show(
            "ClientPinResponse getUVRetries",
            &uv_retries,
            ClientPinResponse::MEMBERS,
        ),
    ]
    .join(
        "
",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn credential_management() {
    let metadata = CredentialManagementRequest {
        sub_command: CredentialManagementSubCommand::GET_CREDS_METADATA,
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        pin_uv_auth_param: Some(vec![0x01; 32]),
        ..Default::default()
    };
    let enumerate = CredentialManagementRequest {
        sub_command: CredentialManagementSubCommand::ENUMERATE_CREDENTIALS_BEGIN,
        sub_command_params: Some(CredentialManagementParams {
            rp_id_hash: Some(vec![0xA3; 32]),
            ..Default::default()
        }),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        pin_uv_auth_param: Some(vec![0x01; 32]),
    };
    let next = CredentialManagementRequest {
        sub_command: CredentialManagementSubCommand::ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL,
        ..Default::default()
    };
    let update = CredentialManagementRequest {
        sub_command: CredentialManagementSubCommand::UPDATE_USER_INFORMATION,
        sub_command_params: Some(CredentialManagementParams {
            credential_id: Some(descriptor(9)),
            user: Some(user()),
            ..Default::default()
        }),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        pin_uv_auth_param: Some(vec![0x01; 32]),
    };
    let meta_resp = CredentialManagementResponse {
        existing_resident_credentials_count: Some(3),
        max_possible_remaining_resident_credentials_count: Some(22),
        ..Default::default()
    };
    let rp_resp = CredentialManagementResponse {
        rp: Some(rp()),
        rp_id_hash: Some(vec![0xA3; 32]),
        total_rps: Some(1),
        ..Default::default()
    };
    let cred_resp = CredentialManagementResponse {
        user: Some(user()),
        credential_id: Some(descriptor(9)),
        public_key: Some(cose_key()),
        total_credentials: Some(1),
        cred_protect: Some(CredProtectPolicy::USER_VERIFICATION_OPTIONAL_WITH_CREDENTIAL_ID_LIST),
        large_blob_key: Some(vec![0x0B; 32]),
        third_party_payment: Some(false),
        ..Default::default()
    };
    let text = [
        show(
            "CredentialManagementRequest getCredsMetadata",
            &metadata,
            CredentialManagementRequest::MEMBERS,
        ),
        show(
            "CredentialManagementRequest enumerateCredentialsBegin",
            &enumerate,
            CredentialManagementRequest::MEMBERS,
        ),
        show(
            "CredentialManagementRequest enumerateCredentialsGetNextCredential",
            &next,
            CredentialManagementRequest::MEMBERS,
        ),
        show(
            "CredentialManagementRequest updateUserInformation",
            &update,
            CredentialManagementRequest::MEMBERS,
        ),
        show(
            "CredentialManagementResponse getCredsMetadata",
            &meta_resp,
            CredentialManagementResponse::MEMBERS,
        ),
        show(
            "CredentialManagementResponse enumerateRPsBegin",
            &rp_resp,
            CredentialManagementResponse::MEMBERS,
        ),
        show(
            "CredentialManagementResponse enumerateCredentialsBegin",
            &cred_resp,
            CredentialManagementResponse::MEMBERS,
        ),
    ]
    .join(
        "
",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn bio_enrollment() {
    let get_modality = BioEnrollmentRequest {
        get_modality: Some(true),
        ..Default::default()
    };
    let begin = BioEnrollmentRequest {
        modality: Some(BioModality::FINGERPRINT),
        sub_command: Some(BioEnrollmentSubCommand::ENROLL_BEGIN),
        sub_command_params: Some(BioEnrollmentParams {
            timeout_milliseconds: Some(10_000),
            ..Default::default()
        }),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        pin_uv_auth_param: Some(vec![0x07; 32]),
        get_modality: None,
    };
    let rename = BioEnrollmentRequest {
        modality: Some(BioModality::FINGERPRINT),
        sub_command: Some(BioEnrollmentSubCommand::SET_FRIENDLY_NAME),
        sub_command_params: Some(BioEnrollmentParams {
            template_id: Some(vec![0x01, 0x02]),
            template_friendly_name: Some("right thumb".into()),
            ..Default::default()
        }),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        pin_uv_auth_param: Some(vec![0x07; 32]),
        get_modality: None,
    };
    let sensor = BioEnrollmentResponse {
        modality: Some(BioModality::FINGERPRINT),
        fingerprint_kind: Some(FingerprintKind::TOUCH),
        max_capture_samples_required_for_enroll: Some(5),
        max_template_friendly_name: Some(64),
        ..Default::default()
    };
    let sample = BioEnrollmentResponse {
        template_id: Some(vec![0x01, 0x02]),
        last_enroll_sample_status: Some(LastEnrollSampleStatus::TOO_FAST),
        remaining_samples: Some(4),
        ..Default::default()
    };
    let list = BioEnrollmentResponse {
        template_infos: Some(vec![
            TemplateInfo {
                template_id: vec![0x01, 0x02],
                template_friendly_name: Some("right thumb".into()),
            },
            TemplateInfo {
                template_id: vec![0x03],
                template_friendly_name: None,
            },
        ]),
        ..Default::default()
    };
    let text = [
        show(
            "BioEnrollmentRequest getModality",
            &get_modality,
            BioEnrollmentRequest::MEMBERS,
        ),
        show(
            "BioEnrollmentRequest enrollBegin",
            &begin,
            BioEnrollmentRequest::MEMBERS,
        ),
        show(
            "BioEnrollmentRequest setFriendlyName",
            &rename,
            BioEnrollmentRequest::MEMBERS,
        ),
        show(
            "BioEnrollmentResponse getFingerprintSensorInfo",
            &sensor,
            BioEnrollmentResponse::MEMBERS,
        ),
        show(
            "BioEnrollmentResponse enrollCaptureNextSample",
            &sample,
            BioEnrollmentResponse::MEMBERS,
        ),
        show(
            "BioEnrollmentResponse enumerateEnrollments",
            &list,
            BioEnrollmentResponse::MEMBERS,
        ),
    ]
    .join(
        "
",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn config() {
    let enable_ep = ConfigRequest {
        sub_command: ConfigSubCommand::ENABLE_ENTERPRISE_ATTESTATION,
        sub_command_params: None,
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        pin_uv_auth_param: Some(vec![0x08; 32]),
    };
    let min_pin = ConfigRequest {
        sub_command: ConfigSubCommand::SET_MIN_PIN_LENGTH,
        sub_command_params: Some(ConfigParams {
            new_min_pin_length: Some(6),
            min_pin_length_rpids: Some(vec!["example.com".into()]),
            force_change_pin: Some(true),
            pin_complexity_policy: Some(true),
        }),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        pin_uv_auth_param: Some(vec![0x08; 32]),
    };
    let vendor = ConfigRequest {
        sub_command: ConfigSubCommand::VENDOR_PROTOTYPE,
        sub_command_params: Some(ConfigParams {
            new_min_pin_length: Some(0x1234_5678),
            ..Default::default()
        }),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        pin_uv_auth_param: Some(vec![0x08; 32]),
    };
    let text = [
        show(
            "ConfigRequest enableEnterpriseAttestation",
            &enable_ep,
            ConfigRequest::MEMBERS,
        ),
        show(
            "ConfigRequest setMinPINLength",
            &min_pin,
            ConfigRequest::MEMBERS,
        ),
        show(
            "ConfigRequest vendorPrototype (vendorCommandId at key 0x01)",
            &vendor,
            ConfigRequest::MEMBERS,
        ),
    ]
    .join(
        "
",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn large_blobs() {
    let get = LargeBlobsRequest {
        get: Some(990),
        offset: 0,
        ..Default::default()
    };
    let set = LargeBlobsRequest {
        set: Some(vec![0x80; 17]),
        offset: 0,
        length: Some(17),
        pin_uv_auth_param: Some(vec![0x04; 32]),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        ..Default::default()
    };
    // The initial (empty) serialized large-blob array: 0x80 || LEFT(SHA-256(0x80), 16)
    // (CTAP 2.1 6.10.2; python-fido2 fido2/ctap2/blob.py starts from the same bytes).
    let response = LargeBlobsResponse {
        config: Some(hex::decode("8076be8b528d0075f7aae98d6fa57a6d3c").unwrap()),
        unknown: Default::default(),
    };
    let entry = LargeBlobMap {
        ciphertext: vec![0xC1; 20],
        nonce: [0x0E; 12],
        orig_size: 4,
    };
    let array: Vec<LargeBlobMap> = vec![entry.clone()];
    let text = [
        show("LargeBlobsRequest get", &get, LargeBlobsRequest::MEMBERS),
        show(
            "LargeBlobsRequest set (first fragment)",
            &set,
            LargeBlobsRequest::MEMBERS,
        ),
        show("LargeBlobsResponse", &response, LargeBlobsResponse::MEMBERS),
        show(
            "LargeBlobMap (one entry of the large-blob array)",
            &entry,
            LargeBlobMap::MEMBERS,
        ),
        show("large-blob array of one LargeBlobMap", &array, &[]),
    ]
    .join(
        "
",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn get_info() {
    let mut certifications = StrMap::new();
    certifications.insert("FIDO".to_string(), Value::Integer(2));
    let info = Info {
        versions: vec![
            CtapVersion::FIDO_2_0,
            CtapVersion::FIDO_2_1,
            CtapVersion::FIDO_2_2,
        ],
        extensions: Some(vec!["credProtect".into(), "hmac-secret".into()]),
        aaguid: [0xAA; 16],
        options: Some(options(&[("rk", true), ("up", true), ("clientPin", false)])),
        max_msg_size: Some(1200),
        pin_uv_auth_protocols: Some(vec![PinUvAuthProtocol::TWO, PinUvAuthProtocol::ONE]),
        max_credential_count_in_list: Some(8),
        max_credential_id_length: Some(128),
        transports: Some(vec![AuthenticatorTransport::USB]),
        algorithms: Some(vec![PublicKeyCredentialParameters {
            alg: CoseAlgorithm::ES256,
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        }]),
        max_serialized_large_blob_array: Some(1024),
        force_pin_change: Some(false),
        min_pin_length: Some(4),
        firmware_version: Some(0x0005_0700),
        max_cred_blob_length: Some(32),
        max_rpids_for_set_min_pin_length: Some(1),
        preferred_platform_uv_attempts: Some(3),
        uv_modality: Some(2),
        certifications: Some(certifications),
        remaining_discoverable_credentials: Some(25),
        vendor_prototype_config_commands: Some(vec![0x1234]),
        attestation_formats: Some(vec![AttestationFormat::PACKED, AttestationFormat::NONE]),
        uv_count_since_last_pin_entry: Some(0),
        long_touch_for_reset: Some(false),
        enc_identifier: Some(vec![0x1D; 32]),
        transports_for_reset: Some(vec![AuthenticatorTransport::USB]),
        pin_complexity_policy: Some(false),
        pin_complexity_policy_url: Some(b"https://example.com/pin".to_vec()),
        max_pin_length: Some(63),
        enc_cred_store_state: Some(vec![0x1E; 32]),
        authenticator_config_commands: Some(vec![
            ConfigSubCommand::ENABLE_ENTERPRISE_ATTESTATION,
            ConfigSubCommand::SET_MIN_PIN_LENGTH,
        ]),
        unknown: Default::default(),
    };
    let minimal = Info::new(vec![CtapVersion::FIDO_2_0], [0; 16]);
    let text = [
        show("Info, every member 0x01-0x1F", &info, Info::MEMBERS),
        show("Info, required members only", &minimal, Info::MEMBERS),
    ]
    .join(
        "
",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn commands_without_parameters() {
    // authenticatorGetInfo, authenticatorReset, authenticatorGetNextAssertion and
    // authenticatorSelection are the command byte alone.
    let no_params: Vec<String> = [
        CommandCode::GET_INFO,
        CommandCode::RESET,
        CommandCode::GET_NEXT_ASSERTION,
        CommandCode::SELECTION,
    ]
    .iter()
    .map(|c| format!("{:?} = {:02x} ({})", c, c.0, c.spec_name().unwrap()))
    .collect();
    let text = no_params.join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn byte_strings_inside_arrays_use_bytes() {
    // Vec<Bytes> is an array of byte strings, not of integers.
    let v = vec![Bytes(vec![1, 2]), Bytes(vec![])];
    assert_eq!(cbor::to_vec(&v).unwrap(), [0x82, 0x42, 0x01, 0x02, 0x40]);
}
