//! Format `compound` (WebAuthn L3 §8.9) built from python-fido2 2.2.1's packed vector
//! (`python_fido2_attestation.json`, from tests/test_attestation.py of
//! github.com/Yubico/python-fido2, tag 2.2.1): its statement and a `none` statement, and
//! the statement twice, over the vector's authenticator data and client data hash.

use fido_server::attestation::{self, AttestationType};
use fido_server::{AttestationError, TrustError, TrustStore};
use fido_types::webauthn::{AttestationObject, AttestationStatement, CompoundMember};
use serde_json::Value;

/// python-fido2's packed statement with an attestation certificate (BASIC, one
/// certificate), and its client data hash.
fn packed_vector() -> (AttestationObject, [u8; 32]) {
    let doc: Value = serde_json::from_str(include_str!("python_fido2_attestation.json")).unwrap();
    let v = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["fmt"] == "packed" && v["expected"] == "BASIC")
        .unwrap();
    let object = AttestationObject::from_cbor(
        &hex::decode(v["attestation_object"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    let hash = hex::decode(v["client_data_hash"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    (object, hash)
}

fn member(fmt: &str, att_stmt: AttestationStatement) -> CompoundMember {
    CompoundMember {
        fmt: fmt.into(),
        att_stmt,
    }
}

/// A compound object of `members` over `base`'s authenticator data, read back from its bytes.
fn compound(base: &AttestationObject, members: Vec<CompoundMember>) -> AttestationObject {
    let built = AttestationObject::create(
        "compound",
        base.auth_data().clone(),
        AttestationStatement::compound(members),
    );
    AttestationObject::from_cbor(built.as_bytes()).unwrap()
}

#[test]
fn compound_of_packed_and_none_verifies_each_member() {
    let (packed, hash) = packed_vector();
    let alone = attestation::verify(&packed, &hash).unwrap();
    let object = compound(
        &packed,
        vec![
            member("packed", packed.att_stmt().clone()),
            member("none", AttestationStatement::none()),
        ],
    );
    let verified = attestation::verify(&object, &hash).unwrap();
    assert_eq!(verified.format, "compound");
    assert_eq!(verified.attestation_type, AttestationType::Compound);
    assert_eq!(verified.attestation_type.name(), "compound");
    assert!(verified.trust_path.is_empty());
    assert_eq!(verified.aaguid, alone.aaguid);
    assert_eq!(verified.members.len(), 2);
    assert_eq!(verified.members[0], alone);
    assert_eq!(verified.members[0].attestation_type, AttestationType::Basic);
    assert_eq!(verified.members[0].trust_path.len(), 1);
    assert_eq!(verified.members[1].format, "none");
    assert_eq!(verified.members[1].attestation_type, AttestationType::None);
    assert!(verified.members[1].trust_path.is_empty());

    let twice = compound(
        &packed,
        vec![
            member("packed", packed.att_stmt().clone()),
            member("packed", packed.att_stmt().clone()),
        ],
    );
    let verified = attestation::verify(&twice, &hash).unwrap();
    assert_eq!(verified.members, vec![alone.clone(), alone]);

    // Every member is checked against the same client data hash.
    let mut other = hash;
    other[0] ^= 1;
    assert!(matches!(
        attestation::verify(&twice, &other),
        Err(AttestationError::CompoundMember { member: 0, .. })
    ));
}

#[test]
fn compound_with_a_tampered_member_names_it() {
    let (packed, hash) = packed_vector();
    let stmt = packed.att_stmt();
    let mut sig = stmt.sig().unwrap().to_vec();
    let last = sig.len() - 1;
    sig[last] ^= 1;
    let tampered = AttestationStatement::packed(
        stmt.alg().unwrap(),
        sig,
        stmt.x5c()
            .unwrap()
            .into_iter()
            .map(<[u8]>::to_vec)
            .collect(),
    );
    let object = compound(
        &packed,
        vec![
            member("none", AttestationStatement::none()),
            member("packed", tampered),
        ],
    );
    let err = attestation::verify(&object, &hash).unwrap_err();
    assert_eq!(
        err,
        AttestationError::CompoundMember {
            member: 1,
            fmt: "packed".into(),
            source: Box::new(AttestationError::InvalidSignature { format: "packed" }),
        }
    );
    assert!(err.to_string().contains("member 1 (packed)"), "{err}");

    // A malformed none member and an unknown format are named too.
    let object = compound(
        &packed,
        vec![member("packed", stmt.clone()), member("none", stmt.clone())],
    );
    assert!(matches!(
        attestation::verify(&object, &hash),
        Err(AttestationError::CompoundMember { member: 1, ref fmt, .. }) if fmt == "none"
    ));
    let object = compound(
        &packed,
        vec![
            member("packed", stmt.clone()),
            member("x-unknown", stmt.clone()),
        ],
    );
    assert!(matches!(
        attestation::verify(&object, &hash),
        Err(AttestationError::CompoundMember { member: 1, ref source, .. })
            if matches!(**source, AttestationError::UnsupportedFormat(_))
    ));
}

#[test]
fn nested_and_short_compounds_are_refused() {
    let (packed, hash) = packed_vector();
    let pair = vec![
        member("packed", packed.att_stmt().clone()),
        member("none", AttestationStatement::none()),
    ];
    let nested = compound(
        &packed,
        vec![
            member("packed", packed.att_stmt().clone()),
            member("compound", AttestationStatement::compound(pair)),
        ],
    );
    assert_eq!(
        attestation::verify(&nested, &hash),
        Err(AttestationError::NestedCompound { member: 1 })
    );
    let one = compound(&packed, vec![member("packed", packed.att_stmt().clone())]);
    assert_eq!(
        attestation::verify(&one, &hash),
        Err(AttestationError::CompoundTooFew { count: 1 })
    );
    let none = compound(&packed, Vec::new());
    assert_eq!(
        attestation::verify(&none, &hash),
        Err(AttestationError::CompoundTooFew { count: 0 })
    );
    // fmt compound with a map statement is malformed.
    let map = AttestationObject::create(
        "compound",
        packed.auth_data().clone(),
        packed.att_stmt().clone(),
    );
    let map = AttestationObject::from_cbor(map.as_bytes()).unwrap();
    assert!(matches!(
        attestation::verify(&map, &hash),
        Err(AttestationError::Malformed {
            format: "compound",
            ..
        })
    ));
}

#[test]
fn compound_is_trusted_only_if_every_member_is() {
    let (packed, hash) = packed_vector();
    let leaf = packed.att_stmt().x5c().unwrap()[0].to_vec();
    let mut store = TrustStore::new();
    store.add_format_root("packed", leaf).unwrap();
    let alone = attestation::verify(&packed, &hash).unwrap();
    let at = 1_527_811_200; // 2018-06-01, inside the certificate's validity
    store.verify(&alone, at).unwrap();
    let twice = compound(
        &packed,
        vec![
            member("packed", packed.att_stmt().clone()),
            member("packed", packed.att_stmt().clone()),
        ],
    );
    let verified = attestation::verify(&twice, &hash).unwrap();
    store.verify(&verified, at).unwrap();
    let with_none = compound(
        &packed,
        vec![
            member("packed", packed.att_stmt().clone()),
            member("none", AttestationStatement::none()),
        ],
    );
    let verified = attestation::verify(&with_none, &hash).unwrap();
    assert_eq!(
        store.verify(&verified, at),
        Err(TrustError::Untrusted("none"))
    );
    let mut empty = verified.clone();
    empty.members.clear();
    assert_eq!(
        store.verify(&empty, at),
        Err(TrustError::Untrusted("compound without members"))
    );
}
