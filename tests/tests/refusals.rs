//! What `Fido2Client` refuses, and with which python-fido2 `ClientError` code: no PIN
//! given, a wrong PIN, an excluded credential, unknown credentials, an RP ID the origin
//! may not use, and what U2F cannot do.

use fido_authenticator::Config;
use fido_ctap::device::CancelToken;
use fido_tests::{Transport, client, create_options, get_options, open, plain};
use fido_types::error::{ClientError, ClientErrorCode};
use fido_types::status::CtapStatus;
use fido_types::webauthn::{
    PublicKeyCredentialDescriptor, PublicKeyCredentialRequestOptions, ResidentKeyRequirement,
    UserVerificationRequirement,
};
use fido_webauthn::Error;
use fido_webauthn::interaction::{NoInteraction, ScriptedInteraction};

const REQUIRED: UserVerificationRequirement = UserVerificationRequirement::REQUIRED;
const DISCOURAGED: UserVerificationRequirement = UserVerificationRequirement::DISCOURAGED;
const NO_RK: ResidentKeyRequirement = ResidentKeyRequirement::DISCOURAGED;

fn with_pin() -> Config {
    Config {
        pin: Some("1234".into()),
        ..plain(3)
    }
}

#[test]
fn pin_required_without_a_pin() {
    let mut client = client(open(with_pin(), Transport::InProcess), NoInteraction);
    let err = client
        .make_credential(&create_options(REQUIRED, NO_RK), &CancelToken::new())
        .unwrap_err();
    assert!(matches!(err, Error::PinRequired(_)), "{err:?}");
    let client_error = ClientError::from(err);
    assert_eq!(client_error.code(), ClientErrorCode::BAD_REQUEST);
    assert!(client_error.is_pin_required());
}

#[test]
fn wrong_pin_is_a_bad_request_with_the_status() {
    let ui = ScriptedInteraction::new().with_pins(["9999"]);
    let mut client = client(open(with_pin(), Transport::InProcess), ui);
    let err = client
        .make_credential(&create_options(REQUIRED, NO_RK), &CancelToken::new())
        .unwrap_err();
    assert_eq!(err.ctap_status(), Some(CtapStatus::PIN_INVALID));
    assert_eq!(err.code(), ClientErrorCode::BAD_REQUEST);
}

#[test]
fn excluded_credential_makes_the_device_ineligible() {
    let mut client = client(open(plain(3), Transport::InProcess), NoInteraction);
    let cancel = CancelToken::new();
    let first = client
        .make_credential(&create_options(DISCOURAGED, NO_RK), &cancel)
        .unwrap();
    let again = create_options(DISCOURAGED, NO_RK).with_exclude_credentials(vec![
        PublicKeyCredentialDescriptor::public_key(first.raw_id().to_vec()),
    ]);
    let err = client.make_credential(&again, &cancel).unwrap_err();
    assert_eq!(err.ctap_status(), Some(CtapStatus::CREDENTIAL_EXCLUDED));
    assert_eq!(err.code(), ClientErrorCode::DEVICE_INELIGIBLE);
}

#[test]
fn unknown_credentials_make_the_device_ineligible() {
    let mut client = client(open(plain(3), Transport::InProcess), NoInteraction);
    let err = client
        .get_assertion(
            &get_options(&[vec![0x42; 32]], DISCOURAGED),
            &CancelToken::new(),
        )
        .unwrap_err();
    assert_eq!(err.ctap_status(), Some(CtapStatus::NO_CREDENTIALS));
    assert_eq!(err.code(), ClientErrorCode::DEVICE_INELIGIBLE);
}

#[test]
fn rp_id_is_checked_before_the_device_is_used() {
    let mut client = client(open(plain(3), Transport::InProcess), NoInteraction);
    let options = PublicKeyCredentialRequestOptions::new(b"c".to_vec()).with_rp_id("evil.com");
    let err = client
        .get_assertion(&options, &CancelToken::new())
        .unwrap_err();
    assert!(matches!(err, Error::RpId(_)), "{err:?}");
    assert_eq!(err.code(), ClientErrorCode::BAD_REQUEST);
}

#[test]
fn u2f_refusals() {
    let config = Config {
        u2f_only: true,
        ..plain(3)
    };
    let mut client = client(open(config, Transport::InProcess), NoInteraction);
    let cancel = CancelToken::new();
    let required = create_options(REQUIRED, NO_RK);
    assert_eq!(
        client
            .make_credential(&required, &cancel)
            .unwrap_err()
            .code(),
        ClientErrorCode::CONFIGURATION_UNSUPPORTED
    );
    let first = client
        .make_credential(&create_options(DISCOURAGED, NO_RK), &cancel)
        .unwrap();
    let excluded = create_options(DISCOURAGED, NO_RK).with_exclude_credentials(vec![
        PublicKeyCredentialDescriptor::public_key(first.raw_id().to_vec()),
    ]);
    assert_eq!(
        client
            .make_credential(&excluded, &cancel)
            .unwrap_err()
            .code(),
        ClientErrorCode::DEVICE_INELIGIBLE
    );
    let unknown = get_options(&[vec![0x42; 64]], DISCOURAGED);
    assert_eq!(
        client.get_assertion(&unknown, &cancel).unwrap_err().code(),
        ClientErrorCode::DEVICE_INELIGIBLE
    );
}
