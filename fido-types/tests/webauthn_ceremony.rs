//! Closes the loop: a software key (ring) registers with a packed self attestation and then
//! authenticates; the responses go through their Level 3 JSON forms and are verified.

use fido_types::cose::{CoseAlgorithm, CoseError, CoseKey};
use fido_types::webauthn::*;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair};
use serde_json::Value;

const ORIGIN: &str = "https://example.com";

enum Signer {
    Es256(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

impl Signer {
    fn new_es256() -> Self {
        let rng = SystemRandom::new();
        let alg = &signature::ECDSA_P256_SHA256_ASN1_SIGNING;
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &rng).unwrap();
        Signer::Es256(EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng).unwrap())
    }

    fn new_ed25519() -> Self {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        Signer::Ed25519(Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap())
    }

    fn cose_key(&self) -> CoseKey {
        match self {
            Signer::Es256(k) => CoseKey::from_ctap1(k.public_key().as_ref()).unwrap(),
            Signer::Ed25519(k) => {
                // COSE_Key {1: 1 (OKP), 3: -8 (EdDSA), -1: 6 (Ed25519), -2: x}
                let mut cbor = hex::decode("a4010103272006215820").unwrap();
                cbor.extend_from_slice(k.public_key().as_ref());
                CoseKey::from_cbor(&cbor).unwrap()
            }
        }
    }

    fn alg(&self) -> CoseAlgorithm {
        match self {
            Signer::Es256(_) => CoseAlgorithm::ES256,
            Signer::Ed25519(_) => CoseAlgorithm::EDDSA,
        }
    }

    fn sign(&self, msg: &[u8]) -> Vec<u8> {
        match self {
            Signer::Es256(k) => k.sign(&SystemRandom::new(), msg).unwrap().as_ref().to_vec(),
            Signer::Ed25519(k) => k.sign(msg).as_ref().to_vec(),
        }
    }
}

fn rp_id_hash() -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, b"example.com").as_ref());
    out
}

fn register(signer: &Signer, credential_id: &[u8]) -> RegistrationResponse {
    let client_data = CollectedClientData::create(
        ClientDataType::CREATE.as_str(),
        b"registration challenge",
        ORIGIN,
        false,
        Default::default(),
    );
    let acd = AttestedCredentialData::new(
        "f8a011f3-8c0a-4d15-8006-17111f9edc7d".parse().unwrap(),
        credential_id.to_vec(),
        signer.cose_key(),
    )
    .unwrap();
    let auth_data = AuthenticatorData::new(
        rp_id_hash(),
        AuthDataFlags::USER_PRESENT | AuthDataFlags::USER_VERIFIED | AuthDataFlags::BACKUP_ELIGIBLE,
        0,
        Some(acd),
        None,
    )
    .unwrap();
    let sig = signer.sign(&auth_data.signed_message(&client_data.hash()));
    let att_stmt = AttestationStatement::packed(signer.alg(), sig, vec![]);
    let obj = AttestationObject::create("packed", auth_data, att_stmt);
    let response = AuthenticatorAttestationResponse::new(
        client_data,
        obj,
        vec![AuthenticatorTransport::USB, AuthenticatorTransport::NFC],
    )
    .unwrap();
    let mut outputs = AuthenticationExtensionsClientOutputs::default();
    outputs.cred_props = Some(CredentialPropertiesOutput::new(Some(true)));
    RegistrationResponse::new(
        credential_id.to_vec(),
        response,
        Some(AuthenticatorAttachment::CROSS_PLATFORM),
        outputs,
    )
}

fn authenticate(signer: &Signer, credential_id: &[u8], counter: u32) -> AuthenticationResponse {
    let client_data = CollectedClientData::create(
        ClientDataType::GET.as_str(),
        b"authentication challenge",
        ORIGIN,
        false,
        Default::default(),
    );
    let auth_data = AuthenticatorData::new(
        rp_id_hash(),
        AuthDataFlags::USER_PRESENT,
        counter,
        None,
        None,
    )
    .unwrap();
    let sig = signer.sign(&auth_data.signed_message(&client_data.hash()));
    let response =
        AuthenticatorAssertionResponse::new(client_data, auth_data, sig, Some(b"user-1".to_vec()));
    AuthenticationResponse::new(
        credential_id.to_vec(),
        response,
        None,
        AuthenticationExtensionsClientOutputs::default(),
    )
}

#[test]
fn register_then_authenticate_through_json() {
    for signer in [Signer::new_es256(), Signer::new_ed25519()] {
        let cred_id = b"\x01\x02credential-id\xff";
        let reg = register(&signer, cred_id);
        let json: Value = serde_json::from_str(&reg.to_json()).unwrap();

        // The RegistrationResponseJSON shape (§5.1.8).
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "authenticatorAttachment",
                "clientExtensionResults",
                "id",
                "rawId",
                "response",
                "type"
            ]
        );
        assert_eq!(json["id"], "AQJjcmVkZW50aWFsLWlk_w");
        assert_eq!(json["rawId"], json["id"]);
        assert_eq!(json["type"], "public-key");
        assert_eq!(json["authenticatorAttachment"], "cross-platform");
        assert_eq!(
            json["clientExtensionResults"],
            serde_json::json!({"credProps": {"rk": true}})
        );
        let r = &json["response"];
        let rkeys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            rkeys,
            [
                "attestationObject",
                "authenticatorData",
                "clientDataJSON",
                "publicKey",
                "publicKeyAlgorithm",
                "transports"
            ]
        );
        assert_eq!(r["publicKeyAlgorithm"], signer.alg().value());
        assert_eq!(r["transports"], serde_json::json!(["usb", "nfc"]));
        let spki = base64url::decode(r["publicKey"].as_str().unwrap()).unwrap();
        assert_eq!(
            CoseKey::from_spki_der(&spki, signer.alg()).unwrap(),
            signer.cose_key()
        );
        let auth_data = base64url::decode(r["authenticatorData"].as_str().unwrap()).unwrap();
        assert_eq!(auth_data, reg.response().authenticator_data().as_bytes());

        // The relying party reads it back and checks the self attestation.
        let parsed = RegistrationResponse::from_json(&reg.to_json()).unwrap();
        assert_eq!(parsed, reg);
        assert_eq!(
            parsed.response().verify_attestation_signature(),
            Ok(AttestationSigner::Credential)
        );
        let public_key = parsed.response().public_key().clone();

        // Then an assertion, through JSON, verified with the registered key.
        let auth = authenticate(&signer, cred_id, 1);
        let json = auth.to_json();
        let v: Value = serde_json::from_str(&json).unwrap();
        assert!(v.get("authenticatorAttachment").is_none());
        assert_eq!(v["response"]["userHandle"], "dXNlci0x");
        let parsed = AuthenticationResponse::from_json(&json).unwrap();
        assert_eq!(parsed, auth);
        parsed.response().verify(&public_key).unwrap();
        assert_eq!(parsed.response().authenticator_data().sign_count(), 1);

        // A signature from another key does not verify.
        let other = Signer::new_es256().cose_key();
        assert_eq!(
            parsed.response().verify(&other),
            Err(WebAuthnError::Cose(CoseError::InvalidSignature))
        );
    }
}

#[test]
fn self_attestation_with_wrong_alg_or_signature_fails() {
    let signer = Signer::new_es256();
    let reg = register(&signer, b"id");
    let obj = reg.response().attestation_object();
    let hash = reg.response().client_data().hash();
    let wrong_alg = AttestationObject::create(
        "packed",
        obj.auth_data().clone(),
        AttestationStatement::packed(
            CoseAlgorithm::RS256,
            obj.att_stmt().sig().unwrap().to_vec(),
            vec![],
        ),
    );
    assert!(matches!(
        wrong_alg.verify_signature(&hash),
        Err(WebAuthnError::InvalidField { field: "alg", .. })
    ));
    let bad_sig = AttestationObject::create(
        "packed",
        obj.auth_data().clone(),
        AttestationStatement::packed(CoseAlgorithm::ES256, signer.sign(b"other"), vec![]),
    );
    assert_eq!(
        bad_sig.verify_signature(&hash),
        Err(WebAuthnError::Cose(CoseError::InvalidSignature))
    );
}

fn edit(json: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(json).unwrap();
    f(&mut v);
    v.to_string()
}

#[test]
fn malformed_response_json_gives_typed_errors() {
    let signer = Signer::new_es256();
    let reg = register(&signer, b"id").to_json();
    let err = |json: String| {
        RegistrationResponse::from_json(&json)
            .unwrap_err()
            .to_string()
    };

    assert!(err(edit(&reg, |v| v["id"] = "b3RoZXI".into())).contains("rawId"));
    assert!(err(edit(&reg, |v| v["type"] = "password".into())).contains("public-key"));
    assert!(err(edit(&reg, |v| v["rawId"] = "not base64!".into())).contains("Invalid"));
    assert!(
        err(edit(&reg, |v| v["response"]["authenticatorData"] = "AAAA".into()))
            .contains("authenticatorData")
    );
    assert!(
        err(edit(&reg, |v| v["response"]["publicKeyAlgorithm"] =
            (-257).into()))
        .contains("publicKeyAlgorithm")
    );
    assert!(
        err(edit(&reg, |v| {
            v["response"]
                .as_object_mut()
                .unwrap()
                .remove("attestationObject");
        }))
        .contains("attestationObject")
    );

    // What a browser may add or vary is accepted: unknown transports and attachment values
    // are dropped, publicKey may be absent, extension outputs may be unknown.
    let lenient = edit(&reg, |v| {
        v["authenticatorAttachment"] = "future-attachment".into();
        v["response"]["transports"] = serde_json::json!(["hybrid", "quantum"]);
        v["response"].as_object_mut().unwrap().remove("publicKey");
        v["clientExtensionResults"] = serde_json::json!({"futureExt": 1});
    });
    let parsed = RegistrationResponse::from_json(&lenient).unwrap();
    assert_eq!(parsed.authenticator_attachment(), None);
    assert_eq!(
        parsed.response().transports(),
        [AuthenticatorTransport::HYBRID]
    );
    assert_eq!(parsed.client_extension_results().other["futureExt"], 1);

    // An assertion whose authenticatorData is truncated.
    let auth = authenticate(&signer, b"id", 3).to_json();
    let e = AuthenticationResponse::from_json(&edit(&auth, |v| {
        v["response"]["authenticatorData"] = "AAAA".into()
    }))
    .unwrap_err();
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn unknown_key_algorithm_omits_public_key() {
    // python-fido2 tests/test_cose.py test_unsupported_key: {1: 4711, 3: 4712, -1: b"123", -2: b"456"}
    let key = CoseKey::from_cbor(&hex::decode("a4011912670319126820433132332143343536").unwrap())
        .unwrap();
    let acd = AttestedCredentialData::new(Aaguid::NONE, b"id".to_vec(), key).unwrap();
    let ad = AuthenticatorData::new(
        rp_id_hash(),
        AuthDataFlags::USER_PRESENT,
        0,
        Some(acd),
        None,
    )
    .unwrap();
    let obj = AttestationObject::create("none", ad, AttestationStatement::none());
    let cd =
        CollectedClientData::create("webauthn.create", b"c", ORIGIN, false, Default::default());
    let resp = AuthenticatorAttestationResponse::new(cd, obj, vec![]).unwrap();
    let v = serde_json::to_value(&resp).unwrap();
    assert!(v.get("publicKey").is_none());
    assert_eq!(v["publicKeyAlgorithm"], 4712);
    assert_eq!(v["transports"], serde_json::json!([]));
    let back: AuthenticatorAttestationResponse = serde_json::from_value(v).unwrap();
    assert_eq!(back, resp);
    assert_eq!(
        back.verify_attestation_signature(),
        Ok(AttestationSigner::None)
    );
}

/// python-fido2 2.2.1's `RegistrationResponse` JSON and older browsers leave out the L3
/// members that repeat the attestation object; they are read from it. When present they
/// must agree with it.
#[test]
fn registration_json_without_repeated_members_is_derived_and_checked() {
    let signer = Signer::new_es256();
    let full = register(&signer, b"id");
    let reg = full.to_json();
    let omitted = edit(&reg, |v| {
        let r = v["response"].as_object_mut().unwrap();
        for k in [
            "authenticatorData",
            "publicKey",
            "publicKeyAlgorithm",
            "transports",
        ] {
            r.remove(k);
        }
    });
    let parsed = RegistrationResponse::from_json(&omitted).unwrap();
    assert_eq!(
        parsed.response().authenticator_data(),
        full.response().authenticator_data()
    );
    assert_eq!(
        parsed.response().public_key_algorithm(),
        full.response().public_key_algorithm()
    );
    assert_eq!(
        parsed.response().public_key_spki(),
        full.response().public_key_spki()
    );
    assert!(parsed.response().transports().is_empty());

    // A publicKey that is another key is refused.
    let other = Signer::new_es256();
    let other_spki = register(&other, b"id")
        .response()
        .public_key_spki()
        .unwrap();
    let bad = edit(&reg, |v| {
        v["response"]["publicKey"] = base64url::encode(&other_spki).into()
    });
    let e = RegistrationResponse::from_json(&bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("publicKey"), "{e}");
}
