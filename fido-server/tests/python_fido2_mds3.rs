//! python-fido2 2.2.1's MDS3 vectors (tests/test_mds3.py: the FIDO MDS3 specification's
//! example BLOB and its example root), run through fido-server's `MetadataBlob`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use fido_server::mds::MetadataBlob;
use fido_server::{MetadataError, TrustError};
use fido_types::webauthn::Aaguid;
use serde_json::Value;

/// 2026-01-01: inside the example certificates' validity (2021-04-19 to 2031-04-17).
const AT: i64 = 1_767_225_600;

fn vectors() -> (Vec<u8>, String) {
    let v: Value = serde_json::from_str(include_str!("python_fido2_mds3.json")).unwrap();
    (
        STANDARD.decode(v["ca_base64"].as_str().unwrap()).unwrap(),
        v["blob"].as_str().unwrap().to_owned(),
    )
}

const AAGUID: &str = "0132d110-bf4e-4208-a403-ab4f5f12efe5";

#[test]
fn parse_blob_and_find_by_aaguid() {
    let (ca, blob) = vectors();
    let data = MetadataBlob::verify(blob.as_bytes(), &ca, AT).unwrap();
    // test_parse_blob
    assert_eq!(data.no, 15);
    assert_eq!(data.entries.len(), 2);
    // test_find_by_aaguid
    let entry = data.entry_by_aaguid(&AAGUID.parse().unwrap()).unwrap();
    assert_eq!(
        entry
            .metadata_statement
            .as_ref()
            .unwrap()
            .description
            .as_deref(),
        Some("FIDO Alliance Sample FIDO2 Authenticator")
    );
    // test_find_by_aaguid_miss
    assert!(data.entry_by_aaguid(&Aaguid::new([1; 16])).is_none());
    // Its latest status is FIDO_CERTIFIED_L1: not refused; its root feeds the trust store.
    assert_eq!(
        entry.latest_status().unwrap().status.as_str(),
        "FIDO_CERTIFIED_L1"
    );
    assert!(entry.refusing_status().is_none());
    let store = data.trust_store();
    assert_eq!(store.roots_for("packed", &AAGUID.parse().unwrap()).len(), 1);
}

#[test]
fn blob_not_reaching_the_root_or_tampered_is_refused() {
    let (ca, blob) = vectors();
    // Another root: the chain does not reach it.
    let other_root = {
        let v: Value = serde_json::from_str(include_str!("python_fido2_attestation.json")).unwrap();
        let tpm = v["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["fmt"] == "tpm")
            .unwrap()["attestation_object"]
            .as_str()
            .unwrap()
            .to_owned();
        let object =
            fido_types::webauthn::AttestationObject::from_cbor(&hex::decode(tpm).unwrap()).unwrap();
        object.att_stmt().x5c().unwrap()[1].to_vec()
    };
    assert!(matches!(
        MetadataBlob::verify(blob.as_bytes(), &other_root, AT),
        Err(MetadataError::Chain(TrustError::ChainNotToRoot(_)))
    ));
    // One payload character changed: the signature no longer verifies.
    let parts: Vec<&str> = blob.split('.').collect();
    let mut payload = STANDARD
        .decode(
            parts[1].replace('-', "+").replace('_', "/")
                + &"=".repeat((4 - parts[1].len() % 4) % 4),
        )
        .unwrap();
    let i = payload.iter().position(|b| *b == b'5').unwrap();
    payload[i] = b'6';
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&payload),
        parts[2]
    );
    assert_eq!(
        MetadataBlob::verify(forged.as_bytes(), &ca, AT),
        Err(MetadataError::InvalidSignature)
    );
    // Not a JWT at all.
    assert!(matches!(
        MetadataBlob::verify(b"not a jwt", &ca, AT),
        Err(MetadataError::NotJwt(_))
    ));
}

#[test]
fn compromised_or_revoked_authenticators_are_refused() {
    let payload = |status: &str| {
        format!(
            r#"{{"no":1,"nextUpdate":"2030-01-01","entries":[{{"aaguid":"{AAGUID}",
            "statusReports":[{{"status":"FIDO_CERTIFIED","effectiveDate":"2020-01-01"}},
            {{"status":"{status}","effectiveDate":"2021-01-01"}}]}}]}}"#
        )
    };
    for status in [
        "ATTESTATION_KEY_COMPROMISE",
        "REVOKED",
        "USER_VERIFICATION_BYPASS",
    ] {
        let blob = MetadataBlob::from_payload(payload(status).as_bytes()).unwrap();
        let entry = &blob.entries[0];
        assert_eq!(entry.refusing_status().map(|s| s.as_str()), Some(status));
        let store = blob.trust_store();
        let attestation = fido_server::VerifiedAttestation {
            format: "packed".into(),
            attestation_type: fido_server::AttestationType::Basic,
            members: Vec::new(),
            trust_path: Vec::new(),
            aaguid: AAGUID.parse().unwrap(),
        };
        assert!(matches!(
            store.verify(&attestation, AT),
            Err(TrustError::StatusRefused { .. })
        ));
    }
    let fine = MetadataBlob::from_payload(payload("FIDO_CERTIFIED_L2").as_bytes()).unwrap();
    assert!(fine.entries[0].refusing_status().is_none());
}
