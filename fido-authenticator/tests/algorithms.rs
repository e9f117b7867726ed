//! Every credential algorithm through makeCredential and getAssertion (non-discoverable
//! and discoverable credentials, packed self attestation signed with the credential key),
//! each signature checked by an independent verifier; getInfo's algorithm list; a
//! configured subset; vendor-facilitated enterprise attestation for listed RP IDs only.

mod support;

use fido_authenticator::keys::Algorithm;
use fido_authenticator::{Attestation, Authenticator, Config};
use fido_types::cbor::Value;
use fido_types::cose::CoseKey;
use fido_types::status::CtapStatus;
use support::*;

fn text_key<'a>(v: &'a Value, k: &str) -> Option<&'a Value> {
    match v {
        Value::Map(m) => m.get(&Value::Text(k.into())),
        _ => None,
    }
}

/// Checks `signature` over `message` with the COSE public key: ring (through
/// `CoseKey::verify`) where it has the algorithm, else the RustCrypto verifier.
fn verify(alg: Algorithm, cose: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let key = CoseKey::from_cbor(cose).unwrap();
    assert_eq!(key.alg().map(|a| a.0), Some(alg.cose()));
    let value: Value = fido_types::cbor::from_slice(cose).unwrap();
    let point = || [vec![4], get_bytes(&value, -2), get_bytes(&value, -3)].concat();
    match alg {
        Algorithm::Es512 => {
            use p521::ecdsa::signature::Verifier;
            let vk = p521::ecdsa::VerifyingKey::from_sec1_bytes(&point()).unwrap();
            p521::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| vk.verify(message, &s).is_ok())
        }
        Algorithm::Es256K => {
            use k256::ecdsa::signature::Verifier;
            let vk = k256::ecdsa::VerifyingKey::from_sec1_bytes(&point()).unwrap();
            k256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| vk.verify(message, &s).is_ok())
        }
        Algorithm::MlDsa44 => mldsa::<ml_dsa::MlDsa44>(&value, message, signature),
        Algorithm::MlDsa65 => mldsa::<ml_dsa::MlDsa65>(&value, message, signature),
        Algorithm::MlDsa87 => mldsa::<ml_dsa::MlDsa87>(&value, message, signature),
        _ => key.verify(message, signature).is_ok(),
    }
}

fn mldsa<P: ml_dsa::MlDsaParams>(cose: &Value, message: &[u8], signature: &[u8]) -> bool {
    assert_eq!(get(cose, 1), Some(&int(7)), "kty AKP");
    let pk = get_bytes(cose, -1);
    let vk = ml_dsa::VerifyingKey::<P>::decode(pk.as_slice().try_into().unwrap());
    let Ok(encoded) = signature.try_into() else {
        return false;
    };
    ml_dsa::Signature::<P>::decode(encoded)
        .is_some_and(|s| vk.verify_with_context(message, &[], &s))
}

fn params(alg: i64) -> Value {
    Value::Array(vec![map(vec![
        (text("alg"), int(alg.into())),
        (text("type"), text("public-key")),
    ])])
}

/// The attested credential data of authData: (credential ID, COSE public key bytes).
fn attested(auth_data: &[u8]) -> (Vec<u8>, Vec<u8>) {
    assert_eq!(auth_data[32] & 0x40, 0x40, "AT flag");
    let rest = &auth_data[37 + 16..];
    let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
    let id = rest[2..2 + len].to_vec();
    let (_, used) = CoseKey::from_cbor_prefix(&rest[2 + len..]).unwrap();
    (id, rest[2 + len..2 + len + used].to_vec())
}

fn register(auth: &mut Authenticator, alg: Algorithm, rk: bool) -> (Vec<u8>, Vec<u8>) {
    let mut req = make_credential_request("example.com", b"user", rk, vec![]);
    if let Value::Map(m) = &mut req {
        m.insert(int(4), params(alg.cose()));
    }
    let (s, body) = call(auth, 0x01, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS, "{alg}");
    let auth_data = get_bytes(&body, 2);
    let (id, cose) = attested(&auth_data);
    // Packed self attestation: alg is the credential's, signed with the credential key.
    assert_eq!(get(&body, 1), Some(&text("packed")));
    let stmt = get(&body, 3).unwrap();
    assert_eq!(
        text_key(stmt, "alg"),
        Some(&int(alg.cose().into())),
        "{alg}"
    );
    assert_eq!(text_key(stmt, "x5c"), None);
    let Some(Value::Bytes(sig)) = text_key(stmt, "sig") else {
        panic!("no sig")
    };
    let message = [auth_data.as_slice(), &[7; 32]].concat();
    assert!(verify(alg, &cose, &message, sig), "{alg}: attestation");
    assert!(!verify(alg, &cose, &auth_data, sig), "{alg}: wrong message");
    (id, cose)
}

fn assert_with(auth: &mut Authenticator, alg: Algorithm, allow: Option<&[u8]>) -> Value {
    let mut entries = vec![(int(1), text("example.com")), (int(2), bytes(&[9; 32]))];
    if let Some(id) = allow {
        entries.push((
            int(3),
            Value::Array(vec![map(vec![
                (text("id"), bytes(id)),
                (text("type"), text("public-key")),
            ])]),
        ));
    }
    let (s, body) = call(auth, 0x02, Some(&map(entries)));
    assert_eq!(s, CtapStatus::SUCCESS, "{alg}");
    body
}

fn check_assertion(alg: Algorithm, body: &Value, id: &[u8], cose: &[u8]) {
    let cred = get(body, 1).unwrap();
    assert_eq!(text_key(cred, "id"), Some(&bytes(id)), "{alg}");
    let auth_data = get_bytes(body, 2);
    let sig = get_bytes(body, 3);
    let message = [auth_data.as_slice(), &[9; 32]].concat();
    assert!(verify(alg, cose, &message, &sig), "{alg}: assertion");
    assert!(!verify(alg, cose, &auth_data, &sig), "{alg}: wrong message");
}

#[test]
fn every_algorithm_registers_and_authenticates() {
    let mut auth = authenticator();
    for alg in Algorithm::ALL {
        // Non-discoverable: the key is sealed in the credential ID.
        let (id, cose) = register(&mut auth, alg, false);
        let body = assert_with(&mut auth, alg, Some(&id));
        check_assertion(alg, &body, &id, &cose);
        // Discoverable: stored, found without an allow list (each replaces the last, same
        // RP and user).
        let (id, cose) = register(&mut auth, alg, true);
        let body = assert_with(&mut auth, alg, None);
        check_assertion(alg, &body, &id, &cose);
        let user = get(&body, 4).unwrap();
        assert_eq!(text_key(user, "id"), Some(&bytes(b"user")));
    }
}

#[test]
fn get_info_lists_every_algorithm_es256_then_eddsa_first() {
    let mut auth = authenticator();
    let (s, info) = call(&mut auth, 0x04, None);
    assert_eq!(s, CtapStatus::SUCCESS);
    let Some(Value::Array(algs)) = get(&info, 0x0A) else {
        panic!("no algorithms")
    };
    let ids: Vec<&Value> = algs.iter().map(|a| text_key(a, "alg").unwrap()).collect();
    let expected = [-7, -8, -35, -36, -37, -257, -47, -48, -49, -50].map(int);
    assert_eq!(ids, expected.iter().collect::<Vec<_>>());
    assert!(
        algs.iter()
            .all(|a| text_key(a, "type") == Some(&text("public-key")))
    );
}

#[test]
fn a_configured_subset_is_all_that_is_offered() {
    let mut auth = Authenticator::new(Config {
        seed: Some(1),
        algorithms: vec![Algorithm::Es384, Algorithm::Es256],
        ..Config::default()
    })
    .unwrap();
    let (_, info) = call(&mut auth, 0x04, None);
    let Some(Value::Array(algs)) = get(&info, 0x0A) else {
        panic!("no algorithms")
    };
    assert_eq!(algs.len(), 2);
    assert_eq!(text_key(&algs[0], "alg"), Some(&int(-35)));
    // EdDSA is known but not offered here.
    let mut req = make_credential_request("example.com", b"u", false, vec![]);
    if let Value::Map(m) = &mut req {
        m.insert(int(4), params(-8));
    }
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::UNSUPPORTED_ALGORITHM
    );
    register(&mut auth, Algorithm::Es384, false);
}

/// Enables enterprise attestation (no PIN set: no pinUvAuthParam needed), then makes a
/// credential for `rp` with this enterpriseAttestation value; (epAtt, leaf certificate).
fn enterprise(auth: &mut Authenticator, rp: &str, ep: i128) -> (Option<Value>, Vec<u8>) {
    let mut req = make_credential_request(rp, b"u", false, vec![(int(0x0A), int(ep))]);
    if let Value::Map(m) = &mut req {
        m.insert(int(7), map(vec![]));
    }
    let (s, body) = call(auth, 0x01, Some(&req));
    assert_eq!(s, CtapStatus::SUCCESS, "{rp} {ep}");
    let stmt = get(&body, 3).unwrap();
    let Some(Value::Array(x5c)) = text_key(stmt, "x5c") else {
        panic!("no x5c")
    };
    let Value::Bytes(leaf) = &x5c[0] else {
        panic!("x5c[0]")
    };
    (get(&body, 4).cloned(), leaf.clone())
}

#[test]
fn vendor_facilitated_enterprise_attestation_only_for_listed_rp_ids() {
    let mut auth = Authenticator::new(Config {
        seed: Some(3),
        attestation: Attestation::Basic,
        builtin_uv: false,
        ep_rp_ids: vec!["example.org".into()],
        ..Config::default()
    })
    .unwrap();
    // Before enableEnterpriseAttestation, asking for it is INVALID_PARAMETER.
    let req = make_credential_request("example.org", b"u", false, vec![(int(0x0A), int(1))]);
    assert_eq!(
        call(&mut auth, 0x01, Some(&req)).0,
        CtapStatus::INVALID_PARAMETER
    );
    let (s, _) = call(&mut auth, 0x0D, Some(&map(vec![(int(1), int(1))])));
    assert_eq!(s, CtapStatus::SUCCESS);

    let normal = {
        let req = make_credential_request("example.org", b"u", false, vec![]);
        let (s, body) = call(&mut auth, 0x01, Some(&req));
        assert_eq!(s, CtapStatus::SUCCESS);
        assert_eq!(get(&body, 4), None);
        let Some(Value::Array(x5c)) = text_key(get(&body, 3).unwrap(), "x5c") else {
            panic!("no x5c")
        };
        x5c[0].clone()
    };
    // Listed RP ID, vendor-facilitated: enterprise attestation, another certificate.
    let (ep_att, leaf) = enterprise(&mut auth, "example.org", 1);
    assert_eq!(ep_att, Some(Value::Bool(true)));
    assert_ne!(bytes(&leaf), normal);
    let enterprise_leaf = leaf;
    // Unlisted RP ID, vendor-facilitated: normal attestation.
    let (ep_att, leaf) = enterprise(&mut auth, "example.com", 1);
    assert_eq!(ep_att, None);
    assert_eq!(bytes(&leaf), normal);
    // Platform-facilitated: the platform vouches for any RP ID.
    let (ep_att, leaf) = enterprise(&mut auth, "example.com", 2);
    assert_eq!(ep_att, Some(Value::Bool(true)));
    assert_eq!(leaf, enterprise_leaf);
}

/// credentialManagement with a token (protocol two): MAC over subCommand ‖ params.
fn cred_mgmt(auth: &mut Authenticator, t: &[u8], sub: u8, params: Option<Value>) -> Value {
    let mut message = vec![sub];
    let mut entries = vec![(int(1), int(i128::from(sub)))];
    if let Some(p) = params {
        message.extend(fido_types::cbor::to_vec(&p).unwrap());
        entries.push((int(2), p));
    }
    entries.push((int(3), int(2)));
    entries.push((int(4), bytes(&mac(t, &message))));
    let (s, body) = call(auth, 0x0A, Some(&map(entries)));
    assert_eq!(s, CtapStatus::SUCCESS, "credMgmt {sub}");
    body
}

#[test]
fn credential_management_enumerates_every_algorithm_with_its_public_key() {
    const PIN: &str = "12345678";
    let mut auth = authenticator();
    assert_eq!(set_pin(&mut auth, PIN), CtapStatus::SUCCESS);
    let mut made = Vec::new();
    for (i, alg) in Algorithm::ALL.into_iter().enumerate() {
        let (_, t) = token(&mut auth, PIN, 0x01, Some("example.com"));
        let user = [b'u', i as u8];
        let mut req = make_credential_request("example.com", &user, true, vec![]);
        if let Value::Map(m) = &mut req {
            m.insert(int(4), params(alg.cose()));
            m.insert(int(8), bytes(&mac(&t.unwrap(), &[7; 32])));
            m.insert(int(9), int(2));
        }
        let (s, body) = call(&mut auth, 0x01, Some(&req));
        assert_eq!(s, CtapStatus::SUCCESS, "{alg}");
        made.push(attested(&get_bytes(&body, 2)));
    }
    let (_, cm) = token(&mut auth, PIN, 0x04, None);
    let cm = cm.unwrap();
    let hash = sha256(b"example.com");
    let first = cred_mgmt(&mut auth, &cm, 4, Some(map(vec![(int(1), bytes(&hash))])));
    assert_eq!(get(&first, 9), Some(&int(10)));
    let mut listed = vec![first];
    for _ in 1..10 {
        let (s, next) = call(&mut auth, 0x0A, Some(&map(vec![(int(1), int(5))])));
        assert_eq!(s, CtapStatus::SUCCESS);
        listed.push(next);
    }
    // Newest first: the reverse of creation order; each with its own public key.
    for ((id, cose), entry) in made.iter().rev().zip(&listed) {
        let Some(Value::Map(cred)) = get(entry, 7) else {
            panic!("no credential ID")
        };
        assert_eq!(cred.get(&text("id")), Some(&bytes(id)));
        let public = fido_types::cbor::to_vec(get(entry, 8).unwrap()).unwrap();
        assert_eq!(&public, cose);
    }
}
