//! Criterion bench: register (makeCredential) plus authenticate (getAssertion)
//! ceremonies, in-process through the raw `[cmd][cbor]` entry point, for every credential
//! algorithm (each RS256/PS256 ceremony generates a 2048-bit RSA key for the new
//! credential and again when opening its sealed ID).

use criterion::{Criterion, criterion_group, criterion_main};
use fido_authenticator::presence::NoTransport;
use fido_authenticator::{Authenticator, Config};
use fido_types::cbor::{self, Value};

fn t(s: &str) -> Value {
    Value::Text(s.into())
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
        let mut auth = Authenticator::new(Config {
            seed: Some(7),
            max_discoverable: 1,
            ..Config::default()
        })
        .unwrap();
        let make = |user: u8| {
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
                                (t("alg"), Value::Integer(alg)),
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
        };
        let register = make(1);
        c.bench_function(&format!("register+authenticate/{name}"), |b| {
            b.iter(|| {
                let response = auth.handle(&register, &mut NoTransport);
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
            })
        });
    }
}

criterion_group!(benches, ceremony);
criterion_main!(benches);
