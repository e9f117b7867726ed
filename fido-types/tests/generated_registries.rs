//! Generated registries, flags and text enumerations: names, lookups, unknown values.

use fido_types::cbor;
use fido_types::generated::*;

#[test]
fn command_codes_have_names_and_spec_names() {
    assert_eq!(CommandCode::MAKE_CREDENTIAL.0, 0x01);
    assert_eq!(CommandCode::CONFIG.0, 0x0D);
    assert_eq!(CommandCode(0x0A).name(), Some("CREDENTIAL_MANAGEMENT"));
    assert_eq!(
        CommandCode(0x0A).spec_name(),
        Some("authenticatorCredentialManagement")
    );
    assert_eq!(CommandCode(0x0B).since(), Some("2.1"));
    assert_eq!(
        CommandCode::from_name("authenticatorGetInfo"),
        Some(CommandCode::GET_INFO)
    );
    assert_eq!(CommandCode::from_name("RESET"), Some(CommandCode::RESET));
    assert_eq!(CommandCode::from_name("nope"), None);
    // The prototype bytes sit inside the vendor range.
    assert_eq!(
        CommandCode::VENDOR_FIRST,
        CommandCode::BIO_ENROLLMENT_PREVIEW
    );
    assert_eq!(CommandCode::VENDOR_LAST.0, 0xBF);
    assert!(!CommandCode::KNOWN.contains(&CommandCode(0xBF)));
    assert_eq!(CommandCode::KNOWN.len(), 13);
    assert_eq!(
        format!("{:?}", CommandCode(0x41)),
        "CommandCode::CREDENTIAL_MANAGEMENT_PREVIEW"
    );
    assert_eq!(format!("{:?}", CommandCode(0x99)), "CommandCode(0x99)");
}

#[test]
fn unknown_registry_values_round_trip() {
    let bytes = cbor::to_vec(&ClientPinSubCommand(0x08)).unwrap();
    assert_eq!(bytes, [0x08]);
    let back: ClientPinSubCommand = cbor::from_slice(&bytes).unwrap();
    assert_eq!(back, ClientPinSubCommand(0x08));
    assert_eq!(back.name(), None);
    let alg: CoseAlgorithm = cbor::from_slice(&[0x39, 0x01, 0x00]).unwrap();
    assert_eq!(alg, CoseAlgorithm::RS256);
    assert_eq!(format!("{alg:?}"), "CoseAlgorithm::RS256");
    assert_eq!(
        format!("{:?}", CoseAlgorithm(-1000)),
        "CoseAlgorithm(-1000)"
    );
    assert_eq!(cbor::to_vec(&CoseAlgorithm::ES256).unwrap(), [0x26]);
}

#[test]
fn subcommand_values_match_python_fido2() {
    // python-fido2 fido2/ctap2/pin.py ClientPin.CMD and credman.py / bio.py / config.py.
    let pin: Vec<u8> = ClientPinSubCommand::KNOWN.iter().map(|c| c.0).collect();
    assert_eq!(pin, [1, 2, 3, 4, 5, 6, 7, 9]);
    let cm: Vec<u8> = CredentialManagementSubCommand::KNOWN
        .iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(cm, [1, 2, 3, 4, 5, 6, 7]);
    let bio: Vec<u8> = BioEnrollmentSubCommand::KNOWN.iter().map(|c| c.0).collect();
    assert_eq!(bio, [1, 2, 3, 4, 5, 6, 7]);
    let cfg: Vec<u8> = ConfigSubCommand::KNOWN.iter().map(|c| c.0).collect();
    assert_eq!(cfg, [1, 2, 3, 0xFF]);
}

#[test]
fn permissions_are_bit_flags() {
    // python-fido2 ClientPin.PERMISSION.
    let all: Vec<u32> = Permissions::NAMED.iter().map(|(_, p)| p.bits()).collect();
    assert_eq!(all, [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40]);
    let p = Permissions::MAKE_CREDENTIAL | Permissions::LARGE_BLOB_WRITE;
    assert_eq!(p.bits(), 0x11);
    assert!(p.contains(Permissions::LARGE_BLOB_WRITE));
    assert!(!p.contains(Permissions::GET_ASSERTION | Permissions::MAKE_CREDENTIAL));
    assert!(p.intersects(Permissions::GET_ASSERTION | Permissions::MAKE_CREDENTIAL));
    assert_eq!(
        p.names().collect::<Vec<_>>(),
        ["MAKE_CREDENTIAL", "LARGE_BLOB_WRITE"]
    );
    assert_eq!(
        format!("{p:?}"),
        "Permissions(MAKE_CREDENTIAL | LARGE_BLOB_WRITE)"
    );
    assert_eq!(
        format!("{:?}", Permissions(0x81)),
        "Permissions(MAKE_CREDENTIAL | 0x80)"
    );
    assert_eq!(format!("{:?}", Permissions::EMPTY), "Permissions(0x00)");
    assert_eq!(
        Permissions::from_name("pcmr"),
        Some(Permissions::PERSISTENT_CREDENTIAL_MANAGEMENT_READ_ONLY)
    );
    assert_eq!(Permissions(0x81).unknown_bits(), 0x80);
    assert_eq!(cbor::to_vec(&p).unwrap(), [0x11]);
}

#[test]
fn auth_data_and_ctaphid_flags() {
    let flags = AuthDataFlags(0x45);
    assert!(flags.contains(AuthDataFlags::USER_PRESENT | AuthDataFlags::USER_VERIFIED));
    assert!(flags.contains(AuthDataFlags::ATTESTED));
    assert!(!flags.contains(AuthDataFlags::EXTENSION_DATA));
    assert_eq!(AuthDataFlags::ALL_KNOWN.bits(), 0xDD);
    let caps = CapabilityFlags(0x05);
    assert_eq!(caps.names().collect::<Vec<_>>(), ["WINK", "CBOR"]);
    assert_eq!(CtaphidCommand::CBOR.0, 0x10);
    assert_eq!(CtaphidCommand::KEEPALIVE.0, 0x3B);
    assert_eq!(
        CtaphidError::from_name("ERR_CHANNEL_BUSY"),
        Some(CtaphidError::CHANNEL_BUSY)
    );
    assert_eq!(KeepaliveStatus::UP_NEEDED.0, 2);
}

#[test]
fn status_codes_have_spec_names() {
    assert_eq!(CtapStatus(0x31).spec_name(), Some("CTAP2_ERR_PIN_INVALID"));
    assert_eq!(CtapStatus(0x36).name(), Some("PUAT_REQUIRED"));
    assert_eq!(CtapStatus(0x40).name(), Some("UNAUTHORIZED_PERMISSION"));
    assert_eq!(CtapStatus(0x7F).spec_name(), Some("CTAP1_ERR_OTHER"));
    assert_eq!(CtapStatus(0x41).name(), None);
}

#[test]
fn text_enums_keep_unknown_strings() {
    let t: AuthenticatorTransport =
        cbor::from_slice(&cbor::to_vec(&"carrier-pigeon").unwrap()).unwrap();
    assert_eq!(t.as_str(), "carrier-pigeon");
    assert!(!t.is_known());
    assert_eq!(
        format!("{t:?}"),
        "AuthenticatorTransport(\"carrier-pigeon\")"
    );
    assert_eq!(
        cbor::to_vec(&t).unwrap(),
        cbor::to_vec(&"carrier-pigeon").unwrap()
    );
    let usb = AuthenticatorTransport::from("usb");
    assert_eq!(usb, AuthenticatorTransport::USB);
    assert_eq!(usb.name(), Some("USB"));
    assert_eq!(format!("{usb:?} {usb}"), "AuthenticatorTransport::USB usb");
    assert_eq!(InfoOption::CLIENT_PIN.as_str(), "clientPin");
    assert_eq!(CtapVersion::FIDO_2_1_PRE.as_str(), "FIDO_2_1_PRE");
}

#[test]
fn extension_shapes() {
    let hmac = extensions::extension_shape("hmac-secret").expect("known");
    assert_eq!(hmac.id, ExtensionId::HMAC_SECRET);
    assert_eq!(hmac.make_credential_input, Some("bool"));
    assert_eq!(hmac.get_assertion_input, Some("HmacSecretInput"));
    assert_eq!(hmac.get_assertion_output, Some("bytes"));
    let cp = extensions::extension_shape("credProtect").expect("known");
    assert_eq!(cp.get_assertion_input, None);
    assert_eq!(CredProtectPolicy::USER_VERIFICATION_REQUIRED.0, 3);
    assert!(extensions::extension_shape("nope").is_none());
    assert_eq!(EXTENSIONS.len(), 9);
}

#[test]
fn member_tables_list_keys_and_spec_names() {
    assert_eq!(
        LargeBlobsRequest::MEMBERS,
        [
            (1, "get"),
            (2, "set"),
            (3, "offset"),
            (4, "length"),
            (5, "pinUvAuthParam"),
            (6, "pinUvAuthProtocol")
        ]
    );
    // pinUvAuthParam / pinUvAuthProtocol keys per command (they differ).
    let key = |members: &[(u64, &str)], name: &str| {
        members.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    };
    assert_eq!(
        key(MakeCredentialRequest::MEMBERS, "pinUvAuthParam"),
        Some(8)
    );
    assert_eq!(
        key(MakeCredentialRequest::MEMBERS, "pinUvAuthProtocol"),
        Some(9)
    );
    assert_eq!(key(GetAssertionRequest::MEMBERS, "pinUvAuthParam"), Some(6));
    assert_eq!(key(ClientPinRequest::MEMBERS, "pinUvAuthProtocol"), Some(1));
    assert_eq!(key(ClientPinRequest::MEMBERS, "pinUvAuthParam"), Some(4));
    assert_eq!(
        key(CredentialManagementRequest::MEMBERS, "pinUvAuthProtocol"),
        Some(3)
    );
    assert_eq!(
        key(CredentialManagementRequest::MEMBERS, "pinUvAuthParam"),
        Some(4)
    );
    assert_eq!(
        key(BioEnrollmentRequest::MEMBERS, "pinUvAuthProtocol"),
        Some(4)
    );
    assert_eq!(key(ConfigRequest::MEMBERS, "pinUvAuthParam"), Some(4));
    assert_eq!(key(LargeBlobsRequest::MEMBERS, "pinUvAuthParam"), Some(5));
    assert_eq!(Info::MEMBERS.len(), 31);
    assert_eq!(
        Info::MEMBERS.last(),
        Some(&(0x1F, "authenticatorConfigCommands"))
    );
}

/// One line per value: `0x01  MAKE_CREDENTIAL  authenticatorMakeCredential  (since 2.0)`.
macro_rules! table {
    ($out:ident, $ty:ty) => {{
        $out.push(format!("## {}", stringify!($ty)));
        for v in <$ty>::KNOWN {
            $out.push(format!(
                "{:>6}  {:<50} {:<45} since {}",
                format!("{:#04x}", v.0),
                v.name().unwrap(),
                v.spec_name().unwrap(),
                v.since().unwrap()
            ));
        }
        $out.push(String::new());
    }};
}

#[test]
fn integer_registries() {
    let mut out = Vec::new();
    table!(out, CommandCode);
    table!(out, ClientPinSubCommand);
    table!(out, CredentialManagementSubCommand);
    table!(out, BioEnrollmentSubCommand);
    table!(out, ConfigSubCommand);
    table!(out, PinUvAuthProtocol);
    table!(out, BioModality);
    table!(out, FingerprintKind);
    table!(out, LastEnrollSampleStatus);
    table!(out, CredProtectPolicy);
    table!(out, CtapStatus);
    table!(out, CtaphidCommand);
    table!(out, CtaphidError);
    table!(out, KeepaliveStatus);
    table!(out, u2f::U2fInstruction);
    table!(out, u2f::U2fControl);
    let text = out.join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn cose_registries() {
    let mut out = Vec::new();
    for (title, rows) in [
        (
            "CoseAlgorithm",
            CoseAlgorithm::KNOWN
                .iter()
                .map(|v| (v.0, v.name(), v.spec_name()))
                .collect::<Vec<_>>(),
        ),
        (
            "CoseKeyType",
            CoseKeyType::KNOWN
                .iter()
                .map(|v| (v.0, v.name(), v.spec_name()))
                .collect(),
        ),
        (
            "CoseKeyParameter",
            CoseKeyParameter::KNOWN
                .iter()
                .map(|v| (v.0, v.name(), v.spec_name()))
                .collect(),
        ),
        (
            "CoseEllipticCurve",
            CoseEllipticCurve::KNOWN
                .iter()
                .map(|v| (v.0, v.name(), v.spec_name()))
                .collect(),
        ),
    ] {
        out.push(format!("## {title}"));
        for (value, name, spec) in rows {
            out.push(format!(
                "{value:>7}  {:<18} {}",
                name.unwrap(),
                spec.unwrap()
            ));
        }
        out.push(String::new());
    }
    let text = out.join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn flag_and_text_tables() {
    let mut out = Vec::new();
    for (title, named) in [
        (
            "Permissions",
            Permissions::NAMED
                .iter()
                .map(|(n, b)| (*n, u64::from(b.bits())))
                .collect::<Vec<_>>(),
        ),
        (
            "AuthDataFlags",
            AuthDataFlags::NAMED
                .iter()
                .map(|(n, b)| (*n, u64::from(b.bits())))
                .collect(),
        ),
        (
            "CapabilityFlags",
            CapabilityFlags::NAMED
                .iter()
                .map(|(n, b)| (*n, u64::from(b.bits())))
                .collect(),
        ),
    ] {
        out.push(format!("## {title}"));
        for (name, bit) in named {
            out.push(format!("  {bit:#04x}  {name}"));
        }
        out.push(String::new());
    }
    macro_rules! strings {
        ($ty:ty) => {{
            out.push(format!("## {}", stringify!($ty)));
            for v in <$ty>::KNOWN {
                out.push(format!("  {:<45} {:?}", v.name().unwrap(), v.as_str()));
            }
            out.push(String::new());
        }};
    }
    strings!(PublicKeyCredentialType);
    strings!(AuthenticatorTransport);
    strings!(AuthenticatorAttachment);
    strings!(ResidentKeyRequirement);
    strings!(UserVerificationRequirement);
    strings!(AttestationConveyancePreference);
    strings!(PublicKeyCredentialHint);
    strings!(ClientDataType);
    strings!(AttestationFormat);
    strings!(CtapVersion);
    strings!(InfoOption);
    out.push("## EXTENSIONS (makeCredential in -> out | getAssertion in -> out)".to_string());
    for e in EXTENSIONS {
        let s = |x: Option<&str>| x.unwrap_or("-").to_string();
        out.push(format!(
            "  {:<20} since {}  mc {} -> {} | ga {} -> {}",
            e.id.as_str(),
            e.since,
            s(e.make_credential_input),
            s(e.make_credential_output),
            s(e.get_assertion_input),
            s(e.get_assertion_output)
        ));
    }
    let text = out.join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn requests_know_their_command_and_response() {
    fn command_of<R: CommandRequest>() -> CommandCode {
        R::COMMAND
    }
    assert_eq!(
        command_of::<MakeCredentialRequest>(),
        CommandCode::MAKE_CREDENTIAL
    );
    assert_eq!(
        command_of::<GetAssertionRequest>(),
        CommandCode::GET_ASSERTION
    );
    assert_eq!(command_of::<ClientPinRequest>(), CommandCode::CLIENT_PIN);
    assert_eq!(
        command_of::<BioEnrollmentRequest>(),
        CommandCode::BIO_ENROLLMENT
    );
    assert_eq!(
        command_of::<CredentialManagementRequest>(),
        CommandCode::CREDENTIAL_MANAGEMENT
    );
    assert_eq!(command_of::<LargeBlobsRequest>(), CommandCode::LARGE_BLOBS);
    assert_eq!(command_of::<ConfigRequest>(), CommandCode::CONFIG);
    // The response type is tied to the request at compile time.
    fn decode_response<R: CommandRequest>(bytes: &[u8]) -> R::Response
    where
        R::Response: serde::de::DeserializeOwned,
    {
        cbor::from_slice(bytes).unwrap()
    }
    let response = decode_response::<ClientPinRequest>(&[0xa1, 0x03, 0x08]);
    assert_eq!(response.pin_retries, Some(8));
}
