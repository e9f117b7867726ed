//! Real authenticators' getInfo responses (Security Key by Yubico, YubiKey 5 NFC, YubiKey
//! Bio, Nitrokey 3 xN) decode to the expected `Info`, keep unknown
//! members, and re-encode to the same bytes.

use fido_types::cbor::{self, Value};
use fido_types::generated::{
    AttestationFormat, AuthenticatorTransport, CommandCode, ConfigSubCommand, CoseAlgorithm,
    CtapVersion, Info, InfoOption, PinUvAuthProtocol,
};

fn decode(hex_text: &str) -> (Vec<u8>, Info) {
    let bytes = hex::decode(hex_text).expect("hex");
    let info: Info = cbor::from_slice(&bytes).expect("decodes strictly");
    assert_eq!(
        cbor::to_vec(&info).expect("encodes"),
        bytes,
        "round trip to the same bytes"
    );
    (bytes, info)
}

fn strings<T: AsRef<str>>(v: &[T]) -> Vec<&str> {
    v.iter().map(AsRef::as_ref).collect()
}

fn algs(info: &Info) -> Vec<CoseAlgorithm> {
    info.algorithms().iter().map(|a| a.alg).collect()
}

/// "Security Key by Yubico" (AAGUID f8a011f3-8c0a-4d15-8006-17111f9edc7d), CTAP 2.0.
/// Source: python-fido2 tests/test_ctap2.py `_INFO` (also tests/test_client.py `_INFO_NO_PIN`).
const SECURITY_KEY_BY_YUBICO: &str = "a60182665532465f5632684649444f5f325f3002826375766d6b686d61632d7365637265740350f8a011f38c0a4d15800617111f9edc7d04a462726bf5627570f564706c6174f469636c69656e7450696ef4051904b0068101";

/// The same capture with an extra, unknown member 0x63: 1234.
/// Source: python-fido2 tests/test_ctap2.py `_INFO_EXTRA_KEY`.
const SECURITY_KEY_BY_YUBICO_EXTRA_KEY: &str = "A70182665532465F5632684649444F5F325F3002826375766D6B686D61632D7365637265740350F8A011F38C0A4D15800617111F9EDC7D04A462726BF5627570F564706C6174F469636C69656E7450696EF4051904B006810118631904D2";

/// YubiKey 5 series with NFC, firmware 5.2 (AAGUID 2fc0579f-8113-47ea-b116-bb5a8db9202a),
/// FIDO_2_1_PRE. Source: Yubico/Yubico.NET.SDK
/// Yubico.YubiKey/tests/unit/Yubico/YubiKey/Fido2/Serialization/Ctap2CborSerializerTests.cs
/// (`Deserialize_GivenProvidedOptionalFields_ParsesCorrectly`; "gathered from production
/// YubiKey devices").
const YUBIKEY_5_NFC: &str = "AA0183665532465F5632684649444F5F325F306C4649444F5F325F315F50524502826B6372656450726F746563746B686D61632D73656372657403502FC0579F811347EAB116BB5A8DB9202A04A562726BF5627570F564706C6174F469636C69656E7450696EF47563726564656E7469616C4D676D7450726576696577F5051904B006810107080818800982636E6663637573620A82A263616C672664747970656A7075626C69632D6B6579A263616C672764747970656A7075626C69632D6B6579";

/// YubiKey Bio series (AAGUID d8522d9f-575b-4866-88a9-ba99fa02f35b), FIDO_2_1, firmware
/// 5.5.6. Source: gebogebogebo/ctap-hid-fido2 src/fidokey/get_info/get_info_response.rs
/// (`test_get_info_response_parse_cbor_yubikey_bio`).
const YUBIKEY_BIO: &str = "B30184665532465F5632684649444F5F325F306C4649444F5F325F315F505245684649444F5F325F3102856B6372656450726F746563746B686D61632D7365637265746C6C61726765426C6F624B65796863726564426C6F626C6D696E50696E4C656E6774680350D8522D9F575B486688A9BA99FA02F35B04B062726BF5627570F5627576F564706C6174F4677576546F6B656EF568616C776179735576F568637265644D676D74F569617574686E72436667F56962696F456E726F6C6CF569636C69656E7450696EF56A6C61726765426C6F6273F56E70696E557641757468546F6B656EF56F7365744D696E50494E4C656E677468F5706D616B654372656455764E6F74527164F47563726564656E7469616C4D676D7450726576696577F5781B75736572566572696669636174696F6E4D676D7450726576696577F5051904B00682020107080818800981637573620A82A263616C672664747970656A7075626C69632D6B6579A263616C672764747970656A7075626C69632D6B65790B1904000CF40D040E1A000505060F18201001110312021415";

/// Nitrokey 3 xN (lpc55) (AAGUID ec99db19-cd1f-4c06-a2a9-940f17a6a30b, per Nitrokey's
/// published AAGUID table), FIDO_2_1 with attestationFormats (CTAP 2.2 member 0x16).
/// Source: gebogebogebo/ctap-hid-fido2 src/fidokey/get_info/get_info_response.rs
/// (`test_get_info_response_parse_cbor_2`).
const NITROKEY_3_XN: &str = "AA0183665532465F5632684649444F5F325F30684649444F5F325F3102836B6372656450726F746563746B686D61632D73656372657471746869726450617274795061796D656E740350EC99DB19CD1F4C06A2A9940F17A6A30B04A862726BF5627570F564706C6174F468637265644D676D74F569636C69656E7450696EF56A6C61726765426C6F6273F46E70696E557641757468546F6B656EF5706D616B654372656455764E6F74527164F505190C0006820201070A0818FF0982636E6663637573621682667061636B6564646E6F6E65";

/// A CTAP 2.3 getInfo with every member 0x01-0x1F but 0x15, 0x17 (not a real device:
/// a fuzzing seed). Source: Yubico/libfido2 fuzz/wiredata_fido2.h
/// `WIREDATA_CTAP_CBOR_INFO` (commit "fuzz: update WIREDATA_CTAP_CBOR_INFO for CTAP 2.3"),
/// with the CTAPHID framing and the status byte removed.
const LIBFIDO2_CTAP_2_3: &str = "b81a0185665532465f5632684649444f5f325f306c4649444f5f325f315f505245684649444f5f325f31684649444f5f325f3302886b6372656450726f746563746b686d61632d7365637265746c6c61726765426c6f624b65796863726564426c6f626c6d696e50696e4c656e6774686e686d61632d7365637265742d6d6371746869726450617274795061796d656e746b707265766965775369676e0350f8a011f38c0a4d15800617111f9edc7d04ae626570f462726bf5627570f564706c6174f468616c776179735576f468637265644d676d74f569617574686e72436667f569636c69656e7450696ef46a6c61726765426c6f6273f56d706572437265644d676d74524ff56e70696e557641757468546f6b656ef56f7365744d696e50494e4c656e677468f5706d616b654372656455764e6f74527164f57563726564656e7469616c4d676d7450726576696577f5051906000682020107080818800983636e6663637573626a736d6172742d636172640a83a263616c672664747970656a7075626c69632d6b6579a263616c672764747970656a7075626c69632d6b6579a263616c67382264747970656a7075626c69632d6b65790b1910000cf40d040e010f182010011418641681667061636b65641818f51819582091817b7c2ebdf9a7be753a93d0a169ee2916c3daa6abf46898c4928e114efb0f181a82637573626a736d6172742d63617264181bf5181c5368747470733a2f2f6578616d706c652e636f6d181d183f181e582064b09968afdb3b09b5eb292ee502f2059f75704e9e966b9492ca64c2940bb52b181f83010203";

#[test]
fn security_key_by_yubico() {
    let (_, info) = decode(SECURITY_KEY_BY_YUBICO);
    // Expected values as asserted in python-fido2 tests/test_ctap2.py TestInfo.test_parse_bytes.
    assert_eq!(
        info.versions,
        [CtapVersion::from("U2F_V2"), CtapVersion::FIDO_2_0]
    );
    assert_eq!(info.extensions(), ["uvm", "hmac-secret"]);
    assert_eq!(hex::encode(info.aaguid), "f8a011f38c0a4d15800617111f9edc7d");
    let options: Vec<(&str, bool)> = info
        .options
        .as_ref()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        options,
        [
            ("rk", true),
            ("up", true),
            ("plat", false),
            ("clientPin", false)
        ]
    );
    assert_eq!(info.max_msg_size(), 1200);
    assert_eq!(info.pin_uv_auth_protocols(), [PinUvAuthProtocol::ONE]);
    // Everything else is absent, so python-fido2's defaults apply.
    assert_eq!(info.min_pin_length(), 4);
    assert_eq!(info.max_pin_length(), 63);
    assert_eq!(info.attestation_formats(), [AttestationFormat::PACKED]);
    assert!(info.transports().is_empty());
    assert!(info.unknown.is_empty());
    assert!(info.has_option(InfoOption::CLIENT_PIN));
    assert!(!info.supports_option(InfoOption::CLIENT_PIN));
    assert_eq!(info.credential_management_command(), None);
}

#[test]
fn unknown_members_are_kept_and_written_back() {
    let (_, info) = decode(SECURITY_KEY_BY_YUBICO_EXTRA_KEY);
    // python-fido2 TestInfo.test_info_with_extra_field: the known members still decode.
    assert_eq!(
        info.versions,
        [CtapVersion::from("U2F_V2"), CtapVersion::FIDO_2_0]
    );
    assert_eq!(info.max_msg_size, Some(1200));
    assert_eq!(info.unknown.len(), 1);
    assert_eq!(
        info.unknown.get(&Value::Integer(0x63)),
        Some(&Value::Integer(1234))
    );
    // Without the unknown member it is exactly the first capture.
    let mut known_only = info.clone();
    known_only.unknown = Default::default();
    assert_eq!(
        hex::encode(cbor::to_vec(&known_only).unwrap()),
        SECURITY_KEY_BY_YUBICO
    );
}

#[test]
fn yubikey_5_nfc() {
    let (_, info) = decode(YUBIKEY_5_NFC);
    // Expected values as in Yubico.NET.SDK Ctap2CborSerializerTests (versions, rk, plat)
    // plus the remaining members of the capture.
    assert_eq!(
        strings(&info.versions),
        ["U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE"]
    );
    assert_eq!(info.extensions(), ["credProtect", "hmac-secret"]);
    assert_eq!(hex::encode(info.aaguid), "2fc0579f811347eab116bb5a8db9202a");
    assert_eq!(info.option("rk"), Some(true));
    assert_eq!(info.option("plat"), Some(false));
    assert_eq!(info.option("clientPin"), Some(false));
    assert_eq!(info.option("credentialMgmtPreview"), Some(true));
    assert_eq!(info.max_msg_size(), 1200);
    assert_eq!(info.pin_uv_auth_protocols(), [PinUvAuthProtocol::ONE]);
    assert_eq!(info.max_credential_count_in_list(), 8);
    assert_eq!(info.max_credential_id_length(), 128);
    assert_eq!(
        info.transports(),
        [AuthenticatorTransport::NFC, AuthenticatorTransport::USB]
    );
    assert_eq!(algs(&info), [CoseAlgorithm::ES256, CoseAlgorithm::EDDSA]);
    assert!(info.unknown.is_empty());
    // A FIDO_2_1_PRE key: credential management only through the prototype command byte.
    assert_eq!(
        info.credential_management_command(),
        Some(CommandCode::CREDENTIAL_MANAGEMENT_PREVIEW)
    );
    assert!(!info.supports_pin_uv_auth_token());
}

#[test]
fn yubikey_bio() {
    let (_, info) = decode(YUBIKEY_BIO);
    // Expected values as asserted in ctap-hid-fido2 test_get_info_response_parse_cbor_yubikey_bio.
    assert_eq!(
        strings(&info.versions),
        ["U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE", "FIDO_2_1"]
    );
    assert_eq!(
        info.extensions(),
        [
            "credProtect",
            "hmac-secret",
            "largeBlobKey",
            "credBlob",
            "minPinLength"
        ]
    );
    assert_eq!(hex::encode(info.aaguid), "d8522d9f575b486688a9ba99fa02f35b");
    let options = info.options.as_ref().unwrap();
    assert_eq!(options.len(), 16);
    for name in [
        "rk",
        "up",
        "uv",
        "uvToken",
        "alwaysUv",
        "credMgmt",
        "authnrCfg",
        "bioEnroll",
        "clientPin",
        "largeBlobs",
        "pinUvAuthToken",
        "setMinPINLength",
        "credentialMgmtPreview",
        "userVerificationMgmtPreview",
    ] {
        assert_eq!(info.option(name), Some(true), "{name}");
    }
    assert_eq!(info.option("plat"), Some(false));
    assert_eq!(info.option("makeCredUvNotRqd"), Some(false));
    assert_eq!(info.max_msg_size(), 1200);
    assert_eq!(
        info.pin_uv_auth_protocols(),
        [PinUvAuthProtocol::TWO, PinUvAuthProtocol::ONE]
    );
    assert_eq!(info.max_credential_count_in_list(), 8);
    assert_eq!(info.max_credential_id_length(), 128);
    assert_eq!(info.transports(), [AuthenticatorTransport::USB]);
    assert_eq!(algs(&info), [CoseAlgorithm::ES256, CoseAlgorithm::EDDSA]);
    assert_eq!(info.max_serialized_large_blob_array(), 1024);
    assert!(!info.force_pin_change());
    assert_eq!(info.min_pin_length(), 4);
    assert_eq!(info.firmware_version(), 328_966);
    assert_eq!(info.max_cred_blob_length(), 32);
    assert_eq!(info.max_rpids_for_set_min_pin_length(), 1);
    assert_eq!(info.preferred_platform_uv_attempts(), 3);
    assert_eq!(info.uv_modality(), 2);
    assert_eq!(info.remaining_discoverable_credentials, Some(21));
    assert_eq!(info.attestation_formats(), [AttestationFormat::PACKED]);
    assert!(info.unknown.is_empty());
    assert_eq!(
        info.credential_management_command(),
        Some(CommandCode::CREDENTIAL_MANAGEMENT)
    );
    assert_eq!(
        info.bio_enrollment_command(),
        Some(CommandCode::BIO_ENROLLMENT)
    );
    assert!(info.supports_pin_uv_auth_token());
    assert_eq!(
        info.preferred_pin_uv_auth_protocol(&[PinUvAuthProtocol::ONE, PinUvAuthProtocol::TWO]),
        Some(PinUvAuthProtocol::TWO)
    );
}

#[test]
fn nitrokey_3_xn() {
    let (_, info) = decode(NITROKEY_3_XN);
    // Expected values as asserted in ctap-hid-fido2 test_get_info_response_parse_cbor_2.
    assert_eq!(strings(&info.versions), ["U2F_V2", "FIDO_2_0", "FIDO_2_1"]);
    assert_eq!(
        info.extensions(),
        ["credProtect", "hmac-secret", "thirdPartyPayment"]
    );
    assert_eq!(hex::encode(info.aaguid), "ec99db19cd1f4c06a2a9940f17a6a30b");
    assert_eq!(info.options.as_ref().unwrap().len(), 8);
    for name in [
        "rk",
        "up",
        "credMgmt",
        "clientPin",
        "pinUvAuthToken",
        "makeCredUvNotRqd",
    ] {
        assert_eq!(info.option(name), Some(true), "{name}");
    }
    assert_eq!(info.option("plat"), Some(false));
    assert_eq!(info.option("largeBlobs"), Some(false));
    assert_eq!(info.max_msg_size(), 3072);
    assert_eq!(
        info.pin_uv_auth_protocols(),
        [PinUvAuthProtocol::TWO, PinUvAuthProtocol::ONE]
    );
    assert_eq!(info.max_credential_count_in_list(), 10);
    assert_eq!(info.max_credential_id_length(), 255);
    assert_eq!(
        info.transports(),
        [AuthenticatorTransport::NFC, AuthenticatorTransport::USB]
    );
    assert!(info.algorithms().is_empty());
    assert_eq!(
        info.attestation_formats(),
        [AttestationFormat::PACKED, AttestationFormat::NONE]
    );
    // Absent: python-fido2 defaults.
    assert_eq!(info.min_pin_length(), 4);
    assert_eq!(info.max_serialized_large_blob_array(), 0);
    assert!(info.unknown.is_empty());
    assert!(!info.supports_option(InfoOption::LARGE_BLOBS));
    assert_eq!(
        info.credential_management_command(),
        Some(CommandCode::CREDENTIAL_MANAGEMENT)
    );
}

#[test]
fn libfido2_ctap_2_3_seed_fills_the_newer_members() {
    let (_, info) = decode(LIBFIDO2_CTAP_2_3);
    assert_eq!(
        strings(&info.versions),
        ["U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE", "FIDO_2_1", "FIDO_2_3"]
    );
    assert_eq!(info.extensions().len(), 8);
    assert!(info.supports_extension("previewSign"));
    assert_eq!(info.option("perCredMgmtRO"), Some(true));
    assert_eq!(info.max_msg_size(), 1536);
    assert_eq!(
        info.transports(),
        [
            AuthenticatorTransport::NFC,
            AuthenticatorTransport::USB,
            AuthenticatorTransport::SMART_CARD
        ]
    );
    assert_eq!(
        algs(&info),
        [
            CoseAlgorithm::ES256,
            CoseAlgorithm::EDDSA,
            CoseAlgorithm::ES384
        ]
    );
    assert_eq!(info.max_serialized_large_blob_array(), 4096);
    assert_eq!(info.remaining_discoverable_credentials, Some(100));
    assert_eq!(info.attestation_formats(), [AttestationFormat::PACKED]);
    assert!(info.long_touch_for_reset());
    assert_eq!(info.enc_identifier.as_ref().map(Vec::len), Some(32));
    assert_eq!(
        info.transports_for_reset(),
        [
            AuthenticatorTransport::USB,
            AuthenticatorTransport::SMART_CARD
        ]
    );
    assert_eq!(info.pin_complexity_policy, Some(true));
    assert_eq!(
        info.pin_complexity_policy_url.as_deref(),
        Some(&b"https://example.com"[..])
    );
    assert_eq!(info.max_pin_length(), 63);
    assert_eq!(info.enc_cred_store_state.as_ref().map(Vec::len), Some(32));
    assert_eq!(
        info.authenticator_config_commands,
        Some(vec![
            ConfigSubCommand::ENABLE_ENTERPRISE_ATTESTATION,
            ConfigSubCommand::TOGGLE_ALWAYS_UV,
            ConfigSubCommand::SET_MIN_PIN_LENGTH
        ])
    );
    assert!(!info.supports_config_command(ConfigSubCommand::VENDOR_PROTOTYPE));
    assert!(info.unknown.is_empty());
}

#[test]
fn a_missing_required_member_is_a_named_error() {
    // {1: ["FIDO_2_0"]}: no aaguid (0x03).
    let err = cbor::from_slice::<Info>(&hex::decode("a10181684649444f5f325f30").unwrap())
        .expect_err("aaguid is required");
    let text = err.to_string();
    assert!(text.contains("aaguid"), "{text}");
}

#[test]
fn a_wrong_aaguid_length_is_rejected() {
    // {1: ["FIDO_2_0"], 3: h'00'}
    let err = cbor::from_slice::<Info>(&hex::decode("a20181684649444f5f325f30034100").unwrap())
        .expect_err("aaguid must be 16 bytes");
    assert!(err.to_string().contains("aaguid"), "{err}");
}

proptest::proptest! {
    /// Corrupting one byte of a real capture gives either a typed error or an `Info` that
    /// re-encodes to the same bytes and decodes to itself. One exception is by design: a
    /// member's value turned into `null` (0xF6) reads as an absent member
    /// (`cbor::tests::explicit_null_for_optional_field_is_absent`), and re-encodes without it.
    #[test]
    fn corrupted_captures_fail_cleanly_or_round_trip(
        which in 0usize..5,
        index in 0usize..4096,
        byte in proptest::prelude::any::<u8>(),
    ) {
        let capture = [YUBIKEY_BIO, YUBIKEY_5_NFC, NITROKEY_3_XN, LIBFIDO2_CTAP_2_3, SECURITY_KEY_BY_YUBICO_EXTRA_KEY][which];
        let mut bytes = hex::decode(capture).unwrap();
        let i = index % bytes.len();
        bytes[i] = byte;
        if let Ok(info) = cbor::from_slice::<Info>(&bytes) {
            let again = cbor::to_vec(&info).unwrap();
            if byte != 0xF6 {
                proptest::prop_assert_eq!(&again, &bytes, "strictly decoded input re-encodes to itself");
            }
            proptest::prop_assert_eq!(cbor::from_slice::<Info>(&again).unwrap(), info);
        }
    }
}
