//! Allow-list pre-flight: a list longer than the authenticator's maxCredentialCountInList,
//! with the real credential last, is searched in batches and the credential is found.

use fido_authenticator::Config;
use fido_ctap::device::CancelToken;
use fido_tests::{Transport, client, create_options, get_options, open};
use fido_types::webauthn::{ResidentKeyRequirement, UserVerificationRequirement};
use fido_webauthn::interaction::NoInteraction;

#[test]
fn the_real_credential_last_in_a_long_allow_list_is_found() {
    for transport in Transport::ALL {
        let config = Config {
            seed: Some(7),
            builtin_uv: false,
            ..Config::default()
        };
        let mut client = client(open(config, transport), NoInteraction);
        let max = client
            .info()
            .and_then(|i| i.max_credential_count_in_list)
            .expect("maxCredentialCountInList");
        assert_eq!(max, 8, "the virtual authenticator's limit");
        let cancel = CancelToken::new();
        let uv = UserVerificationRequirement::DISCOURAGED;
        let registration = client
            .make_credential(
                &create_options(uv.clone(), ResidentKeyRequirement::DISCOURAGED),
                &cancel,
            )
            .expect("registration");
        let real = registration.raw_id().to_vec();
        // Two full batches of strangers (of the real ID's length), then the real one.
        let mut allow: Vec<Vec<u8>> = (0..2 * max)
            .map(|i| vec![u8::try_from(i).unwrap(); real.len()])
            .collect();
        allow.push(real.clone());
        assert!(allow.len() as u64 > max);
        let selection = client
            .get_assertion(&get_options(&allow, uv.clone()), &cancel)
            .expect("assertion");
        let response = selection.response(0).expect("response");
        assert_eq!(response.raw_id(), &real[..], "{transport:?}");
        response
            .response()
            .verify(registration.response().public_key())
            .expect("verifies");

        // Strangers only: no credential, DEVICE_INELIGIBLE.
        allow.pop();
        let error = client
            .get_assertion(&get_options(&allow, uv.clone()), &cancel)
            .unwrap_err();
        assert_eq!(
            error.code(),
            fido_types::error::ClientErrorCode::DEVICE_INELIGIBLE,
            "{transport:?}: {error}"
        );
    }
}
