//! Codec benchmark: the `CborMap` derive (through `fido_types::cbor`) against the
//! `BTreeMap<u32, serde_cbor_2::Value>` approach some peers use, on a makeCredential-shaped
//! request (encode), a real getInfo (YubiKey Bio, 408 bytes; decode into the generated
//! `Info`) and a getAssertion-shaped response (decode). Criterion measures each; a
//! side-by-side table with the ratios is printed at the end.
//!
//! Run: `cargo bench -p fido-types --bench codec -- --warm-up-time 1 --measurement-time 3`
//!
//! Instruction counts: with `CODEC_PROFILE=<path>` (one of `encode_mc`, `decode_info`,
//! `decode_ga`, or the same with a `value_` prefix for the baseline) the bench runs only
//! that path `CODEC_ITERS` times (default 10000) inside `profile_loop`, e.g.
//! `CODEC_PROFILE=encode_mc valgrind --tool=callgrind --toggle-collect='*profile_loop*'
//! target/release/deps/codec-*`; divide the total by the iterations.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use criterion::Criterion;
use std::borrow::Cow;

use fido_types::cbor::{self, Bytes, StrMap, UnknownFields, Value};
use fido_types::ctap2::views::{GetAssertionView, InfoView};
use fido_types::generated::{
    AttestationFormat, AuthenticatorTransport, ConfigSubCommand, CoseAlgorithm, CtapVersion, Info,
    PinUvAuthProtocol, PublicKeyCredentialParameters, PublicKeyCredentialType,
};
use fido_types::generated::{
    GetAssertionResponse as GeneratedAssertion, PublicKeyCredentialDescriptor,
    PublicKeyCredentialUserEntity,
};

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

/// getInfo of a YubiKey Bio, FIDO_2_1, firmware 5.5.6 (408 bytes). Source:
/// gebogebogebo/ctap-hid-fido2 src/fidokey/get_info/get_info_response.rs
/// (`test_get_info_response_parse_cbor_yubikey_bio`); also in tests/generated_info.rs.
const YUBIKEY_BIO_INFO: &str = "B30184665532465F5632684649444F5F325F306C4649444F5F325F315F505245684649444F5F325F3102856B6372656450726F746563746B686D61632D7365637265746C6C61726765426C6F624B65796863726564426C6F626C6D696E50696E4C656E6774680350D8522D9F575B486688A9BA99FA02F35B04B062726BF5627570F5627576F564706C6174F4677576546F6B656EF568616C776179735576F568637265644D676D74F569617574686E72436667F56962696F456E726F6C6CF569636C69656E7450696EF56A6C61726765426C6F6273F56E70696E557641757468546F6B656EF56F7365744D696E50494E4C656E677468F5706D616B654372656455764E6F74527164F47563726564656E7469616C4D676D7450726576696577F5781B75736572566572696669636174696F6E4D676D7450726576696577F5051904B00682020107080818800981637573620A82A263616C672664747970656A7075626C69632D6B6579A263616C672764747970656A7075626C69632D6B65790B1904000CF40D040E1A000505060F18201001110312021415";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

fn take_u64(v: Value) -> Option<u64> {
    match v {
        Value::Integer(n) => u64::try_from(n).ok(),
        _ => None,
    }
}

fn take_bool(v: Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

fn take_array<T>(v: Value, f: impl Fn(Value) -> Option<T>) -> Option<Vec<T>> {
    match v {
        Value::Array(a) => a.into_iter().map(f).collect(),
        _ => None,
    }
}

fn take_cow(v: Value) -> Option<Cow<'static, str>> {
    take_string(v).map(Cow::Owned)
}

fn take_str_map<T>(v: Value, f: impl Fn(Value) -> Option<T>) -> Option<StrMap<T>> {
    let mut out = StrMap::new();
    for (k, v) in take_text_map(v)? {
        out.insert(k, f(v)?);
    }
    Some(out)
}

fn opt<T>(
    m: &mut BTreeMap<u32, Value>,
    key: u32,
    f: impl Fn(Value) -> Option<T>,
) -> Option<Option<T>> {
    match m.remove(&key) {
        Some(v) => f(v).map(Some),
        None => Some(None),
    }
}

fn algorithm(v: Value) -> Option<PublicKeyCredentialParameters> {
    let mut m = take_text_map(v)?;
    let alg = match m.remove("alg")? {
        Value::Integer(n) => CoseAlgorithm(i64::try_from(n).ok()?),
        _ => return None,
    };
    Some(PublicKeyCredentialParameters {
        alg,
        credential_type: PublicKeyCredentialType(take_cow(m.remove("type")?)?),
    })
}

/// getInfo the `Value` way: a map, then each member picked out and converted.
fn decode_info_with_value(bytes: &[u8]) -> Option<Info> {
    let mut m: BTreeMap<u32, Value> = serde_cbor_2::from_slice(bytes).ok()?;
    let transport = |v| take_cow(v).map(AuthenticatorTransport);
    let mut info = Info {
        versions: take_array(m.remove(&1)?, |v| take_cow(v).map(CtapVersion))?,
        extensions: opt(&mut m, 2, |v| take_array(v, take_string))?,
        aaguid: take_bytes(m.remove(&3)?)?.try_into().ok()?,
        options: opt(&mut m, 4, |v| take_str_map(v, take_bool))?,
        max_msg_size: opt(&mut m, 5, take_u64)?,
        pin_uv_auth_protocols: opt(&mut m, 6, |v| {
            take_array(v, |p| {
                Some(PinUvAuthProtocol(u32::try_from(take_u64(p)?).ok()?))
            })
        })?,
        max_credential_count_in_list: opt(&mut m, 7, take_u64)?,
        max_credential_id_length: opt(&mut m, 8, take_u64)?,
        transports: opt(&mut m, 9, |v| take_array(v, transport))?,
        algorithms: opt(&mut m, 10, |v| take_array(v, algorithm))?,
        max_serialized_large_blob_array: opt(&mut m, 11, take_u64)?,
        force_pin_change: opt(&mut m, 12, take_bool)?,
        min_pin_length: opt(&mut m, 13, take_u64)?,
        firmware_version: opt(&mut m, 14, take_u64)?,
        max_cred_blob_length: opt(&mut m, 15, take_u64)?,
        max_rpids_for_set_min_pin_length: opt(&mut m, 16, take_u64)?,
        preferred_platform_uv_attempts: opt(&mut m, 17, take_u64)?,
        uv_modality: opt(&mut m, 18, take_u64)?,
        certifications: opt(&mut m, 19, |v| take_str_map(v, Some))?,
        remaining_discoverable_credentials: opt(&mut m, 20, take_u64)?,
        vendor_prototype_config_commands: opt(&mut m, 21, |v| take_array(v, take_u64))?,
        attestation_formats: opt(&mut m, 22, |v| {
            take_array(v, |f| take_cow(f).map(AttestationFormat))
        })?,
        uv_count_since_last_pin_entry: opt(&mut m, 23, take_u64)?,
        long_touch_for_reset: opt(&mut m, 24, take_bool)?,
        enc_identifier: opt(&mut m, 25, take_bytes)?,
        transports_for_reset: opt(&mut m, 26, |v| take_array(v, transport))?,
        pin_complexity_policy: opt(&mut m, 27, take_bool)?,
        pin_complexity_policy_url: opt(&mut m, 28, take_bytes)?,
        max_pin_length: opt(&mut m, 29, take_u64)?,
        enc_cred_store_state: opt(&mut m, 30, take_bytes)?,
        authenticator_config_commands: opt(&mut m, 31, |v| {
            take_array(v, |c| {
                Some(ConfigSubCommand(u8::try_from(take_u64(c)?).ok()?))
            })
        })?,
        unknown: UnknownFields::new(),
    };
    for (k, v) in m {
        info.unknown.insert(Value::Integer(k.into()), v);
    }
    Some(info)
}

// ---- the derive ------------------------------------------------------------------------

fn encode_with_derive(r: &MakeCredentialRequest) -> Vec<u8> {
    cbor::to_vec(r).unwrap()
}

fn decode_with_derive(bytes: &[u8]) -> GetAssertionResponse {
    cbor::from_slice(bytes).unwrap()
}

fn decode_info_with_derive(bytes: &[u8]) -> Info {
    cbor::from_slice(bytes).unwrap()
}

fn view_info(bytes: &[u8]) -> InfoView<'_> {
    cbor::from_slice(bytes).unwrap()
}

fn decode_generated_assertion(bytes: &[u8]) -> GeneratedAssertion {
    cbor::from_slice(bytes).unwrap()
}

fn view_assertion(bytes: &[u8]) -> GetAssertionView<'_> {
    cbor::from_slice(bytes).unwrap()
}

/// The getAssertion sample as the generated type (without the sample's unknown key 0x08,
/// which the generated type names `unsignedExtensionOutputs`).
fn generated_assertion() -> GeneratedAssertion {
    let r = cbor_shapes::get_assertion_response();
    GeneratedAssertion {
        credential: r.credential.map(|c| PublicKeyCredentialDescriptor {
            id: c.id.0,
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
            transports: None,
        }),
        auth_data: r.auth_data,
        signature: r.signature,
        user: r.user.map(|u| PublicKeyCredentialUserEntity {
            id: u.id.0,
            name: u.name,
            display_name: u.display_name,
        }),
        number_of_credentials: r.number_of_credentials,
        user_selected: r.user_selected,
        large_blob_key: r.large_blob_key,
        unsigned_extension_outputs: None,
        unknown: UnknownFields::new(),
    }
}

/// The inputs every path works on.
struct Inputs {
    request: MakeCredentialRequest,
    info_bytes: Vec<u8>,
    response_bytes: Vec<u8>,
    /// The getAssertion sample encoded from the generated type.
    generated_bytes: Vec<u8>,
}

fn benches(c: &mut Criterion, inputs: &Inputs) {
    let Inputs {
        request,
        info_bytes,
        response_bytes,
        generated_bytes,
    } = inputs;
    let mut group = c.benchmark_group("encode makeCredential request");
    group.bench_function("derive", |b| {
        b.iter(|| encode_with_derive(black_box(request)))
    });
    group.bench_function("BTreeMap<u32, Value>", |b| {
        b.iter(|| encode_with_value(black_box(request)))
    });
    group.finish();
    let mut group = c.benchmark_group("decode getInfo");
    group.bench_function("derive", |b| {
        b.iter(|| decode_info_with_derive(black_box(info_bytes)))
    });
    group.bench_function("BTreeMap<u32, Value>", |b| {
        b.iter(|| decode_info_with_value(black_box(info_bytes)))
    });
    group.bench_function("view", |b| b.iter(|| view_info(black_box(info_bytes))));
    group.finish();
    let mut group = c.benchmark_group("decode getAssertion response");
    group.bench_function("derive", |b| {
        b.iter(|| decode_with_derive(black_box(response_bytes)))
    });
    group.bench_function("BTreeMap<u32, Value>", |b| {
        b.iter(|| decode_with_value(black_box(response_bytes)))
    });
    group.bench_function("generated type", |b| {
        b.iter(|| decode_generated_assertion(black_box(generated_bytes)))
    });
    group.bench_function("view", |b| {
        b.iter(|| view_assertion(black_box(generated_bytes)))
    });
    group.finish();
}

/// Runs one path `iters` times: the region callgrind counts (see the module docs).
#[inline(never)]
fn profile_loop(iters: u32, f: &mut dyn FnMut()) {
    for _ in 0..iters {
        f();
    }
}

/// `CODEC_PROFILE` mode: no criterion, one path in a loop.
fn profile(path: &str, inputs: &Inputs) {
    let iters: u32 = std::env::var("CODEC_ITERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let Inputs {
        request,
        info_bytes,
        response_bytes,
        generated_bytes,
    } = inputs;
    let mut f: Box<dyn FnMut()> = match path {
        "encode_mc" => Box::new(|| drop(black_box(encode_with_derive(black_box(request))))),
        "value_encode_mc" => Box::new(|| drop(black_box(encode_with_value(black_box(request))))),
        "decode_info" => {
            Box::new(|| drop(black_box(decode_info_with_derive(black_box(info_bytes)))))
        }
        "value_decode_info" => {
            Box::new(|| drop(black_box(decode_info_with_value(black_box(info_bytes)))))
        }
        "decode_ga" => Box::new(|| drop(black_box(decode_with_derive(black_box(response_bytes))))),
        "value_decode_ga" => {
            Box::new(|| drop(black_box(decode_with_value(black_box(response_bytes)))))
        }
        "view_info" => Box::new(|| drop(black_box(view_info(black_box(info_bytes))))),
        "view_ga" => Box::new(|| drop(black_box(view_assertion(black_box(generated_bytes))))),
        other => panic!("unknown CODEC_PROFILE path {other:?}"),
    };
    profile_loop(iters, &mut *f);
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
    let inputs = Inputs {
        request: cbor_shapes::make_credential_request(),
        info_bytes: hex(YUBIKEY_BIO_INFO),
        response_bytes: cbor::to_vec(&cbor_shapes::get_assertion_response()).unwrap(),
        generated_bytes: cbor::to_vec(&generated_assertion()).unwrap(),
    };
    let response = cbor_shapes::get_assertion_response();
    let (request, info_bytes, response_bytes) =
        (&inputs.request, &inputs.info_bytes, &inputs.response_bytes);

    // The approaches must agree before they are compared.
    assert_eq!(encode_with_value(request), encode_with_derive(request));
    assert_eq!(decode_with_value(response_bytes).unwrap(), response);
    assert_eq!(decode_with_derive(response_bytes), response);
    assert_eq!(
        decode_info_with_value(info_bytes).unwrap(),
        decode_info_with_derive(info_bytes)
    );
    assert_eq!(
        view_info(info_bytes).into_owned(),
        decode_info_with_derive(info_bytes)
    );
    let generated_bytes = &inputs.generated_bytes;
    assert_eq!(
        view_assertion(generated_bytes).into_owned(),
        generated_assertion()
    );

    if let Ok(path) = std::env::var("CODEC_PROFILE") {
        profile(&path, &inputs);
        return;
    }

    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, &inputs);
    c.final_summary();

    let rows = [
        (
            format!(
                "encode makeCredential ({} B)",
                encode_with_derive(request).len()
            ),
            interleaved(
                101,
                500,
                || drop(black_box(encode_with_derive(black_box(request)))),
                || drop(black_box(encode_with_value(black_box(request)))),
            ),
        ),
        (
            format!("decode getInfo ({} B)", info_bytes.len()),
            interleaved(
                101,
                200,
                || drop(black_box(decode_info_with_derive(black_box(info_bytes)))),
                || drop(black_box(decode_info_with_value(black_box(info_bytes)))),
            ),
        ),
        (
            format!("decode getAssertion ({} B)", response_bytes.len()),
            interleaved(
                101,
                500,
                || drop(black_box(decode_with_derive(black_box(response_bytes)))),
                || drop(black_box(decode_with_value(black_box(response_bytes)))),
            ),
        ),
    ];
    println!();
    println!("side by side (101 interleaved rounds; medians, ns per call):");
    println!(
        "| {:<32} | {:>10} | {:>20} | {:>14} |",
        "work", "fido-rs", "BTreeMap<u32, Value>", "Value / fido-rs"
    );
    println!("|{:-<34}|{:->12}|{:->22}|{:->16}|", "", "", "", "");
    for (work, (derive, value, ratio)) in rows {
        println!("| {work:<32} | {derive:>10.0} | {value:>20.0} | {ratio:>13.2}x |");
    }

    let views = [
        (
            format!("getInfo ({} B)", info_bytes.len()),
            interleaved(
                101,
                200,
                || drop(black_box(view_info(black_box(info_bytes)))),
                || drop(black_box(decode_info_with_value(black_box(info_bytes)))),
            ),
            interleaved(
                101,
                200,
                || drop(black_box(view_info(black_box(info_bytes)))),
                || drop(black_box(decode_info_with_derive(black_box(info_bytes)))),
            ),
        ),
        (
            format!(
                "getAssertion ({} B; Value: {} B)",
                generated_bytes.len(),
                response_bytes.len()
            ),
            interleaved(
                101,
                500,
                || drop(black_box(view_assertion(black_box(generated_bytes)))),
                || drop(black_box(decode_with_value(black_box(response_bytes)))),
            ),
            interleaved(
                101,
                500,
                || drop(black_box(view_assertion(black_box(generated_bytes)))),
                || {
                    drop(black_box(decode_generated_assertion(black_box(
                        generated_bytes,
                    ))))
                },
            ),
        ),
    ];
    println!();
    println!("borrowed views (ctap2::views), each ratio from its own interleaved run:");
    println!(
        "| {:<24} | {:>8} | {:>20} | {:>12} | {:>15} |",
        "decode", "view ns", "Value / view", "owned ns", "owned / view"
    );
    println!(
        "|{:-<26}|{:->10}|{:->22}|{:->14}|{:->17}|",
        "", "", "", "", ""
    );
    for (work, (view, _, value_ratio), (_, owned, owned_ratio)) in views {
        println!(
            "| {work:<24} | {view:>8.0} | {value_ratio:>19.2}x | {owned:>12.0} | {owned_ratio:>14.2}x |"
        );
    }
}
