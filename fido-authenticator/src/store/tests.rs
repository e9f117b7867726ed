//! The store: sealed non-discoverable credential IDs (round trip, RP binding, tampering,
//! other wrapping key), discoverable capacity and replacement, newest first.

use super::*;

fn key(alg: Algorithm, byte: u8) -> CredentialKey {
    CredentialKey::from_bytes(alg, &[byte; 32]).unwrap()
}

fn credential(rp: &str, user: &[u8], discoverable: bool, alg: Algorithm) -> Credential {
    let k = key(alg, 3);
    let (uv, no_uv, _) = derived_secrets(&k);
    Credential {
        id: if discoverable {
            user.to_vec()
        } else {
            Vec::new()
        },
        rp_id: rp.into(),
        rp_id_hash: ring::digest::digest(&ring::digest::SHA256, rp.as_bytes())
            .as_ref()
            .to_vec(),
        rp_name: None,
        user_id: user.to_vec(),
        user_name: None,
        user_display_name: None,
        key: k,
        discoverable,
        cred_protect: CredProtectPolicy::USER_VERIFICATION_OPTIONAL_WITH_CREDENTIAL_ID_LIST,
        cred_random_uv: uv,
        cred_random_no_uv: no_uv,
        hmac_secret: true,
        cred_blob: Some(b"blob".to_vec()),
        large_blob_key: None,
        third_party_payment: true,
        created: 0,
    }
}

#[test]
fn sealed_ids_round_trip_and_are_bound_to_their_rp() {
    let store = Store::new(2, Secret([9; 32]));
    for alg in Algorithm::ALL {
        let c = credential("example.com", b"u", false, alg);
        let id = store.wrap(&c, [1; 12]);
        assert_eq!(id.len(), 12 + 4 + 32 + 1 + 4 + 16);
        let back = store.find(&c.rp_id_hash, &id).unwrap();
        assert_eq!(back.key.alg, alg);
        assert_eq!(back.key.public_cose(), c.key.public_cose());
        assert_eq!(
            back.cred_protect,
            CredProtectPolicy::USER_VERIFICATION_OPTIONAL_WITH_CREDENTIAL_ID_LIST
        );
        assert!(back.hmac_secret && back.third_party_payment && !back.discoverable);
        assert_eq!(back.cred_blob.as_deref(), Some(&b"blob"[..]));
        assert!(back.cred_random_uv.ct_eq(c.cred_random_uv.expose_secret()));
        // Another RP, a flipped bit, another wrapping key: not ours.
        let other = ring::digest::digest(&ring::digest::SHA256, b"other.example");
        assert!(store.find(other.as_ref(), &id).is_none());
        let mut tampered = id.clone();
        tampered[20] ^= 1;
        assert!(store.find(&c.rp_id_hash, &tampered).is_none());
        let fresh = Store::new(2, Secret([8; 32]));
        assert!(fresh.find(&c.rp_id_hash, &id).is_none());
        // Short or random IDs are simply not found.
        assert!(store.find(&c.rp_id_hash, &[0; 5]).is_none());
        assert!(store.find(&c.rp_id_hash, &[0; 128]).is_none());
    }
}

#[test]
fn discoverable_capacity_replacement_and_order() {
    let mut store = Store::new(2, Secret([9; 32]));
    let mut a = credential("example.com", b"a", true, Algorithm::Es256);
    a.created = store.next_sequence();
    let mut b = credential("example.com", b"b", true, Algorithm::Es256);
    b.created = store.next_sequence();
    store.insert(a).unwrap();
    store.insert(b).unwrap();
    let mut c = credential("example.com", b"c", true, Algorithm::Es256);
    c.created = store.next_sequence();
    assert_eq!(store.insert(c), Err(StoreError::Full));
    // Non-discoverable credentials are not stored and never fill the store.
    store
        .insert(credential("example.com", b"n", false, Algorithm::Es256))
        .unwrap();
    assert_eq!(store.discoverable_count(), 2);
    // Same RP and user handle: replaced, and now the newest.
    let mut a2 = credential("example.com", b"a", true, Algorithm::EdDsa);
    a2.created = store.next_sequence();
    store.insert(a2).unwrap();
    let hash = ring::digest::digest(&ring::digest::SHA256, b"example.com");
    let order: Vec<&[u8]> = store
        .discoverable_for(hash.as_ref())
        .iter()
        .map(|c| &c.user_id[..])
        .collect();
    assert_eq!(order, [&b"a"[..], &b"b"[..]]);
    assert_eq!(store.remaining(), 0);
    assert!(store.delete(b"b"));
    assert!(!store.delete(b"b"));
    assert_eq!(store.remaining(), 1);
}

#[test]
fn der_signature_encoding() {
    // High bit set: a 0x00 pad; leading zeros stripped.
    let r = [0x80; 32];
    let mut s = [0u8; 32];
    s[31] = 1;
    let der = der_signature(&r, &s);
    assert_eq!(&der[..5], &[0x30, 0x26, 0x02, 0x21, 0x00]);
    assert_eq!(&der[der.len() - 3..], &[0x02, 0x01, 0x01]);
}
