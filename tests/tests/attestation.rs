//! What `Fido2Client` returns of a registration: the attestation conveyance preference
//! applied (WebAuthn L3 §5.1.3) and the `credProps` client extension output.

use fido_authenticator::{AAGUID, Attestation, Config};
use fido_ctap::device::CancelToken;
use fido_tests::{Transport, client, create_options, cred_props_input, open, plain};
use fido_types::webauthn::{
    AttestationConveyancePreference, AttestationSigner, CredentialPropertiesOutput,
    RegistrationResponse, ResidentKeyRequirement, UserVerificationRequirement,
};
use fido_webauthn::interaction::NoInteraction;

const DISCOURAGED: UserVerificationRequirement = UserVerificationRequirement::DISCOURAGED;
const NO_RK: ResidentKeyRequirement = ResidentKeyRequirement::DISCOURAGED;

/// Registers with `attestation` on an authenticator attesting as `config` says.
fn register_with(
    config: Config,
    attestation: Option<AttestationConveyancePreference>,
) -> RegistrationResponse {
    let mut client = client(open(config, Transport::InProcess), NoInteraction);
    let mut options = create_options(DISCOURAGED, NO_RK);
    options.attestation = attestation;
    client
        .make_credential(&options, &CancelToken::new())
        .expect("registration")
}

fn basic() -> Config {
    Config {
        attestation: Attestation::Basic,
        ..plain(3)
    }
}

#[test]
fn none_strips_basic_attestation() {
    for preference in [None, Some(AttestationConveyancePreference::NONE)] {
        let registration = register_with(basic(), preference.clone());
        let object = registration.response().attestation_object();
        assert_eq!(object.fmt(), "none", "{preference:?}");
        assert!(object.att_stmt().is_empty());
        // L3 keeps the AAGUID (Level 2 zeroed it).
        let acd = object.auth_data().attested_credential_data().unwrap();
        assert_eq!(acd.aaguid().as_bytes(), &AAGUID);
        assert_eq!(
            registration
                .response()
                .verify_attestation_signature()
                .unwrap(),
            AttestationSigner::None
        );
    }
    // Non-zero AAGUID with self attestation is not a §5.1.3 self attestation: stripped too.
    let registration = register_with(plain(3), None);
    assert_eq!(registration.response().attestation_object().fmt(), "none");
}

#[test]
fn none_keeps_a_zero_aaguid_self_attestation() {
    let config = Config {
        aaguid: [0; 16],
        ..plain(3)
    };
    let registration = register_with(config, Some(AttestationConveyancePreference::NONE));
    let response = registration.response();
    assert_eq!(response.attestation_object().fmt(), "packed");
    assert_eq!(
        response.verify_attestation_signature().unwrap(),
        AttestationSigner::Credential
    );
}

#[test]
fn direct_and_indirect_keep_the_attestation() {
    for preference in [
        AttestationConveyancePreference::DIRECT,
        AttestationConveyancePreference::INDIRECT,
    ] {
        let registration = register_with(basic(), Some(preference.clone()));
        let response = registration.response();
        assert_eq!(response.attestation_object().fmt(), "packed");
        assert_eq!(
            response
                .attestation_object()
                .att_stmt()
                .x5c()
                .map(|c| c.len()),
            Some(1)
        );
        assert_eq!(
            response.verify_attestation_signature().unwrap(),
            AttestationSigner::Certificate,
            "{preference:?}"
        );
    }
}

#[test]
fn cred_props_reports_whether_the_credential_is_discoverable() {
    for (rk, discoverable) in [
        (ResidentKeyRequirement::REQUIRED, true),
        (ResidentKeyRequirement::DISCOURAGED, false),
    ] {
        let mut client = client(open(plain(3), Transport::InProcess), NoInteraction);
        let options = create_options(DISCOURAGED, rk).with_extensions(cred_props_input());
        let registration = client
            .make_credential(&options, &CancelToken::new())
            .expect("registration");
        let outputs = registration.client_extension_results();
        assert_eq!(
            outputs.cred_props,
            Some(CredentialPropertiesOutput::new(Some(discoverable)))
        );
        let json: serde_json::Value = serde_json::from_str(&registration.to_json()).unwrap();
        assert_eq!(
            json["clientExtensionResults"],
            serde_json::json!({"credProps": {"rk": discoverable}})
        );
    }
    // Not asked for: no output.
    let mut client = client(open(plain(3), Transport::InProcess), NoInteraction);
    let registration = client
        .make_credential(&create_options(DISCOURAGED, NO_RK), &CancelToken::new())
        .expect("registration");
    assert_eq!(registration.client_extension_results().cred_props, None);
}
