//! Fido2Client against fido-authenticator's in-process virtual authenticator.

use std::sync::Arc;

use fido_authenticator::Config;
use fido_authenticator::presence::PresencePolicy;
use fido_authenticator::virtual_device::VirtualAuthenticator;
use fido_ctap::device::{DeviceOpener, DeviceUri};
use fido_types::cose::CoseAlgorithm;
use fido_types::error::{ClientError, ClientErrorCode};
use fido_types::webauthn::{
    AttestationConveyancePreference, AttestationSigner, AuthDataFlags,
    AuthenticationExtensionsClientInputs, AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor as WebDescriptor, PublicKeyCredentialParameters as WebParams,
    PublicKeyCredentialRpEntity as WebRp, PublicKeyCredentialUserEntity as WebUser,
    ResidentKeyRequirement, UserVerificationRequirement,
};

use super::*;
use crate::collector::DefaultClientDataCollector;
use crate::interaction::{InteractionEvent, NoInteraction, ScriptedInteraction};

fn device(config: Config) -> Box<dyn CtapDevice> {
    let opener = DeviceOpener::new().with_virtual(Arc::new(VirtualAuthenticator::new(config)));
    opener.open(&DeviceUri::Virtual).expect("virtual device")
}

fn plain_config() -> Config {
    Config {
        seed: Some(3),
        builtin_uv: false,
        ..Config::default()
    }
}

fn client(config: Config, ui: impl UserInteraction + Send + Sync + 'static) -> Fido2Client {
    Fido2Client::new(
        device(config),
        DefaultClientDataCollector::from_origin("https://login.example.com"),
        ui,
    )
    .expect("client")
}

fn create_options(
    user: &[u8],
    uv: UserVerificationRequirement,
    rk: ResidentKeyRequirement,
) -> PublicKeyCredentialCreationOptions {
    let mut selection = AuthenticatorSelectionCriteria::default();
    selection.user_verification = Some(uv);
    selection.resident_key = Some(rk);
    PublicKeyCredentialCreationOptions::new(
        WebRp::new(Some("example.com".into()), "Example"),
        WebUser::new(user.to_vec(), "a.user", "A. User"),
        b"registration challenge".to_vec(),
        vec![WebParams::public_key(CoseAlgorithm::ES256)],
    )
    .with_authenticator_selection(selection)
}

fn get_options(
    allow: Vec<WebDescriptor>,
    uv: UserVerificationRequirement,
) -> PublicKeyCredentialRequestOptions {
    PublicKeyCredentialRequestOptions::new(b"authentication challenge".to_vec())
        .with_rp_id("example.com")
        .with_allow_credentials(allow)
        .with_user_verification(uv)
}

const DISCOURAGED: UserVerificationRequirement = UserVerificationRequirement::DISCOURAGED;
const NO_RK: ResidentKeyRequirement = ResidentKeyRequirement::DISCOURAGED;

#[test]
fn register_then_authenticate_without_uv() {
    let mut client = client(plain_config(), NoInteraction);
    let cancel = CancelToken::new();
    let registration = client
        .make_credential(&create_options(b"user-1", DISCOURAGED, NO_RK), &cancel)
        .expect("registration");
    let attestation = registration.response();
    assert_eq!(
        attestation.client_data().type_(),
        CollectedClientData::TYPE_CREATE
    );
    assert_eq!(
        attestation.client_data().origin(),
        "https://login.example.com"
    );
    let public_key = attestation.public_key().clone();
    let flags = attestation.authenticator_data().flags();
    assert!(
        flags.contains(AuthDataFlags::USER_PRESENT)
            && !flags.contains(AuthDataFlags::USER_VERIFIED)
    );

    // The allow list has a stranger first: pre-flight finds the real one.
    let allow = vec![
        WebDescriptor::public_key(vec![0xAB; registration.raw_id().len()]),
        WebDescriptor::public_key(registration.raw_id().to_vec()),
    ];
    let selection = client
        .get_assertion(&get_options(allow, DISCOURAGED), &cancel)
        .expect("assertion");
    assert_eq!(selection.len(), 1);
    let response = selection.response(0).expect("response");
    assert_eq!(response.raw_id(), registration.raw_id());
    response
        .response()
        .verify(&public_key)
        .expect("signature verifies");
}

#[test]
fn pin_is_asked_and_used() {
    let ui = Arc::new(ScriptedInteraction::new().with_pins(["1234", "1234"]));
    let mut client = client(
        Config {
            pin: Some("1234".into()),
            ..plain_config()
        },
        Arc::clone(&ui),
    );
    let cancel = CancelToken::new();
    let preferred = UserVerificationRequirement::PREFERRED;
    let registration = client
        .make_credential(
            &create_options(b"user-1", preferred.clone(), NO_RK),
            &cancel,
        )
        .expect("registration with PIN");
    assert!(
        registration
            .response()
            .authenticator_data()
            .flags()
            .contains(AuthDataFlags::USER_VERIFIED)
    );
    let allow = vec![WebDescriptor::public_key(registration.raw_id().to_vec())];
    let selection = client
        .get_assertion(&get_options(allow, preferred), &cancel)
        .expect("assertion with PIN");
    let response = selection.response(0).unwrap();
    assert!(
        response
            .response()
            .authenticator_data()
            .flags()
            .contains(AuthDataFlags::USER_VERIFIED)
    );
    let pins: Vec<_> = ui
        .events()
        .into_iter()
        .filter_map(|e| match e {
            InteractionEvent::RequestPin {
                permissions,
                rp_id,
                answered,
            } => Some((permissions, rp_id, answered)),
            _ => None,
        })
        .collect();
    assert_eq!(
        pins,
        [
            (
                Permissions::MAKE_CREDENTIAL,
                Some("example.com".to_owned()),
                true
            ),
            (
                Permissions::GET_ASSERTION,
                Some("example.com".to_owned()),
                true
            ),
        ]
    );
}

#[test]
fn pin_required_without_a_pin() {
    let mut client = client(
        Config {
            pin: Some("1234".into()),
            ..plain_config()
        },
        NoInteraction,
    );
    let err = client
        .make_credential(
            &create_options(b"user-1", UserVerificationRequirement::REQUIRED, NO_RK),
            &CancelToken::new(),
        )
        .unwrap_err();
    assert!(matches!(err, Error::PinRequired(_)), "{err:?}");
    let client_error = ClientError::from(err);
    assert_eq!(client_error.code(), ClientErrorCode::BAD_REQUEST);
    assert!(client_error.is_pin_required());
}

#[test]
fn wrong_pin_is_a_bad_request_with_the_status() {
    let ui = ScriptedInteraction::new().with_pins(["9999"]);
    let mut client = client(
        Config {
            pin: Some("1234".into()),
            ..plain_config()
        },
        ui,
    );
    let err = client
        .make_credential(
            &create_options(b"user-1", UserVerificationRequirement::REQUIRED, NO_RK),
            &CancelToken::new(),
        )
        .unwrap_err();
    assert_eq!(
        err.ctap_status(),
        Some(fido_types::status::CtapStatus::PIN_INVALID)
    );
    assert_eq!(err.code(), ClientErrorCode::BAD_REQUEST);
}

#[test]
fn excluded_credential_makes_the_device_ineligible() {
    let mut client = client(plain_config(), NoInteraction);
    let cancel = CancelToken::new();
    let first = client
        .make_credential(&create_options(b"user-1", DISCOURAGED, NO_RK), &cancel)
        .unwrap();
    let again = create_options(b"user-1", DISCOURAGED, NO_RK)
        .with_exclude_credentials(vec![WebDescriptor::public_key(first.raw_id().to_vec())]);
    let err = client.make_credential(&again, &cancel).unwrap_err();
    assert_eq!(
        err.ctap_status(),
        Some(fido_types::status::CtapStatus::CREDENTIAL_EXCLUDED)
    );
    assert_eq!(err.code(), ClientErrorCode::DEVICE_INELIGIBLE);
}

#[test]
fn unknown_credentials_make_the_device_ineligible() {
    let mut client = client(plain_config(), NoInteraction);
    let allow = vec![WebDescriptor::public_key(vec![0x42; 32])];
    let err = client
        .get_assertion(&get_options(allow, DISCOURAGED), &CancelToken::new())
        .unwrap_err();
    assert_eq!(
        err.ctap_status(),
        Some(fido_types::status::CtapStatus::NO_CREDENTIALS)
    );
    assert_eq!(err.code(), ClientErrorCode::DEVICE_INELIGIBLE);
}

#[test]
fn discoverable_credentials_give_one_assertion_each() {
    let mut client = client(plain_config(), NoInteraction);
    let cancel = CancelToken::new();
    for user in [&b"user-1"[..], b"user-2"] {
        client
            .make_credential(
                &create_options(user, DISCOURAGED, ResidentKeyRequirement::REQUIRED),
                &cancel,
            )
            .expect("discoverable registration");
    }
    let selection = client
        .get_assertion(&get_options(Vec::new(), DISCOURAGED), &cancel)
        .expect("assertions");
    assert_eq!(selection.len(), 2);
    let mut handles: Vec<Vec<u8>> = (0..2)
        .map(|i| {
            selection
                .response(i)
                .unwrap()
                .response()
                .user_handle()
                .unwrap()
                .to_vec()
        })
        .collect();
    handles.sort();
    assert_eq!(handles, [b"user-1".to_vec(), b"user-2".to_vec()]);
}

#[test]
fn rp_id_is_checked_before_the_device_is_used() {
    let mut client = client(plain_config(), NoInteraction);
    let options = PublicKeyCredentialRequestOptions::new(b"c".to_vec()).with_rp_id("evil.com");
    let err = client
        .get_assertion(&options, &CancelToken::new())
        .unwrap_err();
    assert!(matches!(err, Error::RpId(_)), "{err:?}");
    assert_eq!(err.code(), ClientErrorCode::BAD_REQUEST);
}

#[test]
fn selection_waits_for_a_touch() {
    let mut client = client(plain_config(), NoInteraction);
    client.selection(&CancelToken::new()).expect("touched");
    let mut refused = client_with(Config {
        presence: PresencePolicy::Deny,
        ..plain_config()
    });
    let err = refused.selection(&CancelToken::new()).unwrap_err();
    assert!(err.ctap_status().is_some(), "{err:?}");
    // A cancelled token ends the wait.
    let mut slow = client_with(Config {
        presence: PresencePolicy::Delay(std::time::Duration::from_secs(5)),
        ..plain_config()
    });
    let cancel = CancelToken::new();
    let for_timer = cancel.clone();
    let timer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        for_timer.cancel();
    });
    let started = std::time::Instant::now();
    let err = slow.selection(&cancel).unwrap_err();
    timer.join().unwrap();
    assert_eq!(err.code(), ClientErrorCode::TIMEOUT, "{err:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
}

fn client_with(config: Config) -> Fido2Client {
    client(config, NoInteraction)
}

#[test]
fn the_options_timeout_cancels_a_slow_touch() {
    let mut slow = client_with(Config {
        presence: PresencePolicy::Delay(std::time::Duration::from_secs(5)),
        ..plain_config()
    });
    let options = create_options(b"user-1", DISCOURAGED, NO_RK).with_timeout(100);
    let started = std::time::Instant::now();
    let err = slow
        .make_credential(&options, &CancelToken::new())
        .unwrap_err();
    assert_eq!(err.code(), ClientErrorCode::TIMEOUT, "{err:?}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // The client is still usable afterwards.
    assert!(slow.info().is_some());
}

fn u2f_config() -> Config {
    Config {
        u2f_only: true,
        ..plain_config()
    }
}

#[test]
fn u2f_device_registers_and_authenticates() {
    let mut client = client_with(u2f_config());
    assert!(client.is_u2f());
    assert!(client.info().is_none());
    let cancel = CancelToken::new();
    let mut options = create_options(b"user-1", DISCOURAGED, NO_RK);
    options.attestation = Some(AttestationConveyancePreference::DIRECT);
    options.extensions = Some(cred_props_input());
    let registration = client
        .make_credential(&options, &cancel)
        .expect("U2F registration");
    // U2F credentials are never discoverable.
    assert_eq!(
        registration.client_extension_results().cred_props,
        Some(CredentialPropertiesOutput::new(Some(false)))
    );
    let attestation = registration.response();
    assert_eq!(attestation.attestation_object().fmt(), "fido-u2f");
    let public_key = attestation.public_key().clone();
    let allow = vec![
        WebDescriptor::public_key(vec![0x55; registration.raw_id().len()]),
        WebDescriptor::public_key(registration.raw_id().to_vec()),
    ];
    let selection = client
        .get_assertion(&get_options(allow, DISCOURAGED), &cancel)
        .expect("U2F assertion");
    let response = selection.response(0).unwrap();
    assert_eq!(response.raw_id(), registration.raw_id());
    assert!(
        response
            .response()
            .authenticator_data()
            .flags()
            .contains(AuthDataFlags::USER_PRESENT)
    );
    response
        .response()
        .verify(&public_key)
        .expect("U2F signature verifies as WebAuthn");
    client
        .selection(&cancel)
        .expect("U2F selection by dummy registration");
}

#[test]
fn u2f_refusals() {
    let mut client = client_with(u2f_config());
    let cancel = CancelToken::new();
    let required = create_options(b"user-1", UserVerificationRequirement::REQUIRED, NO_RK);
    assert_eq!(
        client
            .make_credential(&required, &cancel)
            .unwrap_err()
            .code(),
        ClientErrorCode::CONFIGURATION_UNSUPPORTED
    );
    let first = client
        .make_credential(&create_options(b"user-1", DISCOURAGED, NO_RK), &cancel)
        .unwrap();
    let excluded = create_options(b"user-1", DISCOURAGED, NO_RK)
        .with_exclude_credentials(vec![WebDescriptor::public_key(first.raw_id().to_vec())]);
    assert_eq!(
        client
            .make_credential(&excluded, &cancel)
            .unwrap_err()
            .code(),
        ClientErrorCode::DEVICE_INELIGIBLE
    );
    let unknown = get_options(vec![WebDescriptor::public_key(vec![0x42; 64])], DISCOURAGED);
    assert_eq!(
        client.get_assertion(&unknown, &cancel).unwrap_err().code(),
        ClientErrorCode::DEVICE_INELIGIBLE
    );
}

/// A virtual authenticator with PIN "123456" and one enrolled finger, whose sensor
/// answers as `verification` says.
fn enrolled_device(verification: PresencePolicy) -> Box<dyn CtapDevice> {
    use fido_ctap::pin::Session;
    use fido_types::generated::{BioEnrollmentParams, BioEnrollmentSubCommand, BioModality};
    use fido_types::pin_protocol::{Pin, ProtocolTwo};
    let device = device(Config {
        seed: Some(5),
        pin: Some("123456".into()),
        builtin_uv: true,
        verification,
        ..Config::default()
    });
    let mut session = Session::<_, ProtocolTwo>::new(Ctap2::new(device).unwrap()).unwrap();
    {
        let mut token = session
            .pin_token::<fido_ctap::perms![BioEnrollment]>(&Pin::new("123456").unwrap())
            .unwrap();
        let begin = token
            .bio_enrollment(
                BioModality::FINGERPRINT,
                BioEnrollmentSubCommand::ENROLL_BEGIN,
                Some(BioEnrollmentParams {
                    timeout_milliseconds: Some(10_000),
                    ..Default::default()
                }),
            )
            .unwrap();
        let template = begin.template_id.clone().unwrap();
        let mut remaining = begin.remaining_samples.unwrap();
        while remaining > 0 {
            let params = BioEnrollmentParams {
                template_id: Some(template.clone()),
                ..Default::default()
            };
            remaining = token
                .bio_enrollment(
                    BioModality::FINGERPRINT,
                    BioEnrollmentSubCommand::ENROLL_CAPTURE_NEXT_SAMPLE,
                    Some(params),
                )
                .unwrap()
                .remaining_samples
                .unwrap();
        }
    }
    session.into_ctap().into_device()
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

fn collector() -> DefaultClientDataCollector {
    DefaultClientDataCollector::from_origin("https://login.example.com")
}

#[test]
fn built_in_uv_is_preferred_over_the_pin() {
    let ui = Arc::new(ScriptedInteraction::new().with_pins(["123456"]));
    let mut client = Fido2Client::new(
        enrolled_device(PresencePolicy::Approve),
        collector(),
        Arc::clone(&ui),
    )
    .unwrap();
    let registration = client
        .make_credential(
            &create_options(b"user-1", UserVerificationRequirement::REQUIRED, NO_RK),
            &CancelToken::new(),
        )
        .expect("registration with built-in UV");
    assert!(
        registration
            .response()
            .authenticator_data()
            .flags()
            .contains(AuthDataFlags::USER_VERIFIED)
    );
    assert_eq!(uv_and_pin_requests(&ui), (1, 0));
}

#[test]
fn declined_uv_uses_the_pin() {
    let ui = Arc::new(
        ScriptedInteraction::new()
            .with_pins(["123456"])
            .with_uv(false),
    );
    let mut client = Fido2Client::new(
        enrolled_device(PresencePolicy::Approve),
        collector(),
        Arc::clone(&ui),
    )
    .unwrap();
    let registration = client
        .make_credential(
            &create_options(b"user-1", UserVerificationRequirement::REQUIRED, NO_RK),
            &CancelToken::new(),
        )
        .expect("registration with the PIN");
    assert!(
        registration
            .response()
            .authenticator_data()
            .flags()
            .contains(AuthDataFlags::USER_VERIFIED)
    );
    assert_eq!(uv_and_pin_requests(&ui), (1, 1));
}

#[test]
fn failed_fingerprints_fall_back_to_the_pin() {
    let ui = Arc::new(ScriptedInteraction::new().with_pins(["123456"]));
    let mut client = Fido2Client::new(
        enrolled_device(PresencePolicy::Deny),
        collector(),
        Arc::clone(&ui),
    )
    .unwrap();
    let attempts = client
        .info()
        .unwrap()
        .preferred_platform_uv_attempts()
        .clamp(1, UvRetry::MAX_UV_ATTEMPTS);
    let registration = client
        .make_credential(
            &create_options(b"user-1", UserVerificationRequirement::REQUIRED, NO_RK),
            &CancelToken::new(),
        )
        .expect("registration after UV_INVALID, with the PIN");
    assert!(
        registration
            .response()
            .authenticator_data()
            .flags()
            .contains(AuthDataFlags::USER_VERIFIED)
    );
    // One consent per UV attempt (each ended in UV_INVALID), then the PIN once.
    assert_eq!(
        uv_and_pin_requests(&ui),
        (usize::try_from(attempts).unwrap(), 1)
    );
}

fn cred_props_input() -> AuthenticationExtensionsClientInputs {
    let mut inputs = AuthenticationExtensionsClientInputs::default();
    inputs.cred_props = Some(true);
    inputs
}

/// Registers with `attestation` on an authenticator attesting as `config` says.
fn register_with(
    config: Config,
    attestation: Option<AttestationConveyancePreference>,
) -> RegistrationResponse {
    let mut client = client(config, NoInteraction);
    let mut options = create_options(b"user-1", DISCOURAGED, NO_RK);
    options.attestation = attestation;
    client
        .make_credential(&options, &CancelToken::new())
        .expect("registration")
}

#[test]
fn none_strips_basic_attestation() {
    let basic = || Config {
        attestation: fido_authenticator::Attestation::Basic,
        ..plain_config()
    };
    for preference in [None, Some(AttestationConveyancePreference::NONE)] {
        let registration = register_with(basic(), preference.clone());
        let object = registration.response().attestation_object();
        assert_eq!(object.fmt(), "none", "{preference:?}");
        assert!(object.att_stmt().is_empty());
        // L3 keeps the AAGUID (Level 2 zeroed it).
        let acd = object.auth_data().attested_credential_data().unwrap();
        assert_eq!(acd.aaguid().as_bytes(), &fido_authenticator::AAGUID);
        assert_eq!(
            registration
                .response()
                .verify_attestation_signature()
                .unwrap(),
            AttestationSigner::None
        );
    }
    // Non-zero AAGUID with self attestation is not a §5.1.3 self attestation: stripped too.
    let registration = register_with(plain_config(), None);
    assert_eq!(registration.response().attestation_object().fmt(), "none");
}

#[test]
fn none_keeps_a_zero_aaguid_self_attestation() {
    let config = Config {
        aaguid: [0; 16],
        ..plain_config()
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
        let config = Config {
            attestation: fido_authenticator::Attestation::Basic,
            ..plain_config()
        };
        let registration = register_with(config, Some(preference.clone()));
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
        let mut client = client(plain_config(), NoInteraction);
        let options =
            create_options(b"user-1", DISCOURAGED, rk).with_extensions(cred_props_input());
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
    let mut client = client(plain_config(), NoInteraction);
    let registration = client
        .make_credential(
            &create_options(b"user-1", DISCOURAGED, NO_RK),
            &CancelToken::new(),
        )
        .expect("registration");
    assert_eq!(registration.client_extension_results().cred_props, None);
}
