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

use std::alloc::System;
use std::hint::black_box;
use std::time::Instant;

use criterion::Criterion;
use fido_authenticator::Config;
use fido_authenticator::keys::{Algorithm, CredentialKey};
use fido_authenticator::virtual_device::VirtualAuthenticator;
use fido_ctap::device::{
    CancelToken, CountingDevice, CtapDevice, DeviceOpener, DeviceUri, MessageLog,
};
use fido_types::cose::CoseAlgorithm;
use fido_types::generated::Permissions;
use fido_types::pin_protocol::Pin;
use fido_types::pin_protocol::{KeyAgreementKey, PinProtocol, ProtocolTwo};
use fido_types::webauthn::{
    AuthenticatorSelectionCriteria, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor, PublicKeyCredentialParameters,
    PublicKeyCredentialRequestOptions, PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity,
    UserVerificationRequirement,
};
use fido_webauthn::Fido2Client;
use fido_webauthn::collector::DefaultClientDataCollector;
use fido_webauthn::interaction::{NoInteraction, UserInteraction};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

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

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The crypto neither side can avoid in one ceremony, on the primitives the virtual
/// authenticator and the client use: the ES256 credential's public key and two signatures
/// (self attestation, assertion); with a PIN, per pinUvAuthToken (two per ceremony) the
/// platform's encapsulation (key generation and ECDH) and the authenticator's ECDH.
fn crypto_floor(with_pin: bool, authenticator_key: &KeyAgreementKey) {
    let key = CredentialKey::from_bytes(Algorithm::Es256, &[7; 32]).unwrap();
    black_box(key.public_cose().unwrap());
    black_box(key.sign(&[0x5a; 200]).unwrap());
    black_box(key.sign(&[0x5a; 200]).unwrap());
    if with_pin {
        let peer = authenticator_key.public_key();
        for _ in 0..2 {
            let (platform, _shared) = ProtocolTwo::encapsulate(&peer.x, &peer.y).unwrap();
            black_box(
                authenticator_key
                    .decapsulate::<ProtocolTwo>(&platform.x, &platform.y)
                    .unwrap(),
            );
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Ceremony time against the crypto floor (interleaved rounds), and allocations.
fn cost_summary() {
    let authenticator_key = KeyAgreementKey::from_secret_bytes(&[0x42; 32]).unwrap();
    println!();
    println!("client register+authenticate, in-process device (31 interleaved rounds of 10):");
    println!(
        "| {:<12} | {:>12} | {:>16} | {:>22} | {:>16} |",
        "ceremony", "µs", "crypto floor µs", "beyond crypto (share)", "allocs/ceremony"
    );
    println!(
        "|{:-<14}|{:->14}|{:->18}|{:->24}|{:->18}|",
        "", "", "", "", ""
    );
    for (name, with_pin) in [("with PIN", true), ("without UV", false)] {
        let (mut client, log) = client(with_pin);
        log.take();
        ceremony(&mut client, with_pin, &log);
        let region = Region::new(GLOBAL);
        ceremony(&mut client, with_pin, &log);
        let stats = region.change();
        let allocs = stats.allocations + stats.reallocations;
        let (mut full, mut floor, mut shares) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..31 {
            let start = Instant::now();
            for _ in 0..10 {
                ceremony(&mut client, with_pin, &log);
            }
            let f = start.elapsed().as_secs_f64() * 1e6 / 10.0;
            let start = Instant::now();
            for _ in 0..10 {
                crypto_floor(with_pin, &authenticator_key);
            }
            let c = start.elapsed().as_secs_f64() * 1e6 / 10.0;
            full.push(f);
            floor.push(c);
            shares.push(1.0 - c / f);
        }
        println!(
            "| {name:<12} | {:>12.1} | {:>16.1} | {:>21.1}% | {allocs:>16} |",
            median(full),
            median(floor),
            median(shares) * 100.0
        );
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    ceremonies(&mut c);
    c.final_summary();
    cost_summary();
}
