//! Every client extension end to end through `Fido2Client` against the virtual
//! authenticator, in-process and over UDP, on both PIN/UV auth protocols where the
//! extension encrypts (hmac-secret, prf): the outputs the client reports.

mod extensions_support;

use extensions_support::{NO_RK, PROTOCOLS, REQUIRED, RK, Shared, inputs, with_pin};
use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::CancelToken;
use fido_ctap::large_blob::access::read_array;
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_tests::{Transport, create_options, get_options};
use fido_types::cbor;
use fido_types::generated::{
    ClientPinRequest, CommandCode, ConfigParams, ConfigSubCommand, PinUvAuthProtocol,
};
use fido_types::pin_protocol::{Pin, ProtocolTwo};
use fido_types::webauthn::{
    AuthenticationExtensionsClientInputs, AuthenticationExtensionsClientOutputs, PrfValues,
    PublicKeyCredentialUserEntity, RegistrationResponse, ResidentKeyRequirement,
    UserVerificationRequirement,
};
use fido_webauthn::Fido2Client;
use fido_webauthn::extensions::prf_salt;

const TWO: PinUvAuthProtocol = PinUvAuthProtocol::TWO;

/// Registers with these extension inputs.
fn register(
    client: &mut Fido2Client,
    rk: ResidentKeyRequirement,
    extensions: AuthenticationExtensionsClientInputs,
) -> RegistrationResponse {
    register_user(client, rk, extensions, b"user-1")
}

/// Registers for this user handle (a discoverable credential replaces the RP's
/// credential of the same user).
fn register_user(
    client: &mut Fido2Client,
    rk: ResidentKeyRequirement,
    extensions: AuthenticationExtensionsClientInputs,
    user: &[u8],
) -> RegistrationResponse {
    let mut options = create_options(REQUIRED, rk).with_extensions(extensions);
    options.user = PublicKeyCredentialUserEntity::new(user.to_vec(), "a.user", "A. User");
    client
        .make_credential(&options, &CancelToken::new())
        .expect("registration")
}

/// Authenticates with `allow` and these extension inputs; the first assertion's outputs.
fn authenticate(
    client: &mut Fido2Client,
    allow: &[Vec<u8>],
    uv: UserVerificationRequirement,
    extensions: AuthenticationExtensionsClientInputs,
) -> (Vec<u8>, AuthenticationExtensionsClientOutputs) {
    let options = get_options(allow, uv).with_extensions(extensions);
    let selection = client
        .get_assertion(&options, &CancelToken::new())
        .expect("assertion");
    let response = selection.response(0).expect("response");
    (
        response.raw_id().to_vec(),
        response.client_extension_results().clone(),
    )
}

/// The PRF results of some outputs.
fn prf_results(outputs: &AuthenticationExtensionsClientOutputs) -> PrfValues {
    outputs
        .prf
        .as_ref()
        .and_then(|p| p.results.clone())
        .expect("prf results")
}

#[test]
fn prf_at_registration_and_on_both_protocols_agree() {
    for transport in Transport::ALL {
        let shared = Shared::new(with_pin(21), transport);
        let (mut client, _) = shared.client(TWO);
        let registration = register(
            &mut client,
            NO_RK,
            inputs(r#"{"prf":{"eval":{"first":"c2FsdC1h"}}}"#),
        );
        let outputs = registration.client_extension_results();
        let prf = outputs.prf.as_ref().expect("prf output");
        assert_eq!(prf.enabled, Some(true), "{transport:?}");
        let at_registration = prf.results.clone().expect("hmac-secret-mc results");
        assert_eq!(at_registration.first.len(), 32);
        drop(client);

        let id = registration.raw_id().to_vec();
        let asked = inputs(r#"{"prf":{"eval":{"first":"c2FsdC1h","second":"c2FsdC1i"}}}"#);
        let mut seen = Vec::new();
        for protocol in PROTOCOLS {
            let (mut client, log) = shared.client(protocol);
            let (_, outputs) = authenticate(
                &mut client,
                std::slice::from_ref(&id),
                REQUIRED,
                asked.clone(),
            );
            let pin_requests = log.of(CommandCode::CLIENT_PIN);
            assert!(!pin_requests.is_empty());
            for request in pin_requests {
                let request: ClientPinRequest = cbor::from_slice(&request[1..]).unwrap();
                assert_eq!(
                    request.pin_uv_auth_protocol,
                    Some(protocol),
                    "the protocol used"
                );
            }
            let results = prf_results(&outputs);
            assert_eq!(
                results.first, at_registration.first,
                "{transport:?} {protocol:?}"
            );
            assert_ne!(results.second.as_ref(), Some(&results.first));
            seen.push(results);
        }
        assert_eq!(
            seen[0], seen[1],
            "{transport:?}: both protocols give the same PRF"
        );
    }
}

#[test]
fn hmac_get_secret_is_prf_with_the_derived_salt() {
    for transport in Transport::ALL {
        let shared = Shared::new(with_pin(22), transport);
        for protocol in PROTOCOLS {
            let (mut client, _) = shared.client(protocol);
            let registration = register(&mut client, NO_RK, inputs(r#"{"hmacCreateSecret":true}"#));
            assert_eq!(
                registration.client_extension_results().hmac_create_secret,
                Some(true)
            );
            let id = registration.raw_id().to_vec();
            let salt = prf_salt(b"input");
            let mut hmac = AuthenticationExtensionsClientInputs::default();
            hmac.hmac_get_secret = Some(fido_types::webauthn::HmacGetSecretInputs::new(
                salt.to_vec(),
                Some(vec![9u8; 32].into()),
            ));
            let (_, out) = authenticate(&mut client, std::slice::from_ref(&id), REQUIRED, hmac);
            let secret = out.hmac_get_secret.expect("hmacGetSecret output");
            assert_eq!(secret.output2.as_ref().map(|o| o.len()), Some(32));
            // "aW5wdXQ" is base64url("input").
            let prf = inputs(r#"{"prf":{"eval":{"first":"aW5wdXQ"}}}"#);
            let (_, out) = authenticate(&mut client, &[id], REQUIRED, prf);
            assert_eq!(
                prf_results(&out).first,
                secret.output1,
                "{transport:?} {protocol:?}"
            );
        }
    }
}

/// `hmacCreateSecret` with `hmacGetSecret {salt1, salt2}` in one registration.
fn hmac_at_registration() -> AuthenticationExtensionsClientInputs {
    let mut asked = inputs(r#"{"hmacCreateSecret":true}"#);
    asked.hmac_get_secret = Some(fido_types::webauthn::HmacGetSecretInputs::new(
        vec![5u8; 32],
        Some(vec![6u8; 32].into()),
    ));
    asked
}

#[test]
fn hmac_get_secret_at_registration_goes_as_hmac_secret_mc() {
    for transport in Transport::ALL {
        let shared = Shared::new(with_pin(24), transport);
        for protocol in PROTOCOLS {
            let (mut client, log) = shared.client(protocol);
            let registration = register(&mut client, NO_RK, hmac_at_registration());
            let outputs = registration.client_extension_results();
            assert_eq!(outputs.hmac_create_secret, Some(true));
            let at_registration = outputs
                .hmac_get_secret
                .clone()
                .expect("hmacGetSecret output at registration");
            let sent = log.of(CommandCode::MAKE_CREDENTIAL);
            let request: fido_types::ctap2::MakeCredentialRequest =
                cbor::from_slice(&sent[0][1..]).unwrap();
            let extensions = request.extensions.expect("extension inputs");
            assert!(extensions.contains_key("hmac-secret-mc"), "{transport:?}");

            let (_, out) = authenticate(
                &mut client,
                &[registration.raw_id().to_vec()],
                REQUIRED,
                hmac_at_registration(),
            );
            let at_authentication = out.hmac_get_secret.expect("hmacGetSecret output");
            assert_eq!(at_authentication.output1, at_registration.output1);
            assert_eq!(
                at_authentication.output2, at_registration.output2,
                "{transport:?} {protocol:?}"
            );
            assert_ne!(
                at_registration.output2.as_ref(),
                Some(&at_registration.output1)
            );
        }
    }
}

#[test]
fn hmac_get_secret_at_registration_without_hmac_secret_mc_only_creates() {
    let shared = Shared::new(with_pin(25), Transport::InProcess);
    let (mut client, log) = shared.client_hiding(
        TWO,
        fido_webauthn::extensions::default_extensions(),
        &["hmac-secret-mc"],
    );
    let registration = register(&mut client, NO_RK, hmac_at_registration());
    let outputs = registration.client_extension_results();
    assert_eq!(outputs.hmac_create_secret, Some(true));
    assert!(outputs.hmac_get_secret.is_none());
    let sent = log.of(CommandCode::MAKE_CREDENTIAL);
    let request: fido_types::ctap2::MakeCredentialRequest =
        cbor::from_slice(&sent[0][1..]).unwrap();
    assert!(
        !request
            .extensions
            .expect("inputs")
            .contains_key("hmac-secret-mc")
    );
}

#[test]
fn hmac_get_secret_at_registration_refuses_a_short_salt() {
    let shared = Shared::new(with_pin(26), Transport::InProcess);
    let (mut client, _) = shared.client(TWO);
    let mut asked = inputs(r#"{"hmacCreateSecret":true}"#);
    asked.hmac_get_secret = Some(fido_types::webauthn::HmacGetSecretInputs::new(
        vec![5u8; 16],
        None,
    ));
    let options = create_options(REQUIRED, NO_RK).with_extensions(asked);
    let error = client
        .make_credential(&options, &CancelToken::new())
        .unwrap_err();
    assert!(error.to_string().contains("salt"), "{error}");
}

#[test]
fn eval_by_credential_uses_the_entry_of_the_credential_the_authenticator_holds() {
    for transport in Transport::ALL {
        let shared = Shared::new(with_pin(23), transport);
        let (mut client, log) = shared.client(TWO);
        let a = register(&mut client, NO_RK, inputs(r#"{"prf":{}}"#))
            .raw_id()
            .to_vec();
        // A credential of another authenticator: the pre-flight must pick `a`.
        let foreign = vec![0x55; 64];
        let by_a = fido_types::webauthn::Base64UrlBytes::from(a.clone()).to_base64url();
        let json = format!(
            r#"{{"prf":{{"eval":{{"first":"ZGVmYXVsdA"}},"evalByCredential":{{"{by_a}":{{"first":"Zm9yLWE"}}}}}}}}"#
        );
        log.clear();
        let (used, out) = authenticate(&mut client, &[foreign, a.clone()], REQUIRED, inputs(&json));
        assert_eq!(used, a);
        let by_credential = prf_results(&out);
        let ga = log.of(CommandCode::GET_ASSERTION);
        assert_eq!(
            ga.len(),
            2,
            "{transport:?}: one pre-flight, then the assertion"
        );
        let (_, plain) = authenticate(
            &mut client,
            std::slice::from_ref(&a),
            REQUIRED,
            inputs(r#"{"prf":{"eval":{"first":"Zm9yLWE"}}}"#),
        );
        assert_eq!(by_credential, prf_results(&plain), "{transport:?}");
        let (_, default) = authenticate(
            &mut client,
            &[a],
            REQUIRED,
            inputs(r#"{"prf":{"eval":{"first":"ZGVmYXVsdA"}}}"#),
        );
        assert_ne!(by_credential, prf_results(&default));
    }
}

#[test]
fn cred_blob_is_stored_and_read_back() {
    for transport in Transport::ALL {
        let shared = Shared::new(with_pin(24), transport);
        let (mut client, _) = shared.client(TWO);
        // "YmxvYiE" is base64url("blob!").
        let registration = register(&mut client, RK, inputs(r#"{"credBlob":"YmxvYiE"}"#));
        assert_eq!(
            registration.client_extension_results().cred_blob,
            Some(true)
        );
        let id = registration.raw_id().to_vec();
        let (_, out) = authenticate(
            &mut client,
            &[id],
            REQUIRED,
            inputs(r#"{"getCredBlob":true}"#),
        );
        assert_eq!(
            out.get_cred_blob.as_deref(),
            Some(&b"blob!"[..]),
            "{transport:?}"
        );
    }
}

#[test]
fn cred_protect_hides_a_uv_required_credential_from_an_assertion_without_uv() {
    for transport in Transport::ALL {
        let shared = Shared::new(with_pin(25), transport);
        let (mut client, _) = shared.client(TWO);
        let registration = register(
            &mut client,
            RK,
            inputs(
                r#"{"credentialProtectionPolicy":"userVerificationRequired","enforceCredentialProtectionPolicy":true}"#,
            ),
        );
        let flags = registration.response().authenticator_data().flags();
        assert!(flags.extension_data(), "credProtect comes back in authData");
        // Without UV and without an allow list the credential is invisible.
        let options = get_options(&[], UserVerificationRequirement::DISCOURAGED);
        let error = client
            .get_assertion(&options, &CancelToken::new())
            .expect_err("a level-3 credential needs UV");
        assert_eq!(
            error.code(),
            fido_types::error::ClientErrorCode::DEVICE_INELIGIBLE,
            "{transport:?}: {error}"
        );
        // With UV it is found.
        let (used, _) = authenticate(&mut client, &[], REQUIRED, inputs("{}"));
        assert_eq!(used, registration.raw_id());
    }
}

#[test]
fn min_pin_length_is_told_to_a_configured_rp_only() {
    for transport in Transport::ALL {
        let shared = Shared::new(with_pin(26), transport);
        let (mut client, _) = shared.client(TWO);
        let asked = inputs(r#"{"minPinLength":true}"#);
        let before = register(&mut client, NO_RK, asked.clone());
        assert_eq!(before.client_extension_results().min_pin_length, None);
        drop(client);
        // authenticatorConfig setMinPINLength with minPinLengthRPIDs = [example.com].
        let mut session =
            Session::<_, ProtocolTwo>::new(Ctap2::new(shared.device()).unwrap()).expect("session");
        session
            .pin_token::<perms![AuthenticatorConfig]>(&Pin::new(extensions_support::PIN).unwrap())
            .expect("acfg token")
            .config(
                ConfigSubCommand::SET_MIN_PIN_LENGTH,
                Some(ConfigParams {
                    min_pin_length_rpids: Some(vec![fido_tests::RP_ID.into()]),
                    ..Default::default()
                }),
            )
            .expect("setMinPINLength");
        drop(session);
        let (mut client, _) = shared.client(TWO);
        let after = register(&mut client, NO_RK, asked);
        assert_eq!(
            after.client_extension_results().min_pin_length,
            Some(4),
            "{transport:?}"
        );
    }
}

#[test]
fn third_party_payment_is_reported_at_authentication() {
    for transport in Transport::ALL {
        let shared = Shared::new(with_pin(27), transport);
        let (mut client, _) = shared.client(TWO);
        let paid = register(&mut client, NO_RK, inputs(r#"{"thirdPartyPayment":true}"#));
        let plain = register(&mut client, NO_RK, inputs("{}"));
        let ask = inputs(r#"{"thirdPartyPayment":true}"#);
        let (_, out) = authenticate(
            &mut client,
            &[paid.raw_id().to_vec()],
            REQUIRED,
            ask.clone(),
        );
        assert_eq!(out.third_party_payment, Some(true), "{transport:?}");
        let (_, out) = authenticate(&mut client, &[plain.raw_id().to_vec()], REQUIRED, ask);
        assert_eq!(out.third_party_payment, Some(false), "{transport:?}");
    }
}

#[test]
fn cred_props_is_kept() {
    let shared = Shared::new(with_pin(28), Transport::InProcess);
    let (mut client, _) = shared.client(TWO);
    let out = register(&mut client, RK, inputs(r#"{"credProps":true}"#));
    let props = out
        .client_extension_results()
        .cred_props
        .expect("credProps");
    assert_eq!(props.rk, Some(true));
}

#[test]
fn large_blob_write_then_read_and_other_entries_stay_byte_identical() {
    for transport in Transport::ALL {
        let shared = Shared::new(with_pin(29), transport);
        let (mut client, _) = shared.client(TWO);
        let support = inputs(r#"{"largeBlob":{"support":"required"}}"#);
        let first = register(&mut client, RK, support.clone());
        let large_blob = first.client_extension_results().large_blob.clone();
        assert_eq!(large_blob.and_then(|l| l.supported), Some(true));
        let second = register_user(&mut client, RK, support, b"user-2");
        let (first, second) = (first.raw_id().to_vec(), second.raw_id().to_vec());

        // "Zmlyc3QgYmxvYg" is base64url("first blob"), "c2Vjb25k" of "second".
        let write = |client: &mut Fido2Client, id: &[u8], blob: &str| {
            let json = format!(r#"{{"largeBlob":{{"write":"{blob}"}}}}"#);
            let (_, out) = authenticate(client, &[id.to_vec()], REQUIRED, inputs(&json));
            assert_eq!(out.large_blob.and_then(|l| l.written), Some(true));
        };
        write(&mut client, &first, "Zmlyc3QgYmxvYg");
        write(&mut client, &second, "c2Vjb25k");
        drop(client);
        let raw = |shared: &Shared| {
            let mut ctap = Ctap2::new(shared.device()).expect("getInfo");
            read_array(&mut ctap).expect("array")
        };
        let before = raw(&shared);
        assert_eq!(before.entries().len(), 2);

        let (mut client, _) = shared.client(PinUvAuthProtocol::ONE);
        write(&mut client, &second, "c2Vjb25kLCByZXdyaXR0ZW4");
        drop(client);
        let after = raw(&shared);
        assert_eq!(after.entries().len(), 2);
        assert_eq!(
            after.entries()[0].bytes(),
            before.entries()[0].bytes(),
            "{transport:?}"
        );
        assert_ne!(after.entries()[1].bytes(), before.entries()[1].bytes());

        let (mut client, _) = shared.client(TWO);
        let read = inputs(r#"{"largeBlob":{"read":true}}"#);
        let (_, out) = authenticate(&mut client, &[first], REQUIRED, read.clone());
        let blob = out.large_blob.and_then(|l| l.blob).expect("first blob");
        assert_eq!(blob.as_bytes(), b"first blob");
        let (_, out) = authenticate(&mut client, &[second], REQUIRED, read);
        let blob = out.large_blob.and_then(|l| l.blob).expect("second blob");
        assert_eq!(blob.as_bytes(), b"second, rewritten", "{transport:?}");
    }
}
