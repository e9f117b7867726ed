//! A minimal platform for the tests: raw CTAP2 calls with CBOR values, PIN setup and
//! tokens over protocol two, written against the spec rather than the authenticator.

#![allow(dead_code)]

use fido_authenticator::presence::NoTransport;
use fido_authenticator::{Authenticator, Config};
use fido_types::cbor::{self, Value};
use fido_types::pin_protocol::{Pin, PinProtocol, ProtocolTwo, SharedSecret};
use fido_types::status::CtapStatus;

pub fn int(n: i128) -> Value {
    Value::Integer(n)
}
pub fn text(s: &str) -> Value {
    Value::Text(s.into())
}
pub fn bytes(b: &[u8]) -> Value {
    Value::Bytes(b.to_vec())
}
pub fn map(entries: Vec<(Value, Value)>) -> Value {
    Value::Map(entries.into_iter().collect())
}
pub fn get(v: &Value, k: i128) -> Option<&Value> {
    match v {
        Value::Map(m) => m.get(&Value::Integer(k)),
        _ => None,
    }
}
pub fn get_bytes(v: &Value, k: i128) -> Vec<u8> {
    match get(v, k) {
        Some(Value::Bytes(b)) => b.clone(),
        other => panic!("key {k}: expected bytes, got {other:?}"),
    }
}
pub fn sha256(data: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, data)
        .as_ref()
        .to_vec()
}

pub fn authenticator() -> Authenticator {
    Authenticator::new(Config {
        seed: Some(42),
        ..Config::default()
    })
    .unwrap()
}

/// Sends `[command][cbor(params)]`; returns the status and the decoded body.
pub fn call(auth: &mut Authenticator, command: u8, params: Option<&Value>) -> (CtapStatus, Value) {
    let mut request = vec![command];
    if let Some(p) = params {
        request.extend(cbor::to_vec(p).unwrap());
    }
    let response = auth.handle(&request, &mut NoTransport);
    let status = CtapStatus(response[0]);
    let body = if response.len() > 1 {
        cbor::from_slice(&response[1..]).unwrap()
    } else {
        Value::Null
    };
    (status, body)
}

/// The platform side of a PIN/UV protocol two session.
pub struct Platform {
    pub shared: SharedSecret<ProtocolTwo>,
    pub key: Value,
}

pub fn key_agreement(auth: &mut Authenticator) -> Platform {
    let (s, body) = call(
        auth,
        0x06,
        Some(&map(vec![(int(1), int(2)), (int(2), int(2))])),
    );
    assert_eq!(s, CtapStatus::SUCCESS);
    let cose = get(&body, 1).unwrap();
    let x: [u8; 32] = get_bytes(cose, -2).try_into().unwrap();
    let y: [u8; 32] = get_bytes(cose, -3).try_into().unwrap();
    let (platform, shared) = ProtocolTwo::encapsulate(&x, &y).unwrap();
    let key = map(vec![
        (int(1), int(2)),
        (int(3), int(-25)),
        (int(-1), int(1)),
        (int(-2), bytes(&platform.x)),
        (int(-3), bytes(&platform.y)),
    ]);
    Platform { shared, key }
}

pub fn set_pin(auth: &mut Authenticator, pin: &str) -> CtapStatus {
    let p = key_agreement(auth);
    let padded = Pin::new(pin).unwrap().padded();
    let enc = ProtocolTwo::encrypt(&p.shared, padded.as_slice()).unwrap();
    let param = ProtocolTwo::authenticate(&p.shared, &enc);
    let req = map(vec![
        (int(1), int(2)),
        (int(2), int(3)),
        (int(3), p.key),
        (int(4), bytes(&param)),
        (int(5), bytes(&enc)),
    ]);
    call(auth, 0x06, Some(&req)).0
}

/// getPinUvAuthTokenUsingPinWithPermissions; returns the status and the decrypted token.
pub fn token(
    auth: &mut Authenticator,
    pin: &str,
    permissions: u8,
    rp_id: Option<&str>,
) -> (CtapStatus, Option<Vec<u8>>) {
    let p = key_agreement(auth);
    let hash = Pin::new(pin).unwrap().pin_hash();
    let enc = ProtocolTwo::encrypt(&p.shared, hash.as_slice()).unwrap();
    let mut entries = vec![
        (int(1), int(2)),
        (int(2), int(9)),
        (int(3), p.key),
        (int(6), bytes(&enc)),
        (int(9), int(i128::from(permissions))),
    ];
    if let Some(rp) = rp_id {
        entries.push((int(0x0A), text(rp)));
    }
    let (s, body) = call(auth, 0x06, Some(&map(entries)));
    if s != CtapStatus::SUCCESS {
        return (s, None);
    }
    let token = ProtocolTwo::decrypt(&p.shared, &get_bytes(&body, 2)).unwrap();
    (s, Some(token.to_vec()))
}

pub fn pin_retries(auth: &mut Authenticator) -> i128 {
    let (s, body) = call(
        auth,
        0x06,
        Some(&map(vec![(int(1), int(2)), (int(2), int(1))])),
    );
    assert_eq!(s, CtapStatus::SUCCESS);
    match get(&body, 3) {
        Some(Value::Integer(n)) => *n,
        other => panic!("{other:?}"),
    }
}

/// HMAC-SHA-256 with a token (protocol two's authenticate).
pub fn mac(token: &[u8], message: &[u8]) -> Vec<u8> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, token);
    ring::hmac::sign(&key, message).as_ref().to_vec()
}

pub fn make_credential_request(
    rp: &str,
    user: &[u8],
    rk: bool,
    extra: Vec<(Value, Value)>,
) -> Value {
    let mut entries = vec![
        (int(1), bytes(&[7; 32])),
        (int(2), map(vec![(text("id"), text(rp))])),
        (
            int(3),
            map(vec![
                (text("id"), bytes(user)),
                (text("name"), text("user")),
            ]),
        ),
        (
            int(4),
            Value::Array(vec![map(vec![
                (text("alg"), int(-7)),
                (text("type"), text("public-key")),
            ])]),
        ),
        (int(7), map(vec![(text("rk"), Value::Bool(rk))])),
    ];
    entries.extend(extra);
    map(entries)
}
