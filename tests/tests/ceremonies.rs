//! Register then authenticate through `Fido2Client`, in-process and over UDP: with a PIN,
//! with built-in UV, without UV, and on a U2F-only authenticator.

use std::sync::Arc;

use fido_authenticator::Config;
use fido_ctap::device::CancelToken;
use fido_tests::{Transport, client, create_options, enroll_finger, get_options, open};
use fido_types::webauthn::{
    AuthDataFlags, RegistrationResponse, ResidentKeyRequirement, UserVerificationRequirement,
};
use fido_webauthn::Fido2Client;
use fido_webauthn::interaction::{InteractionEvent, NoInteraction, ScriptedInteraction};

const REQUIRED: UserVerificationRequirement = UserVerificationRequirement::REQUIRED;
const DISCOURAGED: UserVerificationRequirement = UserVerificationRequirement::DISCOURAGED;
const NO_RK: ResidentKeyRequirement = ResidentKeyRequirement::DISCOURAGED;

/// Registers, authenticates with the new credential, and checks the assertion's signature
/// and the UV flag of both.
fn round_trip(client: &mut Fido2Client, uv: UserVerificationRequirement, verified: bool) {
    let cancel = CancelToken::new();
    let registration: RegistrationResponse = client
        .make_credential(&create_options(uv.clone(), NO_RK), &cancel)
        .expect("registration");
    let attestation = registration.response();
    assert_eq!(
        attestation
            .authenticator_data()
            .flags()
            .contains(AuthDataFlags::USER_VERIFIED),
        verified
    );
    let public_key = attestation.public_key().clone();
    let selection = client
        .get_assertion(&get_options(&[registration.raw_id().to_vec()], uv), &cancel)
        .expect("assertion");
    assert_eq!(selection.len(), 1);
    let response = selection.response(0).expect("response");
    assert_eq!(response.raw_id(), registration.raw_id());
    let flags = response.response().authenticator_data().flags();
    assert!(flags.contains(AuthDataFlags::USER_PRESENT));
    assert_eq!(flags.contains(AuthDataFlags::USER_VERIFIED), verified);
    response
        .response()
        .verify(&public_key)
        .expect("the assertion verifies with the registered key");
}

#[test]
fn pin() {
    for transport in Transport::ALL {
        let config = Config {
            seed: Some(1),
            pin: Some("1234".into()),
            builtin_uv: false,
            ..Config::default()
        };
        let ui = Arc::new(ScriptedInteraction::new().with_pins(["1234", "1234"]));
        let mut client = client(open(config, transport), Arc::clone(&ui));
        round_trip(&mut client, REQUIRED, true);
        let pins = ui
            .events()
            .iter()
            .filter(|e| matches!(e, InteractionEvent::RequestPin { .. }))
            .count();
        assert_eq!(pins, 2, "{transport:?}: one PIN per ceremony");
    }
}

#[test]
fn built_in_uv() {
    for transport in Transport::ALL {
        let config = Config {
            seed: Some(2),
            pin: Some("123456".into()),
            builtin_uv: true,
            ..Config::default()
        };
        let device = enroll_finger(open(config, transport), "123456");
        // No PIN is scripted: the fingerprint must do.
        let ui = Arc::new(ScriptedInteraction::new());
        let mut client = client(device, Arc::clone(&ui));
        round_trip(&mut client, REQUIRED, true);
        let events = ui.events();
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, InteractionEvent::RequestPin { .. })),
            "{transport:?}: {events:?}"
        );
        assert!(
            events
                .iter()
                .any(|e| matches!(e, InteractionEvent::RequestUv { .. })),
            "{transport:?}: {events:?}"
        );
    }
}

#[test]
fn u2f_only() {
    for transport in Transport::ALL {
        let config = Config {
            seed: Some(3),
            u2f_only: true,
            ..Config::default()
        };
        let mut client = client(open(config, transport), NoInteraction);
        assert!(client.is_u2f(), "{transport:?}");
        round_trip(&mut client, DISCOURAGED, false);
    }
}

#[test]
fn without_uv() {
    for transport in Transport::ALL {
        let config = Config {
            seed: Some(4),
            builtin_uv: false,
            ..Config::default()
        };
        let mut client = client(open(config, transport), NoInteraction);
        assert!(!client.is_u2f());
        round_trip(&mut client, DISCOURAGED, false);
    }
}
