//! The `fido` binary's `register --json` / `authenticate --json` output, against the
//! virtual authenticator over UDP: it parses as WebAuthn L3 JSON and verifies.

use fido_authenticator::{Attestation, Config};
use fido_tests::{ORIGIN, RP_ID, serve_udp};
use fido_types::webauthn::{
    AttestationSigner, AuthenticationResponse, ClientDataType, CredentialPropertiesOutput,
    RegistrationResponse, base64url,
};

use fido_tests::fido_command as fido;

/// Runs `fido ARGS`, expecting success; returns stdout.
fn run(args: &[&str]) -> String {
    let output = fido().args(args).output().expect("run fido");
    assert!(
        output.status.success(),
        "fido {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn register_and_authenticate_json_parse_and_verify() {
    let addr = serve_udp(Config {
        seed: Some(11),
        builtin_uv: false,
        pin: Some("1234".into()),
        attestation: Attestation::Basic,
        ..Config::default()
    });
    let device = format!("udp:{addr}");
    let common = [
        "--device",
        &device,
        "--origin",
        ORIGIN,
        "--rp-id",
        RP_ID,
        "--user-verification",
        "required",
        "--pin",
        "1234",
        "--json",
    ];

    let challenge = base64url::encode(b"a registration challenge");
    let out = run(&[
        &[
            "register",
            "--challenge",
            &challenge,
            "--attestation",
            "direct",
            "--resident-key",
            "required",
            "--cred-props",
        ][..],
        &common,
    ]
    .concat());
    assert_eq!(out.lines().count(), 1, "one JSON line: {out}");
    let registration = RegistrationResponse::from_json(&out).expect("RegistrationResponseJSON");
    let response = registration.response();
    let client_data = response.client_data();
    assert_eq!(client_data.type_(), ClientDataType::CREATE.as_str());
    assert_eq!(client_data.challenge(), b"a registration challenge");
    assert_eq!(client_data.origin(), ORIGIN);
    assert!(response.authenticator_data().flags().user_verified());
    assert_eq!(response.attestation_object().fmt(), "packed");
    assert_eq!(
        response
            .verify_attestation_signature()
            .expect("attestation"),
        AttestationSigner::Certificate
    );
    assert_eq!(
        registration.client_extension_results().cred_props,
        Some(CredentialPropertiesOutput::new(Some(true)))
    );

    let challenge = base64url::encode(b"an authentication challenge");
    let id = registration.id();
    let out = run(&[
        &[
            "authenticate",
            "--challenge",
            &challenge,
            "--credential",
            &id,
        ][..],
        &common,
    ]
    .concat());
    let assertion = AuthenticationResponse::from_json(&out).expect("AuthenticationResponseJSON");
    assert_eq!(assertion.raw_id(), registration.raw_id());
    let signed = assertion.response();
    assert_eq!(signed.client_data().type_(), ClientDataType::GET.as_str());
    assert_eq!(
        signed.client_data().challenge(),
        b"an authentication challenge"
    );
    assert_eq!(
        signed.authenticator_data().rp_id_hash(),
        response.authenticator_data().rp_id_hash()
    );
    signed
        .verify(response.public_key())
        .expect("the assertion verifies with the registered key");

    // Without --attestation the WebAuthn default, none, replaces basic attestation.
    let out = run(&[&["register"][..], &common].concat());
    let registration = RegistrationResponse::from_json(&out).expect("RegistrationResponseJSON");
    let object = registration.response().attestation_object();
    assert_eq!(object.fmt(), "none");
    assert!(object.att_stmt().is_empty());
}
