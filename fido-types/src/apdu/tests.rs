use super::ApduStatus;

#[test]
fn named_words() {
    // Values from FIDO U2F Raw Message Formats v1.2 §3.3 and python-fido2's APDU enum.
    let table: &[(u16, &str)] = &[
        (0x9000, "OK"),
        (0x6985, "USE_NOT_SATISFIED"),
        (0x6A80, "WRONG_DATA"),
        (0x6700, "WRONG_LENGTH"),
        (0x6E00, "CLA_NOT_SUPPORTED"),
        (0x6D00, "INS_NOT_SUPPORTED"),
    ];
    for &(word, name) in table {
        assert_eq!(ApduStatus(word).name(), Some(name));
    }
    assert_eq!(ApduStatus(0x6F00).name(), None);
}

#[test]
fn display_and_debug() {
    assert_eq!(ApduStatus::OK.to_string(), "OK (0x9000)");
    assert_eq!(ApduStatus(0x6A80).to_string(), "WRONG_DATA (0x6A80)");
    assert_eq!(ApduStatus(0x6F00).to_string(), "status word 0x6F00");
    assert_eq!(
        format!("{:?}", ApduStatus(0x6F01)),
        "ApduStatus(status word 0x6F01)"
    );
}

#[test]
fn split_response() {
    assert_eq!(ApduStatus::split_response(&[]), None);
    assert_eq!(ApduStatus::split_response(&[0x90]), None);
    assert_eq!(
        ApduStatus::split_response(&[0x90, 0x00]),
        Some((&[][..], ApduStatus::OK))
    );
    let (body, sw) = ApduStatus::split_response(&[0xAA, 0x69, 0x85]).unwrap();
    assert_eq!(body, &[0xAA]);
    assert_eq!(sw, ApduStatus::USE_NOT_SATISFIED);
    assert!(!sw.is_ok());
    assert_eq!(sw.to_bytes(), [0x69, 0x85]);
}
