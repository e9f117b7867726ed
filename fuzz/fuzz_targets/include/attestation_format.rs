// Shared by the attestation_* fuzz targets (each `include!`s it with its format): the
// input is an attestation statement's CBOR, put with fixed authenticator data (an ES256
// credential) into an attestation object of that format, and verified by fido-server.
// Verification may fail; it must not panic.

use fido_server::attestation;
use fido_types::cose::{CoseAlgorithm, CoseKey, Ec2Key};
use fido_types::webauthn::{
    Aaguid, AttestationObject, AttestationStatement, AttestedCredentialData, AuthDataFlags,
    AuthenticatorData,
};

fn auth_data() -> AuthenticatorData {
    // The P-256 generator point: a valid public key.
    let x = hex_32("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
    let y = hex_32("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
    let key = CoseKey::Ec2(Ec2Key::new(CoseAlgorithm::ES256, &x, &y).expect("key"));
    let acd = AttestedCredentialData::new(Aaguid::new([7; 16]), vec![1; 16], key).expect("acd");
    AuthenticatorData::new([9; 32], AuthDataFlags::USER_PRESENT, 1, Some(acd), None)
        .expect("auth data")
}

fn hex_32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}

fn run(format: &str, data: &[u8]) {
    let Ok(stmt) = AttestationStatement::from_cbor(data) else {
        return;
    };
    let object = AttestationObject::create(format, auth_data(), stmt);
    let _ = attestation::verify(&object, &[3u8; 32]);
}
