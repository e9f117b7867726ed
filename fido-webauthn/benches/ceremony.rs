//! A full WebAuthn register + authenticate through `Fido2Client` against the in-process
//! virtual authenticator, with a PIN (UV required) and without UV, and the CTAP messages
//! each ceremony sends (counted with `fido_ctap::device::CountingDevice`).
//!
//! The counts are the minimum CTAP 2.1 allows for these ceremonies:
//! - without UV: one message each (makeCredential; getAssertion). getInfo is not resent
//!   per ceremony (python-fido2 sends it before every ceremony; libfido2 reads it once
//!   when the device is opened; CTAP 2.1 §6.4 asks for neither, and `Fido2Client` asks
//!   again only when an error says the cached one is out of date), and a one-entry allow
//!   list is sent as it is (python-fido2 pre-flights it first: one more getAssertion).
//! - with a PIN: three each (clientPin getKeyAgreement, clientPin
//!   getPinUvAuthTokenUsingPinWithPermissions, then the request). A new token is needed
//!   per ceremony: makeCredential and getAssertion with user presence clear the token's
//!   permissions (CTAP 2.1 §6.1.2, §6.2.2: "clear ... permissions except lbw"), and the
//!   key agreement is fetched per token as CTAP 2.1 §6.5.5.4 describes (python-fido2 and
//!   libfido2 do the same), since the authenticator may regenerate its key.

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
    AuthenticatorSelectionCriteria, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor, PublicKeyCredentialParameters,
    PublicKeyCredentialRequestOptions, PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity,
    UserVerificationRequirement,
};
use fido_webauthn::Fido2Client;
use fido_webauthn::collector::DefaultClientDataCollector;
use fido_webauthn::interaction::{NoInteraction, UserInteraction};

const PIN: &str = "1234";

/// Gives the PIN every time it is asked for.
struct KnowsThePin;

impl UserInteraction for KnowsThePin {
    fn request_pin(&self, _permissions: Permissions, _rp_id: Option<&str>) -> Option<Pin> {
        Pin::new(PIN).ok()
    }
}

fn client(with_pin: bool) -> (Fido2Client, MessageLog) {
    let config = Config {
        seed: Some(1),
        builtin_uv: false,
        pin: with_pin.then(|| PIN.to_owned()),
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
    let client = if with_pin {
        Fido2Client::new(device, collector, KnowsThePin)
    } else {
        Fido2Client::new(device, collector, NoInteraction)
    }
    .expect("client");
    (client, log)
}

fn uv(with_pin: bool) -> UserVerificationRequirement {
    if with_pin {
        UserVerificationRequirement::REQUIRED
    } else {
        UserVerificationRequirement::DISCOURAGED
    }
}

/// One registration then one authentication with the new credential.
fn ceremony(client: &mut Fido2Client, with_pin: bool, log: &MessageLog) -> [Vec<String>; 2] {
    let cancel = CancelToken::new();
    let mut selection = AuthenticatorSelectionCriteria::default();
    selection.user_verification = Some(uv(with_pin));
    let create = PublicKeyCredentialCreationOptions::new(
        PublicKeyCredentialRpEntity::new(Some("example.com".into()), "Example"),
        PublicKeyCredentialUserEntity::new(b"user".to_vec(), "user", "User"),
        b"registration challenge".to_vec(),
        vec![PublicKeyCredentialParameters::public_key(
            CoseAlgorithm::ES256,
        )],
    )
    .with_authenticator_selection(selection);
    let registration = client
        .make_credential(&create, &cancel)
        .expect("registration");
    let register = log.take();
    let get = PublicKeyCredentialRequestOptions::new(b"authentication challenge".to_vec())
        .with_rp_id("example.com")
        .with_allow_credentials(vec![PublicKeyCredentialDescriptor::public_key(
            registration.raw_id().to_vec(),
        )])
        .with_user_verification(uv(with_pin));
    let assertions = client.get_assertion(&get, &cancel).expect("assertion");
    assert_eq!(assertions.len(), 1);
    [register, log.take()]
}

/// "a, b, c = 3", or "a ×2, b = 3" for repeats.
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

fn ceremonies(c: &mut Criterion) {
    let mut group = c.benchmark_group("register_authenticate");
    for (name, with_pin) in [("with_pin_uv_required", true), ("without_uv", false)] {
        let (mut client, log) = client(with_pin);
        let opening = log.take();
        let [register, authenticate] = ceremony(&mut client, with_pin, &log);
        let label = if with_pin { "with PIN" } else { "without UV" };
        println!("client opening: {}", summary(&opening));
        println!("register {label}: {}", summary(&register));
        println!("authenticate {label}: {}", summary(&authenticate));
        group.bench_function(name, |b| {
            b.iter(|| ceremony(&mut client, with_pin, &log));
        });
    }
    group.finish();
}

criterion_group!(benches, ceremonies);
criterion_main!(benches);
