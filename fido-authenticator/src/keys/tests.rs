//! Credential keys, per algorithm: COSE public key shape (canonical CBOR, key type,
//! curve, sizes), determinism from the seed, and signatures verified independently
//! (ring through `fido_types::cose::CoseKey::verify` where it has the algorithm; the
//! RustCrypto verifiers for ES512, ES256K and ML-DSA).

use fido_types::cbor::Value;
use fido_types::cose::CoseKey;

use super::*;

fn key(alg: Algorithm, byte: u8) -> CredentialKey {
    CredentialKey::from_bytes(alg, &[byte; 32]).unwrap()
}

/// The COSE key as an integer-keyed map, decoded strictly (canonical CBOR only).
fn cose_map(bytes: &[u8]) -> Vec<(i128, Value)> {
    let Value::Map(map) = fido_types::cbor::from_slice::<Value>(bytes).unwrap() else {
        panic!("not a map")
    };
    map.into_iter()
        .map(|(k, v)| match k {
            Value::Integer(k) => (k, v),
            other => panic!("key {other:?}"),
        })
        .collect()
}

fn bytes_at(map: &[(i128, Value)], label: i128) -> Vec<u8> {
    match map.iter().find(|(k, _)| *k == label) {
        Some((_, Value::Bytes(b))) => b.clone(),
        other => panic!("label {label}: {other:?}"),
    }
}

fn int_at(map: &[(i128, Value)], label: i128) -> i128 {
    match map.iter().find(|(k, _)| *k == label) {
        Some((_, Value::Integer(i))) => *i,
        other => panic!("label {label}: {other:?}"),
    }
}

/// (algorithm, kty, crv, length of -1 or -2 bytes, signature length or 0 if DER).
const SHAPES: [(Algorithm, i128, Option<i128>, usize, usize); 10] = [
    (Algorithm::Es256, 2, Some(1), 32, 0),
    (Algorithm::EdDsa, 1, Some(6), 32, 64),
    (Algorithm::Es384, 2, Some(2), 48, 0),
    (Algorithm::Es512, 2, Some(3), 66, 0),
    (Algorithm::Ps256, 3, None, 256, 256),
    (Algorithm::Rs256, 3, None, 256, 256),
    (Algorithm::Es256K, 2, Some(8), 32, 0),
    // FIPS 204 Table 2: public key and signature sizes.
    (Algorithm::MlDsa44, 7, None, 1312, 2420),
    (Algorithm::MlDsa65, 7, None, 1952, 3309),
    (Algorithm::MlDsa87, 7, None, 2592, 4627),
];

#[test]
fn cose_identifiers_names_and_wrap_codes_round_trip() {
    for alg in Algorithm::ALL {
        assert_eq!(Algorithm::from_cose(alg.cose()), Some(alg));
        assert_eq!(Algorithm::parse(alg.name()), Some(alg));
        assert_eq!(Algorithm::parse(&alg.cose().to_string()), Some(alg));
        assert_eq!(Algorithm::from_wrap_code(alg.wrap_code()), Some(alg));
    }
    assert_eq!(Algorithm::parse("ml-dsa-65"), Some(Algorithm::MlDsa65));
    assert_eq!(Algorithm::from_cose(-257), Some(Algorithm::Rs256));
    assert_eq!(Algorithm::from_cose(-9), None);
    assert_eq!(Algorithm::parse("ES1"), None);
    assert_eq!(Algorithm::from_wrap_code(10), None);
    assert_eq!(Algorithm::ALL[..2], [Algorithm::Es256, Algorithm::EdDsa]);
}

#[test]
fn public_keys_have_the_cose_shape_of_their_algorithm() {
    for (alg, kty, crv, len, _) in SHAPES {
        let k = key(alg, 5);
        let cose = k.public_cose().unwrap();
        let map = cose_map(&cose);
        assert_eq!(int_at(&map, 1), kty, "{alg}");
        assert_eq!(int_at(&map, 3), i128::from(alg.cose()), "{alg}");
        match kty {
            2 => {
                assert_eq!(int_at(&map, -1), crv.unwrap(), "{alg}");
                assert_eq!(bytes_at(&map, -2).len(), len, "{alg}");
                assert_eq!(bytes_at(&map, -3).len(), len, "{alg}");
                assert_eq!(map.len(), 5);
            }
            1 => {
                assert_eq!(int_at(&map, -1), crv.unwrap());
                assert_eq!(bytes_at(&map, -2).len(), len);
                assert_eq!(map.len(), 4);
            }
            3 => {
                assert_eq!(bytes_at(&map, -1).len(), len, "{alg}: n");
                assert_eq!(bytes_at(&map, -2), [1, 0, 1], "{alg}: e");
                assert_eq!(map.len(), 4);
            }
            _ => {
                assert_eq!(bytes_at(&map, -1).len(), len, "{alg}");
                assert_eq!(map.len(), 3);
            }
        }
        // Re-encoding the parsed key gives the same bytes: the encoding is canonical.
        assert_eq!(CoseKey::from_cbor(&cose).unwrap().to_cbor(), cose, "{alg}");
    }
}

#[test]
fn keys_are_determined_by_their_seed() {
    for alg in Algorithm::ALL {
        let a = key(alg, 5).public_cose().unwrap();
        assert_eq!(a, key(alg, 5).public_cose().unwrap(), "{alg}");
        assert_ne!(a, key(alg, 6).public_cose().unwrap(), "{alg}");
    }
}

#[test]
fn ring_verifies_es256_es384_eddsa_rs256_ps256_signatures() {
    for alg in [
        Algorithm::Es256,
        Algorithm::Es384,
        Algorithm::EdDsa,
        Algorithm::Rs256,
        Algorithm::Ps256,
    ] {
        let k = key(alg, 7);
        let public = CoseKey::from_cbor(&k.public_cose().unwrap()).unwrap();
        let sig = k.sign(b"message").unwrap();
        assert_eq!(public.verify(b"message", &sig), Ok(()), "{alg}");
        assert!(public.verify(b"massage", &sig).is_err(), "{alg}");
        let other = CoseKey::from_cbor(&key(alg, 8).public_cose().unwrap()).unwrap();
        assert!(other.verify(b"message", &sig).is_err(), "{alg}");
    }
}

#[test]
fn signature_sizes_and_encodings() {
    for (alg, _, _, _, sig_len) in SHAPES {
        let sig = key(alg, 7).sign(b"message").unwrap();
        if sig_len == 0 {
            // DER SEQUENCE of two INTEGERs, the length in long form past 127 bytes.
            assert_eq!(sig[0], 0x30, "{alg}");
            let (body_len, body) = if sig[1] == 0x81 {
                (usize::from(sig[2]), &sig[3..])
            } else {
                (usize::from(sig[1]), &sig[2..])
            };
            assert_eq!(body.len(), body_len, "{alg}");
            assert_eq!(body[0], 0x02, "{alg}");
        } else {
            assert_eq!(sig.len(), sig_len, "{alg}");
        }
    }
}

fn ec_point(k: &CredentialKey) -> Vec<u8> {
    let map = cose_map(&k.public_cose().unwrap());
    [vec![4], bytes_at(&map, -2), bytes_at(&map, -3)].concat()
}

#[test]
fn p521_verifies_es512_signatures() {
    use p521::ecdsa::signature::Verifier;
    let k = key(Algorithm::Es512, 7);
    let vk = p521::ecdsa::VerifyingKey::from_sec1_bytes(&ec_point(&k)).unwrap();
    let sig = k.sign(b"message").unwrap();
    let sig = p521::ecdsa::Signature::from_der(&sig).unwrap();
    assert!(vk.verify(b"message", &sig).is_ok());
    assert!(vk.verify(b"massage", &sig).is_err());
}

#[test]
fn k256_verifies_es256k_signatures() {
    use k256::ecdsa::signature::Verifier;
    let k = key(Algorithm::Es256K, 7);
    let vk = k256::ecdsa::VerifyingKey::from_sec1_bytes(&ec_point(&k)).unwrap();
    let sig = k.sign(b"message").unwrap();
    let sig = k256::ecdsa::Signature::from_der(&sig).unwrap();
    assert!(vk.verify(b"message", &sig).is_ok());
    assert!(vk.verify(b"massage", &sig).is_err());
}

fn mldsa_verifies<P: ml_dsa::MlDsaParams>(alg: Algorithm) {
    let k = key(alg, 7);
    let pk = bytes_at(&cose_map(&k.public_cose().unwrap()), -1);
    let vk = ml_dsa::VerifyingKey::<P>::decode(pk.as_slice().try_into().unwrap());
    let sig = k.sign(b"message").unwrap();
    let sig = ml_dsa::Signature::<P>::decode(sig.as_slice().try_into().unwrap()).unwrap();
    // FIPS 204 Algorithm 3 ML-DSA.Verify with an empty context string.
    assert!(vk.verify_with_context(b"message", &[], &sig), "{alg}");
    assert!(!vk.verify_with_context(b"massage", &[], &sig), "{alg}");
    assert!(!vk.verify_with_context(b"message", b"ctx", &sig), "{alg}");
}

#[test]
fn ml_dsa_verifies_pure_empty_context_signatures() {
    mldsa_verifies::<ml_dsa::MlDsa44>(Algorithm::MlDsa44);
    mldsa_verifies::<ml_dsa::MlDsa65>(Algorithm::MlDsa65);
    mldsa_verifies::<ml_dsa::MlDsa87>(Algorithm::MlDsa87);
}

#[test]
fn es256_and_es256k_refuse_out_of_range_scalars() {
    // 0 and 0xff..ff are outside 1..n for both 256-bit curves.
    for alg in [Algorithm::Es256, Algorithm::Es256K] {
        assert_eq!(
            CredentialKey::from_bytes(alg, &[0; 32]).unwrap_err(),
            KeyError::InvalidKey(alg)
        );
        assert!(CredentialKey::from_bytes(alg, &[0xff; 32]).is_err());
    }
    // The other algorithms derive a valid key from any seed.
    for alg in [Algorithm::Es384, Algorithm::Es512, Algorithm::MlDsa44] {
        assert!(CredentialKey::from_bytes(alg, &[0; 32]).is_ok());
    }
}

#[test]
fn der_signature_long_form_for_p521() {
    let r = [0x80; 66];
    let s = [0x01; 66];
    let der = der_signature(&r, &s);
    // r gains a leading zero (67 bytes), s does not (66): 2 + 67 + 2 + 66 = 137 bytes.
    assert_eq!(&der[..3], &[0x30, 0x81, 137]);
    assert_eq!(&der[3..6], &[0x02, 67, 0x00]);
    assert_eq!(&der[3 + 2 + 67..3 + 2 + 67 + 2], &[0x02, 66]);
    assert_eq!(der.len(), 3 + 137);
}

#[test]
fn ml_dsa_keys_match_fips_204_key_generation_from_the_seed() {
    // SHA-256 of the public key of ML-DSA.KeyGen_internal(ξ = 32 × 0x07), computed with
    // Python `cryptography` 48.0.0: `MLDSA44PrivateKey.from_seed_bytes(bytes([7]) * 32)
    // .public_key().public_bytes_raw()` (and 65, 87).
    for (alg, expected) in [
        (
            Algorithm::MlDsa44,
            "86c769d3b468de487eb9a09f242f7fa0b997a07ef4ded49627e7bf9539f28b62",
        ),
        (
            Algorithm::MlDsa65,
            "d3a1e51ecf491b79ca7691bd269271f8d8e8d94313a6abcc6c8ae8bc34b5f9aa",
        ),
        (
            Algorithm::MlDsa87,
            "9e1e860361994891b3165e611dc5aefcdd37dfbf5f247943daaeb57141fe7b6e",
        ),
    ] {
        let pk = bytes_at(&cose_map(&key(alg, 7).public_cose().unwrap()), -1);
        let digest = ring::digest::digest(&ring::digest::SHA256, &pk);
        assert_eq!(hex::encode(digest), expected, "{alg}");
    }
}

/// The ES256 signer over the bare scalar gives exactly `SigningKey::sign`'s signature
/// (RFC 6979 is deterministic), and validity is the scalar range check `SigningKey`
/// applies, for every curve.
#[test]
fn es256_fast_signer_matches_signing_key_and_validity_matches_from_slice() {
    use p256::ecdsa::signature::Signer;
    for byte in [1u8, 0x42, 0xa5, 0xfe] {
        let seed = [byte; 32];
        for message in [&b""[..], b"abc", &[0x5a; 300]] {
            let reference: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from_slice(&seed)
                .unwrap()
                .sign(message);
            let raw = reference.to_bytes();
            assert_eq!(
                key(Algorithm::Es256, byte).sign(message).unwrap(),
                der_signature(&raw[..32], &raw[32..])
            );
        }
    }
    // 0, the group order n (CTAP 2.1 uses P-256: n = FFFFFFFF00000000FFFFFFFFFFFFFFFF
    // BCE6FAADA7179E84F3B9CAC2FC632551, SEC 2 section 2.4.2), n - 1, all ones.
    let mut order = [0xff; 32];
    order[4..8].copy_from_slice(&[0; 4]);
    order[16..].copy_from_slice(&[
        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25,
        0x51,
    ]);
    let mut below = order;
    below[31] -= 1;
    for seed in [[0u8; 32], order, below, [0xff; 32], [1; 32]] {
        for alg in [
            Algorithm::Es256,
            Algorithm::Es384,
            Algorithm::Es512,
            Algorithm::Es256K,
        ] {
            assert_eq!(
                CredentialKey::from_bytes(alg, &seed).is_ok(),
                ecdsa::signing_key_builds(alg, &seed),
                "{alg:?} {seed:02x?}"
            );
        }
    }
    assert!(CredentialKey::from_bytes(Algorithm::Es256, &below).is_ok());
    assert!(CredentialKey::from_bytes(Algorithm::Es256, &order).is_err());
}
