use fido_types::cbor::{StrMap, Value};
use fido_types::pin_protocol::{KeyAgreementKey, PinProtocol, ProtocolOne, ProtocolTwo};

use super::salts::{hmac_secret_input, hmac_secret_output, prf_salt};
use super::*;

/// SHA-256("WebAuthn PRF" || 0x00 || input), computed independently with Python's
/// hashlib (WebAuthn L3 §10.1.4 gives the construction, not a vector).
#[test]
fn prf_salt_is_the_l3_construction() {
    assert_eq!(
        hex::encode(prf_salt(b"")),
        "6a7e64b2aa34c92736143a062fa149aff1bd8bb3f7ee6f346885481f9414a3d3"
    );
    assert_eq!(
        hex::encode(prf_salt(b"salt")),
        "ca5a1f596c39d810944a3804b2d04157281d9ffa405651250b12782157b75823"
    );
}

/// A secret agreed with an authenticator-side key, and that key's view of it.
fn agreed<P: PinProtocol>() -> (ExtensionSecret, fido_types::pin_protocol::SharedSecret<P>) {
    let authenticator = KeyAgreementKey::generate().unwrap();
    let peer = authenticator.public_key();
    let (platform, shared) = P::encapsulate(&peer.x, &peer.y).unwrap();
    let secret = ExtensionSecret::new(&platform, &shared).unwrap();
    let theirs = authenticator
        .decapsulate::<P>(&platform.x, &platform.y)
        .unwrap();
    (secret, theirs)
}

#[test]
fn hmac_secret_inputs_decrypt_on_the_authenticator_side_for_both_protocols() {
    fn check<P: PinProtocol>() {
        let (secret, theirs) = agreed::<P>();
        assert_eq!(secret.protocol(), P::VERSION);
        let input = hmac_secret_input("t", &secret, &[1; 32], Some(&[2; 32])).unwrap();
        let Value::Map(map) = input else {
            panic!("a map")
        };
        let get = |k: i128| map.get(&Value::Integer(k)).cloned();
        let Some(Value::Bytes(salt_enc)) = get(2) else {
            panic!("saltEnc")
        };
        let Some(Value::Bytes(salt_auth)) = get(3) else {
            panic!("saltAuth")
        };
        P::verify(&theirs, &salt_enc, &salt_auth).expect("saltAuth verifies");
        let salts = P::decrypt(&theirs, &salt_enc).unwrap();
        assert_eq!(&salts[..32], &[1; 32]);
        assert_eq!(&salts[32..], &[2; 32]);
        let protocol = get(4);
        assert_eq!(protocol.is_some(), P::VERSION != ProtocolOne::VERSION);
        // The authenticator's answer decrypts to the two outputs.
        let answer = P::encrypt(&theirs, &[[7u8; 32], [8u8; 32]].concat()).unwrap();
        let out = hmac_secret_output("t", &secret, &Value::Bytes(answer), 2).unwrap();
        assert_eq!(out.first.as_slice(), &[7; 32]);
        assert_eq!(
            out.second.as_deref().map(Vec::as_slice),
            Some(&[8u8; 32][..])
        );
    }
    check::<ProtocolOne>();
    check::<ProtocolTwo>();
}

#[test]
fn bad_salts_and_outputs_are_typed_errors() {
    let (secret, theirs) = agreed::<ProtocolTwo>();
    assert!(matches!(
        hmac_secret_input("t", &secret, &[1; 31], None),
        Err(ExtensionError::Malformed { .. })
    ));
    assert!(matches!(
        hmac_secret_input("t", &secret, &[1; 32], Some(&[0; 33])),
        Err(ExtensionError::Malformed { .. })
    ));
    let one = ProtocolTwo::encrypt(&theirs, &[0; 32]).unwrap();
    assert!(matches!(
        hmac_secret_output("t", &secret, &Value::Bytes(one), 2),
        Err(ExtensionError::InvalidOutput { .. })
    ));
    assert!(matches!(
        hmac_secret_output("t", &secret, &Value::Bool(true), 1),
        Err(ExtensionError::InvalidOutput { .. })
    ));
    assert!(matches!(
        hmac_secret_output("t", &secret, &Value::Bytes(vec![1; 5]), 1),
        Err(ExtensionError::InvalidOutput { .. })
    ));
}

#[test]
fn ctap_outputs_look_in_the_unsigned_outputs_too() {
    let mut signed = StrMap::new();
    signed.insert("a".to_owned(), Value::Bool(true));
    let mut unsigned = StrMap::new();
    unsigned.insert("b".to_owned(), Value::Bool(false));
    let outputs = CtapOutputs::new(&signed, Some(&unsigned), None, &[]);
    assert_eq!(outputs.get("a"), Some(&Value::Bool(true)));
    assert_eq!(outputs.get("b"), Some(&Value::Bool(false)));
    assert_eq!(outputs.get("c"), None);
}

#[test]
fn the_secret_is_not_printed() {
    let (secret, _) = agreed::<ProtocolOne>();
    let debug = format!("{secret:?}");
    assert!(debug.starts_with("ExtensionSecret") && !debug.contains("platform_key"));
}

#[test]
fn the_default_set_names_every_extension_once() {
    let names: Vec<String> = default_extensions()
        .iter()
        .map(|e| e.name().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "credProps",
            "prf",
            "hmac-secret",
            "credProtect",
            "credBlob",
            "largeBlob",
            "minPinLength",
            "thirdPartyPayment"
        ]
    );
}
