//! Typed requests encode byte for byte like python-fido2's, and python-fido2's and
//! Yubico.NET.SDK's published messages decode into the generated types.
//!
//! Request vectors marked "python-fido2 2.2.1" were computed by calling
//! `fido2.ctap2.Ctap2` methods (pip `fido2==2.2.1`) against a mock device and recording
//! the bytes passed to `device.call`: command byte, then the CBOR map. Inputs come from
//! python-fido2's tests/test_ctap2.py where it has them (PIN encryptions, MACs,
//! client data hash, the EC key), otherwise are fixed filler bytes.

use fido_types::cbor::{self, StrMap, Value};
use fido_types::generated::*;

/// The command byte (from [`CommandRequest`]) followed by the canonical encoding of the
/// parameters.
fn frame<T: CommandRequest>(params: &T) -> String {
    let mut out = vec![T::COMMAND.0];
    out.extend(cbor::to_vec(params).expect("encodes"));
    hex::encode(out)
}

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).expect("hex")
}

/// The empty map python-fido2's tests pass as a key-agreement key.
fn empty_cose_key() -> fido_types::cose::CoseKey {
    cbor::from_slice(&[0xa0]).unwrap()
}

/// SHA-256 of client data, from python-fido2 tests/test_ctap2.py (attestation tests).
const CLIENT_DATA_HASH: &str = "687134968222ec17202e42505f8ed2b16ae22f16bb05b88c25db9e602645f141";

fn public_key(alg: CoseAlgorithm) -> PublicKeyCredentialParameters {
    PublicKeyCredentialParameters {
        alg,
        credential_type: PublicKeyCredentialType::PUBLIC_KEY,
    }
}

fn descriptor(id: Vec<u8>) -> PublicKeyCredentialDescriptor {
    PublicKeyCredentialDescriptor {
        id,
        credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        transports: None,
    }
}

fn options(pairs: &[(&str, bool)]) -> StrMap<bool> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
fn make_credential_matches_python_fido2() {
    // python-fido2 2.2.1: ctap.make_credential(cdh, {"id": "example.com", "name":
    // "Example RP"}, {"id": b"user_id", "name": "A. User"}, [ES256, EdDSA],
    // exclude_list=[{type, id: 01*16}], options={"rk": True}, pin_uv_param=02*16,
    // pin_uv_protocol=2). rp/user as in python-fido2 tests/test_client.py.
    let request = MakeCredentialRequest {
        client_data_hash: h(CLIENT_DATA_HASH),
        rp: PublicKeyCredentialRpEntity {
            id: "example.com".into(),
            name: Some("Example RP".into()),
        },
        user: PublicKeyCredentialUserEntity {
            id: b"user_id".to_vec(),
            name: Some("A. User".into()),
            display_name: None,
        },
        pub_key_cred_params: vec![
            public_key(CoseAlgorithm::ES256),
            public_key(CoseAlgorithm::EDDSA),
        ],
        exclude_list: Some(vec![descriptor(vec![0x01; 16])]),
        options: Some(options(&[("rk", true)])),
        pin_uv_auth_param: Some(vec![0x02; 16]),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        ..Default::default()
    };
    assert_eq!(
        frame(&request),
        concat!(
            "01a8015820687134968222ec17202e42505f8ed2b16ae22f16bb05b88c25db9e602645f14102a26269646b",
            "6578616d706c652e636f6d646e616d656a4578616d706c6520525003a262696447757365725f6964646e61",
            "6d6567412e20557365720482a263616c672664747970656a7075626c69632d6b6579a263616c6727647479",
            "70656a7075626c69632d6b65790581a2626964500101010101010101010101010101010164747970656a70",
            "75626c69632d6b657907a162726bf50850020202020202020202020202020202020902"
        )
    );
}

#[test]
fn get_assertion_matches_python_fido2() {
    // python-fido2 2.2.1: ctap.get_assertion("example.com", cdh, allow_list=[{type, id:
    // 01*16}], options={"up": True, "uv": False}, pin_uv_param=02*32, pin_uv_protocol=2).
    let request = GetAssertionRequest {
        rp_id: "example.com".into(),
        client_data_hash: h(CLIENT_DATA_HASH),
        allow_list: Some(vec![descriptor(vec![0x01; 16])]),
        extensions: None,
        options: Some(options(&[("up", true), ("uv", false)])),
        pin_uv_auth_param: Some(vec![0x02; 32]),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
    };
    assert_eq!(
        frame(&request),
        concat!(
            "02a6016b6578616d706c652e636f6d025820687134968222ec17202e42505f8ed2b16ae22f16bb05b88c25",
            "db9e602645f1410381a2626964500101010101010101010101010101010164747970656a7075626c69632d",
            "6b657905a2627570f5627576f406582002020202020202020202020202020202020202020202020202020202",
            "020202020702"
        )
    );
}

#[test]
fn get_assertion_matches_yubico_net_sdk() {
    // Yubico/Yubico.NET.SDK Ctap2CborSerializerTests.GetGetAssertionTestData: request
    // parameters and expected CBOR (without the command byte).
    let request = GetAssertionRequest {
        rp_id: "example.com".into(),
        client_data_hash: h(CLIENT_DATA_HASH),
        allow_list: Some(vec![
            descriptor(h(concat!(
                "F22006DE4F905AF68A43942F024F2A5ECE603D9C6D4B3DF8BE08ED01FC442646",
                "D034858AC75BED3FD580BF9808D94FCBEE82B9B2EF6677AF0ADCC35852EA6B9E"
            ))),
            descriptor(vec![0x03; 50]),
        ]),
        options: Some(options(&[("uv", true)])),
        ..Default::default()
    };
    assert_eq!(
        hex::encode_upper(cbor::to_vec(&request).unwrap()),
        concat!(
            "A4016B6578616D706C652E636F6D025820687134968222EC17202E42505F8ED2B16AE22F16BB05B88C25DB9E",
            "602645F1410382A26269645840F22006DE4F905AF68A43942F024F2A5ECE603D9C6D4B3DF8BE08ED01FC4426",
            "46D034858AC75BED3FD580BF9808D94FCBEE82B9B2EF6677AF0ADCC35852EA6B9E64747970656A7075626C69",
            "632D6B6579A26269645832030303030303030303030303030303030303030303030303030303030303030303",
            "030303030303030303030303030303030364747970656A7075626C69632D6B657905A1627576F5"
        )
    );
}

#[test]
fn client_pin_set_pin_matches_python_fido2() {
    // python-fido2 tests/test_ctap2.py TestClientPin.test_set_pin: expected client_pin(1, 3,
    // key_agreement={}, new_pin_enc=..., pin_uv_param=...), encoded by python-fido2 2.2.1.
    let request = ClientPinRequest {
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::ONE),
        sub_command: ClientPinSubCommand::SET_PIN,
        key_agreement: Some(empty_cose_key()),
        pin_uv_auth_param: Some(h("7b40c084ccc5794194189ab57836475f")),
        new_pin_enc: Some(h(concat!(
            "0222fc42c6dd76a274a7057858b9b29d98e8a722ec2dc6668476168c5320473c",
            "ec9907b4cd76ce7943c96ba5683943211d84471e64d9c51e54763488cd66526a"
        ))),
        ..Default::default()
    };
    assert_eq!(
        frame(&request),
        concat!(
            "06a50101020303a004507b40c084ccc5794194189ab57836475f0558400222fc42c6dd76a274a7057858b9",
            "b29d98e8a722ec2dc6668476168c5320473cec9907b4cd76ce7943c96ba5683943211d84471e64d9c51e54",
            "763488cd66526a"
        )
    );
}

#[test]
fn client_pin_change_pin_matches_python_fido2() {
    // python-fido2 tests/test_ctap2.py TestClientPin.test_change_pin.
    let request = ClientPinRequest {
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::ONE),
        sub_command: ClientPinSubCommand::CHANGE_PIN,
        key_agreement: Some(empty_cose_key()),
        pin_uv_auth_param: Some(h("fb97e92f3724d7c85e001d7f93e6490a")),
        new_pin_enc: Some(h(concat!(
            "4280e14aac4fcbf02dd079985f0c0ffc9ea7d5f9c173fd1a4c843826f7590cb3",
            "c2d080c6923e2fe6d7a52c31ea1309d3fcca3dedae8a2ef14b6330cafc79339e"
        ))),
        pin_hash_enc: Some(h("afe8327ce416da8ee3d057589c2ce1a9")),
        ..Default::default()
    };
    assert_eq!(
        frame(&request),
        concat!(
            "06a60101020403a00450fb97e92f3724d7c85e001d7f93e6490a0558404280e14aac4fcbf02dd079985f0c",
            "0ffc9ea7d5f9c173fd1a4c843826f7590cb3c2d080c6923e2fe6d7a52c31ea1309d3fcca3dedae8a2ef14b",
            "6330cafc79339e0650afe8327ce416da8ee3d057589c2ce1a9"
        )
    );
}

#[test]
fn client_pin_get_pin_token_matches_python_fido2() {
    // python-fido2 tests/test_ctap2.py TestClientPin.test_get_pin_token (PIN_HASH_ENC),
    // sent with getPinToken (0x05) as python-fido2 does without pinUvAuthToken support.
    let request = ClientPinRequest {
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::ONE),
        sub_command: ClientPinSubCommand::GET_PIN_TOKEN,
        key_agreement: Some(empty_cose_key()),
        pin_hash_enc: Some(h("afe8327ce416da8ee3d057589c2ce1a9")),
        ..Default::default()
    };
    assert_eq!(
        frame(&request),
        "06a40101020503a00650afe8327ce416da8ee3d057589c2ce1a9"
    );
}

#[test]
fn client_pin_token_with_permissions_matches_python_fido2() {
    // python-fido2 2.2.1: client_pin(2, 9, key_agreement=<EC_PUB_X/EC_PUB_Y of
    // tests/test_ctap2.py as a COSE key>, pin_hash_enc=03*32, permissions=0x03,
    // permissions_rpid="example.com").
    let key: fido_types::cose::CoseKey = cbor::from_slice(&h(concat!(
        "a50102033818200121582044d78d7989b97e62ea993496c9ef6e8fd58b8b00715f9a89153ddd9c4657e47f",
        "225820ec802ee7d22bd4e100f12e48537eb4e7e96ed3a47a0a3bd5f5eeab65001664f9"
    )))
    .unwrap();
    let request = ClientPinRequest {
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        sub_command: ClientPinSubCommand::GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS,
        key_agreement: Some(key),
        pin_hash_enc: Some(vec![0x03; 32]),
        permissions: Some(Permissions::MAKE_CREDENTIAL | Permissions::GET_ASSERTION),
        rp_id: Some("example.com".into()),
        ..Default::default()
    };
    assert_eq!(
        frame(&request),
        concat!(
            "06a60102020903a50102033818200121582044d78d7989b97e62ea993496c9ef6e8fd58b8b00715f9a8915",
            "3ddd9c4657e47f225820ec802ee7d22bd4e100f12e48537eb4e7e96ed3a47a0a3bd5f5eeab65001664f906",
            "5820030303030303030303030303030303030303030303030303030303030303030309030a6b6578616d70",
            "6c652e636f6d"
        )
    );
}

#[test]
fn large_blobs_match_python_fido2() {
    // python-fido2 2.2.1: ctap.large_blobs(0, get=990) and ctap.large_blobs(0, set=80*17,
    // length=17, pin_uv_param=04*32, pin_uv_protocol=2).
    let get = LargeBlobsRequest {
        get: Some(990),
        offset: 0,
        ..Default::default()
    };
    assert_eq!(frame(&get), "0ca2011903de0300");
    let set = LargeBlobsRequest {
        set: Some(vec![0x80; 17]),
        offset: 0,
        length: Some(17),
        pin_uv_auth_param: Some(vec![0x04; 32]),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        ..Default::default()
    };
    assert_eq!(
        frame(&set),
        concat!(
            "0ca5025180808080808080808080808080808080800300041105582004040404040404040404040404040404",
            "040404040404040404040404040404040602"
        )
    );
}

#[test]
fn credential_management_matches_python_fido2() {
    // python-fido2 2.2.1: ctap.credential_mgmt(4, {1: 05*32}, 2, 06*32).
    let request = CredentialManagementRequest {
        sub_command: CredentialManagementSubCommand::ENUMERATE_CREDENTIALS_BEGIN,
        sub_command_params: Some(CredentialManagementParams {
            rp_id_hash: Some(vec![0x05; 32]),
            ..Default::default()
        }),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        pin_uv_auth_param: Some(vec![0x06; 32]),
    };
    assert_eq!(
        frame(&request),
        concat!(
            "0aa4010402a1015820050505050505050505050505050505050505050505050505050505050505050503",
            "020458200606060606060606060606060606060606060606060606060606060606060606"
        )
    );
}

#[test]
fn bio_enrollment_matches_python_fido2() {
    // python-fido2 2.2.1: ctap.bio_enrollment(1, 1, {3: 10000}, 2, 07*32).
    let request = BioEnrollmentRequest {
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
    assert_eq!(
        frame(&request),
        concat!(
            "09a50101020103a10319271004020558200707070707070707070707070707070707070707070707070707",
            "070707070707"
        )
    );
}

#[test]
fn config_matches_python_fido2() {
    // python-fido2 2.2.1: ctap.config(3, {1: 6, 2: ["example.com"], 3: True}, 2, 08*32).
    let request = ConfigRequest {
        sub_command: ConfigSubCommand::SET_MIN_PIN_LENGTH,
        sub_command_params: Some(ConfigParams {
            new_min_pin_length: Some(6),
            min_pin_length_rpids: Some(vec!["example.com".into()]),
            force_change_pin: Some(true),
            pin_complexity_policy: None,
        }),
        pin_uv_auth_protocol: Some(PinUvAuthProtocol::TWO),
        pin_uv_auth_param: Some(vec![0x08; 32]),
    };
    assert_eq!(
        frame(&request),
        concat!(
            "0da4010302a3010602816b6578616d706c652e636f6d03f503020458200808080808080808080808080808",
            "080808080808080808080808080808080808"
        )
    );
}

/// python-fido2 tests/test_ctap2.py `_MC_RESP` (a packed attestation, Yubico test CA).
const MC_RESP: &str = concat!(
    "a301667061636b65640258c40021f5fc0b85cd22e60623bcd7d1ca48948909249b4776eb515154e57b66ae1241000000",
    "1cf8a011f38c0a4d15800617111f9edc7d0040fe3aac036d14c1e1c65518b698dd1da8f596bc33e11072813466c6bf38",
    "45691509b80fb76d59309b8d39e0a93452688f6ca3a39a76f3fc52744fb73948b15783a5010203262001215820643566",
    "c206dd00227005fa5de69320616ca268043a38f08bde2e9dc45a5cafaf225820171353b2932434703726aae579fa6542",
    "432861fe591e481ea22d63997e1a529003a363616c67266373696758483046022100cc1ef43edf07de8f208c21619c78",
    "a565ddcf4150766ad58781193be8e0a742ed022100f1ed7c7243e45b7d8e5bda6b1abf10af7391789d1ef21b70bd69fe",
    "d48dba4cb163783563815901973082019330820138a003020102020900859b726cb24b4c29300a06082a8648ce3d0403",
    "023047310b300906035504061302555331143012060355040a0c0b59756269636f205465737431223020060355040b0c",
    "1941757468656e74696361746f72204174746573746174696f6e301e170d3136313230343131353530305a170d323631",
    "3230323131353530305a3047310b300906035504061302555331143012060355040a0c0b59756269636f205465737431",
    "223020060355040b0c1941757468656e74696361746f72204174746573746174696f6e3059301306072a8648ce3d0201",
    "06082a8648ce3d03010703420004ad11eb0e8852e53ad5dfed86b41e6134a18ec4e1af8f221a3c7d6e636c80ea13c3d5",
    "04ff2e76211bb44525b196c44cb4849979cf6f896ecd2bb860de1bf4376ba30d300b30090603551d1304023000300a06",
    "082a8648ce3d0403020349003046022100e9a39f1b03197525f7373e10ce77e78021731b94d0c03f3fda1fd22db3d030",
    "e7022100c4faec3445a820cf43129cdb00aabefd9ae2d874f9c5d343cb2f113da23723f3",
);

/// python-fido2 tests/test_ctap2.py `_GA_RESP`.
const GA_RESP: &str = concat!(
    "a301a26269645840fe3aac036d14c1e1c65518b698dd1da8f596bc33e11072813466c6bf3845691509b80fb76d59309b",
    "8d39e0a93452688f6ca3a39a76f3fc52744fb73948b1578364747970656a7075626c69632d6b65790258250021f5fc0b",
    "85cd22e60623bcd7d1ca48948909249b4776eb515154e57b66ae12010000001d035846304402206765cbf6e871d3af7f",
    "01ae96f06b13c90f26f54b905c5166a2c791274fc2397102200b143893586cc799fba4da83b119eaea1bd80ac3ce88fc",
    "edb3efbd596a1f4f63",
);

#[test]
fn make_credential_response_decodes() {
    let bytes = h(MC_RESP);
    let response: MakeCredentialResponse = cbor::from_slice(&bytes).expect("decodes");
    // As asserted in python-fido2 TestCtap2.test_make_credential.
    assert_eq!(response.fmt, "packed");
    assert_eq!(response.auth_data.len(), 0xc4);
    assert_eq!(
        hex::encode(&response.auth_data[..32]),
        "0021f5fc0b85cd22e60623bcd7d1ca48948909249b4776eb515154e57b66ae12"
    );
    let keys: Vec<&str> = response.att_stmt.keys().map(String::as_str).collect();
    assert_eq!(keys, ["alg", "sig", "x5c"]);
    assert_eq!(response.att_stmt.get("alg"), Some(&Value::Integer(-7)));
    assert_eq!(response.ep_att, None);
    assert!(response.unknown.is_empty());
    assert_eq!(cbor::to_vec(&response).unwrap(), bytes);
}

#[test]
fn get_assertion_response_decodes() {
    let bytes = h(GA_RESP);
    let response: GetAssertionResponse = cbor::from_slice(&bytes).expect("decodes");
    // As asserted in python-fido2 TestCtap2.test_get_assertion.
    let credential = response.credential.as_ref().expect("credential");
    assert_eq!(
        credential.credential_type,
        PublicKeyCredentialType::PUBLIC_KEY
    );
    assert_eq!(
        hex::encode(&credential.id),
        concat!(
            "fe3aac036d14c1e1c65518b698dd1da8f596bc33e11072813466c6bf3845691509b80fb76d59309b8d39",
            "e0a93452688f6ca3a39a76f3fc52744fb73948b15783"
        )
    );
    assert_eq!(
        hex::encode(&response.auth_data),
        "0021f5fc0b85cd22e60623bcd7d1ca48948909249b4776eb515154e57b66ae12010000001d"
    );
    assert_eq!(response.signature.len(), 0x46);
    assert_eq!(response.user, None);
    assert_eq!(response.number_of_credentials, None);
    assert_eq!(cbor::to_vec(&response).unwrap(), bytes);
}

#[test]
fn client_pin_response_decodes() {
    // python-fido2 tests/test_ctap2.py test_get_pin_token: {2: TOKEN_ENC}.
    let response: ClientPinResponse =
        cbor::from_slice(&h("a102507a9f98e31b77be90f9c64d12e9635040")).unwrap();
    assert_eq!(
        response.pin_uv_auth_token.as_deref(),
        Some(&h("7A9F98E31B77BE90F9C64D12E9635040")[..])
    );
    assert_eq!(response.pin_retries, None);
}
