//! fido-webauthn's pure client pieces (not `Fido2Client`) against fido-authenticator's
//! in-process `virtual` device:
//! selection race with real CANCELs, the UV decision from a real getInfo, and
//! collector → pre-flight → assertion → signature check.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fido_authenticator::Config;
use fido_authenticator::presence::PresencePolicy;
use fido_authenticator::virtual_device::VirtualAuthenticator;
use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::{CancelToken, CtapDevice, CtaphidCommand, DeviceOpener, DeviceUri};
use fido_types::cose::CoseAlgorithm;
use fido_types::ctap2::{GetAssertionRequest, MakeCredentialRequest};
use fido_types::generated::{
    PublicKeyCredentialDescriptor, PublicKeyCredentialParameters, PublicKeyCredentialRpEntity,
    PublicKeyCredentialType, PublicKeyCredentialUserEntity,
};
use fido_types::status::CtapStatus;
use fido_types::webauthn::{AuthenticatorData, PublicKeyCredentialRequestOptions};
use fido_webauthn::assertion::AssertionSelection;
use fido_webauthn::collector::{ClientDataCollector, DefaultClientDataCollector};
use fido_webauthn::preflight::{Preflight, Probe};
use fido_webauthn::selection::select;
use fido_webauthn::uv::{
    BuiltInUvState, ClientPinState, Operation, UvDecision, UvInputs, UvRequirement, decide,
};

fn open(config: Config) -> Box<dyn CtapDevice> {
    let opener = DeviceOpener::new().with_virtual(Arc::new(VirtualAuthenticator::new(config)));
    opener.open(&DeviceUri::Virtual).expect("virtual device")
}

fn config() -> Config {
    Config {
        seed: Some(7),
        ..Config::default()
    }
}

#[test]
fn selection_race_cancels_the_slow_authenticator() {
    let mut devices = vec![
        open(Config {
            presence: PresencePolicy::Delay(Duration::from_secs(5)),
            ..config()
        }),
        open(Config {
            presence: PresencePolicy::Delay(Duration::from_millis(50)),
            ..config()
        }),
    ];
    let started = Instant::now();
    let selected = select(&mut devices, &CancelToken::new(), |_, device, cancel| {
        // authenticatorSelection (0x0B), no parameters.
        device.call(CtaphidCommand::CBOR, &[0x0B], cancel, &mut |_| {})
    })
    .expect("one device is touched");
    assert_eq!(selected.index, 1);
    assert_eq!(selected.value, [0x00]);
    // The 5 s device was cancelled (and joined) long before its touch.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn uv_decision_from_a_real_get_info() {
    let with_pin = Ctap2::new(open(Config {
        pin: Some("1234".into()),
        ..config()
    }))
    .unwrap();
    let inputs = UvInputs::from_info(
        with_pin.info(),
        UvRequirement::Preferred,
        Operation::GetAssertion,
    );
    assert_eq!(inputs.client_pin, ClientPinState::Set);
    // Built-in UV exists (simulated sensor) but no finger is enrolled yet.
    assert_eq!(inputs.built_in_uv, BuiltInUvState::NotConfigured);
    assert!(inputs.pin_uv_auth_token);
    assert_eq!(
        decide(&inputs).decision,
        UvDecision::PinToken {
            with_permissions: true
        }
    );

    let fresh = Ctap2::new(open(Config {
        builtin_uv: false,
        ..config()
    }))
    .unwrap();
    let inputs = UvInputs::from_info(
        fresh.info(),
        UvRequirement::Discouraged,
        Operation::GetAssertion,
    );
    assert_eq!(
        (inputs.client_pin, inputs.built_in_uv),
        (ClientPinState::NotSet, BuiltInUvState::Unsupported)
    );
    assert_eq!(decide(&inputs).decision, UvDecision::NoUv);
    // python-fido2: preferred on a key whose PIN is not set is CONFIGURATION_UNSUPPORTED.
    let preferred = UvInputs {
        requirement: UvRequirement::Preferred,
        ..inputs
    };
    assert_eq!(decide(&preferred).decision, UvDecision::NotConfigured);
}

#[test]
fn collector_preflight_and_assertion_end_to_end() {
    let mut ctap = Ctap2::new(open(Config {
        builtin_uv: false,
        ..config()
    }))
    .unwrap();
    let collector = DefaultClientDataCollector::from_origin("https://login.example.com");

    // Register a credential (no PIN set, discouraged UV: no token needed).
    let make = MakeCredentialRequest {
        client_data_hash: vec![0x11; 32],
        rp: PublicKeyCredentialRpEntity {
            id: "example.com".into(),
            name: Some("Example".into()),
        },
        user: PublicKeyCredentialUserEntity {
            id: b"user-1".to_vec(),
            name: Some("a.user".into()),
            display_name: None,
        },
        pub_key_cred_params: vec![PublicKeyCredentialParameters {
            alg: CoseAlgorithm::ES256,
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        }],
        ..Default::default()
    };
    let made = ctap.make_credential(&make).expect("makeCredential");
    let made_data = AuthenticatorData::from_bytes(&made.auth_data).unwrap();
    let attested = made_data
        .attested_credential_data()
        .expect("attested credential")
        .clone();
    let real = PublicKeyCredentialDescriptor {
        id: attested.credential_id().to_vec(),
        credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        transports: None,
    };
    let junk = |tag: u8| PublicKeyCredentialDescriptor {
        id: vec![tag; attested.credential_id().len()],
        credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        transports: None,
    };
    let allow = vec![junk(1), junk(2), real.clone(), junk(3), junk(4)];

    // The relying party asks for an assertion; the collector checks and hashes.
    let options = PublicKeyCredentialRequestOptions::new(b"server challenge".to_vec())
        .with_rp_id("example.com");
    let (client_data, rp_id) = collector.collect_client_data((&options).into()).unwrap();
    assert_eq!(rp_id, "example.com");

    // Pre-flight in batches of two with silent getAssertions (up: false).
    let preflight = Preflight::new(ctap.info().max_credential_id_length(), 2);
    let mut probes = 0;
    let found = preflight
        .find_match(&allow, |batch| {
            probes += 1;
            let request = GetAssertionRequest {
                rp_id: rp_id.clone(),
                client_data_hash: vec![0; 32],
                allow_list: Some(batch.iter().map(|c| (*c).clone()).collect()),
                options: Some([("up".to_owned(), false)].into_iter().collect()),
                ..Default::default()
            };
            match ctap.get_assertion(&request) {
                Ok(response) => Ok(Probe::Found(response.credential)),
                Err(e) if e.ctap_status() == Some(CtapStatus::NO_CREDENTIALS) => {
                    Ok(Probe::NoCredentials)
                }
                Err(e) => Err(e),
            }
        })
        .expect("pre-flight")
        .expect("a match");
    assert_eq!(found.id, real.id);
    assert_eq!(probes, 2, "found in the second batch");

    // The real assertion with just the match, then the WebAuthn response.
    let request = GetAssertionRequest {
        rp_id: rp_id.clone(),
        client_data_hash: client_data.hash().to_vec(),
        allow_list: Some(vec![found]),
        ..Default::default()
    };
    let assertions = ctap.get_assertions(&request).expect("getAssertion");
    let selection = AssertionSelection::new(client_data, assertions, Default::default());
    let response = selection.response(0).expect("response");
    assert_eq!(response.raw_id(), real.id.as_slice());
    response
        .response()
        .verify(attested.public_key())
        .expect("signature verifies");
}
