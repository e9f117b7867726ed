use super::CtapStatus;

/// (code, short name, spec name) for a sample across every range of the table; source:
/// python-fido2 `CtapError.ERR` (shared/seed/fido2-client-api.txt).
const TABLE: &[(u8, &str, &str)] = &[
    (0x00, "SUCCESS", "CTAP2_OK"),
    (0x01, "INVALID_COMMAND", "CTAP1_ERR_INVALID_COMMAND"),
    (0x0B, "INVALID_CHANNEL", "CTAP1_ERR_INVALID_CHANNEL"),
    (
        0x11,
        "CBOR_UNEXPECTED_TYPE",
        "CTAP2_ERR_CBOR_UNEXPECTED_TYPE",
    ),
    (0x19, "CREDENTIAL_EXCLUDED", "CTAP2_ERR_CREDENTIAL_EXCLUDED"),
    (0x2D, "KEEPALIVE_CANCEL", "CTAP2_ERR_KEEPALIVE_CANCEL"),
    (0x31, "PIN_INVALID", "CTAP2_ERR_PIN_INVALID"),
    (0x34, "PIN_AUTH_BLOCKED", "CTAP2_ERR_PIN_AUTH_BLOCKED"),
    (0x36, "PUAT_REQUIRED", "CTAP2_ERR_PUAT_REQUIRED"),
    (0x3C, "UV_BLOCKED", "CTAP2_ERR_UV_BLOCKED"),
    (
        0x40,
        "UNAUTHORIZED_PERMISSION",
        "CTAP2_ERR_UNAUTHORIZED_PERMISSION",
    ),
    (0x7F, "OTHER", "CTAP1_ERR_OTHER"),
    (0xDF, "SPEC_LAST", "CTAP2_ERR_SPEC_LAST"),
];

#[test]
fn names_match_the_spec_table() {
    for &(code, name, spec) in TABLE {
        let status = CtapStatus::from(code);
        assert_eq!(status.name(), Some(name), "code {code:#04x}");
        assert_eq!(status.spec_name(), Some(spec), "code {code:#04x}");
    }
}

#[test]
fn every_seed_code_is_named() {
    // Every code of python-fido2's ERR table; the generated table adds CTAP 2.0's
    // UNSUPPORTED_EXTENSION (0x16), NOT_BUSY (0x29) and NO_OPERATION_PENDING (0x2A).
    let seed: &[u8] = &[
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0A, 0x0B, 0x11, 0x12, 0x14, 0x15, 0x17, 0x18,
        0x19, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x30,
        0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F,
        0x40, 0x7F, 0xDF, 0xE0, 0xEF, 0xF0, 0xFF,
    ];
    for &code in seed {
        assert!(CtapStatus(code).name().is_some(), "{code:#04x} has no name");
    }
    assert_eq!(CtapStatus::KNOWN.len(), seed.len() + 3);
    for legacy in [0x16, 0x29, 0x2A] {
        assert!(CtapStatus(legacy).name().is_some(), "{legacy:#04x}");
        assert!(CtapStatus(legacy).description().ends_with("(CTAP 2.0)"));
    }
    assert!(
        CtapStatus::KNOWN.windows(2).all(|w| w[0] < w[1]),
        "table is sorted"
    );
}

#[test]
fn display_names_known_and_prints_unknown_in_hex() {
    let cases: &[(u8, &str)] = &[
        (0x00, "SUCCESS (0x00)"),
        (0x31, "PIN_INVALID (0x31)"),
        (0x7F, "OTHER (0x7F)"),
        (0x07, "unknown status 0x07"),
        (0x99, "unknown status 0x99"),
        (0xE0, "extension status 0xE0"),
        (0xE5, "extension status 0xE5"),
        (0xF3, "vendor status 0xF3"),
        (0xFF, "vendor status 0xFF"),
    ];
    for &(code, text) in cases {
        assert_eq!(CtapStatus(code).to_string(), text);
    }
    assert_eq!(
        format!("{:?}", CtapStatus::PIN_BLOCKED),
        "CtapStatus::PIN_BLOCKED"
    );
    assert_eq!(format!("{:?}", CtapStatus(0x99)), "CtapStatus(0x99)");
}

#[test]
fn ranges_and_descriptions() {
    assert!(CtapStatus::SUCCESS.is_success());
    assert!(!CtapStatus::OTHER.is_success());
    assert!(CtapStatus(0xE7).is_extension_specific());
    assert!(!CtapStatus(0xF0).is_extension_specific());
    assert!(CtapStatus(0xF0).is_vendor_specific());
    assert_eq!(
        CtapStatus(0xE7).description(),
        "an extension-specific error"
    );
    assert_eq!(CtapStatus(0xF7).description(), "a vendor-specific error");
    assert_eq!(
        CtapStatus(0x50).description(),
        "an error code this library does not know"
    );
    assert_eq!(
        CtapStatus::PIN_INVALID.description(),
        "the PIN is incorrect"
    );
}

#[test]
fn every_byte_round_trips() {
    for code in 0..=u8::MAX {
        let status = CtapStatus::from(code);
        assert_eq!(u8::from(status), code);
        assert!(!status.to_string().is_empty());
    }
}
