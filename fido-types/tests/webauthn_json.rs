//! WebAuthn Level 3 JSON tests: options and enumerations against hand-checked examples
//! derived from the W3C WebAuthn source (index.bs, w3c/webauthn), lenient reading of
//! unknown values, extensions, and typed errors for bad JSON.

use fido_types::cose::CoseAlgorithm;
use fido_types::webauthn::*;
use serde_json::{Value, json};

/// §1.3.1 "Registration" (sctn-sample-registration): the sample `publicKey` options,
/// written in the `PublicKeyCredentialCreationOptionsJSON` form (§5.1.8). The Uint8Arrays
/// become base64url: challenge [21, 31, 105] is "FR9p"; the user id and the two excluded
/// credential ids are the sample's `atob` strings in the URL alphabet without padding.
const SAMPLE_REGISTRATION: &str = r#"{
  "rp": {"name": "ACME Corporation"},
  "user": {
    "id": "MIIBkzCCATigAwIBAjCCAZMwggE4oAMCAQIwggGTMII",
    "name": "alex.mueller@example.com",
    "displayName": "Alex Müller"
  },
  "challenge": "FR9p",
  "pubKeyCredParams": [
    {"type": "public-key", "alg": -8},
    {"type": "public-key", "alg": -7},
    {"type": "public-key", "alg": -257}
  ],
  "authenticatorSelection": {"userVerification": "preferred"},
  "timeout": 300000,
  "excludeCredentials": [
    {"id": "ufJWp8YGlibm1Kd9XQBWN1WAw2jy5In2Xhon9HAqcXE", "type": "public-key"},
    {"id": "E_e1dhZc--mIsz4f9hb6NifAzJpF1V4mEtRlIPBiWdY", "type": "public-key"}
  ],
  "extensions": {"appidExclude": "https://acme.example.com"}
}"#;

/// §1.3.3 "Authentication" (sctn-sample-authentication), second sample: challenge
/// [8, 18, 33] is "CBIh"; the credential ids are the UTF-8 of "BA44712732CE" and
/// "BG35122345NF".
const SAMPLE_AUTHENTICATION: &str = r#"{
  "challenge": "CBIh",
  "timeout": 300000,
  "allowCredentials": [
    {"type": "public-key", "id": "QkE0NDcxMjczMkNF"},
    {"type": "public-key", "id": "QkczNTEyMjM0NU5G"}
  ],
  "extensions": {"credProps": true}
}"#;

#[test]
fn sample_registration_options_parse_and_round_trip() {
    let options = PublicKeyCredentialCreationOptions::from_json(SAMPLE_REGISTRATION).unwrap();
    assert_eq!(options.rp.name, "ACME Corporation");
    assert_eq!(options.rp.id, None);
    assert_eq!(&options.user.id[..4], &[0x30, 0x82, 0x01, 0x93]);
    assert_eq!(options.user.id.len(), 32);
    assert_eq!(options.user.display_name, "Alex Müller");
    assert_eq!(&options.challenge[..], &[21, 31, 105]);
    let algs: Vec<_> = options.pub_key_cred_params.iter().map(|p| p.alg).collect();
    assert_eq!(
        algs,
        [
            CoseAlgorithm::EDDSA,
            CoseAlgorithm::ES256,
            CoseAlgorithm::RS256
        ]
    );
    assert_eq!(options.timeout, Some(300_000));
    assert_eq!(options.exclude_credentials.len(), 2);
    assert_eq!(options.exclude_credentials[1].id[..3], [0x13, 0xf7, 0xb5]);
    assert_eq!(
        options
            .authenticator_selection
            .as_ref()
            .unwrap()
            .user_verification,
        Some(UserVerificationRequirement::PREFERRED)
    );
    let ext = options.extensions.as_ref().unwrap();
    assert_eq!(
        ext.appid_exclude.as_deref(),
        Some("https://acme.example.com")
    );
    assert_eq!(options.attestation, None);

    // The same options built in Rust serialize to the same JSON.
    let built = PublicKeyCredentialCreationOptions::new(
        PublicKeyCredentialRpEntity::new(None, "ACME Corporation"),
        PublicKeyCredentialUserEntity::new(
            options.user.id.clone(),
            "alex.mueller@example.com",
            "Alex Müller",
        ),
        [21u8, 31, 105],
        vec![
            PublicKeyCredentialParameters::public_key(CoseAlgorithm::EDDSA),
            PublicKeyCredentialParameters::public_key(CoseAlgorithm::ES256),
            PublicKeyCredentialParameters::public_key(CoseAlgorithm::RS256),
        ],
    )
    .with_authenticator_selection({
        let mut s = AuthenticatorSelectionCriteria::default();
        s.user_verification = Some(UserVerificationRequirement::PREFERRED);
        s
    })
    .with_timeout(300_000)
    .with_exclude_credentials(options.exclude_credentials.clone())
    .with_extensions({
        let mut e = AuthenticationExtensionsClientInputs::default();
        e.appid_exclude = Some("https://acme.example.com".into());
        e
    });
    assert_eq!(built, options);
    let expected: Value = serde_json::from_str(SAMPLE_REGISTRATION).unwrap();
    assert_eq!(serde_json::to_value(&built).unwrap(), expected);
    assert_eq!(
        PublicKeyCredentialCreationOptions::from_json(&built.to_json()).unwrap(),
        built
    );
}

#[test]
fn sample_authentication_options_parse_and_round_trip() {
    let options = PublicKeyCredentialRequestOptions::from_json(SAMPLE_AUTHENTICATION).unwrap();
    assert_eq!(&options.challenge[..], &[8, 18, 33]);
    assert_eq!(&options.allow_credentials[0].id[..], b"BA44712732CE");
    assert_eq!(&options.allow_credentials[1].id[..], b"BG35122345NF");
    assert_eq!(options.extensions.as_ref().unwrap().cred_props, Some(true));
    assert_eq!(options.rp_id, None);
    assert_eq!(
        options.user_verification_requirement(),
        UserVerificationRequirement::PREFERRED
    );
    let built = PublicKeyCredentialRequestOptions::new([8u8, 18, 33])
        .with_timeout(300_000)
        .with_allow_credentials(vec![
            PublicKeyCredentialDescriptor::public_key(b"BA44712732CE"),
            PublicKeyCredentialDescriptor::public_key(b"BG35122345NF"),
        ])
        .with_extensions({
            let mut e = AuthenticationExtensionsClientInputs::default();
            e.cred_props = Some(true);
            e
        });
    assert_eq!(built, options);
    let expected: Value = serde_json::from_str(SAMPLE_AUTHENTICATION).unwrap();
    assert_eq!(serde_json::to_value(&built).unwrap(), expected);
}

#[test]
fn optional_members_are_omitted_and_defaults_apply() {
    let o = PublicKeyCredentialRequestOptions::new(b"c".to_vec());
    assert_eq!(o.to_json(), r#"{"challenge":"Yw"}"#);
    let d = PublicKeyCredentialDescriptor::public_key(b"id").with_transports(vec![
        AuthenticatorTransport::USB,
        AuthenticatorTransport::SMART_CARD,
    ]);
    assert_eq!(
        serde_json::to_string(&d).unwrap(),
        r#"{"type":"public-key","id":"aWQ","transports":["usb","smart-card"]}"#
    );
    let s = AuthenticatorSelectionCriteria::default();
    assert_eq!(serde_json::to_string(&s).unwrap(), "{}");
    assert_eq!(
        s.resident_key_requirement(),
        ResidentKeyRequirement::DISCOURAGED
    );
    let s: AuthenticatorSelectionCriteria =
        serde_json::from_str(r#"{"requireResidentKey":true}"#).unwrap();
    assert_eq!(
        s.resident_key_requirement(),
        ResidentKeyRequirement::REQUIRED
    );
    let s: AuthenticatorSelectionCriteria =
        serde_json::from_str(r#"{"requireResidentKey":true,"residentKey":"preferred"}"#).unwrap();
    assert_eq!(
        s.resident_key_requirement(),
        ResidentKeyRequirement::PREFERRED
    );
}

#[test]
fn unknown_enumeration_values_read_as_absent() {
    // WebAuthn §2.1.1 and python-fido2 tests/test_webauthn.py (invalid values read as None).
    let o = PublicKeyCredentialRequestOptions::from_json(
        r#"{
          "challenge": "AA",
          "userVerification": "sometimes",
          "hints": ["future-hint", "security-key"],
          "allowCredentials": [
            {"type": "future-type", "id": "AQ"},
            {"type": "public-key", "id": "Ag", "transports": ["usb", "telepathy", "hybrid"]}
          ]
        }"#,
    )
    .unwrap();
    assert_eq!(o.user_verification, None);
    assert_eq!(
        o.user_verification_requirement(),
        UserVerificationRequirement::PREFERRED
    );
    assert_eq!(o.hints, [PublicKeyCredentialHint::SECURITY_KEY]);
    assert_eq!(o.allow_credentials.len(), 1);
    assert_eq!(&o.allow_credentials[0].id[..], &[2]);
    assert_eq!(
        o.allow_credentials[0].transports.as_deref(),
        Some(&[AuthenticatorTransport::USB, AuthenticatorTransport::HYBRID][..])
    );
    let s: AuthenticatorSelectionCriteria = serde_json::from_str(
        r#"{"authenticatorAttachment":"invalid","residentKey":"invalid","userVerification":"invalid"}"#,
    )
    .unwrap();
    assert_eq!(s, AuthenticatorSelectionCriteria::default());
    let c = PublicKeyCredentialCreationOptions::from_json(
        r#"{"rp":{"name":"n","id":"example.com"},"user":{"id":"AA","name":"u","displayName":"U"},
            "challenge":"AA","attestation":"invalid",
            "pubKeyCredParams":[{"type":"invalid-type","alg":-7},{"type":"public-key","alg":-4711}]}"#,
    )
    .unwrap();
    assert_eq!(c.attestation, None);
    assert_eq!(
        c.pub_key_cred_params,
        [PublicKeyCredentialParameters::public_key(CoseAlgorithm(
            -4711
        ))]
    );
    assert_eq!(c.rp.id.as_deref(), Some("example.com"));
}

#[test]
fn enumeration_strings() {
    for (s, v) in [
        ("platform", AuthenticatorAttachment::PLATFORM.as_str()),
        (
            "cross-platform",
            AuthenticatorAttachment::CROSS_PLATFORM.as_str(),
        ),
        (
            "enterprise",
            AttestationConveyancePreference::ENTERPRISE.as_str(),
        ),
        ("smart-card", AuthenticatorTransport::SMART_CARD.as_str()),
        ("internal", AuthenticatorTransport::INTERNAL.as_str()),
        (
            "client-device",
            PublicKeyCredentialHint::CLIENT_DEVICE.as_str(),
        ),
        ("public-key", PublicKeyCredentialType::PUBLIC_KEY.as_str()),
        (
            "userVerificationOptionalWithCredentialIDList",
            CredProtectPolicy::USER_VERIFICATION_OPTIONAL_WITH_CREDENTIAL_ID_LIST
                .spec_name()
                .unwrap(),
        ),
    ] {
        assert_eq!(s, v);
    }
    assert_eq!(AuthenticatorTransport::KNOWN.len(), 6);
    for t in AuthenticatorTransport::KNOWN {
        assert_eq!(t.as_str().parse::<AuthenticatorTransport>(), Ok(t.clone()));
        assert_eq!(serde_json::to_value(t).unwrap(), json!(t.as_str()));
    }
    assert_eq!("USB".parse::<AuthenticatorTransport>(), Err(UnknownValue));
}

#[test]
fn extensions_inputs_and_outputs() {
    let inputs = json!({
        "credProps": true,
        "hmacCreateSecret": true,
        "prf": {"eval": {"first": "AQID", "second": "BAUG"}, "evalByCredential": {"Y3JlZA": {"first": "Bw"}}},
        "credentialProtectionPolicy": "userVerificationRequired",
        "enforceCredentialProtectionPolicy": true,
        "credBlob": "YmxvYg",
        "largeBlob": {"support": "preferred"},
        "minPinLength": true,
        "hmacGetSecret": {"salt1": "c2FsdDE"},
        "uvm": true,
        "example.extension": {"nested": [1, 2]}
    });
    let parsed: AuthenticationExtensionsClientInputs =
        serde_json::from_value(inputs.clone()).unwrap();
    assert_eq!(parsed.hmac_create_secret, Some(true));
    let prf = parsed.prf.as_ref().unwrap();
    assert_eq!(&prf.eval.as_ref().unwrap().first[..], &[1, 2, 3]);
    assert_eq!(
        &prf.eval_by_credential.as_ref().unwrap()["Y3JlZA"].first[..],
        &[7]
    );
    assert_eq!(
        parsed.credential_protection_policy,
        Some(CredProtectPolicy::USER_VERIFICATION_REQUIRED)
    );
    assert_eq!(parsed.cred_blob.as_deref(), Some(&b"blob"[..]));
    assert_eq!(
        parsed.large_blob.as_ref().unwrap().support,
        Some(LargeBlobSupport::PREFERRED)
    );
    assert_eq!(parsed.min_pin_length, Some(true));
    assert_eq!(
        &parsed.hmac_get_secret.as_ref().unwrap().salt1[..],
        b"salt1"
    );
    assert_eq!(
        parsed.other.len(),
        2,
        "uvm and example.extension are kept as JSON"
    );
    assert_eq!(serde_json::to_value(&parsed).unwrap(), inputs);

    let outputs = json!({
        "credProps": {"rk": true},
        "prf": {"enabled": true, "results": {"first": "AQ"}},
        "largeBlob": {"supported": true},
        "credBlob": true,
        "hmacCreateSecret": true,
        "futureOutput": "x"
    });
    let parsed: AuthenticationExtensionsClientOutputs =
        serde_json::from_value(outputs.clone()).unwrap();
    assert_eq!(
        parsed.cred_props,
        Some(CredentialPropertiesOutput::new(Some(true)))
    );
    assert_eq!(parsed.prf.as_ref().unwrap().enabled, Some(true));
    assert_eq!(parsed.other["futureOutput"], "x");
    assert_eq!(serde_json::to_value(&parsed).unwrap(), outputs);
    assert_eq!(
        serde_json::to_string(&AuthenticationExtensionsClientOutputs::default()).unwrap(),
        "{}"
    );
}

#[test]
fn bad_json_gives_typed_errors() {
    // Bad base64url in a binary member.
    let e = PublicKeyCredentialRequestOptions::from_json(r#"{"challenge":"a+b/"}"#).unwrap_err();
    assert!(
        matches!(&e, WebAuthnError::Json(m) if m.contains("Invalid")),
        "{e}"
    );
    // A missing required member.
    let e = PublicKeyCredentialRequestOptions::from_json(r#"{"timeout":1}"#).unwrap_err();
    assert!(
        matches!(&e, WebAuthnError::Json(m) if m.contains("challenge")),
        "{e}"
    );
    // The user entity needs displayName in its JSON form.
    assert!(
        serde_json::from_str::<PublicKeyCredentialUserEntity>(r#"{"id":"AA","name":"n"}"#).is_err()
    );
    // A binary member given as a number.
    assert!(PublicKeyCredentialRequestOptions::from_json(r#"{"challenge":5}"#).is_err());
    // Not JSON at all.
    assert!(matches!(
        PublicKeyCredentialRequestOptions::from_json("{"),
        Err(WebAuthnError::Json(_))
    ));
}

#[test]
fn secret_extension_outputs_are_not_printed() {
    let outputs: AuthenticationExtensionsClientOutputs = serde_json::from_value(json!({
        "prf": {"enabled": true, "results": {"first": "c2VjcmV0"}},
        "hmacGetSecret": {"output1": "c2VjcmV0", "output2": "c2VjcmV0"}
    }))
    .unwrap();
    let debug = format!("{outputs:?}");
    assert!(!debug.contains("c2VjcmV0"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    assert_eq!(
        &outputs
            .prf
            .as_ref()
            .unwrap()
            .results
            .as_ref()
            .unwrap()
            .first[..],
        b"secret"
    );
}
