//! Criterion bench: register (makeCredential) plus authenticate (getAssertion)
//! ceremonies, in-process through the raw `[cmd][cbor]` entry point, for every credential
//! algorithm (each RS256/PS256 ceremony generates a 2048-bit RSA key for the new
//! credential and again when opening its sealed ID).
//!
//! After the Criterion runs, a summary for ES256 and EdDSA: ceremonies per second
//! in-process and over CTAPHID/UDP (fido-ctap's UDP backend against a
//! [`UdpServer`] on 127.0.0.1), the crypto floor and allocations per ceremony.
//!
//! With `CEREMONY_LOOP=es256` (or `eddsa`) in the environment it runs only that many
//! in-process ceremonies (`CEREMONY_COUNT`, default 100) and exits: the loop
//! `benches/breakdown.sh` runs under callgrind.

use std::alloc::System;
use std::hint::black_box;
use std::net::SocketAddr;
use std::thread;
use std::time::Instant;

use criterion::Criterion;
use fido_authenticator::keys::{Algorithm, CredentialKey};
use fido_authenticator::presence::NoTransport;
use fido_authenticator::udp::UdpServer;
use fido_authenticator::{Authenticator, Config};
use fido_ctap::device::{CancelToken, CtapDevice, CtaphidCommand, DeviceOpener, DeviceUri};
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
            b.iter(|| ceremony_once(&mut in_process(&mut auth), &register))
        });
    }
}

/// `auth`'s raw `[cmd][cbor]` -> `[status][cbor]` entry point, in-process.
fn in_process(auth: &mut Authenticator) -> impl FnMut(&[u8]) -> Vec<u8> + '_ {
    |request| auth.handle(request, &mut NoTransport)
}

/// Starts a [`UdpServer`] around [`authenticator`] on 127.0.0.1 (a free port) in a thread
/// that serves until the process ends; returns its address.
fn serve_udp() -> SocketAddr {
    let mut server = UdpServer::bind("127.0.0.1:0", authenticator()).unwrap();
    let addr = server.local_addr().unwrap();
    thread::spawn(move || server.serve());
    addr
}

/// Opens `udp:ADDR` with fido-ctap's CTAPHID/UDP backend.
fn open_udp(addr: SocketAddr) -> Box<dyn CtapDevice> {
    DeviceOpener::new()
        .open(&DeviceUri::Udp {
            host: addr.ip().to_string(),
            port: addr.port(),
        })
        .unwrap()
}

/// The same `[cmd][cbor]` -> `[status][cbor]` exchange as one CTAPHID CBOR message over UDP.
fn over_udp(device: &mut dyn CtapDevice) -> impl FnMut(&[u8]) -> Vec<u8> + '_ {
    let cancel = CancelToken::new();
    move |request| {
        device
            .call(CtaphidCommand::CBOR, request, &cancel, &mut |_| {})
            .unwrap()
    }
}

/// One register (makeCredential) and one authenticate (getAssertion with the new
/// credential in the allow list), each one `[cmd][cbor]` request through `exchange`.
#[inline(never)]
fn ceremony_once(exchange: &mut dyn FnMut(&[u8]) -> Vec<u8>, register: &[u8]) {
    let response = exchange(register);
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
    let response = exchange(&get);
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

/// ES256 and EdDSA: ceremonies per second in-process and over UDP, the crypto floor
/// measured interleaved with the in-process ceremony, and allocations per ceremony.
fn summary() {
    println!();
    println!("register+authenticate (51 interleaved rounds of 20; medians):");
    println!(
        "(wall clock: the share is noisy on a loaded machine; benches/breakdown.sh gives a \
         stable instruction-count split)"
    );
    println!(
        "| {:<6} | {:>12} | {:>14} | {:>16} | {:>19} | {:>17} | {:>11} | {:>13} |",
        "alg",
        "ceremony µs",
        "ceremonies/s",
        "crypto floor µs",
        "non-crypto share",
        "allocs/ceremony",
        "UDP µs",
        "UDP cer./s"
    );
    println!(
        "|{:-<8}|{:->14}|{:->16}|{:->18}|{:->21}|{:->19}|{:->13}|{:->15}|",
        "", "", "", "", "", "", "", ""
    );
    for (name, alg) in [("ES256", Algorithm::Es256), ("EdDSA", Algorithm::EdDsa)] {
        let mut auth = authenticator();
        let mut local = in_process(&mut auth);
        let mut device = open_udp(serve_udp());
        let mut udp = over_udp(device.as_mut());
        let register = make_credential_request(alg.cose(), 1);
        ceremony_once(&mut local, &register);
        ceremony_once(&mut udp, &register);
        let region = Region::new(GLOBAL);
        ceremony_once(&mut local, &register);
        let stats = region.change();
        let allocs = stats.allocations + stats.reallocations;
        let seed = [7u8; 32];
        let message = [0x5au8; 200];
        let time = |f: &mut dyn FnMut()| {
            let start = Instant::now();
            for _ in 0..20 {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / 20.0
        };
        let (mut full, mut floor, mut shares, mut remote) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..51 {
            let f = time(&mut || ceremony_once(&mut local, &register));
            let c = time(&mut || crypto_floor(alg, &seed, &message));
            let u = time(&mut || ceremony_once(&mut udp, &register));
            full.push(f);
            floor.push(c);
            shares.push(1.0 - c / f);
            remote.push(u);
        }
        let (f, c, share, u) = (median(full), median(floor), median(shares), median(remote));
        println!(
            "| {name:<6} | {f:>12.1} | {:>14.0} | {c:>16.1} | {:>18.1}% | {allocs:>17} | {u:>11.1} | {:>13.0} |",
            1e6 / f,
            share * 100.0,
            1e6 / u
        );
    }
}

/// `CEREMONY_LOOP=es256|eddsa`: runs `CEREMONY_COUNT` (default 100) in-process ceremonies
/// of that algorithm after one warm-up; the loop `benches/breakdown.sh` profiles.
fn ceremony_loop(alg: &str) {
    let alg = match alg {
        "es256" => Algorithm::Es256,
        "eddsa" => Algorithm::EdDsa,
        other => panic!("CEREMONY_LOOP={other}: expected es256 or eddsa"),
    };
    let count: usize = std::env::var("CEREMONY_COUNT").map_or(100, |n| n.parse().unwrap());
    let mut auth = authenticator();
    let mut local = in_process(&mut auth);
    let register = make_credential_request(alg.cose(), 1);
    ceremony_once(&mut local, &register);
    for _ in 0..count {
        ceremony_loop_body(&mut local, &register);
    }
}

/// One profiled ceremony (the symbol `breakdown.sh` toggles collection on).
#[inline(never)]
fn ceremony_loop_body(exchange: &mut dyn FnMut(&[u8]) -> Vec<u8>, register: &[u8]) {
    ceremony_once(exchange, register);
}

fn main() {
    if let Ok(alg) = std::env::var("CEREMONY_LOOP") {
        ceremony_loop(&alg);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    ceremony(&mut c);
    c.final_summary();
    summary();
}
