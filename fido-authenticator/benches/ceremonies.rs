//! Criterion bench: register (makeCredential) plus authenticate (getAssertion)
//! ceremonies, in-process through the raw `[cmd][cbor]` entry point, for every credential
//! algorithm (each RS256/PS256 ceremony generates a 2048-bit RSA key for the new
//! credential and again when opening its sealed ID).

use std::alloc::System;
use std::hint::black_box;
use std::time::Instant;

use criterion::Criterion;
use fido_authenticator::keys::{Algorithm, CredentialKey};
use fido_authenticator::presence::NoTransport;
use fido_authenticator::{Authenticator, Config};
use fido_types::cbor::{self, Value};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

fn t(s: &str) -> Value {
    Value::Text(s.into())
}

/// The authenticator every ceremony runs on (self attestation, one discoverable slot).
fn authenticator() -> Authenticator {
    Authenticator::new(Config {
        seed: Some(7),
        max_discoverable: 1,
        ..Config::default()
    })
    .unwrap()
}

/// `[0x01][makeCredential request]` for `alg` and a one-byte user ID.
fn make_credential_request(alg: i64, user: u8) -> Vec<u8> {
    let req = Value::Map(
        [
            (Value::Integer(1), Value::Bytes(vec![1; 32])),
            (
                Value::Integer(2),
                Value::Map([(t("id"), t("example.com"))].into_iter().collect()),
            ),
            (
                Value::Integer(3),
                Value::Map([(t("id"), Value::Bytes(vec![user]))].into_iter().collect()),
            ),
            (
                Value::Integer(4),
                Value::Array(vec![Value::Map(
                    [
                        (t("alg"), Value::Integer(alg.into())),
                        (t("type"), t("public-key")),
                    ]
                    .into_iter()
                    .collect(),
                )]),
            ),
        ]
        .into_iter()
        .collect(),
    );
    let mut out = vec![0x01];
    out.extend(cbor::to_vec(&req).unwrap());
    out
}

fn ceremony(c: &mut Criterion) {
    for (name, alg) in [
        ("es256", -7),
        ("eddsa", -8),
        ("es384", -35),
        ("es512", -36),
        ("es256k", -47),
        ("rs256", -257),
        ("ps256", -37),
        ("ml-dsa-44", -48),
        ("ml-dsa-65", -49),
        ("ml-dsa-87", -50),
    ] {
        let mut auth = authenticator();
        let register = make_credential_request(alg, 1);
        c.bench_function(&format!("register+authenticate/{name}"), |b| {
            b.iter(|| ceremony_once(&mut auth, &register))
        });
    }
}

/// One register (makeCredential) and one authenticate (getAssertion with the new
/// credential in the allow list), through the raw `[cmd][cbor]` entry point.
fn ceremony_once(auth: &mut Authenticator, register: &[u8]) {
    let response = auth.handle(register, &mut NoTransport);
    assert_eq!(response[0], 0);
    let body: Value = cbor::from_slice(&response[1..]).unwrap();
    let Value::Map(m) = body else { panic!() };
    let Some(Value::Bytes(auth_data)) = m.get(&Value::Integer(2)) else {
        panic!()
    };
    let len = usize::from(u16::from_be_bytes([auth_data[53], auth_data[54]]));
    let id = auth_data[55..55 + len].to_vec();
    let req = Value::Map(
        [
            (Value::Integer(1), t("example.com")),
            (Value::Integer(2), Value::Bytes(vec![2; 32])),
            (
                Value::Integer(3),
                Value::Array(vec![Value::Map(
                    [(t("id"), Value::Bytes(id)), (t("type"), t("public-key"))]
                        .into_iter()
                        .collect(),
                )]),
            ),
        ]
        .into_iter()
        .collect(),
    );
    let mut get = vec![0x02];
    get.extend(cbor::to_vec(&req).unwrap());
    let response = auth.handle(&get, &mut NoTransport);
    assert_eq!(response[0], 0);
}

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The asymmetric crypto a ceremony cannot avoid, on the same primitives the keys use:
/// the new credential's public key, the self-attestation signature, the assertion
/// signature (ECDSA: one scalar multiplication each; Ed25519: the public key is part of
/// every signature, so two each).
fn crypto_floor(alg: Algorithm, seed: &[u8; 32], message: &[u8]) {
    let key = CredentialKey::from_bytes(alg, seed).unwrap();
    black_box(key.public_cose().unwrap());
    black_box(key.sign(message).unwrap());
    black_box(key.sign(message).unwrap());
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// ES256 and EdDSA: ceremonies per second, the crypto floor measured interleaved with the
/// ceremony, and allocations per ceremony.
fn summary() {
    println!();
    println!("in-process register+authenticate (51 interleaved rounds of 20; medians):");
    println!(
        "| {:<6} | {:>12} | {:>14} | {:>16} | {:>19} | {:>17} |",
        "alg",
        "ceremony µs",
        "ceremonies/s",
        "crypto floor µs",
        "non-crypto share",
        "allocs/ceremony"
    );
    println!(
        "|{:-<8}|{:->14}|{:->16}|{:->18}|{:->21}|{:->19}|",
        "", "", "", "", "", ""
    );
    for (name, alg) in [("ES256", Algorithm::Es256), ("EdDSA", Algorithm::EdDsa)] {
        let mut auth = authenticator();
        let register = make_credential_request(alg.cose(), 1);
        ceremony_once(&mut auth, &register);
        let region = Region::new(GLOBAL);
        ceremony_once(&mut auth, &register);
        let stats = region.change();
        let allocs = stats.allocations + stats.reallocations;
        let seed = [7u8; 32];
        let message = [0x5au8; 200];
        let (mut full, mut floor, mut shares) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..51 {
            let start = Instant::now();
            for _ in 0..20 {
                ceremony_once(&mut auth, &register);
            }
            let f = start.elapsed().as_secs_f64() * 1e6 / 20.0;
            let start = Instant::now();
            for _ in 0..20 {
                crypto_floor(alg, &seed, &message);
            }
            let c = start.elapsed().as_secs_f64() * 1e6 / 20.0;
            full.push(f);
            floor.push(c);
            shares.push(1.0 - c / f);
        }
        let (f, c, share) = (median(full), median(floor), median(shares));
        println!(
            "| {name:<6} | {f:>12.1} | {:>14.0} | {c:>16.1} | {:>18.1}% | {allocs:>17} |",
            1e6 / f,
            share * 100.0
        );
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    ceremony(&mut c);
    c.final_summary();
    summary();
}
