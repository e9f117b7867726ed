//! Codec benchmark: the `CborMap` derive (through `fido_types::cbor`) against the
//! `BTreeMap<u32, serde_cbor_2::Value>` approach some peers use, on a makeCredential-shaped
//! request (encode) and a getAssertion-shaped response (decode). Criterion measures each;
//! a side-by-side table with the ratios is printed at the end.
//!
//! Run: `cargo bench -p fido-types --bench codec -- --warm-up-time 1 --measurement-time 3`

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use criterion::Criterion;
use fido_types::cbor::{self, Bytes, UnknownFields, Value};

#[path = "../tests/cbor_shapes/mod.rs"]
mod cbor_shapes;

use cbor_shapes::{CredentialDescriptor, GetAssertionResponse, MakeCredentialRequest, UserEntity};

// ---- the Value approach: build or pick apart a `BTreeMap<u32, Value>` by hand --------

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn text_map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
}

fn descriptor_value(d: &CredentialDescriptor) -> Value {
    let mut entries = vec![
        ("id", Value::Bytes(d.id.0.clone())),
        ("type", text(&d.kind)),
    ];
    if let Some(t) = &d.transports {
        entries.push((
            "transports",
            Value::Array(t.iter().map(|s| text(s)).collect()),
        ));
    }
    text_map(entries)
}

fn user_value(u: &UserEntity) -> Value {
    let mut entries = vec![("id", Value::Bytes(u.id.0.clone()))];
    if let Some(n) = &u.name {
        entries.push(("name", text(n)));
    }
    if let Some(n) = &u.display_name {
        entries.push(("displayName", text(n)));
    }
    text_map(entries)
}

fn encode_with_value(r: &MakeCredentialRequest) -> Vec<u8> {
    let mut m: BTreeMap<u32, Value> = BTreeMap::new();
    m.insert(1, Value::Bytes(r.client_data_hash.to_vec()));
    let mut rp = vec![("id", text(&r.rp.id))];
    if let Some(n) = &r.rp.name {
        rp.push(("name", text(n)));
    }
    m.insert(2, text_map(rp));
    m.insert(3, user_value(&r.user));
    m.insert(
        4,
        Value::Array(
            r.pub_key_cred_params
                .iter()
                .map(|p| {
                    text_map(vec![
                        ("alg", Value::Integer(p.alg.0.into())),
                        ("type", text(&p.kind)),
                    ])
                })
                .collect(),
        ),
    );
    if let Some(list) = &r.exclude_list {
        m.insert(5, Value::Array(list.iter().map(descriptor_value).collect()));
    }
    if let Some(ext) = &r.extensions {
        m.insert(
            6,
            Value::Map(ext.iter().map(|(k, v)| (text(k), v.clone())).collect()),
        );
    }
    if let Some(opts) = &r.options {
        m.insert(
            7,
            Value::Map(
                opts.iter()
                    .map(|(k, v)| (text(k), Value::Bool(*v)))
                    .collect(),
            ),
        );
    }
    if let Some(p) = &r.pin_uv_auth_param {
        m.insert(8, Value::Bytes(p.clone()));
    }
    if let Some(p) = r.pin_uv_auth_protocol {
        m.insert(9, Value::Integer(p.into()));
    }
    if let Some(e) = r.enterprise_attestation {
        m.insert(10, Value::Integer(e.into()));
    }
    serde_cbor_2::to_vec(&m).unwrap()
}

fn take_text_map(v: Value) -> Option<BTreeMap<String, Value>> {
    match v {
        Value::Map(m) => m
            .into_iter()
            .map(|(k, v)| match k {
                Value::Text(k) => Some((k, v)),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

fn take_bytes(v: Value) -> Option<Vec<u8>> {
    match v {
        Value::Bytes(b) => Some(b),
        _ => None,
    }
}

fn take_string(v: Value) -> Option<String> {
    match v {
        Value::Text(s) => Some(s),
        _ => None,
    }
}

fn decode_with_value(bytes: &[u8]) -> Option<GetAssertionResponse> {
    let mut m: BTreeMap<u32, Value> = serde_cbor_2::from_slice(bytes).ok()?;
    let credential = match m.remove(&1) {
        Some(v) => {
            let mut d = take_text_map(v)?;
            Some(CredentialDescriptor {
                id: Bytes(take_bytes(d.remove("id")?)?),
                kind: take_string(d.remove("type")?)?,
                transports: match d.remove("transports") {
                    Some(Value::Array(a)) => {
                        Some(a.into_iter().map(take_string).collect::<Option<_>>()?)
                    }
                    Some(_) => return None,
                    None => None,
                },
            })
        }
        None => None,
    };
    let auth_data = take_bytes(m.remove(&2)?)?;
    let signature = take_bytes(m.remove(&3)?)?;
    let user = match m.remove(&4) {
        Some(v) => {
            let mut u = take_text_map(v)?;
            Some(UserEntity {
                id: Bytes(take_bytes(u.remove("id")?)?),
                name: u.remove("name").and_then(take_string),
                display_name: u.remove("displayName").and_then(take_string),
            })
        }
        None => None,
    };
    let number_of_credentials = match m.remove(&5) {
        Some(Value::Integer(n)) => Some(u32::try_from(n).ok()?),
        Some(_) => return None,
        None => None,
    };
    let user_selected = match m.remove(&6) {
        Some(Value::Bool(b)) => Some(b),
        Some(_) => return None,
        None => None,
    };
    let large_blob_key = m.remove(&7).and_then(take_bytes);
    let mut unknown = UnknownFields::new();
    for (k, v) in m {
        unknown.insert(Value::Integer(k.into()), v);
    }
    Some(GetAssertionResponse {
        credential,
        auth_data,
        signature,
        user,
        number_of_credentials,
        user_selected,
        large_blob_key,
        unknown,
    })
}

// ---- the derive ------------------------------------------------------------------------

fn encode_with_derive(r: &MakeCredentialRequest) -> Vec<u8> {
    cbor::to_vec(r).unwrap()
}

fn decode_with_derive(bytes: &[u8]) -> GetAssertionResponse {
    cbor::from_slice(bytes).unwrap()
}

fn benches(c: &mut Criterion, request: &MakeCredentialRequest, response_bytes: &[u8]) {
    let mut group = c.benchmark_group("encode makeCredential request");
    group.bench_function("derive", |b| {
        b.iter(|| encode_with_derive(black_box(request)))
    });
    group.bench_function("BTreeMap<u32, Value>", |b| {
        b.iter(|| encode_with_value(black_box(request)))
    });
    group.finish();
    let mut group = c.benchmark_group("decode getAssertion response");
    group.bench_function("derive", |b| {
        b.iter(|| decode_with_derive(black_box(response_bytes)))
    });
    group.bench_function("BTreeMap<u32, Value>", |b| {
        b.iter(|| decode_with_value(black_box(response_bytes)))
    });
    group.finish();
}

/// Median time per call of `a` and of `b`, and the median of the per-round ratios b/a.
/// The two run in alternating short rounds, so load from other processes on a shared
/// machine hits both alike.
fn interleaved(
    rounds: usize,
    calls: u32,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (f64, f64, f64) {
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..calls {
            f();
        }
        start.elapsed().as_nanos() as f64 / f64::from(calls)
    };
    time(&mut a);
    time(&mut b);
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let x = time(&mut a);
        let y = time(&mut b);
        ta.push(x);
        tb.push(y);
        ratios.push(y / x);
    }
    (median(ta), median(tb), median(ratios))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let request = cbor_shapes::make_credential_request();
    let response = cbor_shapes::get_assertion_response();
    let response_bytes = cbor::to_vec(&response).unwrap();

    // Both approaches must agree before they are compared.
    assert_eq!(encode_with_value(&request), encode_with_derive(&request));
    assert_eq!(decode_with_value(&response_bytes).unwrap(), response);
    assert_eq!(decode_with_derive(&response_bytes), response);

    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, &request, &response_bytes);
    c.final_summary();

    let (enc_derive, enc_value, enc_ratio) = interleaved(
        101,
        500,
        || {
            black_box(encode_with_derive(black_box(&request)));
        },
        || {
            black_box(encode_with_value(black_box(&request)));
        },
    );
    let (dec_derive, dec_value, dec_ratio) = interleaved(
        101,
        500,
        || {
            black_box(decode_with_derive(black_box(&response_bytes)));
        },
        || {
            black_box(decode_with_value(black_box(&response_bytes)));
        },
    );
    println!();
    println!("side by side (101 interleaved rounds of 500 calls; medians, ns per call):");
    println!(
        "{:<34} {:>10} {:>22} {:>14}",
        "", "derive", "BTreeMap<u32, Value>", "Value / derive"
    );
    println!(
        "{:<34} {:>10.0} {:>22.0} {:>13.2}x",
        format!(
            "encode makeCredential ({} B)",
            encode_with_derive(&request).len()
        ),
        enc_derive,
        enc_value,
        enc_ratio
    );
    println!(
        "{:<34} {:>10.0} {:>22.0} {:>13.2}x",
        format!("decode getAssertion ({} B)", response_bytes.len()),
        dec_derive,
        dec_value,
        dec_ratio
    );
}
