//! Error paths of each command, driven through the raw `[cmd][cbor] -> [status][cbor]`
//! entry point: wrong PIN counts, blocked states, token permission and RP ID mismatch,
//! excluded credential, reset outside the window, full credential store, large-blob hash
//! mismatch.

mod support;

use std::time::Duration;

use fido_authenticator::presence::PresencePolicy;
use fido_authenticator::{Authenticator, Config};
use fido_types::cbor::Value;
use fido_types::status::CtapStatus;
use support::*;

const PIN: &str = "1234";

#[test]
fn wrong_pins_count_down_block_after_three_until_power_cycle_then_at_zero() {
    let mut auth = authenticator();
    assert_eq!(set_pin(&mut auth, PIN), CtapStatus::SUCCESS);
    assert_eq!(pin_retries(&mut auth), 8);
    assert_eq!(
        token(&mut auth, "0000", 0x01, None).0,
        CtapStatus::PIN_INVALID
    );
    assert_eq!(
        token(&mut auth, "0000", 0x01, None).0,
        CtapStatus::PIN_INVALID
    );
    assert_eq!(
        token(&mut auth, "0000", 0x01, None).0,
        CtapStatus::PIN_AUTH_BLOCKED
    );
    assert_eq!(pin_retries(&mut auth), 5);
    // Blocked until power cycle, even with the right PIN, and no retry is spent.
    assert_eq!(
        token(&mut auth, PIN, 0x01, None).0,
        CtapStatus::PIN_AUTH_BLOCKED
    );
    assert_eq!(pin_retries(&mut auth), 5);
    auth.power_cycle();
    assert_eq!(token(&mut auth, PIN, 0x01, None).0, CtapStatus::SUCCESS);
    assert_eq!(pin_retries(&mut auth), 8);
    // Down to zero: PIN_BLOCKED, for good.
    for left in (0..8u8).rev() {
        let expected = if left == 0 {
            CtapStatus::PIN_BLOCKED
        } else if (8 - left) % 3 == 0 {
            CtapStatus::PIN_AUTH_BLOCKED
        } else {
            CtapStatus::PIN_INVALID
        };
        assert_eq!(
            token(&mut auth, "0000", 0x01, None).0,
            expected,
            "{left} left"
        );
        if expected == CtapStatus::PIN_AUTH_BLOCKED {
            auth.power_cycle();
        }
    }
    assert_eq!(auth.pin_retries(), 0);
    assert_eq!(token(&mut auth, PIN, 0x01, None).0, CtapStatus::PIN_BLOCKED);
}

#[test]
fn set_pin_twice_is_not_allowed_and_short_pin_violates_policy() {
    let mut auth = authenticator();
    assert_eq!(token(&mut auth, PIN, 0x01, None).0, CtapStatus::PIN_NOT_SET);
    assert_eq!(set_pin(&mut auth, PIN), CtapStatus::SUCCESS);
    assert_eq!(set_pin(&mut auth, "5678"), CtapStatus::NOT_ALLOWED);
    let mut fresh = authenticator();
    // Three code points: the padded block decrypts, but the PIN is too short.
    let p = key_agreement(&mut fresh);
    let mut padded = [0u8; 64];
    padded[..3].copy_from_slice(b"123");
    use fido_types::pin_protocol::{PinProtocol, ProtocolTwo};
    let enc = ProtocolTwo::encrypt(&p.shared, &padded).unwrap();
    let param = ProtocolTwo::authenticate(&p.shared, &enc);
    let req = map(vec![
        (int(1), int(2)),
        (int(2), int(3)),
        (int(3), p.key),
        (int(4), bytes(&param)),
        (int(5), bytes(&enc)),
    ]);
    assert_eq!(
        call(&mut fresh, 0x06, Some(&req)).0,
        CtapStatus::PIN_POLICY_VIOLATION
    );
    // A wrong MAC is PIN_AUTH_INVALID.
    let p = key_agreement(&mut fresh);
    let enc = ProtocolTwo::encrypt(&p.shared, &[b'9'; 64]).unwrap();
    let req = map(vec![
        (int(1), int(2)),
        (int(2), int(3)),
        (int(3), p.key),
        (int(4), bytes(&[0; 32])),
        (int(5), bytes(&enc)),
    ]);
    assert_eq!(
        call(&mut fresh, 0x06, Some(&req)).0,
        CtapStatus::PIN_AUTH_INVALID
    );
}

#[test]
fn token_permission_and_rp_id_mismatch() {
    let mut auth = authenticator();
    set_pin(&mut auth, PIN);
    // A token for getAssertion only cannot make credentials.
    let (_, t) = token(&mut auth, PIN, 0x02, Some("example.com"));
    let t = t.unwrap();
    let param = mac(&t, &[7; 32]);
    let req = make_credential_request(
        "example.com",
        b"u",
        false,
        vec![(int(8), bytes(&param)), (int(9), int(2))],
    );
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    // A token bound to another RP ID cannot be used here.
    let (_, t) = token(&mut auth, PIN, 0x01, Some("other.example")).clone();
    let param = mac(&t.unwrap(), &[7; 32]);
    let req = make_credential_request(
        "example.com",
        b"u",
        false,
        vec![(int(8), bytes(&param)), (int(9), int(2))],
    );
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    // The right one works and sets UV.
    let (_, t) = token(&mut auth, PIN, 0x01, Some("example.com"));
    let t = t.unwrap();
    let req = make_credential_request(
        "example.com",
        b"u",
        true,
        vec![(int(8), bytes(&mac(&t, &[7; 32]))), (int(9), int(2))],
    );
    let (s, body) = call(&mut auth, 0x01, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS);
    let auth_data = get_bytes(&body, 2);
    assert_eq!(auth_data[32] & 0x45, 0x45, "UP, UV and AT set");
    // A newer token invalidates the old one.
    let (_, _newer) = token(&mut auth, PIN, 0x01, Some("example.com"));
    let req = make_credential_request(
        "example.com",
        b"v",
        false,
        vec![(int(8), bytes(&mac(&t, &[7; 32]))), (int(9), int(2))],
    );
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    // Unsupported permission bits.
    assert_eq!(
        token(&mut auth, PIN, 0x80, None).0,
        CtapStatus::UNAUTHORIZED_PERMISSION
    );
    // An unused token expires after the initial usage time limit (30 s)...
    let (_, t) = token(&mut auth, PIN, 0x01, Some("example.com"));
    let t = t.unwrap();
    auth.advance_clock(Duration::from_secs(31));
    let req = make_credential_request(
        "example.com",
        b"w",
        false,
        vec![(int(8), bytes(&mac(&t, &[7; 32]))), (int(9), int(2))],
    );
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    // ...and a makeCredential consumes the token's permissions (CTAP 2.1 pinUvAuthToken
    // state; issue 17 item 3: hardening.rs covers the 10-minute lifetime of a token used
    // without presence).
    let (_, t) = token(&mut auth, PIN, 0x01, Some("example.com"));
    let t = t.unwrap();
    let req = make_credential_request(
        "example.com",
        b"w",
        false,
        vec![(int(8), bytes(&mac(&t, &[7; 32]))), (int(9), int(2))],
    );
    assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
    auth.advance_clock(Duration::from_secs(300));
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    auth.advance_clock(Duration::from_secs(301));
    let req = make_credential_request(
        "example.com",
        b"w",
        false,
        vec![(int(8), bytes(&mac(&t, &[7; 32]))), (int(9), int(2))],
    );
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::PIN_AUTH_INVALID
    );
}

#[test]
fn discoverable_credential_needs_a_token_once_a_pin_is_set() {
    let mut auth = authenticator();
    set_pin(&mut auth, PIN);
    let req = make_credential_request("example.com", b"u", true, vec![]);
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::PUAT_REQUIRED
    );
    // Non-discoverable credentials don't (makeCredUvNotRqd).
    let req = make_credential_request("example.com", b"u", false, vec![]);
    assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
}

#[test]
fn excluded_credential() {
    let mut auth = authenticator();
    let req = make_credential_request("example.com", b"u", false, vec![]);
    let (s, body) = call(&mut auth, 0x01, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS);
    let auth_data = get_bytes(&body, 2);
    let id_len = usize::from(u16::from_be_bytes([auth_data[53], auth_data[54]]));
    let id = auth_data[55..55 + id_len].to_vec();
    let exclude = Value::Array(vec![map(vec![
        (text("id"), bytes(&id)),
        (text("type"), text("public-key")),
    ])]);
    let req = make_credential_request("example.com", b"u", false, vec![(int(5), exclude.clone())]);
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::CREDENTIAL_EXCLUDED
    );
    // Scoped to its RP: another RP may register.
    let req = make_credential_request("other.example", b"u", false, vec![(int(5), exclude)]);
    assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
}

#[test]
fn reset_only_within_ten_seconds_of_power_up_and_with_presence() {
    let mut auth = authenticator();
    set_pin(&mut auth, PIN);
    auth.advance_clock(Duration::from_secs(11));
    assert_eq!(call(&mut auth, 0x07, None).0, CtapStatus::NOT_ALLOWED);
    auth.power_cycle();
    auth.set_presence(PresencePolicy::Deny);
    assert_eq!(call(&mut auth, 0x07, None).0, CtapStatus::OPERATION_DENIED);
    auth.set_presence(PresencePolicy::Approve);
    assert_eq!(call(&mut auth, 0x07, None).0, CtapStatus::SUCCESS);
    // The PIN is gone.
    assert_eq!(token(&mut auth, PIN, 0x01, None).0, CtapStatus::PIN_NOT_SET);
}

#[test]
fn full_credential_store() {
    let mut auth = Authenticator::new(Config {
        seed: Some(1),
        max_discoverable: 2,
        ..Config::default()
    })
    .unwrap();
    for user in [b"a", b"b"] {
        let req = make_credential_request("example.com", user, true, vec![]);
        assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
    }
    let req = make_credential_request("example.com", b"c", true, vec![]);
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::KEY_STORE_FULL
    );
    // Same RP and user handle replaces rather than adds.
    let req = make_credential_request("example.com", b"a", true, vec![]);
    assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
    assert_eq!(auth.store().discoverable_count(), 2);
}

#[test]
fn discoverable_credentials_newest_first_with_count() {
    let mut auth = authenticator();
    for user in [b"1", b"2", b"3"] {
        let req = make_credential_request("example.com", user, true, vec![]);
        assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
    }
    let req = map(vec![
        (int(1), text("example.com")),
        (int(2), bytes(&[1; 32])),
    ]);
    let (s, first) = call(&mut auth, 0x02, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(get(&first, 5), Some(&int(3)));
    let user_id = |v: &Value| match get(v, 4) {
        Some(Value::Map(m)) => m.get(&text("id")).cloned(),
        _ => None,
    };
    assert_eq!(user_id(&first), Some(bytes(b"3")));
    let (_, second) = call(&mut auth, 0x08, None);
    assert_eq!(user_id(&second), Some(bytes(b"2")));
    let (_, third) = call(&mut auth, 0x08, None);
    assert_eq!(user_id(&third), Some(bytes(b"1")));
    assert_eq!(call(&mut auth, 0x08, None).0, CtapStatus::NOT_ALLOWED);
    // Each credential counts its own signatures (issue 17 item 4): one at creation, one
    // now.
    let counter = |v: &Value| {
        let d = get_bytes(v, 2);
        u32::from_be_bytes([d[33], d[34], d[35], d[36]])
    };
    assert_eq!(counter(&first), 2);
    assert_eq!(counter(&second), 2);
    assert_eq!(counter(&third), 2);
    // Unknown RP: no credentials.
    let req = map(vec![
        (int(1), text("nobody.example")),
        (int(2), bytes(&[1; 32])),
    ]);
    assert_eq!(
        call(&mut auth, 0x02, Some(&req)).0,
        CtapStatus::NO_CREDENTIALS
    );
}

#[test]
fn large_blob_hash_mismatch_and_sequence() {
    let mut auth = authenticator();
    // Without a PIN no token is needed. A 17-byte array whose trailing hash is wrong.
    let mut array = vec![0x80];
    array.extend_from_slice(&[0u8; 16]);
    let req = map(vec![
        (int(2), bytes(&array)),
        (int(3), int(0)),
        (int(4), int(17)),
    ]);
    assert_eq!(
        call(&mut auth, 0x0C, Some(&req)).0,
        CtapStatus::INTEGRITY_FAILURE
    );
    // A correct one, in two fragments.
    let mut array = vec![0x81, 0x41, 0x61];
    array.extend_from_slice(&sha256(&array.clone())[..16]);
    let req = map(vec![
        (int(2), bytes(&array[..5])),
        (int(3), int(0)),
        (int(4), int(19)),
    ]);
    assert_eq!(call(&mut auth, 0x0C, Some(&req)).0, CtapStatus::SUCCESS);
    // Wrong offset: INVALID_SEQ.
    let req = map(vec![(int(2), bytes(&array[5..])), (int(3), int(4))]);
    assert_eq!(call(&mut auth, 0x0C, Some(&req)).0, CtapStatus::INVALID_SEQ);
    let req = map(vec![
        (int(2), bytes(&array[..5])),
        (int(3), int(0)),
        (int(4), int(19)),
    ]);
    assert_eq!(call(&mut auth, 0x0C, Some(&req)).0, CtapStatus::SUCCESS);
    let req = map(vec![(int(2), bytes(&array[5..])), (int(3), int(5))]);
    assert_eq!(call(&mut auth, 0x0C, Some(&req)).0, CtapStatus::SUCCESS);
    // Offset reads.
    let req = map(vec![(int(1), int(4)), (int(3), int(2))]);
    let (s, body) = call(&mut auth, 0x0C, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(get_bytes(&body, 1), array[2..6].to_vec());
    // With a PIN set, writes need a token with largeBlobWrite.
    set_pin(&mut auth, PIN);
    let req = map(vec![
        (int(2), bytes(&array)),
        (int(3), int(0)),
        (int(4), int(19)),
    ]);
    assert_eq!(
        call(&mut auth, 0x0C, Some(&req)).0,
        CtapStatus::PUAT_REQUIRED
    );
}

#[test]
fn force_pin_change_blocks_tokens_until_changed() {
    let mut auth = authenticator();
    set_pin(&mut auth, PIN);
    let (_, t) = token(&mut auth, PIN, 0x20, None);
    let t = t.unwrap();
    // setMinPINLength {3: forceChangePin true}: MAC over 32×0xff ‖ 0x0d ‖ 0x03 ‖ params.
    let params = map(vec![(int(3), Value::Bool(true))]);
    let mut message = vec![0xff; 32];
    message.extend_from_slice(&[0x0d, 0x03]);
    message.extend(fido_types::cbor::to_vec(&params).unwrap());
    let req = map(vec![
        (int(1), int(3)),
        (int(2), params),
        (int(3), int(2)),
        (int(4), bytes(&mac(&t, &message))),
    ]);
    assert_eq!(call(&mut auth, 0x0D, Some(&req)).0, CtapStatus::SUCCESS);
    assert_eq!(token(&mut auth, PIN, 0x01, None).0, CtapStatus::PIN_INVALID);
}

#[test]
fn get_info_reports_state() {
    let mut auth = authenticator();
    let (s, info) = call(&mut auth, 0x04, None);
    assert_eq!(s, CtapStatus::SUCCESS);
    let options = get(&info, 4).unwrap();
    let opt = |name: &str| match options {
        Value::Map(m) => m.get(&text(name)).cloned(),
        _ => None,
    };
    assert_eq!(opt("clientPin"), Some(Value::Bool(false)));
    assert_eq!(opt("rk"), Some(Value::Bool(true)));
    assert_eq!(get(&info, 0x14), Some(&int(50)));
    set_pin(&mut auth, PIN);
    let (_, info) = call(&mut auth, 0x04, None);
    let options = get(&info, 4).unwrap();
    assert_eq!(
        match options {
            Value::Map(m) => m.get(&text("clientPin")).cloned(),
            _ => None,
        },
        Some(Value::Bool(true))
    );
    // getInfo takes no parameters; unknown commands are INVALID_COMMAND.
    assert_eq!(
        auth.handle(
            &[0x04, 0xa0],
            &mut fido_authenticator::presence::NoTransport
        ),
        vec![0x03]
    );
    assert_eq!(call(&mut auth, 0x55, None).0, CtapStatus::INVALID_COMMAND);
}

#[test]
fn seeded_authenticators_are_deterministic() {
    let run = || {
        let mut auth = authenticator();
        let req = make_credential_request("example.com", b"u", false, vec![]);
        let (_, body) = call(&mut auth, 0x01, Some(&req));
        get_bytes(&body, 2)
    };
    assert_eq!(run(), run());
}

#[test]
fn state_file_survives_restart_and_is_written_atomically() {
    let dir = std::env::temp_dir().join(format!("fido-auth-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    let config = Config {
        seed: Some(5),
        state_file: Some(path.clone()),
        ..Config::default()
    };
    {
        let mut auth = Authenticator::new(config.clone()).unwrap();
        set_pin(&mut auth, PIN);
        let req = make_credential_request("example.com", b"u", false, vec![]);
        let (_, t) = token(&mut auth, PIN, 0x01, Some("example.com"));
        let mut req = req;
        if let Value::Map(m) = &mut req {
            m.insert(int(8), bytes(&mac(&t.unwrap(), &[7; 32])));
            m.insert(int(9), int(2));
            m.insert(int(7), map(vec![(text("rk"), Value::Bool(true))]));
        }
        assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
        assert_eq!(
            token(&mut auth, "0000", 0x01, None).0,
            CtapStatus::PIN_INVALID
        );
    }
    // No temporary file is left behind; the state is JSON with the retries spent.
    assert!(!dir.join("state.json.tmp").exists());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"pin_retries\": 7"), "{text}");
    let first_id = {
        let auth = Authenticator::new(config.clone()).unwrap();
        auth.store().discoverable()[0].id.clone()
    };
    let mut auth = Authenticator::new(config).unwrap();
    assert_eq!(auth.pin_retries(), 7);
    assert_eq!(auth.store().discoverable_count(), 1);
    assert_eq!(auth.store().discoverable()[0].id, first_id);
    // A restarted seeded authenticator does not repeat its earlier random draws.
    let (_, t) = token(&mut auth, PIN, 0x01, Some("example.com"));
    let mut req = make_credential_request("example.com", b"v", true, vec![]);
    if let Value::Map(m) = &mut req {
        m.insert(int(8), bytes(&mac(&t.unwrap(), &[7; 32])));
        m.insert(int(9), int(2));
    }
    assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
    let ids: Vec<Vec<u8>> = auth
        .store()
        .discoverable()
        .iter()
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    assert_eq!(set_pin(&mut auth, "5678"), CtapStatus::NOT_ALLOWED);
    assert_eq!(token(&mut auth, PIN, 0x01, None).0, CtapStatus::SUCCESS);
    // A damaged file is a clear error, not a fresh authenticator.
    std::fs::write(&path, "not json").unwrap();
    let err = Authenticator::new(Config {
        state_file: Some(path.clone()),
        ..Config::default()
    })
    .unwrap_err();
    assert!(err.to_string().contains("state.json"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bio_enrollment_then_built_in_uv() {
    let mut auth = authenticator();
    set_pin(&mut auth, PIN);
    // Without a token: PUAT_REQUIRED; with an mc-only token: PIN_AUTH_INVALID.
    let begin = map(vec![(int(1), int(1)), (int(2), int(1))]);
    assert_eq!(
        call(&mut auth, 0x09, Some(&begin)).0,
        CtapStatus::PUAT_REQUIRED
    );
    let bio = |auth: &mut Authenticator, t: &[u8], sub: u8, params: Option<Value>| {
        let mut message = vec![0x01, sub];
        let mut entries = vec![(int(1), int(1)), (int(2), int(i128::from(sub)))];
        if let Some(p) = params {
            message.extend(fido_types::cbor::to_vec(&p).unwrap());
            entries.push((int(3), p));
        }
        entries.push((int(4), int(2)));
        entries.push((int(5), bytes(&mac(t, &message))));
        call(auth, 0x09, Some(&map(entries)))
    };
    let (_, mc) = token(&mut auth, PIN, 0x01, None);
    assert_eq!(
        bio(&mut auth, &mc.unwrap(), 1, None).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    let (_, be) = token(&mut auth, PIN, 0x08, None);
    let be = be.unwrap();
    assert_eq!(
        bio(&mut auth, &be, 4, None).0,
        CtapStatus::INVALID_OPTION,
        "none enrolled"
    );
    let (s, r) = bio(&mut auth, &be, 1, None);
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(get(&r, 6), Some(&int(2)));
    let id = get_bytes(&r, 4);
    for left in [1, 0] {
        let (s, r) = bio(&mut auth, &be, 2, Some(map(vec![(int(1), bytes(&id))])));
        assert_eq!(s, CtapStatus::SUCCESS);
        assert_eq!(get(&r, 6), Some(&int(left)));
    }
    // Now uv is available: makeCredential with options.uv sets the UV flag.
    let req = make_credential_request(
        "example.com",
        b"u",
        true,
        vec![(
            int(7),
            map(vec![
                (text("rk"), Value::Bool(true)),
                (text("uv"), Value::Bool(true)),
            ]),
        )],
    );
    let (s, body) = call(&mut auth, 0x01, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(get_bytes(&body, 2)[32] & 0x04, 0x04);
    // A non-matching finger (verification policy: deny) is UV_INVALID and spends a retry.
    auth.set_verification(PresencePolicy::Deny);
    assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::UV_INVALID);
    let uv_retries = |auth: &mut Authenticator| {
        let (s, body) = call(
            auth,
            0x06,
            Some(&map(vec![(int(1), int(2)), (int(2), int(7))])),
        );
        assert_eq!(s, CtapStatus::SUCCESS);
        get(&body, 5).cloned()
    };
    assert_eq!(uv_retries(&mut auth), Some(int(7)));
    auth.set_verification(PresencePolicy::Approve);
    assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
    assert_eq!(uv_retries(&mut auth), Some(int(8)));
    // Removing the finger takes built-in UV away again.
    let (s, _) = bio(&mut auth, &be, 6, Some(map(vec![(int(1), bytes(&id))])));
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::INVALID_OPTION
    );
}

/// credentialManagement with a token: MAC over subCommand ‖ params.
fn cred_mgmt(
    auth: &mut Authenticator,
    t: &[u8],
    sub: u8,
    params: Option<Value>,
) -> (CtapStatus, Value) {
    let mut message = vec![sub];
    let mut entries = vec![(int(1), int(i128::from(sub)))];
    if let Some(p) = params {
        message.extend(fido_types::cbor::to_vec(&p).unwrap());
        entries.push((int(2), p));
    }
    entries.push((int(3), int(2)));
    entries.push((int(4), bytes(&mac(t, &message))));
    call(auth, 0x0A, Some(&map(entries)))
}

#[test]
fn credential_management_enumerate_update_delete_and_permissions() {
    let mut auth = authenticator();
    set_pin(&mut auth, PIN);
    for (rp, user) in [
        ("a.example", b"1"),
        ("b.example", b"2"),
        ("b.example", b"3"),
    ] {
        let (_, t) = token(&mut auth, PIN, 0x01, Some(rp));
        let mut req = make_credential_request(rp, user, true, vec![]);
        if let Value::Map(m) = &mut req {
            m.insert(int(8), bytes(&mac(&t.unwrap(), &[7; 32])));
            m.insert(int(9), int(2));
        }
        assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
    }
    // Missing permission.
    let (_, lbw) = token(&mut auth, PIN, 0x10, None);
    assert_eq!(
        cred_mgmt(&mut auth, &lbw.unwrap(), 1, None).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    let (_, cm) = token(&mut auth, PIN, 0x04, None);
    let cm = cm.unwrap();
    let (s, meta) = cred_mgmt(&mut auth, &cm, 1, None);
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(
        (get(&meta, 1), get(&meta, 2)),
        (Some(&int(3)), Some(&int(47)))
    );
    let (s, rp) = cred_mgmt(&mut auth, &cm, 2, None);
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(get(&rp, 5), Some(&int(2)), "two RPs");
    let hash = sha256(b"b.example");
    let (s, first) = cred_mgmt(&mut auth, &cm, 4, Some(map(vec![(int(1), bytes(&hash))])));
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(get(&first, 9), Some(&int(2)));
    let (s, _second) = call(&mut auth, 0x0A, Some(&map(vec![(int(1), int(5))])));
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(
        call(&mut auth, 0x0A, Some(&map(vec![(int(1), int(5))]))).0,
        CtapStatus::NOT_ALLOWED
    );
    // Update with a different user handle is refused; delete works once.
    let cred_id = get(&first, 7).unwrap().clone();
    let wrong_user = map(vec![
        (int(2), cred_id.clone()),
        (int(3), map(vec![(text("id"), bytes(b"zz"))])),
    ]);
    assert_eq!(
        cred_mgmt(&mut auth, &cm, 7, Some(wrong_user)).0,
        CtapStatus::INVALID_PARAMETER
    );
    let del = map(vec![(int(2), cred_id)]);
    assert_eq!(
        cred_mgmt(&mut auth, &cm, 6, Some(del.clone())).0,
        CtapStatus::SUCCESS
    );
    assert_eq!(
        cred_mgmt(&mut auth, &cm, 6, Some(del)).0,
        CtapStatus::NO_CREDENTIALS
    );
    assert_eq!(auth.store().discoverable_count(), 2);
}

#[test]
fn persistent_read_only_token_survives_power_cycle_but_cannot_delete() {
    let mut auth = authenticator();
    set_pin(&mut auth, PIN);
    // pcmr only alone.
    assert_eq!(
        token(&mut auth, PIN, 0x44, None).0,
        CtapStatus::UNAUTHORIZED_PERMISSION
    );
    let (_, ro) = token(&mut auth, PIN, 0x40, None);
    let ro = ro.unwrap();
    // An ordinary token issued afterwards does not replace it (checked after the cycle).
    let (_, cm) = token(&mut auth, PIN, 0x04, None);
    let cm = cm.unwrap();
    assert_eq!(cred_mgmt(&mut auth, &cm, 1, None).0, CtapStatus::SUCCESS);
    auth.power_cycle();
    assert_eq!(cred_mgmt(&mut auth, &ro, 1, None).0, CtapStatus::SUCCESS);
    assert_eq!(
        cred_mgmt(&mut auth, &cm, 1, None).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    let del = map(vec![(
        int(2),
        map(vec![
            (text("id"), bytes(&[1; 32])),
            (text("type"), text("public-key")),
        ]),
    )]);
    assert_eq!(
        cred_mgmt(&mut auth, &ro, 6, Some(del)).0,
        CtapStatus::PIN_AUTH_INVALID
    );
    // getInfo carries encIdentifier and encCredStoreState, with a fresh IV each time.
    let (_, a) = call(&mut auth, 0x04, None);
    let (_, b) = call(&mut auth, 0x04, None);
    assert_eq!(get_bytes(&a, 0x19).len(), 32);
    assert_ne!(get_bytes(&a, 0x19), get_bytes(&b, 0x19));
    assert_eq!(get_bytes(&a, 0x1E).len(), 32);
}
