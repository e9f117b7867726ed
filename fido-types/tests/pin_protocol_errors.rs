//! PIN/UV auth protocol edge cases: wrong lengths, invalid keys, random IVs, round trips,
//! the wire number, and `Debug` output that must not show secrets.

use fido_types::pin_protocol::{
    KeyAgreementKey, PinProtocol, PinProtocolError, PinUvAuthProtocol, PinUvAuthToken, ProtocolOne,
    ProtocolTwo, SharedSecret, SupportedProtocol,
};

/// Hex with whitespace allowed, so vectors can be laid out and annotated.
fn h(annotated: &str) -> Vec<u8> {
    let digits: String = annotated.split_whitespace().collect();
    hex::decode(digits).expect("test vector is valid hex")
}

fn h32(annotated: &str) -> [u8; 32] {
    h(annotated).try_into().expect("test vector is 32 bytes")
}

// A valid authenticator key (python-fido2 tests/test_ctap2.py 2.2.1, DEV_PUB_X/Y).
const DEV_PUB_X: &str = "0501d5bc78da9252560a26cb08fcc60c be0b6d3b8e1d1fcee514fac0af675168";
const DEV_PUB_Y: &str = "d551b3ed46f665731f95b4532939c25d 91db7eb844bd96d4abd4083785f8df47";
/// The P-256 field prime p (SEC 2 §2.4.2, "secp256r1").
const P: &str = "ffffffff000000010000000000000000 00000000ffffffffffffffffffffffff";
/// The P-256 group order n (SEC 2 §2.4.2).
const N: &str = "ffffffff00000000ffffffffffffffff bce6faada7179e84f3b9cac2fc632551";

/// Peer keys that are not points on P-256: (comment, x, y).
const INVALID_PEERS: &[(&str, &str, &str)] = &[
    (
        "DEV_PUB with the last bit of y flipped",
        DEV_PUB_X,
        "d551b3ed46f665731f95b4532939c25d 91db7eb844bd96d4abd4083785f8df46",
    ),
    (
        "(0, 0): the usual stand-in for the point at infinity",
        "00000000000000000000000000000000 00000000000000000000000000000000",
        "00000000000000000000000000000000 00000000000000000000000000000000",
    ),
    (
        "x = p, y = DEV_PUB's y: a coordinate not below p",
        P,
        DEV_PUB_Y,
    ),
    (
        "x = y = 2^256 - 1",
        "ffffffffffffffffffffffffffffffff ffffffffffffffffffffffffffffffff",
        "ffffffffffffffffffffffffffffffff ffffffffffffffffffffffffffffffff",
    ),
];

#[test]
fn off_curve_peer_keys_are_rejected_by_both_sides() {
    let authenticator = KeyAgreementKey::generate().unwrap();
    for (comment, x, y) in INVALID_PEERS {
        let (x, y) = (h32(x), h32(y));
        assert_eq!(
            ProtocolOne::encapsulate(&x, &y).unwrap_err(),
            PinProtocolError::InvalidPeerKey,
            "{comment}"
        );
        assert_eq!(
            ProtocolTwo::encapsulate(&x, &y).unwrap_err(),
            PinProtocolError::InvalidPeerKey,
            "{comment}"
        );
        assert_eq!(
            authenticator.agree(&x, &y).unwrap_err(),
            PinProtocolError::InvalidPeerKey,
            "{comment}"
        );
    }
    // The unmodified key is accepted, so the rejections above are about the point.
    assert!(ProtocolTwo::encapsulate(&h32(DEV_PUB_X), &h32(DEV_PUB_Y)).is_ok());
}

#[test]
fn private_keys_must_be_in_range() {
    // (comment, scalar, valid)
    let table: &[(&str, &str, bool)] = &[
        (
            "zero",
            "00000000000000000000000000000000 00000000000000000000000000000000",
            false,
        ),
        (
            "one",
            "00000000000000000000000000000000 00000000000000000000000000000001",
            true,
        ),
        (
            "n - 1",
            "ffffffff00000000ffffffffffffffff bce6faada7179e84f3b9cac2fc632550",
            true,
        ),
        ("n", N, false),
        (
            "2^256 - 1",
            "ffffffffffffffffffffffffffffffff ffffffffffffffffffffffffffffffff",
            false,
        ),
    ];
    for (comment, scalar, valid) in table {
        let result = KeyAgreementKey::from_secret_bytes(&h32(scalar));
        match valid {
            true => assert!(result.is_ok(), "{comment}"),
            false => assert_eq!(
                result.unwrap_err(),
                PinProtocolError::InvalidPrivateKey,
                "{comment}"
            ),
        }
    }
    // The key with scalar 1 has the generator G as public key (SEC 2 §2.4.2).
    let one = KeyAgreementKey::from_secret_bytes(&h32(table[1].1)).unwrap();
    assert_eq!(
        one.public_key().x,
        h32("6b17d1f2e12c4247f8bce6e563a440f2 77037d812deb33a0f4a13945d898c296")
    );
    assert_eq!(
        one.public_key().y,
        h32("4fe342e2fe1a7f9b8ee7eb4a7c0f9e16 2bce33576b315ececbb6406837bf51f5")
    );
}

#[test]
#[allow(deprecated)] // ring's fixed RNGs: its own test helpers; `SecureRandom` is sealed.
fn generate_with_rng_draws_scalars_and_gives_up_on_invalid_ones() {
    use ring::test::rand::FixedByteRandom;
    // Every draw 0xff…ff (≥ n) or 00…00: no valid scalar, so an error and not a loop.
    for byte in [0xff, 0x00] {
        assert_eq!(
            KeyAgreementKey::generate_with_rng(&FixedByteRandom { byte }).unwrap_err(),
            PinProtocolError::Random
        );
    }
    // 0x01…01 is valid and becomes the scalar as is.
    let key = KeyAgreementKey::generate_with_rng(&FixedByteRandom { byte: 1 }).unwrap();
    let expected = KeyAgreementKey::from_secret_bytes(&[1; 32]).unwrap();
    assert_eq!(key.public_key(), expected.public_key());
}

#[test]
fn key_agreement_round_trip_both_protocols() {
    let authenticator = KeyAgreementKey::generate().unwrap();
    let peer = authenticator.public_key();
    let (platform, client) = ProtocolOne::encapsulate(&peer.x, &peer.y).unwrap();
    let auth = authenticator
        .decapsulate::<ProtocolOne>(&platform.x, &platform.y)
        .unwrap();
    assert_eq!(client.expose_secret(), auth.expose_secret());
    assert_eq!(client.expose_secret().len(), 32);

    let (platform2, client2) = ProtocolTwo::encapsulate(&peer.x, &peer.y).unwrap();
    let auth2 = authenticator
        .decapsulate::<ProtocolTwo>(&platform2.x, &platform2.y)
        .unwrap();
    assert_eq!(client2.expose_secret(), auth2.expose_secret());
    assert_eq!(client2.expose_secret().len(), 64);
    // A fresh ephemeral key per exchange.
    assert_ne!(platform, platform2);
    // The uncompressed encoding round-trips.
    assert_eq!(
        fido_types::pin_protocol::KeyAgreementPublicKey::from_uncompressed(&peer.to_uncompressed()),
        Some(peer)
    );
}

fn round_trip<P: PinProtocol>() {
    let authenticator = KeyAgreementKey::generate().unwrap();
    let peer = authenticator.public_key();
    let (platform, client) = P::encapsulate(&peer.x, &peer.y).unwrap();
    let auth = authenticator
        .decapsulate::<P>(&platform.x, &platform.y)
        .unwrap();
    for blocks in 0..=8u8 {
        let plaintext: Vec<u8> = (0..blocks * 16).collect();
        let ciphertext = P::encrypt(&client, &plaintext).unwrap();
        assert_eq!(ciphertext.len(), P::IV_LEN + plaintext.len());
        if !plaintext.is_empty() {
            assert_ne!(ciphertext[P::IV_LEN..], plaintext[..]);
        }
        assert_eq!(*P::decrypt(&auth, &ciphertext).unwrap(), plaintext);
        let mac = P::authenticate(&client, &ciphertext);
        assert_eq!(mac.len(), P::AUTH_PARAM_LEN);
        P::verify(&auth, &ciphertext, &mac).unwrap();
    }
}

#[test]
fn encrypt_decrypt_authenticate_round_trips() {
    round_trip::<ProtocolOne>();
    round_trip::<ProtocolTwo>();
}

#[test]
fn protocol_two_draws_a_fresh_iv_each_time() {
    let shared = ProtocolTwo::kdf(&[7; 32]);
    let a = ProtocolTwo::encrypt(&shared, &[0; 32]).unwrap();
    let b = ProtocolTwo::encrypt(&shared, &[0; 32]).unwrap();
    assert_ne!(a[..16], b[..16]);
    assert_ne!(a, b);
    // Protocol one is deterministic (IV of zeros).
    let shared = ProtocolOne::kdf(&[7; 32]);
    assert_eq!(
        ProtocolOne::encrypt(&shared, &[0; 32]).unwrap(),
        ProtocolOne::encrypt(&shared, &[0; 32]).unwrap()
    );
}

#[test]
#[allow(deprecated)] // ring's fixed RNGs: its own test helpers; `SecureRandom` is sealed.
fn encrypt_with_rng_takes_the_iv_from_the_rng() {
    use ring::test::rand::FixedSliceRandom;
    let iv = h("000102030405060708090a0b0c0d0e0f");
    let rng = FixedSliceRandom { bytes: &iv };
    let shared = ProtocolTwo::kdf(&[7; 32]);
    let with_rng = ProtocolTwo::encrypt_with_rng(&shared, &[0x42; 32], &rng).unwrap();
    assert_eq!(with_rng[..16], iv[..]);
    assert_eq!(
        with_rng,
        ProtocolTwo::encrypt_with_iv(&shared, &iv.try_into().unwrap(), &[0x42; 32]).unwrap()
    );
}

#[test]
fn plaintext_lengths_must_be_whole_blocks() {
    let one = ProtocolOne::kdf(&[1; 32]);
    let two = ProtocolTwo::kdf(&[1; 32]);
    for len in [1, 15, 17, 63, 65] {
        let expected = PinProtocolError::PlaintextLength { len };
        assert_eq!(
            ProtocolOne::encrypt(&one, &vec![0; len]),
            Err(expected.clone())
        );
        assert_eq!(
            ProtocolTwo::encrypt(&two, &vec![0; len]),
            Err(expected.clone())
        );
        assert_eq!(
            ProtocolTwo::encrypt_with_iv(&two, &[0; 16], &vec![0; len]),
            Err(expected)
        );
    }
}

#[test]
fn ciphertext_lengths() {
    let one = ProtocolOne::kdf(&[1; 32]);
    let two = ProtocolTwo::kdf(&[1; 32]);
    // (length, protocol-one result, protocol-two result); `Ok(n)` is the plaintext length.
    use PinProtocolError::{CiphertextLength as Len, CiphertextTooShort as Short};
    type Outcome = Result<usize, PinProtocolError>;
    let table: &[(usize, Outcome, Outcome)] = &[
        (0, Ok(0), Err(Short { len: 0, min: 16 })),
        (1, Err(Len { len: 1 }), Err(Short { len: 1, min: 16 })),
        (15, Err(Len { len: 15 }), Err(Short { len: 15, min: 16 })),
        (16, Ok(16), Ok(0)), // protocol two: an IV and nothing else
        (17, Err(Len { len: 17 }), Err(Len { len: 17 })),
        (31, Err(Len { len: 31 }), Err(Len { len: 31 })),
        (32, Ok(32), Ok(16)),
        (48, Ok(48), Ok(32)),
        (50, Err(Len { len: 50 }), Err(Len { len: 50 })),
    ];
    for (len, r1, r2) in table {
        let ct = vec![0xa5; *len];
        assert_eq!(
            &ProtocolOne::decrypt(&one, &ct).map(|p| p.len()),
            r1,
            "v1 {len}"
        );
        assert_eq!(
            &ProtocolTwo::decrypt(&two, &ct).map(|p| p.len()),
            r2,
            "v2 {len}"
        );
    }
}

#[test]
fn token_lengths() {
    // (length, allowed by protocol one, allowed by protocol two)
    let table = [
        (0, false, false),
        (15, false, false),
        (16, true, false),
        (17, false, false),
        (31, false, false),
        (32, true, true),
        (33, false, false),
        (64, false, false),
    ];
    for (len, one, two) in table {
        let bytes = vec![0x91; len];
        match ProtocolOne::validate_token(&bytes) {
            Ok(token) => assert!(one && token.len() == len, "v1 {len}"),
            Err(e) => {
                assert!(!one, "v1 {len}");
                assert_eq!(
                    e,
                    PinProtocolError::TokenLength {
                        protocol: PinUvAuthProtocol::ONE,
                        len
                    }
                );
            }
        }
        match PinUvAuthToken::<ProtocolTwo>::from_bytes(&bytes) {
            Ok(token) => assert!(two && token.len() == len, "v2 {len}"),
            Err(e) => {
                assert!(!two, "v2 {len}");
                assert_eq!(
                    e,
                    PinProtocolError::TokenLength {
                        protocol: PinUvAuthProtocol::TWO,
                        len
                    }
                );
            }
        }
    }
    // decrypt_token applies the same check to what it decrypts.
    let shared = ProtocolTwo::kdf(&[3; 32]);
    let ct = ProtocolTwo::encrypt(&shared, &[0x91; 16]).unwrap();
    assert_eq!(
        ProtocolTwo::decrypt_token(&shared, &ct).unwrap_err(),
        PinProtocolError::TokenLength {
            protocol: PinUvAuthProtocol::TWO,
            len: 16
        }
    );
}

#[test]
fn generated_tokens_are_32_random_bytes() {
    let a = PinUvAuthToken::<ProtocolTwo>::generate().unwrap();
    let b = PinUvAuthToken::<ProtocolTwo>::generate().unwrap();
    assert_eq!(a.len(), 32);
    assert_ne!(a.expose_secret(), b.expose_secret());
}

#[test]
fn shared_secret_lengths() {
    for len in [0, 31, 33, 64] {
        assert_eq!(
            SharedSecret::<ProtocolOne>::from_bytes(&vec![0; len]).unwrap_err(),
            PinProtocolError::SharedSecretLength {
                protocol: PinUvAuthProtocol::ONE,
                expected: 32,
                actual: len
            }
        );
    }
    for len in [0, 32, 63, 65] {
        assert_eq!(
            SharedSecret::<ProtocolTwo>::from_bytes(&vec![0; len]).unwrap_err(),
            PinProtocolError::SharedSecretLength {
                protocol: PinUvAuthProtocol::TWO,
                expected: 64,
                actual: len
            }
        );
    }
}

fn signature_checks<P: PinProtocol>(wrong_lengths: &[usize]) {
    let shared = P::kdf(&[9; 32]);
    let message = b"clientDataHash..................";
    let mac = P::authenticate(&shared, message);
    P::verify(&shared, message, &mac).unwrap();
    for &len in wrong_lengths {
        assert_eq!(
            P::verify(&shared, message, &vec![0; len]),
            Err(PinProtocolError::SignatureLength {
                protocol: P::VERSION,
                expected: P::AUTH_PARAM_LEN,
                actual: len
            })
        );
    }
    // Any single flipped bit, anywhere, is a mismatch.
    for i in 0..mac.len() * 8 {
        let mut bad = mac.clone();
        bad[i / 8] ^= 1 << (i % 8);
        assert_eq!(
            P::verify(&shared, message, &bad),
            Err(PinProtocolError::SignatureMismatch)
        );
    }
    // A different message or key is a mismatch.
    assert_eq!(
        P::verify(&shared, b"other", &mac),
        Err(PinProtocolError::SignatureMismatch)
    );
    assert_eq!(
        P::verify(&P::kdf(&[8; 32]), message, &mac),
        Err(PinProtocolError::SignatureMismatch)
    );
}

#[test]
fn verify_rejects_wrong_lengths_and_any_changed_bit() {
    signature_checks::<ProtocolOne>(&[0, 15, 17, 32]);
    signature_checks::<ProtocolTwo>(&[0, 16, 31, 33]);
}

#[test]
fn protocol_two_macs_use_the_hmac_half_only() {
    // Two secrets that share the HMAC half but not the AES half give the same MAC.
    let mut bytes = ProtocolTwo::kdf(&[4; 32]).expose_secret().to_vec();
    let a = SharedSecret::<ProtocolTwo>::from_bytes(&bytes).unwrap();
    bytes[63] ^= 1;
    let b = SharedSecret::<ProtocolTwo>::from_bytes(&bytes).unwrap();
    assert_eq!(
        ProtocolTwo::authenticate(&a, b"m"),
        ProtocolTwo::authenticate(&b, b"m")
    );
    // ... and a token equal to the HMAC half gives that MAC too.
    let token = PinUvAuthToken::<ProtocolTwo>::from_bytes(&bytes[..32]).unwrap();
    assert_eq!(
        ProtocolTwo::authenticate(&token, b"m"),
        ProtocolTwo::authenticate(&a, b"m")
    );
    // The AES half is what encrypts: the same IV gives different ciphertexts.
    assert_ne!(
        ProtocolTwo::encrypt_with_iv(&a, &[0; 16], &[0; 16]).unwrap(),
        ProtocolTwo::encrypt_with_iv(&b, &[0; 16], &[0; 16]).unwrap()
    );
}

#[test]
fn debug_output_shows_no_secret_bytes() {
    let shared1 = SharedSecret::<ProtocolOne>::from_bytes(&[0xab; 32]).unwrap();
    let shared2 = SharedSecret::<ProtocolTwo>::from_bytes(&[0xab; 64]).unwrap();
    let token1 = PinUvAuthToken::<ProtocolOne>::from_bytes(&[0xab; 16]).unwrap();
    let token2 = PinUvAuthToken::<ProtocolTwo>::from_bytes(&[0xab; 32]).unwrap();
    let scalar = [0xab; 32];
    let key = KeyAgreementKey::from_secret_bytes(&scalar).unwrap();
    let table = [
        (format!("{shared1:?}"), "SharedSecret(v1, 32 bytes)"),
        (format!("{shared2:?}"), "SharedSecret(v2, 64 bytes)"),
        (format!("{token1:?}"), "PinUvAuthToken(v1, 16 bytes)"),
        (format!("{token2:?}"), "PinUvAuthToken(v2, 32 bytes)"),
    ];
    for (debug, expected) in &table {
        assert_eq!(debug, expected);
    }
    let key_debug = format!("{key:?}");
    let key_debug_alt = format!("{key:#?}");
    for debug in [&key_debug, &key_debug_alt] {
        assert!(debug.starts_with("KeyAgreementKey"), "{debug}");
        assert!(debug.contains(&hex::encode(key.public_key().x)), "{debug}");
        for secret in ["abab", "ABAB", "171, 171", "0xab"] {
            assert!(!debug.contains(secret), "{debug}");
        }
    }
}

#[test]
fn wire_numbers_round_trip_and_select_protocols() {
    // CBOR (canonical): 1 -> 01, 2 -> 02, 300 -> 19 012c; unknown values survive.
    let table: &[(u32, &str)] = &[(1, "01"), (2, "02"), (3, "03"), (300, "19 012c")];
    for (n, cbor) in table {
        let wire = PinUvAuthProtocol(*n);
        let bytes = serde_cbor_2::to_vec(&wire).unwrap();
        assert_eq!(bytes, h(cbor));
        assert_eq!(
            serde_cbor_2::from_slice::<PinUvAuthProtocol>(&bytes).unwrap(),
            wire
        );
    }
    assert_eq!(
        SupportedProtocol::try_from(PinUvAuthProtocol(1)),
        Ok(SupportedProtocol::One)
    );
    assert_eq!(
        SupportedProtocol::try_from(PinUvAuthProtocol(2)),
        Ok(SupportedProtocol::Two)
    );
    assert_eq!(
        SupportedProtocol::try_from(PinUvAuthProtocol(3)),
        Err(PinProtocolError::UnsupportedProtocol(PinUvAuthProtocol(3)))
    );
    assert_eq!(
        PinUvAuthProtocol::from(SupportedProtocol::Two),
        PinUvAuthProtocol::TWO
    );
    assert_eq!(ProtocolOne::VERSION, SupportedProtocol::One.version());
    // Preference: two over one, unknown numbers ignored.
    let p = |list: &[u32]| {
        SupportedProtocol::preferred(
            &list
                .iter()
                .map(|&n| PinUvAuthProtocol(n))
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(p(&[1, 2]), Some(SupportedProtocol::Two));
    assert_eq!(p(&[1]), Some(SupportedProtocol::One));
    assert_eq!(p(&[3, 1]), Some(SupportedProtocol::One));
    assert_eq!(p(&[]), None);
    assert_eq!(p(&[7]), None);
    assert_eq!(
        format!("{:?}", PinUvAuthProtocol(2)),
        "PinUvAuthProtocol::TWO"
    );
    assert_eq!(PinUvAuthProtocol(7).to_string(), "v7");
    assert_eq!(
        PinProtocolError::UnsupportedProtocol(PinUvAuthProtocol(7)).to_string(),
        "unsupported PIN/UV auth protocol v7"
    );
}
