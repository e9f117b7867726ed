//! The `none` conveyance rule on hand-built attestation objects.

use fido_types::cose::{CoseAlgorithm, CoseKey};
use fido_types::webauthn::{
    Aaguid, AttestationConveyancePreference as Pref, AttestationObject, AttestationStatement,
    AttestedCredentialData, AuthDataFlags, AuthenticatorData,
};

use super::{convey, is_self_attestation};

/// The P-256 base point G, uncompressed (SEC 2 §2.4.2): a valid public key.
const G: &str = "04\
6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296\
4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";

fn object(aaguid: [u8; 16], fmt: &str, stmt: AttestationStatement) -> AttestationObject {
    let key = CoseKey::from_ctap1(&hex::decode(G).unwrap()).unwrap();
    let acd = AttestedCredentialData::new(Aaguid::new(aaguid), vec![7; 16], key).unwrap();
    let auth_data = AuthenticatorData::new(
        [1; 32],
        AuthDataFlags::USER_PRESENT | AuthDataFlags::ATTESTED,
        0,
        Some(acd),
        None,
    )
    .unwrap();
    AttestationObject::create(fmt, auth_data, stmt)
}

fn self_packed(aaguid: [u8; 16]) -> AttestationObject {
    object(
        aaguid,
        "packed",
        AttestationStatement::packed(CoseAlgorithm::ES256, vec![0x30; 8], Vec::new()),
    )
}

fn basic_packed() -> AttestationObject {
    object(
        [0x11; 16],
        "packed",
        AttestationStatement::packed(CoseAlgorithm::ES256, vec![0x30; 8], vec![vec![0x30; 4]]),
    )
}

#[test]
fn self_attestation_needs_zero_aaguid_packed_and_no_x5c() {
    assert!(is_self_attestation(&self_packed([0; 16])));
    assert!(!is_self_attestation(&self_packed([0x11; 16])));
    assert!(!is_self_attestation(&basic_packed()));
    let u2f = object(
        [0; 16],
        "fido-u2f",
        AttestationStatement::fido_u2f(vec![0x30; 8], vec![0x30; 4]),
    );
    assert!(!is_self_attestation(&u2f));
}

#[test]
fn none_strips_everything_but_a_self_attestation() {
    // (preference, object, stripped?)
    let cases: [(Option<Pref>, AttestationObject, bool); 7] = [
        (None, basic_packed(), true),
        (Some(Pref::NONE), basic_packed(), true),
        (Some(Pref::NONE), self_packed([0x11; 16]), true),
        (Some(Pref::NONE), self_packed([0; 16]), false),
        (Some(Pref::DIRECT), basic_packed(), false),
        (Some(Pref::INDIRECT), basic_packed(), false),
        (Some(Pref::ENTERPRISE), basic_packed(), false),
    ];
    for (i, (preference, original, stripped)) in cases.into_iter().enumerate() {
        let conveyed = convey(preference, original.clone());
        if stripped {
            assert_eq!(conveyed.fmt(), "none", "case {i}");
            assert!(conveyed.att_stmt().is_empty(), "case {i}");
            // L3 keeps the authenticator data (and its AAGUID) byte for byte.
            assert_eq!(
                conveyed.auth_data().as_bytes(),
                original.auth_data().as_bytes(),
                "case {i}"
            );
            // Canonical CBOR: {"fmt": "none", "attStmt": {}, "authData": ...}.
            assert!(
                conveyed
                    .as_bytes()
                    .starts_with(&hex::decode("a363666d74646e6f6e656761747453746d74a0").unwrap()),
                "case {i}"
            );
        } else {
            assert_eq!(conveyed, original, "case {i}");
        }
    }
}
