//! Published PIN/UV auth protocol vectors from other implementations, each with its source.
//!
//! - python-fido2 `tests/test_ctap2.py` (tag 2.2.1, `TestClientPin` and the constants
//!   above it): protocol one, a platform key agreement with a fixed ephemeral key, then
//!   getPinToken, setPIN and changePIN under the resulting shared secret.
//! - OpenSK `libraries/opensk/src/ctap/pin_protocol.rs` (commit 893faa51, its `test`
//!   module): MACs under a handshake of 32 × 0x55 and a token of 32 × 0x91.

use fido_types::pin_protocol::{
    KeyAgreementKey, Pin, PinProtocol, PinProtocolError, PinUvAuthToken, ProtocolOne, ProtocolTwo,
    SharedSecret,
};

/// Hex with whitespace allowed, so vectors can be laid out and annotated.
fn h(annotated: &str) -> Vec<u8> {
    let digits: String = annotated.split_whitespace().collect();
    hex::decode(digits).expect("test vector is valid hex")
}

fn h32(annotated: &str) -> [u8; 32] {
    h(annotated).try_into().expect("test vector is 32 bytes")
}

// python-fido2 tests/test_ctap2.py (2.2.1): EC_PRIV, EC_PUB_X/Y, DEV_PUB_X/Y, SHARED.
/// The platform's ephemeral private scalar (python-fido2 patches `generate_private_key`).
const EC_PRIV: &str = "7452e599fee739d8a653f6a507343d12 d382249108a651402520b72f24fe7684";
/// Its public key, sent as the platform's `keyAgreement`.
const EC_PUB_X: &str = "44d78d7989b97e62ea993496c9ef6e8f d58b8b00715f9a89153ddd9c4657e47f";
const EC_PUB_Y: &str = "ec802ee7d22bd4e100f12e48537eb4e7 e96ed3a47a0a3bd5f5eeab65001664f9";
/// The authenticator's key-agreement public key (getKeyAgreement's answer).
const DEV_PUB_X: &str = "0501d5bc78da9252560a26cb08fcc60c be0b6d3b8e1d1fcee514fac0af675168";
const DEV_PUB_Y: &str = "d551b3ed46f665731f95b4532939c25d 91db7eb844bd96d4abd4083785f8df47";
/// SHA-256(Z): the protocol-one shared secret.
const SHARED: &str = "c42a039d548100dfba521e487debcbbb 8b66bb7496f8b1862a7a395ed83e1a1c";

fn shared_v1() -> SharedSecret<ProtocolOne> {
    SharedSecret::from_bytes(&h(SHARED)).unwrap()
}

#[test]
fn python_fido2_encapsulate_with_fixed_ephemeral_key() {
    // ring draws the ephemeral scalar from the RNG; a fixed-output RNG makes it EC_PRIV.
    // ring's fixed RNGs are its own test helpers (deprecated for outside use, but the only
    // way to reach a `SecureRandom`, which is sealed).
    #[allow(deprecated)]
    let rng = ring::test::rand::FixedSliceRandom { bytes: &h(EC_PRIV) };
    let (platform, shared) =
        ProtocolOne::encapsulate_with_rng(&h32(DEV_PUB_X), &h32(DEV_PUB_Y), &rng).unwrap();
    assert_eq!(platform.x, h32(EC_PUB_X));
    assert_eq!(platform.y, h32(EC_PUB_Y));
    assert_eq!(shared.expose_secret(), h(SHARED));
}

#[test]
fn python_fido2_key_agreement_with_p256_key() {
    // The same exchange through the authenticator-side (p256) key type.
    let key = KeyAgreementKey::from_secret_bytes(&h32(EC_PRIV)).unwrap();
    assert_eq!(key.public_key().x, h32(EC_PUB_X));
    assert_eq!(key.public_key().y, h32(EC_PUB_Y));
    let shared = key
        .decapsulate::<ProtocolOne>(&h32(DEV_PUB_X), &h32(DEV_PUB_Y))
        .unwrap();
    assert_eq!(shared.expose_secret(), h(SHARED));
}

#[test]
fn python_fido2_get_pin_token() {
    // test_get_pin_token: pinHashEnc for "1234", then the token the mock returns.
    let shared = shared_v1();
    let pin = Pin::new("1234").unwrap();
    let pin_hash_enc = ProtocolOne::encrypt(&shared, pin.pin_hash().as_slice()).unwrap();
    assert_eq!(pin_hash_enc, h("afe8327ce416da8ee3d057589c2ce1a9")); // PIN_HASH_ENC
    let token = ProtocolOne::decrypt_token(&shared, &h("7a9f98e31b77be90f9c64d12e9635040")) // TOKEN_ENC
        .unwrap();
    assert_eq!(token.expose_secret(), h("aff12c6dcfbf9df52f7a09211e8865cd")); // TOKEN
}

#[test]
fn python_fido2_set_pin() {
    // test_set_pin: setPIN("1234") sends newPinEnc and pinUvAuthParam.
    let shared = shared_v1();
    let pin = Pin::new("1234").unwrap();
    let new_pin_enc = ProtocolOne::encrypt(&shared, pin.padded().as_slice()).unwrap();
    assert_eq!(
        new_pin_enc,
        h(
            "0222fc42c6dd76a274a7057858b9b29d 98e8a722ec2dc6668476168c5320473c
           ec9907b4cd76ce7943c96ba568394321 1d84471e64d9c51e54763488cd66526a"
        )
    );
    let pin_uv_auth_param = ProtocolOne::authenticate(&shared, &new_pin_enc);
    assert_eq!(pin_uv_auth_param, h("7b40c084ccc5794194189ab57836475f"));
    ProtocolOne::verify(&shared, &new_pin_enc, &pin_uv_auth_param).unwrap();
}

#[test]
fn python_fido2_change_pin() {
    // test_change_pin: changePIN("1234" -> "4321"); the MAC covers newPinEnc ‖ pinHashEnc.
    let shared = shared_v1();
    let old = Pin::new("1234").unwrap();
    let new = Pin::new("4321").unwrap();
    let pin_hash_enc = ProtocolOne::encrypt(&shared, old.pin_hash().as_slice()).unwrap();
    let new_pin_enc = ProtocolOne::encrypt(&shared, new.padded().as_slice()).unwrap();
    assert_eq!(pin_hash_enc, h("afe8327ce416da8ee3d057589c2ce1a9"));
    assert_eq!(
        new_pin_enc,
        h(
            "4280e14aac4fcbf02dd079985f0c0ffc 9ea7d5f9c173fd1a4c843826f7590cb3
           c2d080c6923e2fe6d7a52c31ea1309d3 fcca3dedae8a2ef14b6330cafc79339e"
        )
    );
    let message = [new_pin_enc.as_slice(), pin_hash_enc.as_slice()].concat();
    assert_eq!(
        ProtocolOne::authenticate(&shared, &message),
        h("fb97e92f3724d7c85e001d7f93e6490a")
    );
}

#[test]
fn python_fido2_authenticator_side_of_set_pin() {
    // What an authenticator does with test_set_pin's message: check, decrypt, unpad.
    let shared = shared_v1();
    let new_pin_enc = h(
        "0222fc42c6dd76a274a7057858b9b29d 98e8a722ec2dc6668476168c5320473c
                         ec9907b4cd76ce7943c96ba568394321 1d84471e64d9c51e54763488cd66526a",
    );
    ProtocolOne::verify(
        &shared,
        &new_pin_enc,
        &h("7b40c084ccc5794194189ab57836475f"),
    )
    .unwrap();
    let padded = ProtocolOne::decrypt(&shared, &new_pin_enc).unwrap();
    assert_eq!(
        Pin::from_padded(&padded, 4).unwrap().expose_secret(),
        "1234"
    );
}

#[test]
fn opensk_shared_secret_macs() {
    // test_shared_secret_v1_verify: SharedSecretV1::new(32 × 55), message [aa].
    let v1 = ProtocolOne::kdf(&[0x55; 32]);
    let mac_v1 = h("8b60157df344822e54347a01fb0248a6");
    assert_eq!(ProtocolOne::authenticate(&v1, &[0xaa]), mac_v1);
    ProtocolOne::verify(&v1, &[0xaa], &mac_v1).unwrap();
    assert_eq!(
        ProtocolOne::verify(&v1, &[0xbb], &mac_v1),
        Err(PinProtocolError::SignatureMismatch)
    );
    assert_eq!(
        ProtocolOne::verify(&v1, &[0xaa], &[0x12; 16]),
        Err(PinProtocolError::SignatureMismatch)
    );

    // test_shared_secret_v2_verify: SharedSecretV2::new(32 × 55), message [aa].
    let v2 = ProtocolTwo::kdf(&[0x55; 32]);
    let mac_v2 = h("c03f2a225cc34e05c10e729c8dd57de5 989c6815ece23a95d590e1e93ff01aaf");
    assert_eq!(ProtocolTwo::authenticate(&v2, &[0xaa]), mac_v2);
    ProtocolTwo::verify(&v2, &[0xaa], &mac_v2).unwrap();
    assert_eq!(
        ProtocolTwo::verify(&v2, &[0xbb], &mac_v2),
        Err(PinProtocolError::SignatureMismatch)
    );
}

#[test]
fn opensk_token_macs() {
    // test_verify_pin_uv_auth_token_v1 / _v2: token 32 × 91, message [aa]; protocol one
    // keeps the first 16 bytes of the same HMAC.
    let full = h("9c1cfe9dd7646a06b9a80f96ad504968 949020530fa3d27a9ffdfa623693f784");
    let v1 = PinUvAuthToken::<ProtocolOne>::from_bytes(&[0x91; 32]).unwrap();
    let v2 = PinUvAuthToken::<ProtocolTwo>::from_bytes(&[0x91; 32]).unwrap();
    assert_eq!(ProtocolOne::authenticate(&v1, &[0xaa]), full[..16]);
    assert_eq!(ProtocolTwo::authenticate(&v2, &[0xaa]), full);
    ProtocolOne::verify(&v1, &[0xaa], &full[..16]).unwrap();
    ProtocolTwo::verify(&v2, &[0xaa], &full).unwrap();
    // A full-length MAC is not a protocol-one pinUvAuthParam.
    assert_eq!(
        ProtocolOne::verify(&v1, &[0xaa], &full),
        Err(PinProtocolError::SignatureLength {
            protocol: ProtocolOne::VERSION,
            expected: 16,
            actual: 32
        })
    );
}
