//! What the client sends for each extension (insta snapshots of the CTAP requests, the
//! parts that vary per run redacted), the WebAuthn rules for unsupported, required and
//! malformed extensions, and a caller-defined extension.

mod extensions_support;

use extensions_support::{REQUIRED, RK, RequestLog, Shared, inputs, with_pin};
use fido_ctap::device::CancelToken;
use fido_tests::{Transport, create_options, get_options};
use fido_types::cbor::{self, StrMap, Value};
use fido_types::ctap2::{GetAssertionRequest, MakeCredentialRequest};
use fido_types::error::ClientErrorCode;
use fido_types::generated::{CommandCode, PinUvAuthProtocol, PublicKeyCredentialDescriptor};
use fido_types::webauthn::{
    AuthenticationExtensionsClientOutputs, PublicKeyCredentialUserEntity, RegistrationResponse,
};
use fido_webauthn::extensions::{
    AuthenticationContext, AuthenticationProcessor, ClientExtension, CtapOutputs, ExtensionError,
    ExtensionSecret, LargeBlobAccess, RegistrationContext, RegistrationProcessor,
    default_extensions,
};
use fido_webauthn::{Error, Fido2Client};
use serde_json::json;

const TWO: PinUvAuthProtocol = PinUvAuthProtocol::TWO;

/// An extension input as the snapshot shows it: hmac-secret maps by their members'
/// sizes (the key agreement and the encryption are random).
fn redact_input(value: &Value) -> Value {
    match value {
        Value::Map(map) => {
            let described = map
                .iter()
                .map(|(k, v)| {
                    let shown = match v {
                        Value::Bytes(b) => format!("{} bytes", b.len()),
                        Value::Map(_) => "COSE key".to_owned(),
                        other => format!("{other:?}"),
                    };
                    format!("{k:?}: {shown}")
                })
                .collect::<Vec<_>>()
                .join(", ");
            Value::Text(format!("<{described}>"))
        }
        other => other.clone(),
    }
}

fn redact_extensions(extensions: &mut Option<StrMap<Value>>) {
    if let Some(map) = extensions {
        let mut redacted = StrMap::new();
        for (k, v) in map.iter() {
            redacted.insert(k.clone(), redact_input(v));
        }
        *map = redacted;
    }
}

/// The last makeCredential, pinUvAuthParam and hmac-secret inputs redacted, in CBOR
/// diagnostic notation.
fn make_credential_request(log: &RequestLog) -> String {
    let last = log
        .of(CommandCode::MAKE_CREDENTIAL)
        .pop()
        .expect("a makeCredential");
    let mut request: MakeCredentialRequest = cbor::from_slice(&last[1..]).unwrap();
    if request.pin_uv_auth_param.is_some() {
        request.pin_uv_auth_param = Some(b"redacted".to_vec());
    }
    redact_extensions(&mut request.extensions);
    cbor::diagnostic(&cbor::to_vec(&request).unwrap())
}

/// The last getAssertion, redacted likewise.
fn get_assertion_request(log: &RequestLog) -> String {
    let last = log
        .of(CommandCode::GET_ASSERTION)
        .pop()
        .expect("a getAssertion");
    let mut request: GetAssertionRequest = cbor::from_slice(&last[1..]).unwrap();
    if request.pin_uv_auth_param.is_some() {
        request.pin_uv_auth_param = Some(b"redacted".to_vec());
    }
    redact_extensions(&mut request.extensions);
    cbor::diagnostic(&cbor::to_vec(&request).unwrap())
}

fn register(
    client: &mut Fido2Client,
    json: &str,
    user: &[u8],
) -> Result<RegistrationResponse, Error> {
    let mut options = create_options(REQUIRED, RK).with_extensions(inputs(json));
    options.user = PublicKeyCredentialUserEntity::new(user.to_vec(), "a.user", "A. User");
    client.make_credential(&options, &CancelToken::new())
}

fn authenticate(
    client: &mut Fido2Client,
    allow: &[Vec<u8>],
    json: &str,
) -> Result<AuthenticationExtensionsClientOutputs, Error> {
    let options = get_options(allow, REQUIRED).with_extensions(inputs(json));
    let selection = client.get_assertion(&options, &CancelToken::new())?;
    Ok(selection.response(0)?.client_extension_results().clone())
}

#[test]
fn each_extensions_ctap_request() {
    let shared = Shared::new(with_pin(31), Transport::InProcess);
    let (mut client, log) = shared.client(TWO);
    let registrations = [
        ("mc_prf", r#"{"prf":{"eval":{"first":"YQ","second":"Yg"}}}"#),
        ("mc_hmac_create_secret", r#"{"hmacCreateSecret":true}"#),
        (
            "mc_cred_protect",
            r#"{"credentialProtectionPolicy":"userVerificationOptionalWithCredentialIDList"}"#,
        ),
        ("mc_cred_blob", r#"{"credBlob":"AQID"}"#),
        ("mc_large_blob", r#"{"largeBlob":{"support":"preferred"}}"#),
        ("mc_min_pin_length", r#"{"minPinLength":true}"#),
        ("mc_third_party_payment", r#"{"thirdPartyPayment":true}"#),
        ("mc_cred_props", r#"{"credProps":true}"#),
    ];
    let mut id = Vec::new();
    for (name, json) in registrations {
        id = register(&mut client, json, name.as_bytes())
            .expect(name)
            .raw_id()
            .to_vec();
        insta::assert_snapshot!(name, make_credential_request(&log));
    }
    let assertions = [
        ("ga_prf", r#"{"prf":{"eval":{"first":"YQ"}}}"#),
        (
            "ga_hmac_get_secret",
            r#"{"hmacGetSecret":{"salt1":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}"#,
        ),
        ("ga_get_cred_blob", r#"{"getCredBlob":true}"#),
        ("ga_large_blob_read", r#"{"largeBlob":{"read":true}}"#),
        ("ga_large_blob_write", r#"{"largeBlob":{"write":"AQID"}}"#),
        ("ga_third_party_payment", r#"{"thirdPartyPayment":true}"#),
    ];
    for (name, json) in assertions {
        authenticate(&mut client, &[id.clone()], json).expect(name);
        insta::assert_snapshot!(name, get_assertion_request(&log));
    }
}

/// `error` is an extension's refusal of this kind, with this code, and nothing but
/// getInfo reached the authenticator.
fn refused(error: Error, code: ClientErrorCode, log: &RequestLog, what: &str) {
    assert!(matches!(error, Error::Extension(_)), "{what}: {error:?}");
    assert_eq!(error.code(), code, "{what}: {error}");
    let sent: Vec<u8> = log.all().iter().map(|r| r[0]).collect();
    assert_eq!(
        sent,
        [CommandCode::GET_INFO.0],
        "{what}: only getInfo was sent"
    );
}

#[test]
fn malformed_inputs_fail_before_anything_is_sent() {
    let shared = Shared::new(with_pin(32), Transport::InProcess);
    let cases_mc = [
        (
            "credBlob over maxCredBlobLength",
            json!({"credBlob": "A".repeat(44)}),
        ),
        (
            "prf evalByCredential at registration",
            json!({"prf": {"evalByCredential": {"AAAA": {"first": "YQ"}}}}),
        ),
        (
            "largeBlob read at registration",
            json!({"largeBlob": {"support": "preferred", "read": true}}),
        ),
    ];
    for (what, json) in cases_mc {
        let (mut client, log) = shared.client(TWO);
        let error = register(&mut client, &json.to_string(), b"u").expect_err(what);
        refused(error, ClientErrorCode::BAD_REQUEST, &log, what);
    }
    let allowed = vec![vec![7u8; 16]];
    let cases_ga = [
        (
            "a 16-byte hmac-secret salt",
            json!({"hmacGetSecret": {"salt1": "AAAAAAAAAAAAAAAAAAAAAA"}}),
            allowed.clone(),
        ),
        (
            "a 31-byte second salt",
            json!({"hmacGetSecret": {"salt1": "A".repeat(43), "salt2": "A".repeat(42)}}),
            allowed.clone(),
        ),
        (
            "largeBlob read and write together",
            json!({"largeBlob": {"read": true, "write": "AQID"}}),
            allowed.clone(),
        ),
        (
            "evalByCredential without an allow list",
            json!({"prf": {"evalByCredential": {"BwcHBwcHBwcHBwcHBwcHBw": {"first": "YQ"}}}}),
            vec![],
        ),
        (
            "evalByCredential for a credential not allowed",
            json!({"prf": {"evalByCredential": {"CAgI": {"first": "YQ"}}}}),
            allowed.clone(),
        ),
        (
            "evalByCredential key not base64url",
            json!({"prf": {"evalByCredential": {"!!": {"first": "YQ"}}}}),
            allowed.clone(),
        ),
    ];
    for (what, json, allow) in cases_ga {
        let (mut client, log) = shared.client(TWO);
        let error = authenticate(&mut client, &allow, &json.to_string()).expect_err(what);
        refused(error, ClientErrorCode::BAD_REQUEST, &log, what);
    }
}

#[test]
fn hard_requirements_fail_and_soft_ones_are_dropped_and_reported() {
    let shared = Shared::new(with_pin(33), Transport::InProcess);
    let hidden = [
        "largeBlobKey",
        "largeBlobs",
        "credProtect",
        "hmac-secret",
        "hmac-secret-mc",
    ];
    let lacking = || shared.client_hiding(TWO, default_extensions(), &hidden);

    let (mut client, log) = lacking();
    let error = register(&mut client, r#"{"largeBlob":{"support":"required"}}"#, b"u").unwrap_err();
    refused(
        error,
        ClientErrorCode::CONFIGURATION_UNSUPPORTED,
        &log,
        "largeBlob required",
    );

    let (mut client, log) = lacking();
    let json = r#"{"credentialProtectionPolicy":"userVerificationRequired","enforceCredentialProtectionPolicy":true}"#;
    let error = register(&mut client, json, b"u").unwrap_err();
    refused(
        error,
        ClientErrorCode::CONFIGURATION_UNSUPPORTED,
        &log,
        "credProtect enforced",
    );

    let (mut client, log) = lacking();
    let json = r#"{"largeBlob":{"support":"preferred"},"prf":{"eval":{"first":"YQ"}},"credentialProtectionPolicy":"userVerificationRequired"}"#;
    let out = register(&mut client, json, b"u").expect("soft requirements");
    let out = out.client_extension_results();
    assert_eq!(
        out.large_blob.as_ref().and_then(|l| l.supported),
        Some(false)
    );
    let prf = out.prf.as_ref().expect("prf reported");
    assert_eq!((prf.enabled, prf.results.is_none()), (Some(false), true));
    let request: MakeCredentialRequest =
        cbor::from_slice(&log.of(CommandCode::MAKE_CREDENTIAL)[0][1..]).unwrap();
    assert_eq!(request.extensions, None, "dropped extensions are not sent");
}

/// A caller's extension: `{"exampleThirdParty": true}` asks the authenticator's
/// thirdPartyPayment and reports `{"exampleThirdParty": {"paid": <bool>}}`.
#[derive(Debug)]
struct ExampleThirdParty;

#[derive(Debug)]
struct Asked;

const EXAMPLE: &str = "exampleThirdParty";

impl ClientExtension for ExampleThirdParty {
    fn name(&self) -> &str {
        EXAMPLE
    }

    fn is_supported(&self, info: &fido_types::ctap2::Info) -> bool {
        info.supports_extension("thirdPartyPayment")
    }

    fn make_credential(
        &self,
        ctx: &RegistrationContext<'_>,
    ) -> Result<Option<Box<dyn RegistrationProcessor>>, ExtensionError> {
        let asked = ctx.inputs.other.get(EXAMPLE) == Some(&json!(true));
        Ok((asked && self.is_supported(ctx.info)).then(|| Box::new(Asked) as _))
    }

    fn get_assertion(
        &self,
        ctx: &AuthenticationContext<'_>,
    ) -> Result<Option<Box<dyn AuthenticationProcessor>>, ExtensionError> {
        match ctx.inputs.other.get(EXAMPLE) {
            None => Ok(None),
            Some(v) if v == &json!(true) => Ok(Some(Box::new(Asked))),
            Some(_) => Err(ExtensionError::malformed(EXAMPLE, "not `true`")),
        }
    }
}

impl RegistrationProcessor for Asked {
    fn prepare_inputs(
        &self,
        _: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        inputs.insert("thirdPartyPayment".into(), Value::Bool(true));
        Ok(())
    }

    fn prepare_outputs(
        &self,
        _: &CtapOutputs<'_>,
        _: Option<&ExtensionSecret>,
        _: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        Ok(())
    }
}

impl AuthenticationProcessor for Asked {
    fn prepare_inputs(
        &self,
        _: Option<&PublicKeyCredentialDescriptor>,
        _: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        inputs.insert("thirdPartyPayment".into(), Value::Bool(true));
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        _: Option<&ExtensionSecret>,
        _: &mut dyn LargeBlobAccess,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        let paid = matches!(ctap.get("thirdPartyPayment"), Some(Value::Bool(true)));
        outputs
            .other
            .insert(EXAMPLE.into(), json!({ "paid": paid }));
        Ok(())
    }
}

#[test]
fn a_caller_defined_extension_runs_and_only_the_listed_ones_do() {
    let shared = Shared::new(with_pin(34), Transport::InProcess);
    let (mut client, log) = shared.client_with(TWO, vec![Box::new(ExampleThirdParty)]);
    let json = r#"{"exampleThirdParty":true,"prf":{"eval":{"first":"YQ"}},"credProps":true}"#;
    let registration = register(&mut client, json, b"u").expect("registration");
    let out = registration.client_extension_results();
    assert!(
        out.prf.is_none() && out.cred_props.is_none(),
        "not in the list: {out:?}"
    );
    let sent: MakeCredentialRequest =
        cbor::from_slice(&log.of(CommandCode::MAKE_CREDENTIAL)[0][1..]).unwrap();
    let sent = sent.extensions.expect("the caller's input");
    assert_eq!(sent.keys().collect::<Vec<_>>(), ["thirdPartyPayment"]);

    let id = registration.raw_id().to_vec();
    let out = authenticate(
        &mut client,
        std::slice::from_ref(&id),
        r#"{"exampleThirdParty":true}"#,
    )
    .unwrap();
    assert_eq!(out.other[EXAMPLE], json!({"paid": true}));
    let error = authenticate(&mut client, &[id], r#"{"exampleThirdParty":1}"#).unwrap_err();
    assert_eq!(error.code(), ClientErrorCode::BAD_REQUEST);
    // The outputs' JSON carries the caller's member as it was written.
    let text = serde_json::to_string(&out).unwrap();
    assert_eq!(text, r#"{"exampleThirdParty":{"paid":true}}"#);
}

#[test]
fn unsupported_without_requirement_sends_nothing_for_it() {
    let shared = Shared::new(with_pin(35), Transport::InProcess);
    let (mut client, log) = shared.client_hiding(TWO, default_extensions(), &["credBlob"]);
    let out = register(&mut client, r#"{"credBlob":"AQID"}"#, b"u").expect("dropped");
    assert_eq!(out.client_extension_results().cred_blob, None);
    let request: MakeCredentialRequest =
        cbor::from_slice(&log.of(CommandCode::MAKE_CREDENTIAL)[0][1..]).unwrap();
    assert_eq!(request.extensions, None);
}
