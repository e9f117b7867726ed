//! Issue 17, the authenticator's side: each test names the item it covers and fails on
//! the code before that item's fix.

mod support;

use std::time::Duration;

use fido_authenticator::presence::{NoTransport, PresencePolicy};
use fido_authenticator::{Authenticator, Config};
use fido_types::cbor::Value;
use fido_types::status::CtapStatus;
use support::*;

const PIN: &str = "1234";

fn credential_id(body: &Value) -> Vec<u8> {
    let d = get_bytes(body, 2);
    let len = usize::from(u16::from_be_bytes([d[53], d[54]]));
    d[55..55 + len].to_vec()
}

/// The signature counter of an authenticator data.
fn counter(auth_data: &[u8]) -> u32 {
    u32::from_be_bytes(auth_data[33..37].try_into().unwrap())
}

fn assertion_request(rp: &str, id: Option<&[u8]>, extra: Vec<(Value, Value)>) -> Value {
    let mut entries = vec![(int(1), text(rp)), (int(2), bytes(&[1; 32]))];
    if let Some(id) = id {
        let descriptor = map(vec![
            (text("id"), bytes(id)),
            (text("type"), text("public-key")),
        ]);
        entries.push((int(3), Value::Array(vec![descriptor])));
    }
    entries.extend(extra);
    map(entries)
}

fn make(auth: &mut Authenticator, rp: &str, user: &[u8], extra: Vec<(Value, Value)>) -> Vec<u8> {
    let req = make_credential_request(rp, user, false, extra);
    let (s, body) = call(auth, 0x01, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS);
    credential_id(&body)
}

fn u2f_apdu(ins: u8, p1: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, ins, p1, 0, 0, (data.len() >> 8) as u8, data.len() as u8];
    out.extend_from_slice(data);
    out.extend_from_slice(&[0, 0]);
    out
}

fn u2f_authenticate(auth: &mut Authenticator, p1: u8, app: &[u8], handle: &[u8]) -> Vec<u8> {
    let mut data = vec![9u8; 32];
    data.extend_from_slice(app);
    data.push(handle.len() as u8);
    data.extend_from_slice(handle);
    auth.handle_apdu(&u2f_apdu(2, p1, &data), &mut NoTransport)
}

fn status_word(response: &[u8]) -> [u8; 2] {
    response[response.len() - 2..].try_into().unwrap()
}

/// toggleAlwaysUv (authenticatorConfig 0x02) with a token carrying acfg.
fn toggle_always_uv(auth: &mut Authenticator) {
    let (_, t) = token(auth, PIN, 0x20, None);
    let mut message = vec![0xff; 32];
    message.extend_from_slice(&[0x0d, 0x02]);
    let req = map(vec![
        (int(1), int(2)),
        (int(3), int(2)),
        (int(4), bytes(&mac(&t.unwrap(), &message))),
    ]);
    assert_eq!(call(auth, 0x0D, Some(&req)).0, CtapStatus::SUCCESS);
}

/// Item 1: U2F AUTHENTICATE does not sign with a credProtect=3 credential, and U2F
/// REGISTER and AUTHENTICATE are refused while alwaysUv is on.
#[test]
fn item1_u2f_respects_cred_protect_and_always_uv() {
    let mut auth = authenticator();
    let app = sha256(b"example.com");
    let protect = |level| vec![(int(6), map(vec![(text("credProtect"), int(level))]))];
    let required = make(&mut auth, "example.com", b"u", protect(3));
    let optional = make(&mut auth, "example.com", b"v", protect(1));
    // SW_WRONG_DATA, as for a key handle that is not ours: also for check-only.
    assert_eq!(
        status_word(&u2f_authenticate(&mut auth, 3, &app, &required)),
        [0x6A, 0x80]
    );
    assert_eq!(
        status_word(&u2f_authenticate(&mut auth, 7, &app, &required)),
        [0x6A, 0x80]
    );
    assert_eq!(
        status_word(&u2f_authenticate(&mut auth, 3, &app, &optional)),
        [0x90, 0x00]
    );

    set_pin(&mut auth, PIN);
    toggle_always_uv(&mut auth);
    // SW_COMMAND_NOT_ALLOWED for both (OpenSK's word for the same refusal).
    assert_eq!(
        status_word(&u2f_authenticate(&mut auth, 3, &app, &optional)),
        [0x69, 0x86]
    );
    let register = auth.handle_apdu(&u2f_apdu(1, 0, &[5; 64]), &mut NoTransport);
    assert_eq!(register, [0x69, 0x86]);
}

/// Item 2: getAssertion with up=false and hmac-secret is refused, even when the user
/// would never touch; credBlob and largeBlobKey stay available (CTAP 2.1 §12.2, §12.3).
#[test]
fn item2_silent_assertion_never_derives_hmac_secret() {
    let mut auth = authenticator();
    let exts = vec![(
        int(6),
        map(vec![
            (text("hmac-secret"), Value::Bool(true)),
            (text("credBlob"), bytes(b"blob")),
        ]),
    )];
    let id = make(&mut auth, "example.com", b"u", exts);
    auth.set_presence(PresencePolicy::Deny);
    let p = key_agreement(&mut auth);
    use fido_types::pin_protocol::{PinProtocol, ProtocolTwo};
    let salt_enc = ProtocolTwo::encrypt(&p.shared, &[3; 32]).unwrap();
    let salt_auth = ProtocolTwo::authenticate(&p.shared, &salt_enc);
    let hmac_input = map(vec![
        (int(1), p.key.clone()),
        (int(2), bytes(&salt_enc)),
        (int(3), bytes(&salt_auth)),
        (int(4), int(2)),
    ]);
    let silent = (int(5), map(vec![(text("up"), Value::Bool(false))]));
    let req = assertion_request(
        "example.com",
        Some(&id),
        vec![
            (int(4), map(vec![(text("hmac-secret"), hmac_input)])),
            silent.clone(),
        ],
    );
    assert_eq!(
        call(&mut auth, 0x02, Some(&req)).0,
        CtapStatus::UNSUPPORTED_OPTION
    );
    // credBlob without a touch: allowed, as CTAP 2.1 allows it.
    let req = assertion_request(
        "example.com",
        Some(&id),
        vec![
            (int(4), map(vec![(text("credBlob"), Value::Bool(true))])),
            silent,
        ],
    );
    assert_eq!(call(&mut auth, 0x02, Some(&req)).0, CtapStatus::SUCCESS);
}

/// Item 3: one PIN entry gives one user-verified ceremony: after a getAssertion that
/// collected presence, the token's permissions are gone; the usage timer expires an
/// unused token after 30 s and any token after 10 minutes.
#[test]
fn item3_token_permissions_are_cleared_after_use_and_timers_expire() {
    let mut auth = authenticator();
    set_pin(&mut auth, PIN);
    let id = make(&mut auth, "example.com", b"u", vec![]);
    let (_, t) = token(&mut auth, PIN, 0x02, Some("example.com"));
    let t = t.unwrap();
    let with_token = |extra: Vec<(Value, Value)>| {
        let mut e = vec![(int(6), bytes(&mac(&t, &[1; 32]))), (int(7), int(2))];
        e.extend(extra);
        assertion_request("example.com", Some(&id), e)
    };
    let silent = || vec![(int(5), map(vec![(text("up"), Value::Bool(false))]))];
    // up=false consumes no presence: the token stays usable.
    let (s, body) = call(&mut auth, 0x02, Some(&with_token(silent())));
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(get_bytes(&body, 2)[32] & 0x05, 0x04, "UV without UP");
    let (s, body) = call(&mut auth, 0x02, Some(&with_token(vec![])));
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(get_bytes(&body, 2)[32] & 0x05, 0x05, "UP and UV");
    // That ceremony used the verification: the token verifies nobody any more.
    assert_eq!(
        call(&mut auth, 0x02, Some(&with_token(vec![]))).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    assert_eq!(
        call(&mut auth, 0x02, Some(&with_token(silent()))).0,
        CtapStatus::PIN_AUTH_INVALID
    );

    // Initial usage window: unused for more than 30 s.
    let (_, t) = token(&mut auth, PIN, 0x02, Some("example.com"));
    let t = t.unwrap();
    let req = |t: &[u8]| {
        assertion_request(
            "example.com",
            Some(&id),
            vec![
                (int(5), map(vec![(text("up"), Value::Bool(false))])),
                (int(6), bytes(&mac(t, &[1; 32]))),
                (int(7), int(2)),
            ],
        )
    };
    auth.advance_clock(Duration::from_secs(31));
    assert_eq!(
        call(&mut auth, 0x02, Some(&req(&t))).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    // Lifetime: used at once, then still refused after 10 minutes.
    let (_, t) = token(&mut auth, PIN, 0x02, Some("example.com"));
    let t = t.unwrap();
    assert_eq!(call(&mut auth, 0x02, Some(&req(&t))).0, CtapStatus::SUCCESS);
    auth.advance_clock(Duration::from_secs(599));
    assert_eq!(call(&mut auth, 0x02, Some(&req(&t))).0, CtapStatus::SUCCESS);
    auth.advance_clock(Duration::from_secs(2));
    assert_eq!(
        call(&mut auth, 0x02, Some(&req(&t))).0,
        CtapStatus::PIN_AUTH_INVALID
    );
}

/// Item 4: each credential counts its own signatures.
#[test]
fn item4_sign_counters_are_per_credential() {
    let mut auth = authenticator();
    let a = make(&mut auth, "example.com", b"a", vec![]);
    let b = make(&mut auth, "example.com", b"b", vec![]);
    let count = |auth: &mut Authenticator, id: &[u8]| {
        let (s, body) = call(
            auth,
            0x02,
            Some(&assertion_request("example.com", Some(id), vec![])),
        );
        assert_eq!(s, CtapStatus::SUCCESS);
        counter(&get_bytes(&body, 2))
    };
    let a1 = count(&mut auth, &a);
    let a2 = count(&mut auth, &a);
    let a3 = count(&mut auth, &a);
    assert!(a1 < a2 && a2 < a3);
    // b signed once (at creation): its counter is its own, not a's.
    assert_eq!(count(&mut auth, &b), 2);
    assert_eq!(auth.sign_count(&a), a3);
}

/// Item 4: a counter at u32::MAX stays there (the state file carries the counters).
#[test]
fn item4_sign_counter_saturates_and_survives_a_restart() {
    let dir = tempdir("counter");
    let path = dir.join("state.json");
    let config = Config {
        seed: Some(4),
        state_file: Some(path.clone()),
        ..Config::default()
    };
    let mut auth = Authenticator::new(config.clone()).unwrap();
    let id = make(&mut auth, "example.com", b"a", vec![]);
    drop(auth);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let counters = json["counters"]["counters"].as_object_mut().unwrap();
    assert_eq!(counters.len(), 1);
    for v in counters.values_mut() {
        *v = serde_json::json!(u32::MAX - 1);
    }
    std::fs::write(&path, json.to_string()).unwrap();
    let mut auth = Authenticator::new(config).unwrap();
    for _ in 0..2 {
        let (s, body) = call(
            &mut auth,
            0x02,
            Some(&assertion_request("example.com", Some(&id), vec![])),
        );
        assert_eq!(s, CtapStatus::SUCCESS);
        assert_eq!(counter(&get_bytes(&body, 2)), u32::MAX);
    }
}

/// Item 5: a request longer than maxMsgSize is REQUEST_TOO_LARGE.
#[test]
fn item5_max_msg_size_is_enforced() {
    let mut auth = authenticator();
    let (_, info) = call(&mut auth, 0x04, None);
    let Some(Value::Integer(max)) = get(&info, 5) else {
        panic!("maxMsgSize");
    };
    let max = usize::try_from(*max).unwrap();
    let mut request = vec![0x01];
    request.resize(max + 1, 0xA0);
    assert_eq!(
        auth.handle(&request, &mut NoTransport),
        [CtapStatus::REQUEST_TOO_LARGE.0]
    );
    request.truncate(max);
    assert_ne!(
        auth.handle(&request, &mut NoTransport),
        [CtapStatus::REQUEST_TOO_LARGE.0]
    );
}

/// Item 6: getInfo reports FIDO_2_1, never the non-existent FIDO_2_2.
#[test]
fn item6_versions_are_real_version_strings() {
    let mut auth = authenticator();
    let (_, info) = call(&mut auth, 0x04, None);
    let Some(Value::Array(versions)) = get(&info, 1) else {
        panic!("versions");
    };
    assert!(versions.contains(&text("FIDO_2_1")));
    assert!(versions.contains(&text("FIDO_2_0")));
    assert!(!versions.contains(&text("FIDO_2_2")));
}

/// Item 7: ML-DSA public keys are AKP COSE keys (kty 7 from the generated registry).
#[test]
fn item7_ml_dsa_keys_have_the_akp_key_type() {
    let mut auth = authenticator();
    let mut req = make_credential_request("example.com", b"u", false, vec![]);
    if let Value::Map(m) = &mut req {
        let params = map(vec![
            (text("alg"), int(-48)),
            (text("type"), text("public-key")),
        ]);
        m.insert(int(4), Value::Array(vec![params]));
    }
    let (s, body) = call(&mut auth, 0x01, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS);
    let d = get_bytes(&body, 2);
    let len = usize::from(u16::from_be_bytes([d[53], d[54]]));
    let key: Value = fido_types::cbor::from_slice(&d[55 + len..]).unwrap();
    let akp = fido_types::generated::cose::CoseKeyType::AKP.0;
    assert_eq!(get(&key, 1), Some(&int(i128::from(akp))));
    assert_eq!(akp, 7);
}

/// Item 11: Config's Debug does not print the PIN.
#[test]
fn item11_config_debug_redacts_the_pin() {
    let config = Config {
        pin: Some("s3cr3t-pin".into()),
        ..Config::default()
    };
    let shown = format!("{config:?}");
    assert!(!shown.contains("s3cr3t-pin"), "{shown}");
    assert!(shown.contains("pin"), "{shown}");
    assert_eq!(Config::default().seed, None, "never seeded by default");
}

/// A fresh directory under the system temporary directory.
fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "fido-hardening-{name}-{}-{:?}",
        std::process::id(),
        std::time::SystemTime::now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
