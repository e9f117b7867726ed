//! appid and appidExclude (WebAuthn L3 §10.1.1, §10.1.2) on a U2F-only virtual
//! authenticator and on a CTAP2 one (the CTAP2 backend), in-process and over UDP: a key
//! handle registered through U2F under an AppID URL signs when `appid` names it, and
//! excludes a registration when `appidExclude` does.

mod extensions_support;

use std::time::Duration;

use extensions_support::{Shared, inputs};
use fido_authenticator::Config;
use fido_ctap::ctap1::Ctap1;
use fido_ctap::device::CancelToken;
use fido_tests::{Transport, create_options, get_options};
use fido_types::error::ClientErrorCode;
use fido_types::generated::{CommandCode, PinUvAuthProtocol};
use fido_types::webauthn::{ResidentKeyRequirement, UserVerificationRequirement};
use fido_webauthn::u2f::app_param;

const APP_ID: &str = "https://www.example.com/u2f-app-id.json";
const DISCOURAGED: UserVerificationRequirement = UserVerificationRequirement::DISCOURAGED;
const REQUIRED: UserVerificationRequirement = UserVerificationRequirement::REQUIRED;

/// Registers through U2F directly under `APP_ID`'s application parameter.
fn legacy_key_handle(shared: &Shared) -> Vec<u8> {
    let mut ctap1 = Ctap1::new(shared.device());
    for _ in 0..200 {
        match ctap1.register(&[0x11; 32], &app_param(APP_ID)) {
            Ok(registration) => return registration.key_handle().to_vec(),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    panic!("U2F registration never completed");
}

fn u2f_only() -> Config {
    Config {
        seed: Some(51),
        u2f_only: true,
        builtin_uv: false,
        ..Config::default()
    }
}

#[test]
fn appid_signs_with_a_legacy_key_handle() {
    for transport in Transport::ALL {
        let shared = Shared::new(u2f_only(), transport);
        let kh = legacy_key_handle(&shared);
        let (mut client, _) = shared.client(PinUvAuthProtocol::TWO);
        assert!(client.is_u2f());

        let without = get_options(std::slice::from_ref(&kh), DISCOURAGED);
        let error = client
            .get_assertion(&without, &CancelToken::new())
            .unwrap_err();
        assert_eq!(
            error.code(),
            ClientErrorCode::DEVICE_INELIGIBLE,
            "{transport:?}"
        );

        let with = get_options(std::slice::from_ref(&kh), DISCOURAGED)
            .with_extensions(inputs(&format!(r#"{{"appid":"{APP_ID}"}}"#)));
        let selection = client
            .get_assertion(&with, &CancelToken::new())
            .expect("appid");
        let response = selection.response(0).unwrap();
        assert_eq!(response.client_extension_results().appid, Some(true));
        let auth_data = response.response().authenticator_data();
        assert_eq!(
            auth_data.rp_id_hash(),
            &app_param(APP_ID),
            "signed for the AppID"
        );

        let foreign = get_options(&[kh], DISCOURAGED)
            .with_extensions(inputs(r#"{"appid":"https://example.org/app.json"}"#));
        let error = client
            .get_assertion(&foreign, &CancelToken::new())
            .unwrap_err();
        assert_eq!(error.code(), ClientErrorCode::BAD_REQUEST, "{transport:?}");
    }
}

#[test]
fn appid_exclude_excludes_a_legacy_key_handle() {
    for transport in Transport::ALL {
        let shared = Shared::new(u2f_only(), transport);
        let kh = legacy_key_handle(&shared);
        let (mut client, _) = shared.client(PinUvAuthProtocol::TWO);
        let mut options = create_options(DISCOURAGED, ResidentKeyRequirement::DISCOURAGED);
        options.exclude_credentials =
            vec![fido_types::webauthn::PublicKeyCredentialDescriptor::public_key(kh)];
        let registered = client
            .make_credential(&options, &CancelToken::new())
            .expect("not excluded under the RP ID");
        assert_eq!(registered.client_extension_results().appid_exclude, None);

        let excluding = options
            .clone()
            .with_extensions(inputs(&format!(r#"{{"appidExclude":"{APP_ID}"}}"#)));
        let error = client
            .make_credential(&excluding, &CancelToken::new())
            .unwrap_err();
        assert_eq!(
            error.code(),
            ClientErrorCode::DEVICE_INELIGIBLE,
            "{transport:?}"
        );
    }
}

/// A CTAP2 authenticator without PIN or built-in UV (the client takes the CTAP2 backend).
fn ctap2() -> Config {
    Config {
        seed: Some(52),
        builtin_uv: false,
        ..Config::default()
    }
}

#[test]
fn appid_on_ctap2_signs_with_a_u2f_key_handle() {
    for transport in Transport::ALL {
        let shared = Shared::new(ctap2(), transport);
        let kh = legacy_key_handle(&shared);
        let (mut client, log) = shared.client(PinUvAuthProtocol::TWO);
        assert!(!client.is_u2f(), "{transport:?}");

        let without = get_options(std::slice::from_ref(&kh), DISCOURAGED);
        let error = client
            .get_assertion(&without, &CancelToken::new())
            .unwrap_err();
        assert_eq!(
            error.code(),
            ClientErrorCode::DEVICE_INELIGIBLE,
            "no credential under the RP ID ({transport:?})"
        );

        log.clear();
        let with = get_options(std::slice::from_ref(&kh), DISCOURAGED)
            .with_extensions(inputs(&format!(r#"{{"appid":"{APP_ID}"}}"#)));
        let selection = client
            .get_assertion(&with, &CancelToken::new())
            .expect("appid");
        assert!(
            !log.of(CommandCode::GET_ASSERTION).is_empty(),
            "sent over CTAP2 ({transport:?})"
        );
        let response = selection.response(0).unwrap();
        assert_eq!(response.client_extension_results().appid, Some(true));
        assert_eq!(response.raw_id(), kh.as_slice());
        let auth_data = response.response().authenticator_data();
        assert_eq!(
            auth_data.rp_id_hash(),
            &app_param(APP_ID),
            "signed for the AppID ({transport:?})"
        );

        let foreign = get_options(&[kh], DISCOURAGED)
            .with_extensions(inputs(r#"{"appid":"https://example.org/app.json"}"#));
        let error = client
            .get_assertion(&foreign, &CancelToken::new())
            .unwrap_err();
        assert_eq!(error.code(), ClientErrorCode::BAD_REQUEST, "{transport:?}");
    }
}

#[test]
fn appid_on_ctap2_reports_false_for_a_credential_under_the_rp_id() {
    for transport in Transport::ALL {
        let shared = Shared::new(ctap2(), transport);
        let (mut client, _) = shared.client(PinUvAuthProtocol::TWO);
        let created = client
            .make_credential(
                &create_options(DISCOURAGED, ResidentKeyRequirement::DISCOURAGED),
                &CancelToken::new(),
            )
            .expect("register");
        let id = created.raw_id().to_vec();
        let with = get_options(std::slice::from_ref(&id), DISCOURAGED)
            .with_extensions(inputs(&format!(r#"{{"appid":"{APP_ID}"}}"#)));
        let selection = client
            .get_assertion(&with, &CancelToken::new())
            .expect("found under the RP ID");
        let response = selection.response(0).unwrap();
        assert_eq!(
            response.client_extension_results().appid,
            Some(false),
            "{transport:?}"
        );
        assert_ne!(
            response.response().authenticator_data().rp_id_hash(),
            &app_param(APP_ID)
        );
    }
}

#[test]
fn appid_exclude_on_ctap2_excludes_a_u2f_key_handle() {
    for transport in Transport::ALL {
        let shared = Shared::new(ctap2(), transport);
        let kh = legacy_key_handle(&shared);
        let (mut client, _) = shared.client(PinUvAuthProtocol::TWO);
        assert!(!client.is_u2f(), "{transport:?}");
        let mut options = create_options(DISCOURAGED, ResidentKeyRequirement::DISCOURAGED);
        options.exclude_credentials =
            vec![fido_types::webauthn::PublicKeyCredentialDescriptor::public_key(kh)];
        let registered = client
            .make_credential(&options, &CancelToken::new())
            .expect("not excluded under the RP ID");
        assert_eq!(registered.client_extension_results().appid_exclude, None);

        let excluding = options
            .clone()
            .with_extensions(inputs(&format!(r#"{{"appidExclude":"{APP_ID}"}}"#)));
        let error = client
            .make_credential(&excluding, &CancelToken::new())
            .unwrap_err();
        assert_eq!(
            error.code(),
            ClientErrorCode::DEVICE_INELIGIBLE,
            "excluded under the AppID ({transport:?})"
        );

        let other = options.clone().with_extensions(inputs(
            r#"{"appidExclude":"https://www.example.com/other-app-id.json"}"#,
        ));
        let registered = client
            .make_credential(&other, &CancelToken::new())
            .expect("not excluded under another AppID");
        assert_eq!(
            registered.client_extension_results().appid_exclude,
            Some(true),
            "{transport:?}"
        );
    }
}

#[test]
fn appid_and_appid_exclude_on_ctap2_with_a_pin_token() {
    for transport in Transport::ALL {
        let shared = Shared::new(extensions_support::with_pin(53), transport);
        let kh = legacy_key_handle(&shared);
        let (mut client, log) = shared.client(PinUvAuthProtocol::TWO);
        let with = get_options(std::slice::from_ref(&kh), REQUIRED)
            .with_extensions(inputs(&format!(r#"{{"appid":"{APP_ID}"}}"#)));
        let selection = client
            .get_assertion(&with, &CancelToken::new())
            .expect("appid with a token for the AppID");
        assert!(
            !log.of(CommandCode::CLIENT_PIN).is_empty(),
            "a token was used"
        );
        let response = selection.response(0).unwrap();
        assert_eq!(
            response.client_extension_results().appid,
            Some(true),
            "{transport:?}"
        );
        assert!(
            response
                .response()
                .authenticator_data()
                .flags()
                .user_verified()
        );

        let mut options = create_options(REQUIRED, ResidentKeyRequirement::DISCOURAGED)
            .with_extensions(inputs(&format!(r#"{{"appidExclude":"{APP_ID}"}}"#)));
        options.exclude_credentials =
            vec![fido_types::webauthn::PublicKeyCredentialDescriptor::public_key(kh)];
        let error = client
            .make_credential(&options, &CancelToken::new())
            .unwrap_err();
        assert_eq!(
            error.code(),
            ClientErrorCode::DEVICE_INELIGIBLE,
            "{transport:?}"
        );
    }
}
