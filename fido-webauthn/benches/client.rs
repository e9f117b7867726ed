//! Cost of the pure client decisions: RP ID checks (URL parse, UTS #46, public suffix
//! lookup) and the UV/PIN decision.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use fido_webauthn::rp_id::verify_rp_id;
use fido_webauthn::uv::{
    BuiltInUvState, ClientPinState, Operation, UvInputs, UvRequirement, decide,
};

fn rp_id(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify_rp_id");
    let cases = [
        ("equal", "example.com", "https://example.com"),
        ("parent", "example.com", "https://login.example.com:1337"),
        (
            "idn",
            "bücher.example",
            "https://shop.xn--bcher-kva.example",
        ),
        ("public_suffix", "co.uk", "https://foobar.co.uk"),
    ];
    for (name, rp, origin) in cases {
        group.bench_function(name, |b| {
            b.iter(|| verify_rp_id(black_box(rp), black_box(origin)))
        });
    }
    group.finish();
}

fn uv(c: &mut Criterion) {
    let inputs = UvInputs {
        requirement: UvRequirement::Preferred,
        client_pin: ClientPinState::Set,
        built_in_uv: BuiltInUvState::Configured,
        pin_uv_auth_token: true,
        always_uv: false,
        make_cred_uv_not_rqd: false,
        no_mc_ga_permissions_with_client_pin: false,
        discoverable: true,
        operation: Operation::MakeCredential,
        extra_permissions: false,
        uv_allowed: true,
        pin_available: true,
    };
    c.bench_function("uv_decide", |b| b.iter(|| decide(black_box(&inputs))));
}

criterion_group!(benches, rp_id, uv);
criterion_main!(benches);
