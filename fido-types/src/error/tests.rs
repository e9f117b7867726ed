use std::error::Error as _;

use super::*;

#[test]
fn ctap_error_display_names_status_and_meaning() {
    let e = CtapError::new(CtapStatus::PIN_AUTH_BLOCKED);
    assert_eq!(e.status(), CtapStatus(0x34));
    assert_eq!(
        e.to_string(),
        "the authenticator answered PIN_AUTH_BLOCKED (0x34): too many wrong PINs in a row; \
         unplug and replug the authenticator"
    );
    let unknown = CtapError::from(CtapStatus(0x9A));
    assert_eq!(
        unknown.to_string(),
        "the authenticator answered unknown status 0x9A: an error code this library does not know"
    );
}

#[test]
fn apdu_error_keeps_status_and_data() {
    let e = ApduError::new(ApduStatus::WRONG_DATA, vec![1, 2, 3]);
    assert_eq!(e.status(), ApduStatus(0x6A80));
    assert_eq!(e.data(), &[1, 2, 3]);
    assert_eq!(
        e.to_string(),
        "the authenticator answered APDU WRONG_DATA (0x6A80) with 3 bytes of data"
    );
    assert_eq!(
        ApduError::new(ApduStatus(0x6F00), []).to_string(),
        "the authenticator answered APDU status word 0x6F00"
    );
}

#[test]
fn client_error_codes() {
    let table = [
        (1, "OTHER_ERROR"),
        (2, "BAD_REQUEST"),
        (3, "CONFIGURATION_UNSUPPORTED"),
        (4, "DEVICE_INELIGIBLE"),
        (5, "TIMEOUT"),
    ];
    for (value, name) in table {
        assert_eq!(ClientErrorCode(value).name(), Some(name));
        assert_eq!(ClientErrorCode(value).to_string(), name);
    }
    assert_eq!(ClientErrorCode(9).to_string(), "client error 9");
}

#[test]
fn client_error_cause_chain() {
    let e = ClientError::new(ClientErrorCode::DEVICE_INELIGIBLE)
        .with_cause(CtapError::new(CtapStatus::CREDENTIAL_EXCLUDED));
    assert_eq!(e.ctap_status(), Some(CtapStatus::CREDENTIAL_EXCLUDED));
    assert!(!e.is_pin_required());
    let source = e.source().expect("has a cause");
    assert!(source.to_string().contains("CREDENTIAL_EXCLUDED"));
    assert!(
        e.to_string()
            .starts_with("DEVICE_INELIGIBLE: the authenticator answered")
    );

    let bare = ClientError::new(ClientErrorCode::TIMEOUT);
    assert!(bare.source().is_none());
    assert_eq!(bare.ctap_status(), None);
    assert_eq!(bare.to_string(), "TIMEOUT");
}

#[test]
fn pin_required_is_a_bad_request() {
    let e = ClientError::from(PinRequiredError);
    assert_eq!(e.code(), ClientErrorCode::BAD_REQUEST);
    assert!(e.is_pin_required());
    assert_eq!(e.to_string(), "BAD_REQUEST: PIN required but not provided");
}
