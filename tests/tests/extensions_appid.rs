//! appid and appidExclude (WebAuthn L3 §10.1.1, §10.1.2) on a U2F-only virtual
//! authenticator, in-process and over UDP: a key handle registered through U2F under an
//! AppID URL signs when `appid` names it, and excludes a registration when
//! `appidExclude` does.

mod extensions_support;

use std::time::Duration;

use extensions_support::{Shared, inputs};
use fido_authenticator::Config;
use fido_ctap::ctap1::Ctap1;
use fido_ctap::device::CancelToken;
use fido_tests::{Transport, create_options, get_options};
use fido_types::error::ClientErrorCode;
use fido_types::generated::PinUvAuthProtocol;
use fido_types::webauthn::{ResidentKeyRequirement, UserVerificationRequirement};
use fido_webauthn::u2f::app_param;

const APP_ID: &str = "https://www.example.com/u2f-app-id.json";
const DISCOURAGED: UserVerificationRequirement = UserVerificationRequirement::DISCOURAGED;

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
