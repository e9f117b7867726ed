//! Issue 17 item 15: the CBOR inside authenticator data (credential public key,
//! extensions) and COSE keys go through `fido_types::cbor`'s pre-pass: duplicate keys are
//! refused in every mode, and with a strict decoder non-canonical encodings are refused
//! too, the error naming the map and member.

use fido_types::cbor::Decoder;
use fido_types::cose::{CoseError, CoseKey};
use fido_types::webauthn::{AuthenticatorData, WebAuthnError};

/// An ES256 COSE key: {1: 2, 3: -7, -1: 1, -2: x, -3: y} (the P-256 generator).
fn es256_key() -> Vec<u8> {
    let mut key = vec![0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
    key.extend(hex(
        "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
    ));
    key.extend([0x22, 0x58, 0x20]);
    key.extend(hex(
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
    ));
    key
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// Authenticator data with attested credential data holding `key`, and `extensions`.
fn auth_data(key: &[u8], extensions: Option<&[u8]>) -> Vec<u8> {
    let flags = 0x41 | if extensions.is_some() { 0x80 } else { 0 };
    let mut out = vec![0xAB; 32];
    out.push(flags);
    out.extend([0, 0, 0, 1]);
    out.extend([0; 16]);
    out.extend([0, 4, 9, 9, 9, 9]);
    out.extend(key);
    if let Some(ext) = extensions {
        out.extend(ext);
    }
    out
}

#[test]
fn canonical_auth_data_decodes_both_ways() {
    let data = auth_data(
        &es256_key(),
        Some(&[
            0xA1, 0x6B, b'c', b'r', b'e', b'd', b'P', b'r', b'o', b't', b'e', b'c', b't', 0x02,
        ]),
    );
    let strict = AuthenticatorData::decode(&data, &Decoder::new()).unwrap();
    assert_eq!(strict, AuthenticatorData::from_bytes(&data).unwrap());
}

#[test]
fn duplicate_labels_are_refused_in_every_mode() {
    // {1: 2, 1: 2, ...}: kty twice.
    let mut key = es256_key();
    key[0] = 0xA6;
    key.splice(1..1, [0x01, 0x02]);
    for result in [
        CoseKey::from_cbor(&key),
        CoseKey::from_cbor_prefix_with(&key, &Decoder::new()).map(|(k, _)| k),
    ] {
        assert!(
            matches!(result, Err(CoseError::InvalidCbor(_))),
            "{result:?}"
        );
    }
    let data = auth_data(&key, None);
    assert!(AuthenticatorData::from_bytes(&data).is_err());
    assert!(AuthenticatorData::decode(&data, &Decoder::new()).is_err());
    // Duplicate extension identifiers.
    let ext = [0xA2, 0x62, b'u', b'p', 0xF5, 0x62, b'u', b'p', 0xF5];
    let data = auth_data(&es256_key(), Some(&ext));
    assert!(AuthenticatorData::from_bytes(&data).is_err());
}

#[test]
fn strict_decoding_refuses_a_key_out_of_order_and_names_it() {
    // kty and alg swapped: {3: -7, 1: 2, ...}.
    let mut key = es256_key();
    key[1..5].copy_from_slice(&[0x03, 0x26, 0x01, 0x02]);
    let data = auth_data(&key, None);
    assert!(
        AuthenticatorData::from_bytes(&data).is_ok(),
        "lenient accepts it"
    );
    let err = AuthenticatorData::decode(&data, &Decoder::new()).unwrap_err();
    assert!(
        matches!(
            err,
            WebAuthnError::InvalidCbor {
                what: "credential public key",
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("in credential public key, member 0x01"),
        "{text}"
    );
    assert!(text.contains("lenient"), "{text}");
}

#[test]
fn strict_decoding_refuses_non_canonical_extensions() {
    // {"credProtect": 2} with the 2 in a needless one-byte argument.
    let mut ext = vec![0xA1, 0x6B];
    ext.extend(b"credProtect");
    ext.extend([0x18, 0x02]);
    let data = auth_data(&es256_key(), Some(&ext));
    assert!(AuthenticatorData::from_bytes(&data).is_ok());
    let err = AuthenticatorData::decode(&data, &Decoder::new()).unwrap_err();
    assert!(
        matches!(
            err,
            WebAuthnError::InvalidCbor {
                what: "extensions",
                ..
            }
        ),
        "{err:?}"
    );
}
