//! Each check of an answer against its request, passing and failing.

use fido_types::cose::CoseKey;
use fido_types::generated::AuthDataFlags;
use fido_types::webauthn::{Aaguid, AttestedCredentialData, AuthenticatorData};

use super::*;

const UP_UV: AuthDataFlags = AuthDataFlags(0x05);

fn data(rp_id: &str, flags: AuthDataFlags, with_credential: bool) -> AuthenticatorData {
    let acd = with_credential.then(|| {
        // An uncompressed P-256 point (the generator), as U2F carries keys.
        let point = hex::decode(
            "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296\
             4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
        )
        .unwrap();
        let key = CoseKey::from_ctap1(&point).unwrap();
        AttestedCredentialData::new(Aaguid::NONE, vec![7; 16], key).unwrap()
    });
    let flags = if with_credential {
        flags | AuthDataFlags::ATTESTED
    } else {
        flags
    };
    AuthenticatorData::new(rp_id_hash(rp_id), flags, 1, acd, None).unwrap()
}

#[test]
fn rp_id_hash_must_be_the_one_asked_for() {
    let expected = Expected::for_rp_id("example.com", false);
    assert_eq!(
        auth_data(&data("example.com", UP_UV, false), &expected),
        Ok(())
    );
    let err = auth_data(&data("evil.example", UP_UV, false), &expected).unwrap_err();
    assert!(matches!(err, Mismatch::RpIdHash { .. }), "{err:?}");
    // The U2F appid path: the hash of the AppID is expected instead.
    let appid = Expected {
        rp_id_hash: rp_id_hash("https://example.com/appid.json"),
        ..Expected::for_rp_id("example.com", false)
    };
    assert_eq!(
        auth_data(
            &data("https://example.com/appid.json", UP_UV, false),
            &appid
        ),
        Ok(())
    );
}

#[test]
fn presence_and_verification_flags_must_be_set_when_asked_for() {
    let up_only = data("example.com", AuthDataFlags::USER_PRESENT, false);
    let none = data("example.com", AuthDataFlags::EMPTY, false);
    assert_eq!(
        auth_data(&none, &Expected::for_rp_id("example.com", false)),
        Err(Mismatch::UserPresence)
    );
    assert_eq!(
        auth_data(&up_only, &Expected::for_rp_id("example.com", true)),
        Err(Mismatch::UserVerification)
    );
    assert_eq!(
        auth_data(&up_only, &Expected::for_rp_id("example.com", false)),
        Ok(())
    );
    let silent = Expected {
        user_presence: false,
        ..Expected::for_rp_id("example.com", false)
    };
    assert_eq!(auth_data(&none, &silent), Ok(()));
}

#[test]
fn a_registration_must_carry_a_credential() {
    let expected = Expected::for_rp_id("example.com", false);
    assert_eq!(
        registration(&data("example.com", UP_UV, true), &expected),
        Ok(())
    );
    assert_eq!(
        registration(&data("example.com", UP_UV, false), &expected),
        Err(Mismatch::NoAttestedCredential)
    );
}

#[test]
fn an_assertion_must_name_an_allowed_credential() {
    let expected = Expected::for_rp_id("example.com", false);
    let d = data("example.com", UP_UV, false);
    let allowed: [&[u8]; 2] = [&[1; 16], &[2; 16]];
    assert_eq!(
        assertion(&d, Some(&[2; 16]), Some(&allowed), &expected),
        Ok(())
    );
    assert_eq!(
        assertion(&d, Some(&[3; 16]), Some(&allowed), &expected),
        Err(Mismatch::CredentialNotAllowed(hex::encode([3; 16])))
    );
    assert_eq!(
        assertion(&d, None, Some(&allowed), &expected),
        Err(Mismatch::CredentialMissing)
    );
    // No allow list (discoverable credentials): any credential.
    assert_eq!(assertion(&d, Some(&[3; 16]), None, &expected), Ok(()));
}
