//! U2F eligibility of requests, and the application parameter.

use fido_types::error::ClientErrorCode;
use fido_types::webauthn::{
    AuthenticatorSelectionCriteria, PublicKeyCredentialDescriptor, PublicKeyCredentialParameters,
    PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity,
};

use super::*;

fn create(params: Vec<CoseAlgorithm>) -> PublicKeyCredentialCreationOptions {
    PublicKeyCredentialCreationOptions::new(
        PublicKeyCredentialRpEntity::new(Some("example.com".into()), "Example"),
        PublicKeyCredentialUserEntity::new(b"user_id".to_vec(), "a.user", "A. User"),
        b"challenge".to_vec(),
        params
            .into_iter()
            .map(PublicKeyCredentialParameters::public_key)
            .collect(),
    )
}

fn selection(
    rk: Option<ResidentKeyRequirement>,
    require_rk: Option<bool>,
    uv: Option<UserVerificationRequirement>,
) -> AuthenticatorSelectionCriteria {
    let mut s = AuthenticatorSelectionCriteria::default();
    s.resident_key = rk;
    s.require_resident_key = require_rk;
    s.user_verification = uv;
    s
}

fn refused(result: Result<(), Error>) -> String {
    let err = result.unwrap_err();
    assert_eq!(err.code(), ClientErrorCode::CONFIGURATION_UNSUPPORTED);
    err.to_string()
}

#[test]
fn make_credential_rows() {
    use ResidentKeyRequirement as Rk;
    use UserVerificationRequirement as Uv;
    let es256 = || create(vec![CoseAlgorithm::ES256]);
    // (options, accepted, why)
    let rows: Vec<(PublicKeyCredentialCreationOptions, bool, &str)> = vec![
        (es256(), true, "plain ES256 registration"),
        (
            create(vec![CoseAlgorithm::EDDSA, CoseAlgorithm::ES256]),
            true,
            "ES256 among others",
        ),
        (create(vec![CoseAlgorithm::EDDSA]), false, "no ES256"),
        (
            create(vec![]),
            true,
            "empty params mean ES256 + RS256 (WebAuthn §5.1.3)",
        ),
        (
            es256().with_authenticator_selection(selection(Some(Rk::REQUIRED), None, None)),
            false,
            "residentKey required",
        ),
        (
            es256().with_authenticator_selection(selection(Some(Rk::PREFERRED), None, None)),
            true,
            "residentKey preferred",
        ),
        (
            es256().with_authenticator_selection(selection(None, Some(true), None)),
            false,
            "requireResidentKey (L1)",
        ),
        (
            es256().with_authenticator_selection(selection(
                Some(Rk::DISCOURAGED),
                Some(true),
                None,
            )),
            true,
            "residentKey wins over requireResidentKey",
        ),
        (
            es256().with_authenticator_selection(selection(None, None, Some(Uv::REQUIRED))),
            false,
            "UV required",
        ),
        (
            es256().with_authenticator_selection(selection(None, None, Some(Uv::PREFERRED))),
            true,
            "UV preferred",
        ),
        (
            es256().with_attestation(AttestationConveyancePreference::ENTERPRISE),
            false,
            "enterprise attestation",
        ),
        (
            es256().with_attestation(AttestationConveyancePreference::DIRECT),
            true,
            "direct attestation (fido-u2f format)",
        ),
    ];
    for (options, accepted, why) in rows {
        assert_eq!(check_make_credential(&options).is_ok(), accepted, "{why}");
    }
    assert_eq!(
        refused(check_make_credential(&create(vec![CoseAlgorithm::EDDSA]))),
        "not supported by the authenticator: algorithms other than ES256 (CTAP1/U2F authenticator)"
    );
}

#[test]
fn get_assertion_rows() {
    let allow = vec![PublicKeyCredentialDescriptor::public_key(
        b"key-handle".to_vec(),
    )];
    let base =
        PublicKeyCredentialRequestOptions::new(b"challenge".to_vec()).with_rp_id("example.com");
    assert!(refused(check_get_assertion(&base)).contains("empty allow list"));
    let with_allow = base.clone().with_allow_credentials(allow);
    assert!(check_get_assertion(&with_allow).is_ok());
    let discouraged = with_allow
        .clone()
        .with_user_verification(UserVerificationRequirement::DISCOURAGED);
    assert!(check_get_assertion(&discouraged).is_ok());
    let required = with_allow.with_user_verification(UserVerificationRequirement::REQUIRED);
    assert!(refused(check_get_assertion(&required)).contains("user verification"));
}

#[test]
fn app_param_is_sha256_of_the_rp_id() {
    // SHA-256("example.com"), as coreutils `sha256sum` computes it.
    assert_eq!(
        hex::encode(app_param("example.com")),
        "a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce1947"
    );
}
