//! How `Fido2Client` verifies the user on an authenticator with a PIN and an enrolled
//! finger: built-in UV first, the PIN when the user declines UV or the fingerprint keeps
//! failing.

use std::sync::Arc;

use fido_authenticator::Config;
use fido_authenticator::presence::PresencePolicy;
use fido_ctap::device::{CancelToken, CtapDevice};
use fido_tests::{Transport, client, create_options, enroll_finger, open};
use fido_types::webauthn::{
    AuthDataFlags, RegistrationResponse, ResidentKeyRequirement, UserVerificationRequirement,
};
use fido_webauthn::Fido2Client;
use fido_webauthn::interaction::{InteractionEvent, ScriptedInteraction};
use fido_webauthn::uv::UvRetry;

/// A virtual authenticator with PIN "123456" and one enrolled finger, whose sensor
/// answers as `verification` says.
fn enrolled_device(verification: PresencePolicy) -> Box<dyn CtapDevice> {
    let config = Config {
        seed: Some(5),
        pin: Some("123456".into()),
        builtin_uv: true,
        verification,
        ..Config::default()
    };
    enroll_finger(open(config, Transport::InProcess), "123456")
}

fn uv_and_pin_requests(ui: &ScriptedInteraction) -> (usize, usize) {
    let events = ui.events();
    let uv = events
        .iter()
        .filter(|e| matches!(e, InteractionEvent::RequestUv { .. }))
        .count();
    let pin = events
        .iter()
        .filter(|e| matches!(e, InteractionEvent::RequestPin { .. }))
        .count();
    (uv, pin)
}

/// Registers with user verification required; the credential must be verified.
fn register_verified(client: &mut Fido2Client) {
    let registration: RegistrationResponse = client
        .make_credential(
            &create_options(
                UserVerificationRequirement::REQUIRED,
                ResidentKeyRequirement::DISCOURAGED,
            ),
            &CancelToken::new(),
        )
        .expect("verified registration");
    assert!(
        registration
            .response()
            .authenticator_data()
            .flags()
            .contains(AuthDataFlags::USER_VERIFIED)
    );
}

#[test]
fn built_in_uv_is_preferred_over_the_pin() {
    let ui = Arc::new(ScriptedInteraction::new().with_pins(["123456"]));
    let mut client = client(enrolled_device(PresencePolicy::Approve), Arc::clone(&ui));
    register_verified(&mut client);
    assert_eq!(uv_and_pin_requests(&ui), (1, 0));
}

#[test]
fn declined_uv_uses_the_pin() {
    let ui = Arc::new(
        ScriptedInteraction::new()
            .with_pins(["123456"])
            .with_uv(false),
    );
    let mut client = client(enrolled_device(PresencePolicy::Approve), Arc::clone(&ui));
    register_verified(&mut client);
    assert_eq!(uv_and_pin_requests(&ui), (1, 1));
}

#[test]
fn failed_fingerprints_fall_back_to_the_pin() {
    let ui = Arc::new(ScriptedInteraction::new().with_pins(["123456"]));
    let mut client = client(enrolled_device(PresencePolicy::Deny), Arc::clone(&ui));
    let attempts = client
        .info()
        .unwrap()
        .preferred_platform_uv_attempts()
        .clamp(1, UvRetry::MAX_UV_ATTEMPTS);
    register_verified(&mut client);
    // One consent per UV attempt (each ended in UV_INVALID), then the PIN once.
    assert_eq!(
        uv_and_pin_requests(&ui),
        (usize::try_from(attempts).unwrap(), 1)
    );
}
