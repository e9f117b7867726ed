//! Extensions and policy options: hmac-secret (outputs recomputed on the platform side),
//! credProtect, credBlob, largeBlobKey, alwaysUv, the getNextAssertion window.

mod support;

use std::time::Duration;

use fido_types::cbor::Value;
use fido_types::pin_protocol::{PinProtocol, ProtocolTwo};
use fido_types::status::CtapStatus;
use support::*;

fn credential_id(body: &Value) -> Vec<u8> {
    let d = get_bytes(body, 2);
    let len = usize::from(u16::from_be_bytes([d[53], d[54]]));
    d[55..55 + len].to_vec()
}

fn extensions_of(auth_data: &[u8], attested: bool) -> Value {
    assert_ne!(auth_data[32] & 0x80, 0, "ED flag");
    let mut rest = &auth_data[37..];
    if attested {
        let len = usize::from(u16::from_be_bytes([rest[16], rest[17]]));
        rest = &rest[18 + len..];
        // Skip the COSE key: decode leniently by trying every split point.
        for i in 1..rest.len() {
            if fido_types::cbor::from_slice::<Value>(&rest[..i]).is_ok()
                && let Ok(v) = fido_types::cbor::from_slice::<Value>(&rest[i..])
            {
                return v;
            }
        }
        panic!("no extensions map");
    }
    fido_types::cbor::from_slice(rest).unwrap()
}

fn ext(v: &Value, name: &str) -> Option<Value> {
    match v {
        Value::Map(m) => m.get(&text(name)).cloned(),
        _ => None,
    }
}

#[test]
fn hmac_secret_outputs_are_stable_and_salt_dependent() {
    let mut auth = authenticator();
    let req = make_credential_request(
        "example.com",
        b"u",
        false,
        vec![(int(6), map(vec![(text("hmac-secret"), Value::Bool(true))]))],
    );
    let (s, body) = call(&mut auth, 0x01, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS);
    let exts = extensions_of(&get_bytes(&body, 2), true);
    assert_eq!(ext(&exts, "hmac-secret"), Some(Value::Bool(true)));
    let id = credential_id(&body);

    let mut eval = |salts: &[u8]| {
        let p = key_agreement(&mut auth);
        let salt_enc = ProtocolTwo::encrypt(&p.shared, salts).unwrap();
        let salt_auth = ProtocolTwo::authenticate(&p.shared, &salt_enc);
        let input = map(vec![
            (int(1), p.key.clone()),
            (int(2), bytes(&salt_enc)),
            (int(3), bytes(&salt_auth)),
            (int(4), int(2)),
        ]);
        let req = map(vec![
            (int(1), text("example.com")),
            (int(2), bytes(&[1; 32])),
            (
                int(3),
                Value::Array(vec![map(vec![
                    (text("id"), bytes(&id)),
                    (text("type"), text("public-key")),
                ])]),
            ),
            (int(4), map(vec![(text("hmac-secret"), input)])),
        ]);
        let (s, body) = call(&mut auth, 0x02, Some(&req));
        assert_eq!(s, CtapStatus::SUCCESS);
        let exts = extensions_of(&get_bytes(&body, 2), false);
        let Some(Value::Bytes(enc)) = ext(&exts, "hmac-secret") else {
            panic!("no output")
        };
        ProtocolTwo::decrypt(&p.shared, &enc).unwrap().to_vec()
    };
    let one = eval(&[5; 32]);
    assert_eq!(one.len(), 32);
    let two = eval(&[[5u8; 32], [6u8; 32]].concat());
    assert_eq!(two.len(), 64);
    assert_eq!(&two[..32], &one[..], "same salt, same output");
    assert_ne!(&two[32..], &one[..], "other salt, other output");
}

#[test]
fn cred_protect_hides_credentials_without_uv_and_cred_blob_round_trips() {
    let mut auth = authenticator();
    let req = make_credential_request(
        "example.com",
        b"u",
        true,
        vec![(
            int(6),
            map(vec![
                (text("credBlob"), bytes(b"blob")),
                (text("credProtect"), int(3)),
            ]),
        )],
    );
    let (s, body) = call(&mut auth, 0x01, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS);
    let exts = extensions_of(&get_bytes(&body, 2), true);
    assert_eq!(ext(&exts, "credProtect"), Some(int(3)));
    assert_eq!(ext(&exts, "credBlob"), Some(Value::Bool(true)));
    let id = credential_id(&body);
    // Level 3: invisible without UV, even with its ID in the allow list.
    let allow = Value::Array(vec![map(vec![
        (text("id"), bytes(&id)),
        (text("type"), text("public-key")),
    ])]);
    let ga = map(vec![
        (int(1), text("example.com")),
        (int(2), bytes(&[1; 32])),
        (int(3), allow.clone()),
        (int(4), map(vec![(text("credBlob"), Value::Bool(true))])),
    ]);
    assert_eq!(
        call(&mut auth, 0x02, Some(&ga)).0,
        CtapStatus::NO_CREDENTIALS
    );
    // With a PIN token (UV), it is there, and credBlob comes back.
    set_pin(&mut auth, "1234");
    let (_, t) = token(&mut auth, "1234", 0x02, Some("example.com"));
    let mut ga = ga;
    if let Value::Map(m) = &mut ga {
        m.insert(int(6), bytes(&mac(&t.unwrap(), &[1; 32])));
        m.insert(int(7), int(2));
    }
    let (s, body) = call(&mut auth, 0x02, Some(&ga));
    assert_eq!(s, CtapStatus::SUCCESS);
    let exts = extensions_of(&get_bytes(&body, 2), false);
    assert_eq!(ext(&exts, "credBlob"), Some(bytes(b"blob")));
    // An oversized credBlob is not stored.
    let req = make_credential_request(
        "example.com",
        b"v",
        false,
        vec![(int(6), map(vec![(text("credBlob"), bytes(&[0; 33]))]))],
    );
    let (_, body) = call(&mut auth, 0x01, Some(&req));
    let exts = extensions_of(&get_bytes(&body, 2), true);
    assert_eq!(ext(&exts, "credBlob"), Some(Value::Bool(false)));
}

#[test]
fn large_blob_key_is_returned_at_creation_and_assertion() {
    let mut auth = authenticator();
    let req = make_credential_request(
        "example.com",
        b"u",
        true,
        vec![(int(6), map(vec![(text("largeBlobKey"), Value::Bool(true))]))],
    );
    let (s, body) = call(&mut auth, 0x01, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS);
    let key = get_bytes(&body, 5);
    assert_eq!(key.len(), 32);
    let ga = map(vec![
        (int(1), text("example.com")),
        (int(2), bytes(&[1; 32])),
        (int(4), map(vec![(text("largeBlobKey"), Value::Bool(true))])),
    ]);
    let (s, body) = call(&mut auth, 0x02, Some(&ga));
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(get_bytes(&body, 7), key);
}

#[test]
fn always_uv_requires_a_token_and_next_assertion_expires() {
    let mut auth = authenticator();
    set_pin(&mut auth, "1234");
    for user in [b"1", b"2"] {
        let (_, t) = token(&mut auth, "1234", 0x01, Some("example.com"));
        let mut req = make_credential_request("example.com", user, true, vec![]);
        if let Value::Map(m) = &mut req {
            m.insert(int(8), bytes(&mac(&t.unwrap(), &[7; 32])));
            m.insert(int(9), int(2));
        }
        assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
    }
    let ga = map(vec![
        (int(1), text("example.com")),
        (int(2), bytes(&[1; 32])),
    ]);
    let (s, first) = call(&mut auth, 0x02, Some(&ga));
    assert_eq!(s, CtapStatus::SUCCESS);
    assert_eq!(get(&first, 5), Some(&int(2)));
    auth.advance_clock(Duration::from_secs(31));
    assert_eq!(call(&mut auth, 0x08, None).0, CtapStatus::NOT_ALLOWED);

    // toggleAlwaysUv: MAC over 32×0xff ‖ 0x0d ‖ 0x02.
    let (_, t) = token(&mut auth, "1234", 0x20, None);
    let mut message = vec![0xff; 32];
    message.extend_from_slice(&[0x0d, 0x02]);
    let req = map(vec![
        (int(1), int(2)),
        (int(3), int(2)),
        (int(4), bytes(&mac(&t.unwrap(), &message))),
    ]);
    assert_eq!(call(&mut auth, 0x0D, Some(&req)).0, CtapStatus::SUCCESS);
    let req = make_credential_request("example.com", b"3", false, vec![]);
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::PUAT_REQUIRED
    );
    assert_eq!(
        call(&mut auth, 0x02, Some(&ga)).0,
        CtapStatus::PUAT_REQUIRED
    );
}
