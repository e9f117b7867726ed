//! Browser output parses: a registration and an assertion made by Chrome (its virtual
//! authenticator, "Chromium" batch attestation certificate) in the `toJSON()` shape,
//! recorded in authelia/authelia internal/handlers/handler_sign_webauthn_test.go (the
//! "registration challenge response post body" and "sign challenge response post body"
//! comments). Both verify, and both re-serialize to the same JSON.

use fido_types::cose::{CoseAlgorithm, CoseKey};
use fido_types::webauthn::*;
use serde_json::Value;

const REGISTRATION: &str = include_str!("vectors/chrome_registration.json");
const AUTHENTICATION: &str = include_str!("vectors/chrome_authentication.json");

#[test]
fn chrome_registration_parses_verifies_and_round_trips() {
    let reg = RegistrationResponse::from_json(REGISTRATION).unwrap();
    assert_eq!(reg.id(), "rwOwV8WCh1hrE0M6mvaoRGpGHidqK6IlhkDJ2xERhPU");
    assert_eq!(
        reg.authenticator_attachment(),
        Some(AuthenticatorAttachment::CROSS_PLATFORM)
    );
    assert_eq!(
        reg.client_extension_results().cred_props,
        Some(CredentialPropertiesOutput::new(Some(false)))
    );
    let r = reg.response();
    assert_eq!(r.transports(), [AuthenticatorTransport::USB]);
    assert_eq!(r.public_key_algorithm(), CoseAlgorithm::ES256);
    assert_eq!(r.client_data().type_(), ClientDataType::CREATE.as_str());
    assert_eq!(r.client_data().origin(), "https://login.example.com:8080");
    assert_eq!(
        base64url::encode(r.client_data().challenge()),
        "aq_AXdvsDMsKW_1aY31XQhU17ZMg1i0TK013DwukB2U"
    );
    let obj = r.attestation_object();
    assert_eq!(obj.fmt(), "packed");
    let ad = obj.auth_data();
    assert_eq!(ad.sign_count(), 1);
    assert_eq!(ad.flags().bits(), 0x45, "UP | UV | AT");
    let acd = ad.attested_credential_data().unwrap();
    assert_eq!(
        acd.aaguid().to_string(),
        "01020304-0506-0708-0102-030405060708"
    );
    assert_eq!(acd.credential_id(), reg.raw_id());
    // Chrome's publicKey is the SPKI we compute from the COSE key.
    let json: Value = serde_json::from_str(REGISTRATION).unwrap();
    let spki = base64url::decode(json["response"]["publicKey"].as_str().unwrap()).unwrap();
    assert_eq!(r.public_key_spki().unwrap(), spki);
    assert_eq!(
        &CoseKey::from_spki_der(&spki, CoseAlgorithm::ES256).unwrap(),
        r.public_key()
    );
    // Packed attestation by the batch certificate.
    assert_eq!(
        r.verify_attestation_signature(),
        Ok(AttestationSigner::Certificate)
    );
    // Our JSON is Chrome's JSON.
    assert_eq!(serde_json::from_str::<Value>(&reg.to_json()).unwrap(), json);
}

#[test]
fn chrome_assertion_parses_verifies_and_round_trips() {
    let reg = RegistrationResponse::from_json(REGISTRATION).unwrap();
    let public_key = reg.response().public_key();
    let auth = AuthenticationResponse::from_json(AUTHENTICATION).unwrap();
    assert_eq!(auth.raw_id(), reg.raw_id());
    let r = auth.response();
    assert_eq!(r.client_data().type_(), ClientDataType::GET.as_str());
    // Chrome adds a member to discourage template matching; it is kept.
    assert!(
        r.client_data()
            .extra()
            .contains_key("other_keys_can_be_added_here")
    );
    assert_eq!(r.authenticator_data().sign_count(), 3);
    assert_eq!(r.authenticator_data().flags().bits(), 0x05, "UP | UV");
    assert_eq!(r.user_handle(), None);
    r.verify(public_key).unwrap();
    let json: Value = serde_json::from_str(AUTHENTICATION).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&auth.to_json()).unwrap(),
        json
    );
}
