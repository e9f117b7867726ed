//! Cross-checks with the independent client-side model in `fido_types::webauthn` and
//! `fido_types::cose`: attestation objects (packed self, packed with x5c, none, fido-u2f)
//! parse and verify, and assertions verify with the attested COSE key, for ES256 and EdDSA.

mod support;

use fido_authenticator::presence::NoTransport;
use fido_authenticator::{Attestation, Authenticator, Config};
use fido_types::cbor::{self, Value};
use fido_types::status::CtapStatus;
use fido_types::webauthn::{AttestationObject, AttestationSigner, AuthenticatorData};
use support::*;

fn make(auth: &mut Authenticator, alg: i128, extra: Vec<(Value, Value)>) -> Vec<u8> {
    let mut req = make_credential_request("example.com", b"u", false, extra);
    if let Value::Map(m) = &mut req {
        m.insert(
            int(4),
            Value::Array(vec![map(vec![
                (text("alg"), int(alg)),
                (text("type"), text("public-key")),
            ])]),
        );
    }
    let mut raw = vec![0x01];
    raw.extend(cbor::to_vec(&req).unwrap());
    let response = auth.handle(&raw, &mut NoTransport);
    assert_eq!(CtapStatus(response[0]), CtapStatus::SUCCESS);
    response[1..].to_vec()
}

fn with(attestation: Attestation) -> Authenticator {
    Authenticator::new(Config {
        seed: Some(9),
        attestation,
        ..Config::default()
    })
    .unwrap()
}

#[test]
fn attestation_objects_verify() {
    let cdh = [7u8; 32];
    let cases = [
        (
            Attestation::SelfAttestation,
            -7,
            AttestationSigner::Credential,
        ),
        (
            Attestation::SelfAttestation,
            -8,
            AttestationSigner::Credential,
        ),
        (Attestation::Basic, -7, AttestationSigner::Certificate),
        (Attestation::Basic, -8, AttestationSigner::Certificate),
        (Attestation::None, -7, AttestationSigner::None),
    ];
    for (attestation, alg, signer) in cases {
        let mut auth = with(attestation.clone());
        let body = make(&mut auth, alg, vec![]);
        let object = AttestationObject::from_ctap2_response(&body).unwrap();
        assert_eq!(
            object.verify_signature(&cdh).unwrap(),
            signer,
            "{attestation:?} alg {alg}"
        );
        let acd = object.auth_data().attested_credential_data().unwrap();
        assert_eq!(acd.aaguid().as_bytes(), &fido_authenticator::AAGUID);
    }
}

#[test]
fn assertions_verify_with_the_attested_key() {
    for alg in [-7, -8] {
        let mut auth = with(Attestation::SelfAttestation);
        let body = make(&mut auth, alg, vec![]);
        let object = AttestationObject::from_ctap2_response(&body).unwrap();
        let acd = object
            .auth_data()
            .attested_credential_data()
            .unwrap()
            .clone();
        let req = map(vec![
            (int(1), text("example.com")),
            (int(2), bytes(&[9; 32])),
            (
                int(3),
                Value::Array(vec![map(vec![
                    (text("id"), bytes(acd.credential_id())),
                    (text("type"), text("public-key")),
                ])]),
            ),
        ]);
        let (s, response) = call(&mut auth, 0x02, Some(&req));
        assert_eq!(s, CtapStatus::SUCCESS);
        let data = AuthenticatorData::from_bytes(&get_bytes(&response, 2)).unwrap();
        assert!(data.sign_count() > object.auth_data().sign_count());
        data.verify_signature(&[9; 32], &get_bytes(&response, 3), acd.public_key())
            .unwrap();
        // A different client data hash does not verify.
        assert!(
            data.verify_signature(&[8; 32], &get_bytes(&response, 3), acd.public_key())
                .is_err()
        );
    }
}

#[test]
fn u2f_registration_is_a_verifiable_fido_u2f_attestation() {
    let mut auth = authenticator();
    let (challenge, app) = ([1u8; 32], sha256(b"example.com"));
    let mut apdu = vec![0, 1, 0, 0, 0, 0, 64];
    apdu.extend_from_slice(&challenge);
    apdu.extend_from_slice(&app);
    apdu.extend_from_slice(&[0, 0]);
    let response = auth.handle_apdu(&apdu, &mut NoTransport);
    assert_eq!(&response[response.len() - 2..], &[0x90, 0x00]);
    let app: [u8; 32] = app.try_into().unwrap();
    let object = AttestationObject::from_ctap1(&app, &response[..response.len() - 2]).unwrap();
    // fido-u2f signs over the challenge parameter as the client data hash.
    assert_eq!(
        object.verify_signature(&challenge).unwrap(),
        AttestationSigner::Certificate
    );
}
