//! python-fido2 2.2.1's own attestation and server test vectors, run through fido-server.
//!
//! `python_fido2_attestation.json` holds every `verify()` call of python-fido2 2.2.1's
//! `tests/test_attestation.py` (github.com/Yubico/python-fido2, tag 2.2.1): the
//! statement, authenticator data and client data hash (re-encoded as one attestation
//! object) and what python-fido2 concluded: an attestation type, or the exception raised.
//! The vectors were captured by running that test module with `verify` wrapped.

use fido_server::attestation::{self, AttestationType};
use fido_server::{
    AttestationError, AuthenticationState, CredentialError, Error, Fido2Server, StoredCredential,
};
use fido_types::webauthn::{
    AttestationObject, AttestedCredentialData, AuthenticationResponse,
    AuthenticatorAssertionResponse, AuthenticatorData, CollectedClientData, PublicKeyCredential,
    UserVerificationRequirement,
};
use serde_json::Value;

/// Formats whose verification procedure fido-server implements.
const IMPLEMENTED: &[&str] = &[
    "none",
    "packed",
    "fido-u2f",
    "apple",
    "tpm",
    "android-safetynet",
];

fn python_type(t: AttestationType) -> &'static str {
    match t {
        AttestationType::None => "NONE",
        AttestationType::SelfAttestation => "SELF",
        AttestationType::Basic => "BASIC",
        AttestationType::AttCa => "ATT_CA",
        AttestationType::AnonCa => "ANON_CA",
        _ => "?",
    }
}

#[test]
fn python_fido2_attestation_vectors() {
    let doc: Value = serde_json::from_str(include_str!("python_fido2_attestation.json")).unwrap();
    let mut checked = 0;
    for (i, v) in doc["vectors"].as_array().unwrap().iter().enumerate() {
        let fmt = v["fmt"].as_str().unwrap();
        if !IMPLEMENTED.contains(&fmt) {
            continue;
        }
        let object = AttestationObject::from_cbor(
            &hex::decode(v["attestation_object"].as_str().unwrap()).unwrap(),
        )
        .unwrap();
        // python's `none` tests pass b"deadbeef" * 8 (64 bytes) where a SHA-256 belongs;
        // `none` signs nothing, so those read as the zero hash.
        let hash: [u8; 32] = hex::decode(v["client_data_hash"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap_or_else(|_| {
                assert_eq!(fmt, "none", "vector {i}");
                [0; 32]
            });
        let expected = v["expected"].as_str().unwrap();
        let outcome = attestation::verify(&object, &hash);
        match expected.strip_prefix("error:") {
            Some("InvalidSignature") => assert_eq!(
                outcome,
                Err(AttestationError::InvalidSignature {
                    format: if fmt == "packed" {
                        "packed"
                    } else {
                        "fido-u2f"
                    }
                }),
                "vector {i} ({fmt})"
            ),
            Some("InvalidData") => assert!(
                matches!(outcome, Err(AttestationError::Malformed { .. })),
                "vector {i} ({fmt}): {outcome:?}"
            ),
            Some(other) => panic!("vector {i}: unexpected python outcome {other}"),
            None => {
                let verified = outcome.unwrap_or_else(|e| panic!("vector {i} ({fmt}): {e}"));
                assert_eq!(
                    python_type(verified.attestation_type),
                    expected,
                    "vector {i}"
                );
                assert_eq!(
                    Some(verified.trust_path.len() as u64),
                    v["trust_path_len"].as_u64(),
                    "vector {i}"
                );
            }
        }
        checked += 1;
    }
    // none ×4, packed ×2 + ML-DSA-87, fido-u2f ×2, apple, tpm (Windows Hello),
    // android-safetynet: all of them.
    assert_eq!(checked, doc["vectors"].as_array().unwrap().len());
    assert_eq!(checked, 12);
}

/// python-fido2 2.2.1 tests/test_ctap2.py `_ATT_CRED_DATA` and `_CRED_ID`.
const ATT_CRED_DATA: &str = "f8a011f38c0a4d15800617111f9edc7d0040fe3aac036d14c1e1c65518b698dd1da8f596bc33e11072813466c6bf3845691509b80fb76d59309b8d39e0a93452688f6ca3a39a76f3fc52744fb73948b15783a5010203262001215820643566c206dd00227005fa5de69320616ca268043a38f08bde2e9dc45a5cafaf225820171353b2932434703726aae579fa6542432861fe591e481ea22d63997e1a5290";

/// python-fido2 2.2.1 tests/test_server.py `test_authenticate_complete_invalid_signature`:
/// authenticator data for example.com (`_AUTH_DATA`, whose RP ID hash is
/// `test_id_hash`'s), challenge "GAZPACHO!", origin https://example.com, signature
/// "INVALID": the signature step refuses it.
#[test]
fn python_fido2_server_invalid_signature() {
    let auth_data = AuthenticatorData::from_bytes(
        &hex::decode("A379A6F6EEAFB9A55E378C118034E2751E682FAB9F2D30AB13D2125586CE1947010000001D")
            .unwrap(),
    )
    .unwrap();
    // The authenticator data with its attested credential data appended (AT flag set),
    // to read python-fido2's AttestedCredentialData through our parser.
    let mut with_acd =
        hex::decode("A379A6F6EEAFB9A55E378C118034E2751E682FAB9F2D30AB13D2125586CE1947410000001D")
            .unwrap();
    with_acd.extend(hex::decode(ATT_CRED_DATA).unwrap());
    let with_acd = AuthenticatorData::from_bytes(&with_acd).unwrap();
    let acd: &AttestedCredentialData = with_acd.attested_credential_data().unwrap();

    let client_data = CollectedClientData::create(
        "webauthn.get",
        b"GAZPACHO!",
        "https://example.com",
        false,
        serde_json::Map::new(),
    );
    let response: AuthenticationResponse = PublicKeyCredential::new(
        acd.credential_id().to_vec(),
        AuthenticatorAssertionResponse::new(client_data, auth_data, b"INVALID".to_vec(), None),
        None,
        Default::default(),
    );
    let server = Fido2Server::new("example.com", "Example", vec!["https://example.com".into()]);
    let stored = StoredCredential::new(acd.credential_id().to_vec(), acd.public_key().clone());
    // python's state has no allow list; ours then wants a user handle, so allow the ID.
    let state = AuthenticationState::new(
        b"GAZPACHO!".to_vec(),
        UserVerificationRequirement::PREFERRED,
        vec![acd.credential_id().to_vec()],
    );
    assert_eq!(
        server.authenticate_complete(&state, &[stored], &response),
        Err(Error::Credential(CredentialError::InvalidSignature))
    );
}

/// The certificates of one vector's `x5c`.
fn x5c_of(fmt: &str) -> Vec<Vec<u8>> {
    let doc: Value = serde_json::from_str(include_str!("python_fido2_attestation.json")).unwrap();
    let v = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| {
            v["fmt"] == fmt
                && v["expected"]
                    .as_str()
                    .is_some_and(|e| !e.starts_with("error"))
        })
        .unwrap();
    let object = AttestationObject::from_cbor(
        &hex::decode(v["attestation_object"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    object
        .att_stmt()
        .x5c()
        .unwrap()
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect()
}

/// python-fido2's tpm test checks the AIK certificate chains to its issuer
/// (`verify_x509_chain(res.trust_path)`): so does ours, with the issuer as the root, and
/// another vendor's certificate is no root for it.
#[test]
fn python_fido2_tpm_trust_path_chains() {
    use fido_server::TrustError;
    use fido_server::trust::verify_chain;
    let tpm = x5c_of("tpm");
    // 2026-01-01, inside both certificates' validity.
    let at = 1_767_225_600;
    assert_eq!(verify_chain(&[&tpm[0]], &[&tpm[1]], at), Ok(()));
    let u2f = x5c_of("fido-u2f");
    assert!(matches!(
        verify_chain(&[&tpm[0]], &[&u2f[0]], at),
        Err(TrustError::ChainNotToRoot(_))
    ));
    // Before the AIK certificate's notBefore (2019-04-01).
    assert!(matches!(
        verify_chain(&[&tpm[0]], &[&tpm[1]], 1_500_000_000),
        Err(TrustError::Certificate { index: 0, .. })
    ));
}
