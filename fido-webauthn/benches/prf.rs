//! A prf evaluation (WebAuthn L3 §10.1.4) through `Fido2Client` against the in-process
//! virtual authenticator with a PIN (UV required), and the CTAP messages it sends
//! (counted with `fido_ctap::device::CountingDevice`).
//!
//! Ours, per evaluation: clientPin getKeyAgreement (hmac-secret's shared secret), clientPin
//! getKeyAgreement and getPinUvAuthTokenUsingPinWithPermissions (the token), getAssertion
//! = 4; the client's opening getInfo is sent once per client.
//!
//! python-fido2 2.2.1, same ceremony on a fresh `Fido2Client` (one-entry allow list, PIN,
//! UV required), counted by `tests/interop/ext_check.sh`, which wraps its
//! `CtapHidDevice.call` and prints the CBOR messages: clientPin (hmac-secret's key
//! agreement), getInfo, clientPin getKeyAgreement, clientPin get token, getInfo,
//! getAssertion (its pre-flight of the one-entry allow list), getAssertion = 7, besides
//! the getInfo its `Ctap2` sends when the client is made. The bench asserts ours stays at
//! most that.

use std::collections::BTreeMap;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use fido_authenticator::Config;
use fido_authenticator::virtual_device::VirtualAuthenticator;
use fido_ctap::device::{
    CancelToken, CountingDevice, CtapDevice, DeviceOpener, DeviceUri, MessageLog,
};
use fido_types::cose::CoseAlgorithm;
use fido_types::generated::Permissions;
use fido_types::pin_protocol::Pin;
use fido_types::webauthn::{
    AuthenticationExtensionsClientInputs, AuthenticatorSelectionCriteria, PrfInputs, PrfValues,
    PublicKeyCredentialCreationOptions, PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters, PublicKeyCredentialRequestOptions, PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity, UserVerificationRequirement,
};
use fido_webauthn::Fido2Client;
use fido_webauthn::collector::DefaultClientDataCollector;
use fido_webauthn::interaction::UserInteraction;

const PIN: &str = "1234";

/// What python-fido2 2.2.1 sends for the same evaluation (see the module docs).
const PYTHON_FIDO2_MESSAGES: usize = 7;

/// Gives the PIN every time it is asked for.
struct KnowsThePin;

impl UserInteraction for KnowsThePin {
    fn request_pin(&self, _permissions: Permissions, _rp_id: Option<&str>) -> Option<Pin> {
        Pin::new(PIN).ok()
    }
}

fn prf(first: &[u8]) -> AuthenticationExtensionsClientInputs {
    let mut inputs = AuthenticationExtensionsClientInputs::default();
    inputs.prf = Some(PrfInputs::new(
        Some(PrfValues::new(first.to_vec(), None)),
        None,
    ));
    inputs
}

/// A client on a fresh authenticator with PIN, a credential made with prf, the log.
fn setup() -> (Fido2Client, Vec<u8>, MessageLog) {
    let config = Config {
        seed: Some(1),
        builtin_uv: false,
        pin: Some(PIN.to_owned()),
        ..Config::default()
    };
    let device = DeviceOpener::new()
        .with_virtual(Arc::new(VirtualAuthenticator::new(config)))
        .open(&DeviceUri::Virtual)
        .expect("virtual device");
    let device = CountingDevice::new(device);
    let log = device.log();
    let collector = DefaultClientDataCollector::from_origin("https://example.com");
    let device: Box<dyn CtapDevice> = Box::new(device);
    let mut client = Fido2Client::new(device, collector, KnowsThePin).expect("client");
    let mut selection = AuthenticatorSelectionCriteria::default();
    selection.user_verification = Some(UserVerificationRequirement::REQUIRED);
    let create = PublicKeyCredentialCreationOptions::new(
        PublicKeyCredentialRpEntity::new(Some("example.com".into()), "Example"),
        PublicKeyCredentialUserEntity::new(b"user".to_vec(), "user", "User"),
        b"registration challenge".to_vec(),
        vec![PublicKeyCredentialParameters::public_key(
            CoseAlgorithm::ES256,
        )],
    )
    .with_authenticator_selection(selection)
    .with_extensions(prf(b"at registration"));
    let id = client
        .make_credential(&create, &CancelToken::new())
        .expect("registration")
        .raw_id()
        .to_vec();
    (client, id, log)
}

/// One prf evaluation; the length of its first result (32).
fn evaluate(client: &mut Fido2Client, id: &[u8]) -> usize {
    let get = PublicKeyCredentialRequestOptions::new(b"authentication challenge".to_vec())
        .with_rp_id("example.com")
        .with_allow_credentials(vec![PublicKeyCredentialDescriptor::public_key(id.to_vec())])
        .with_user_verification(UserVerificationRequirement::REQUIRED)
        .with_extensions(prf(b"one salt for both clients"));
    let selection = client
        .get_assertion(&get, &CancelToken::new())
        .expect("assertion");
    let response = selection.response(0).expect("response");
    let outputs = response.client_extension_results();
    let results = outputs.prf.as_ref().and_then(|p| p.results.as_ref());
    results.expect("prf results").first.len()
}

/// "a x2, b = 3".
fn summary(messages: &[String]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for m in messages {
        let n = counts.entry(m).or_insert(0);
        if *n == 0 {
            order.push(m);
        }
        *n += 1;
    }
    let names: Vec<String> = order
        .iter()
        .map(|m| match counts[m] {
            1 => (*m).to_owned(),
            n => format!("{m} x{n}"),
        })
        .collect();
    format!("{} = {}", names.join(", "), messages.len())
}

fn prf_evaluation(c: &mut Criterion) {
    let (mut client, id, log) = setup();
    log.take();
    assert_eq!(evaluate(&mut client, &id), 32);
    let sent = log.take();
    println!("prf evaluation with PIN: {}", summary(&sent));
    println!("python-fido2 2.2.1 for the same ceremony: {PYTHON_FIDO2_MESSAGES}");
    assert!(
        sent.len() <= PYTHON_FIDO2_MESSAGES,
        "more messages than python-fido2"
    );
    c.bench_function("prf_evaluation_with_pin", |b| {
        b.iter(|| evaluate(&mut client, &id));
    });
}

criterion_group!(benches, prf_evaluation);
criterion_main!(benches);
