//! Error codes: python-fido2 2.2.1 `fido2.client._ctap2client_err` for every known CTAP
//! status, and the codes of the client's own errors.

use std::error::Error as _;

use super::*;

/// Every status python-fido2's `_ctap2client_err` names, with its code.
#[rustfmt::skip]
const NAMED: &[(CtapStatus, ClientErrorCode)] = &[
    (CtapStatus::CREDENTIAL_EXCLUDED, ClientErrorCode::DEVICE_INELIGIBLE),
    (CtapStatus::NO_CREDENTIALS, ClientErrorCode::DEVICE_INELIGIBLE),
    (CtapStatus::KEEPALIVE_CANCEL, ClientErrorCode::TIMEOUT),
    (CtapStatus::ACTION_TIMEOUT, ClientErrorCode::TIMEOUT),
    (CtapStatus::USER_ACTION_TIMEOUT, ClientErrorCode::TIMEOUT),
    (CtapStatus::UNSUPPORTED_ALGORITHM, ClientErrorCode::CONFIGURATION_UNSUPPORTED),
    (CtapStatus::UNSUPPORTED_OPTION, ClientErrorCode::CONFIGURATION_UNSUPPORTED),
    (CtapStatus::KEY_STORE_FULL, ClientErrorCode::CONFIGURATION_UNSUPPORTED),
    (CtapStatus::INVALID_COMMAND, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::CBOR_UNEXPECTED_TYPE, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::INVALID_CBOR, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::MISSING_PARAMETER, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::INVALID_OPTION, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::PUAT_REQUIRED, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::PIN_INVALID, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::PIN_BLOCKED, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::PIN_NOT_SET, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::PIN_POLICY_VIOLATION, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::PIN_TOKEN_EXPIRED, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::PIN_AUTH_INVALID, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::PIN_AUTH_BLOCKED, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::REQUEST_TOO_LARGE, ClientErrorCode::BAD_REQUEST),
    (CtapStatus::OPERATION_DENIED, ClientErrorCode::BAD_REQUEST),
];

#[test]
fn every_status_maps_as_python_fido2() {
    for byte in 0..=u8::MAX {
        let status = CtapStatus(byte);
        let expected = NAMED
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(ClientErrorCode::OTHER_ERROR, |(_, code)| *code);
        assert_eq!(ctap_status_code(status), expected, "{status}");
        assert_eq!(Error::from(status).code(), expected, "{status}");
    }
    // A few that fall through to OTHER_ERROR in python-fido2.
    for status in [
        CtapStatus::UV_BLOCKED,
        CtapStatus::UV_INVALID,
        CtapStatus::NOT_ALLOWED,
        CtapStatus(0xF3),
    ] {
        assert_eq!(ctap_status_code(status), ClientErrorCode::OTHER_ERROR);
    }
}

#[test]
fn client_errors_keep_the_cause() {
    let client = ClientError::from(Error::from(CtapStatus::PIN_INVALID));
    assert_eq!(client.code(), ClientErrorCode::BAD_REQUEST);
    assert_eq!(client.ctap_status(), Some(CtapStatus::PIN_INVALID));

    let client = ClientError::from(Error::PinRequired(PinRequiredError));
    assert_eq!(client.code(), ClientErrorCode::BAD_REQUEST);
    assert!(client.is_pin_required());
    assert_eq!(
        client.to_string(),
        "BAD_REQUEST: PIN required but not provided"
    );

    let client = ClientError::from(Error::UvNotConfigured);
    assert_eq!(client.code(), ClientErrorCode::CONFIGURATION_UNSUPPORTED);
    assert!(!client.is_pin_required());
    assert_eq!(client.ctap_status(), None);
    let source = client.source().expect("cause kept");
    assert_eq!(
        source.to_string(),
        "user verification is needed but not configured or not supported"
    );
}

#[test]
fn own_errors_have_python_codes() {
    let rp = Error::from(RpIdError::EmptyRpId);
    assert_eq!(rp.code(), ClientErrorCode::BAD_REQUEST);
    assert_eq!(
        Error::BadRequest("x".into()).code(),
        ClientErrorCode::BAD_REQUEST
    );
    assert_eq!(
        Error::from(PinError::ContainsNul).code(),
        ClientErrorCode::BAD_REQUEST
    );
    assert_eq!(
        Error::Unsupported("rk".into()).code(),
        ClientErrorCode::CONFIGURATION_UNSUPPORTED
    );
    let timeout = Error::from(TransportError::Timeout {
        waited: std::time::Duration::from_secs(1),
    });
    assert_eq!(timeout.code(), ClientErrorCode::TIMEOUT);
    assert_eq!(Error::cancelled().code(), ClientErrorCode::TIMEOUT);
    assert_eq!(
        Error::from(TransportError::Cancelled).code(),
        ClientErrorCode::TIMEOUT
    );
    assert_eq!(
        Error::from(TransportError::Disconnected).code(),
        ClientErrorCode::OTHER_ERROR
    );
    assert_eq!(
        Error::DeviceIneligible("none".into()).code(),
        ClientErrorCode::DEVICE_INELIGIBLE
    );
    assert_eq!(
        Error::from(CtapStatus::NO_CREDENTIALS).ctap_status(),
        Some(CtapStatus::NO_CREDENTIALS)
    );
    assert_eq!(timeout.ctap_status(), None);
}

#[test]
fn cancellation_has_one_shape() {
    use fido_ctap::error::Error as CtapLayer;
    // The caller's token, the authenticator's KEEPALIVE_CANCEL and a transport
    // cancellation are the same error.
    for cancelled in [
        Error::cancelled(),
        Error::from(TransportError::Cancelled),
        Error::from(CtapStatus::KEEPALIVE_CANCEL),
        Error::from(CtapLayer::from_status(CtapStatus::KEEPALIVE_CANCEL)),
    ] {
        assert!(cancelled.is_cancelled(), "{cancelled:?}");
        assert!(matches!(
            cancelled,
            Error::Ctap(CtapLayer::Transport(TransportError::Cancelled))
        ));
        assert_eq!(cancelled.code(), ClientErrorCode::TIMEOUT);
    }
    assert!(!Error::from(TransportError::Disconnected).is_cancelled());
}

#[test]
fn fido_ctap_errors_keep_their_status() {
    use fido_ctap::error::Error as CtapLayer;
    let pin_invalid = Error::from(CtapLayer::from_status(CtapStatus::PIN_INVALID));
    assert_eq!(pin_invalid.code(), ClientErrorCode::BAD_REQUEST);
    assert_eq!(pin_invalid.ctap_status(), Some(CtapStatus::PIN_INVALID));
    let client = ClientError::from(pin_invalid);
    assert_eq!(client.ctap_status(), Some(CtapStatus::PIN_INVALID));

    let excluded = Error::from(CtapLayer::from_status(CtapStatus::CREDENTIAL_EXCLUDED));
    assert_eq!(excluded.code(), ClientErrorCode::DEVICE_INELIGIBLE);
    // KEEPALIVE_CANCEL becomes a transport cancellation in fido-ctap: still TIMEOUT.
    let cancelled = Error::from(CtapLayer::from_status(CtapStatus::KEEPALIVE_CANCEL));
    assert_eq!(cancelled.code(), ClientErrorCode::TIMEOUT);
    let unplugged = Error::from(CtapLayer::from(TransportError::Disconnected));
    assert_eq!(unplugged.code(), ClientErrorCode::OTHER_ERROR);
    assert_eq!(unplugged.ctap_status(), None);
    let bad_pin = Error::from(CtapLayer::from(PinError::ContainsNul));
    assert_eq!(bad_pin.code(), ClientErrorCode::BAD_REQUEST);
}
