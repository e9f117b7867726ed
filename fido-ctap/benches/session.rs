//! Criterion bench: PIN/UV auth protocol two token acquisition and one token-authenticated
//! makeCredential, with the crypto of each reported next to the total.
//!
//! Groups:
//! - `session/virtual`: `Session::pin_token_for_rp` (getKeyAgreement +
//!   getPinUvAuthTokenUsingPin) and `PinToken::make_credential` against the in-process
//!   software authenticator (`fido-authenticator`, the `virtual` device: CTAPHID over an
//!   in-process report pair, the authenticator on its own thread, ES256 key generation and
//!   signing for each credential);
//! - `session/total`: the same two calls against the scripted fake of the tests
//!   (`tests/fake_ctap`, no CTAPHID, a canned makeCredential answer), i.e. the client's
//!   work plus the fake's PIN-protocol crypto;
//! - `session/crypto`: the cryptography of those exchanges alone: the PIN/UV protocol (client
//!   and authenticator side: ECDH, AES, HMAC) and the authenticator's ES256 key generation
//!   and signature (p256, as fido-authenticator), without CBOR, transport or state.

#[path = "../tests/fake_ctap/mod.rs"]
mod fake_ctap;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use fido_ctap::ctap2::Ctap2;
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::generated::{
    CoseAlgorithm, MakeCredentialRequest, PublicKeyCredentialParameters,
    PublicKeyCredentialRpEntity, PublicKeyCredentialType, PublicKeyCredentialUserEntity,
};
use fido_types::pin_protocol::{KeyAgreementKey, Pin, PinProtocol, PinUvAuthToken, ProtocolTwo};

fn mc_request() -> MakeCredentialRequest {
    MakeCredentialRequest {
        client_data_hash: vec![0x42; 32],
        rp: PublicKeyCredentialRpEntity {
            id: "example.com".into(),
            name: None,
        },
        user: PublicKeyCredentialUserEntity {
            id: b"user".to_vec(),
            ..Default::default()
        },
        pub_key_cred_params: vec![PublicKeyCredentialParameters {
            alg: CoseAlgorithm(-7),
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        }],
        ..Default::default()
    }
}

fn total(c: &mut Criterion) {
    let fake = fake_ctap::FakeAuthenticator::with_pin("123456").into_shared();
    let device: Box<dyn fido_ctap::device::CtapDevice> = Box::new(fake_ctap::device(&fake));
    let mut session = Session::<_, ProtocolTwo>::new(Ctap2::new(device).unwrap()).unwrap();
    let pin = Pin::new("123456").unwrap();

    let mut group = c.benchmark_group("session/total");
    group.bench_function("pin_token_protocol_two", |b| {
        b.iter(|| {
            let token = session
                .pin_token_for_rp::<perms![MakeCredential]>(black_box(&pin), "example.com")
                .unwrap();
            black_box(token.rp_id().is_some())
        })
    });
    let mut token = session
        .pin_token_for_rp::<perms![MakeCredential]>(&pin, "example.com")
        .unwrap();
    group.bench_function("make_credential_with_token", |b| {
        b.iter(|| black_box(token.make_credential(mc_request()).unwrap().auth_data.len()))
    });
    group.finish();
}

fn virtual_authenticator(c: &mut Criterion) {
    use std::sync::Arc;
    let factory =
        fido_authenticator::virtual_device::VirtualAuthenticator::new(fido_authenticator::Config {
            seed: Some(1),
            pin: Some("123456".into()),
            ..Default::default()
        });
    let opener = fido_ctap::device::DeviceOpener::new().with_virtual(Arc::new(factory));
    let device = opener.open(&fido_ctap::device::DeviceUri::Virtual).unwrap();
    let mut session = Session::<_, ProtocolTwo>::new(Ctap2::new(device).unwrap()).unwrap();
    let pin = Pin::new("123456").unwrap();
    let mut group = c.benchmark_group("session/virtual");
    group.bench_function("pin_token_protocol_two", |b| {
        b.iter(|| {
            let token = session
                .pin_token_for_rp::<perms![MakeCredential]>(black_box(&pin), "example.com")
                .unwrap();
            black_box(token.rp_id().is_some())
        })
    });
    let mut token = session
        .pin_token_for_rp::<perms![MakeCredential]>(&pin, "example.com")
        .unwrap();
    group.bench_function("make_credential_with_token", |b| {
        b.iter(|| black_box(token.make_credential(mc_request()).unwrap().auth_data.len()))
    });
    group.finish();
}

fn crypto(c: &mut Criterion) {
    let authenticator = KeyAgreementKey::generate().unwrap();
    let peer = authenticator.public_key();
    let pin = Pin::new("123456").unwrap();
    let token = PinUvAuthToken::<ProtocolTwo>::generate().unwrap();

    let mut group = c.benchmark_group("session/crypto");
    // What one pin_token costs in cryptography: the client's ECDH and pinHashEnc, the
    // authenticator's ECDH and decryption, the token encrypted and decrypted.
    group.bench_function("pin_token_protocol_two", |b| {
        b.iter(|| {
            let (platform, shared) = ProtocolTwo::encapsulate(&peer.x, &peer.y).unwrap();
            let pin_hash_enc = ProtocolTwo::encrypt(&shared, pin.pin_hash().as_slice()).unwrap();
            let shared2 = authenticator
                .decapsulate::<ProtocolTwo>(&platform.x, &platform.y)
                .unwrap();
            let hash = ProtocolTwo::decrypt(&shared2, &pin_hash_enc).unwrap();
            let token_enc = ProtocolTwo::encrypt(&shared2, token.expose_secret()).unwrap();
            let token = ProtocolTwo::decrypt_token(&shared, &token_enc).unwrap();
            black_box((hash.len(), token.len()))
        })
    });
    // What one token-authenticated makeCredential costs: the client's MAC and the
    // authenticator's check.
    group.bench_function("make_credential_with_token", |b| {
        let cdh = [0x42; 32];
        b.iter(|| {
            let param = ProtocolTwo::authenticate(&token, black_box(&cdh));
            ProtocolTwo::verify(&token, &cdh, &param).unwrap();
        })
    });
    // What the software authenticator's makeCredential adds (self attestation, p256 as in
    // fido-authenticator): a new ES256 key (its public point) and one signature over
    // authenticatorData || clientDataHash.
    group.bench_function("make_credential_authenticator_es256", |b| {
        use p256::ecdsa::signature::Signer;
        let mut scalar = [0x11u8; 32];
        let message = [0x5A; 164 + 32];
        b.iter(|| {
            scalar[0] = scalar[0].wrapping_add(1) | 1;
            let key = p256::ecdsa::SigningKey::from_slice(&scalar).unwrap();
            let public = p256::ecdsa::VerifyingKey::from(&key);
            let signature: p256::ecdsa::Signature = key.sign(black_box(&message));
            black_box((public, signature))
        })
    });
    group.finish();
}

criterion_group!(benches, total, virtual_authenticator, crypto);
criterion_main!(benches);
