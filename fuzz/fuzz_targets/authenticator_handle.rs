//! Fuzzes `Authenticator::handle`, every CTAP2 command, including the paths behind a
//! pinUvAuthToken.
//!
//! The harness keeps one software authenticator (PIN "1234", fast algorithms only: RSA
//! key generation would dominate) and a pinUvAuthToken with every permission for RP ID
//! `example.com`, obtained through clientPin exactly as a platform does. Input: the first
//! byte holds flags, the rest is the request (`[command, cbor..]`). With flag bit 0 the
//! harness signs the request: it parses the CBOR map, computes the command's
//! pinUvAuthParam with the token (CTAP 2.1 §6: clientDataHash for makeCredential and
//! getAssertion, the subcommand and its parameters for credential management, bio
//! enrollment and config, the offset and digest for largeBlobs) and inserts it with the
//! protocol number, so the fuzzer reaches code past the token check.
//!
//! Checked: no panic; every response starts with a status byte and stays within
//! the advertised message size. After a command that may change the PIN, reset the device
//! or change its configuration, the harness starts over from a fresh authenticator.
#![no_main]

use std::collections::BTreeMap;
use std::sync::Mutex;

use fido_authenticator::keys::Algorithm;
use fido_authenticator::presence::NoTransport;
use fido_authenticator::{Authenticator, Config};
use fido_types::cbor::{self, Value};
use fido_types::pin_protocol::{KeyAgreementKey, Pin, PinProtocol, PinUvAuthToken, ProtocolTwo};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

/// The RP ID the token's permissions are bound to.
const RP_ID: &str = "example.com";
/// Every permission: mc, ga, cm, be, lbw, acfg (CTAP 2.1 §6.5.5.7).
const ALL_PERMISSIONS: i128 = 0x3f;
/// CTAP2_ERR_PIN_AUTH_INVALID: the token was refused (e.g. its permissions were used
/// up), so the harness fetches a new one.
const PIN_AUTH_INVALID: u8 = 0x33;
/// The largest response a CTAPHID message can carry.
const MAX_RESPONSE: usize = 7609;

struct Harness {
    authenticator: Authenticator,
    token: Option<PinUvAuthToken<ProtocolTwo>>,
    uses: u32,
}

static HARNESS: Mutex<Option<Harness>> = Mutex::new(None);

fn int(v: i128) -> Value {
    Value::Integer(v)
}

fn map(entries: Vec<(Value, Value)>) -> Value {
    Value::Map(entries.into_iter().collect::<BTreeMap<_, _>>())
}

fn call(authenticator: &mut Authenticator, cmd: u8, body: &Value) -> Option<Value> {
    let mut request = vec![cmd];
    request.extend(cbor::to_vec(body).ok()?);
    let response = authenticator.handle(&request, &mut NoTransport);
    if response.first() != Some(&0) {
        return None;
    }
    serde_cbor_2::from_slice(&response[1..]).ok()
}

fn get(value: &Value, key: i128) -> Option<&Value> {
    match value {
        Value::Map(m) => m.get(&int(key)),
        _ => None,
    }
}

fn bytes32(value: Option<&Value>) -> Option<[u8; 32]> {
    match value {
        Some(Value::Bytes(b)) => b.as_slice().try_into().ok(),
        _ => None,
    }
}

/// clientPin getKeyAgreement, then getPinUvAuthTokenUsingPinWithPermissions (protocol 2).
fn fetch_token(authenticator: &mut Authenticator) -> Option<PinUvAuthToken<ProtocolTwo>> {
    let ka = call(
        authenticator,
        0x06,
        &map(vec![(int(1), int(2)), (int(2), int(2))]),
    )?;
    let peer = get(&ka, 1)?;
    let (x, y) = (bytes32(get(peer, -2))?, bytes32(get(peer, -3))?);
    let ours = KeyAgreementKey::generate().ok()?;
    let shared = ours.decapsulate::<ProtocolTwo>(&x, &y).ok()?;
    let public = ours.public_key();
    let cose = map(vec![
        (int(1), int(2)),
        (int(3), int(-25)),
        (int(-1), int(1)),
        (int(-2), Value::Bytes(public.x.to_vec())),
        (int(-3), Value::Bytes(public.y.to_vec())),
    ]);
    let pin = Pin::new("1234").ok()?;
    let pin_hash_enc = ProtocolTwo::encrypt(&shared, &pin.pin_hash()[..16]).ok()?;
    let request = map(vec![
        (int(1), int(2)),
        (int(2), int(9)),
        (int(3), cose),
        (int(6), Value::Bytes(pin_hash_enc)),
        (int(9), int(ALL_PERMISSIONS)),
        (int(10), Value::Text(RP_ID.into())),
    ]);
    let response = call(authenticator, 0x06, &request)?;
    let Some(Value::Bytes(encrypted)) = get(&response, 2) else {
        return None;
    };
    let token = ProtocolTwo::decrypt(&shared, encrypted).ok()?;
    PinUvAuthToken::from_bytes(&token).ok()
}

fn fresh() -> Harness {
    let config = Config {
        seed: Some(7),
        pin: Some("1234".into()),
        algorithms: vec![Algorithm::Es256, Algorithm::EdDsa],
        ..Config::default()
    };
    let mut authenticator = Authenticator::new(config).expect("harness authenticator");
    let token = fetch_token(&mut authenticator);
    Harness {
        authenticator,
        token,
        uses: 0,
    }
}

/// The message a command's pinUvAuthParam covers, and the map keys of the parameter and
/// of the protocol number (CTAP 2.1 §6.1, §6.2, §6.5, §6.7, §6.8, §6.10, §6.11).
fn auth_message(cmd: u8, body: &BTreeMap<Value, Value>) -> Option<(Vec<u8>, i128, i128)> {
    let raw = |key: i128| body.get(&int(key)).and_then(|v| cbor::to_vec(v).ok());
    let small = |key: i128| match body.get(&int(key)) {
        Some(Value::Integer(i)) => u8::try_from(*i).ok(),
        _ => None,
    };
    match cmd {
        0x01 | 0x02 => {
            let key = if cmd == 0x01 { 1 } else { 2 };
            let Some(Value::Bytes(hash)) = body.get(&int(key)) else {
                return None;
            };
            let (param, protocol) = if cmd == 0x01 { (8, 9) } else { (6, 7) };
            Some((hash.clone(), param, protocol))
        }
        0x0A => {
            let mut m = vec![small(1)?];
            m.extend(raw(2).unwrap_or_default());
            Some((m, 4, 3))
        }
        0x09 => {
            let mut m = vec![small(1).unwrap_or(1), small(2)?];
            m.extend(raw(3).unwrap_or_default());
            Some((m, 5, 4))
        }
        0x0D => {
            let mut m = vec![0xff; 32];
            m.extend([0x0d, small(1)?]);
            m.extend(raw(2).unwrap_or_default());
            Some((m, 4, 3))
        }
        0x0C => {
            let offset = match body.get(&int(3)) {
                Some(Value::Integer(i)) => u32::try_from(*i).ok()?,
                _ => return None,
            };
            let Some(Value::Bytes(set)) = body.get(&int(2)) else {
                return None;
            };
            let mut m = vec![0xff; 32];
            m.extend([0x0c, 0x00]);
            m.extend(offset.to_le_bytes());
            m.extend(Sha256::digest(set));
            Some((m, 5, 6))
        }
        _ => None,
    }
}

fn sign(cmd: u8, body: &[u8], token: &PinUvAuthToken<ProtocolTwo>) -> Option<Vec<u8>> {
    let Ok(Value::Map(mut body)) = serde_cbor_2::from_slice::<Value>(body) else {
        return None;
    };
    let (message, param_key, protocol_key) = auth_message(cmd, &body)?;
    let param = ProtocolTwo::authenticate(token, &message);
    body.insert(int(param_key), Value::Bytes(param));
    body.insert(int(protocol_key), int(2));
    let mut request = vec![cmd];
    request.extend(cbor::to_vec(&Value::Map(body)).ok()?);
    Some(request)
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, request)) = data.split_first() else {
        return;
    };
    let Some(&cmd) = request.first() else {
        return;
    };
    let mut guard = HARNESS.lock().unwrap_or_else(|e| e.into_inner());
    let harness = guard.get_or_insert_with(fresh);
    let signed = match (&harness.token, flags & 1) {
        (Some(token), 1) => sign(cmd, &request[1..], token),
        _ => None,
    };
    let response = harness
        .authenticator
        .handle(signed.as_deref().unwrap_or(request), &mut NoTransport);
    assert!(!response.is_empty(), "every response has a status byte");
    assert!(
        response.len() <= MAX_RESPONSE,
        "response longer than a CTAPHID message"
    );
    if flags & 2 != 0 {
        let _ = harness.authenticator.handle_apdu(request, &mut NoTransport);
    }
    harness.uses += 1;
    // A used token may lose its permissions (CTAP 2.1 §6.5.5.7): fetch a new one now and
    // then; start over after anything that can change the PIN, reset or reconfigure.
    if matches!(cmd, 0x06 | 0x07 | 0x0D | 0x40 | 0x41) || harness.uses >= 4096 {
        *harness = fresh();
    } else if signed.is_some() && response.first() == Some(&PIN_AUTH_INVALID) {
        harness.token = fetch_token(&mut harness.authenticator);
    }
});
