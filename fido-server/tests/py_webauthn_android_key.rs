//! An android-key registration from a Pixel 8a (duo-labs/py_webauthn
//! tests/test_verify_registration_response_android_key.py, see the JSON's `source`): it
//! verifies as a whole registration, and its chain reaches the last certificate it
//! carries (the Google hardware attestation root) at the test's time.

use fido_server::{AttestationType, Fido2Server, RegistrationState, TrustStore};
use fido_types::webauthn::{RegistrationResponse, UserVerificationRequirement, base64url};
use serde_json::Value;

#[test]
fn pixel_android_key_registration_verifies() {
    let v: Value = serde_json::from_str(include_str!("py_webauthn_android_key.json")).unwrap();
    let response = RegistrationResponse::from_json(&v["credential"].to_string()).unwrap();
    let challenge = base64url::decode(v["challenge"].as_str().unwrap()).unwrap();
    let state = RegistrationState::new(challenge, UserVerificationRequirement::PREFERRED);
    let at = v["unix_time"].as_i64().unwrap();
    let server = Fido2Server::new(
        v["rp_id"].as_str().unwrap(),
        "py_webauthn",
        vec![v["origin"].as_str().unwrap().into()],
    )
    .with_validation_time(at);
    let registered = server.register_complete(&state, &response).unwrap();
    assert_eq!(registered.attestation.format, "android-key");
    assert_eq!(
        registered.attestation.attestation_type,
        AttestationType::Basic
    );

    let root = registered.attestation.trust_path.last().unwrap().clone();
    let mut trust = TrustStore::new();
    trust.add_format_root("android-key", root).unwrap();
    let trusted = server
        .clone()
        .with_trust_store(trust)
        .register_complete(&state, &response)
        .unwrap();
    assert!(trusted.trusted);

    // Against another client data hash the signature fails first.
    assert_eq!(
        fido_server::attestation::verify(response.response().attestation_object(), &[0; 32]),
        Err(fido_server::AttestationError::InvalidSignature {
            format: "android-key"
        })
    );
}
