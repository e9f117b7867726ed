//! Register then authenticate through `Fido2Client`, in-process and over UDP: with a PIN,
//! with built-in UV, without UV, and on a U2F-only authenticator; what the client data,
//! the PIN prompts, discoverable credentials and U2F registrations look like.

use std::sync::Arc;

use fido_authenticator::Config;
use fido_ctap::device::CancelToken;
use fido_tests::{
    ORIGIN, RP_ID, Transport, client, create_options, cred_props_input, enroll_finger, get_options,
    open, plain,
};
use fido_types::generated::Permissions;
use fido_types::webauthn::{
    AttestationConveyancePreference, AuthDataFlags, ClientDataType, CredentialPropertiesOutput,
    PublicKeyCredentialUserEntity, RegistrationResponse, ResidentKeyRequirement,
    UserVerificationRequirement,
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

#[test]
fn client_data_and_a_stranger_first_in_the_allow_list() {
    let mut client = client(open(plain(3), Transport::InProcess), NoInteraction);
    let cancel = CancelToken::new();
    let registration = client
        .make_credential(&create_options(DISCOURAGED, NO_RK), &cancel)
        .expect("registration");
    let attestation = registration.response();
    assert_eq!(
        attestation.client_data().type_(),
        ClientDataType::CREATE.as_str()
    );
    assert_eq!(attestation.client_data().origin(), ORIGIN);
    let public_key = attestation.public_key().clone();
    let flags = attestation.authenticator_data().flags();
    assert!(
        flags.contains(AuthDataFlags::USER_PRESENT)
            && !flags.contains(AuthDataFlags::USER_VERIFIED)
    );

    // The allow list has a stranger first: the real one is still found.
    let allow = [
        vec![0xAB; registration.raw_id().len()],
        registration.raw_id().to_vec(),
    ];
    let selection = client
        .get_assertion(&get_options(&allow, DISCOURAGED), &cancel)
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
fn pin_requests_name_the_permissions_and_rp_id() {
    let ui = Arc::new(ScriptedInteraction::new().with_pins(["1234", "1234"]));
    let config = Config {
        pin: Some("1234".into()),
        ..plain(3)
    };
    let mut client = client(open(config, Transport::InProcess), Arc::clone(&ui));
    round_trip(&mut client, UserVerificationRequirement::PREFERRED, true);
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
            (Permissions::MAKE_CREDENTIAL, Some(RP_ID.to_owned()), true),
            (Permissions::GET_ASSERTION, Some(RP_ID.to_owned()), true),
        ]
    );
}

#[test]
fn discoverable_credentials_give_one_assertion_each() {
    let mut client = client(open(plain(3), Transport::InProcess), NoInteraction);
    let cancel = CancelToken::new();
    for user in [&b"user-1"[..], b"user-2"] {
        let mut options = create_options(DISCOURAGED, ResidentKeyRequirement::REQUIRED);
        options.user = PublicKeyCredentialUserEntity::new(user.to_vec(), "a.user", "A. User");
        client
            .make_credential(&options, &cancel)
            .expect("discoverable registration");
    }
    let selection = client
        .get_assertion(&get_options(&[], DISCOURAGED), &cancel)
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
fn u2f_registration_is_fido_u2f_and_never_discoverable() {
    let config = Config {
        u2f_only: true,
        ..plain(3)
    };
    let mut client = client(open(config, Transport::InProcess), NoInteraction);
    assert!(client.is_u2f());
    assert!(client.info().is_none());
    let cancel = CancelToken::new();
    let mut options = create_options(DISCOURAGED, NO_RK);
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
    let allow = [
        vec![0x55; registration.raw_id().len()],
        registration.raw_id().to_vec(),
    ];
    let selection = client
        .get_assertion(&get_options(&allow, DISCOURAGED), &cancel)
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
