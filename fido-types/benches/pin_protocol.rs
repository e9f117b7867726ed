//! PIN/UV auth protocol benchmark: the platform's side of setPIN (encapsulate, which
//! includes the KDF, then encrypt the padded PIN and authenticate it) for protocols one
//! and two, and the pieces on their own.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use fido_types::pin_protocol::{KeyAgreementKey, Pin, PinProtocol, ProtocolOne, ProtocolTwo};

fn bench_protocol<P: PinProtocol>(c: &mut Criterion, name: &str) {
    let authenticator = KeyAgreementKey::from_secret_bytes(&[0x42; 32]).unwrap();
    let peer = authenticator.public_key();
    let pin = Pin::new("123456").unwrap();
    let padded = pin.padded();
    let shared = P::kdf(&[0x55; 32]);
    let new_pin_enc = P::encrypt(&shared, padded.as_slice()).unwrap();

    c.bench_function(&format!("{name}/setPIN platform side"), |b| {
        b.iter(|| {
            let (platform, shared) = P::encapsulate(black_box(&peer.x), &peer.y).unwrap();
            let new_pin_enc = P::encrypt(&shared, padded.as_slice()).unwrap();
            let param = P::authenticate(&shared, &new_pin_enc);
            (platform, new_pin_enc, param)
        })
    });
    c.bench_function(&format!("{name}/encapsulate"), |b| {
        b.iter(|| P::encapsulate(black_box(&peer.x), &peer.y).unwrap())
    });
    c.bench_function(&format!("{name}/decapsulate (p256)"), |b| {
        b.iter(|| {
            authenticator
                .decapsulate::<P>(black_box(&peer.x), &peer.y)
                .unwrap()
        })
    });
    c.bench_function(&format!("{name}/kdf"), |b| {
        b.iter(|| P::kdf(black_box(&[0x55; 32])))
    });
    c.bench_function(&format!("{name}/encrypt 64 bytes"), |b| {
        b.iter(|| P::encrypt(&shared, black_box(padded.as_slice())).unwrap())
    });
    c.bench_function(&format!("{name}/authenticate 64 bytes"), |b| {
        b.iter(|| P::authenticate(&shared, black_box(&new_pin_enc[..64])))
    });
}

fn benches(c: &mut Criterion) {
    bench_protocol::<ProtocolOne>(c, "v1");
    bench_protocol::<ProtocolTwo>(c, "v2");
}

criterion_group!(pin_protocol, benches);
criterion_main!(pin_protocol);
