//! The PIN/UV session against the scripted fake authenticator (tests/fake_ctap): PIN
//! setting and changing, token acquisition with typed permissions under both protocols,
//! the legacy getPinToken path, UV tokens, the run-time-checked escape hatch, and each
//! PIN/UV error a caller acts on.

mod fake_ctap;

use std::sync::{Arc, Mutex};

use fake_ctap::FakeAuthenticator;
use fido_ctap::ctap2::{Ctap2, pin_protocols};
use fido_ctap::error::{Error, PermissionError, PinUvError};
use fido_ctap::perms;
use fido_ctap::pin::{DynPermissions, PermissionSet, PinRetries, Session};
use fido_types::cbor::Value;
use fido_types::generated::ConfigSubCommand;
use fido_types::pin_protocol::{
    Pin, PinError, PinProtocol, PinUvAuthProtocol, ProtocolOne, ProtocolTwo,
};

type Shared = Arc<Mutex<FakeAuthenticator>>;

fn session<P: PinProtocol>(fake: &Shared) -> Session<Box<dyn fido_ctap::device::CtapDevice>, P> {
    let device: Box<dyn fido_ctap::device::CtapDevice> = Box::new(fake_ctap::device(fake));
    Session::new(Ctap2::new(device).unwrap()).unwrap()
}

fn pin(s: &str) -> Pin {
    Pin::new(s).unwrap()
}

fn last_request(fake: &Shared) -> std::collections::BTreeMap<Value, Value> {
    fake.lock()
        .unwrap()
        .client_pin_requests
        .last()
        .unwrap()
        .clone()
}

fn key(map: &std::collections::BTreeMap<Value, Value>, k: i128) -> Option<&Value> {
    map.get(&Value::Integer(k))
}

#[test]
fn set_pin_then_token_then_metadata_protocol_two() {
    let fake = FakeAuthenticator::default().into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    session.set_pin(&pin("123456")).unwrap();
    assert_eq!(
        fake.lock().unwrap().pin_hash,
        Some(fake_ctap::pin_hash("123456"))
    );

    let mut token = session
        .pin_token::<perms![CredentialManagement, LargeBlobWrite]>(&pin("123456"))
        .unwrap();
    // The bits sent are the type's bits.
    let request = last_request(&fake);
    assert_eq!(key(&request, 2), Some(&Value::Integer(0x09)));
    assert_eq!(key(&request, 9), Some(&Value::Integer(0x14)));
    assert_eq!(key(&request, 10), None);
    assert_eq!(key(&request, 1), Some(&Value::Integer(2)));

    let metadata = token.credentials_metadata().unwrap();
    assert_eq!((metadata.existing, metadata.max_remaining), (3, 22));
    assert_eq!(token.permissions().bits(), 0x14);
    let debug = format!("{token:?}");
    assert!(
        debug.contains("CredentialManagement") && debug.contains("LargeBlobWrite"),
        "{debug}"
    );
    let secret = hex::encode(fake.lock().unwrap().token.unwrap());
    assert!(!debug.to_lowercase().contains(&secret[..16]));
}

#[test]
fn protocol_one_session_speaks_protocol_one() {
    let fake = FakeAuthenticator::with_pin("1234").into_shared();
    let mut session = session::<ProtocolOne>(&fake);
    let mut token = session
        .pin_token::<perms![AuthenticatorConfig]>(&pin("1234"))
        .unwrap();
    assert_eq!(key(&last_request(&fake), 1), Some(&Value::Integer(1)));
    token.toggle_always_uv().unwrap();
    assert!(fake.lock().unwrap().always_uv);
    // A protocol-1 MAC is 16 bytes, protocol 2's 32.
    assert_eq!(
        token
            .config_auth(ConfigSubCommand::TOGGLE_ALWAYS_UV, None)
            .unwrap()
            .as_bytes()
            .len(),
        16
    );
    assert_eq!(
        token
            .config_auth(ConfigSubCommand::TOGGLE_ALWAYS_UV, None)
            .unwrap()
            .protocol(),
        PinUvAuthProtocol::ONE
    );
}

#[test]
fn session_refuses_a_protocol_the_authenticator_lacks() {
    let fake = FakeAuthenticator {
        protocols: vec![1],
        ..FakeAuthenticator::default()
    }
    .into_shared();
    let device: Box<dyn fido_ctap::device::CtapDevice> = Box::new(fake_ctap::device(&fake));
    let refused = Session::<_, ProtocolTwo>::new(Ctap2::new(device).unwrap()).unwrap_err();
    // The authenticator comes back with the refusal.
    assert_eq!(pin_protocols(refused.ctap.info()), [PinUvAuthProtocol::ONE]);
    let err = refused.error;
    assert!(
        matches!(err, Error::PinUv(PinUvError::NoSupportedProtocol { ref offered }) if offered == &[PinUvAuthProtocol::ONE])
    );
}

#[test]
fn mc_and_ga_tokens_carry_their_rp_id() {
    let fake = FakeAuthenticator::with_pin("1234").into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    let token = session
        .pin_token_for_rp::<perms![GetAssertion, MakeCredential]>(&pin("1234"), "example.com")
        .unwrap();
    let request = last_request(&fake);
    assert_eq!(key(&request, 9), Some(&Value::Integer(0x03)));
    assert_eq!(key(&request, 10), Some(&Value::Text("example.com".into())));
    assert_eq!(token.rp_id(), Some("example.com"));

    let hash = [0x11; 32];
    let param = token.make_credential_auth("example.com", &hash).unwrap();
    // pinUvAuthParam = HMAC-SHA-256(token, clientDataHash), full length for protocol two.
    let expected = ProtocolTwo::authenticate(
        &fido_types::pin_protocol::PinUvAuthToken::<ProtocolTwo>::from_bytes(
            &fake.lock().unwrap().token.unwrap(),
        )
        .unwrap(),
        &hash,
    );
    assert_eq!(param.as_bytes(), expected);
    assert_eq!(
        token.get_assertion_auth("example.com", &hash).unwrap(),
        param
    );
    assert!(matches!(
        token.get_assertion_auth("evil.example", &hash).unwrap_err(),
        Error::Permission(PermissionError::RpIdMismatch { .. })
    ));
}

#[test]
fn legacy_authenticators_get_the_getpintoken_subcommand() {
    let fake = FakeAuthenticator {
        token_support: false,
        versions: vec!["FIDO_2_0"],
        protocols: vec![1],
        ..FakeAuthenticator::with_pin("1234")
    }
    .into_shared();
    let mut session = session::<ProtocolOne>(&fake);
    let token = session
        .pin_token_for_rp::<perms![MakeCredential]>(&pin("1234"), "example.com")
        .unwrap();
    let request = last_request(&fake);
    assert_eq!(key(&request, 2), Some(&Value::Integer(0x05)));
    assert_eq!(key(&request, 9), None, "no permissions on getPinToken");
    assert_eq!(key(&request, 10), None);
    assert_eq!(
        token
            .make_credential_auth("example.com", &[0; 32])
            .unwrap()
            .as_bytes()
            .len(),
        16
    );
}

#[test]
fn wrong_pin_reports_retries_then_auth_blocked_then_blocked() {
    let fake = FakeAuthenticator::with_pin("1234").into_shared();
    fake.lock().unwrap().pin_retries = 4;
    let mut session = session::<ProtocolTwo>(&fake);
    let wrong = pin("0000");
    for left in [3, 2] {
        match session
            .pin_token::<perms![CredentialManagement]>(&wrong)
            .unwrap_err()
        {
            Error::PinUv(PinUvError::PinInvalid { retries }) => assert_eq!(retries, Some(left)),
            other => panic!("{other:?}"),
        }
    }
    // Third wrong PIN in a row: the authenticator wants a power cycle.
    assert!(matches!(
        session
            .pin_token::<perms![CredentialManagement]>(&wrong)
            .unwrap_err(),
        Error::PinUv(PinUvError::PinAuthBlocked)
    ));
    assert_eq!(
        session.get_pin_retries().unwrap(),
        PinRetries {
            retries: 1,
            power_cycle_needed: Some(true)
        }
    );
    // Even the right PIN is refused until then.
    assert!(matches!(
        session
            .pin_token::<perms![CredentialManagement]>(&pin("1234"))
            .unwrap_err(),
        Error::PinUv(PinUvError::PinAuthBlocked)
    ));
    // "Power cycle", then the last wrong attempt blocks the PIN.
    fake.lock().unwrap().consecutive_failures = 0;
    assert!(matches!(
        session
            .pin_token::<perms![CredentialManagement]>(&wrong)
            .unwrap_err(),
        Error::PinUv(PinUvError::PinBlocked)
    ));
    assert_eq!(session.get_pin_retries().unwrap().retries, 0);
}

#[test]
fn pin_not_set() {
    let fake = FakeAuthenticator::default().into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    assert!(matches!(
        session
            .pin_token::<perms![CredentialManagement]>(&pin("1234"))
            .unwrap_err(),
        Error::PinUv(PinUvError::PinNotSet)
    ));
}

#[test]
fn change_pin_and_policy() {
    let fake = FakeAuthenticator {
        min_pin_length: 6,
        ..FakeAuthenticator::with_pin("123456")
    }
    .into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    let before = fake.lock().unwrap().client_pin_requests.len();
    // Shorter than minPINLength: refused before sending.
    assert!(matches!(
        session
            .change_pin(&pin("123456"), &pin("9876"))
            .unwrap_err(),
        Error::PinRule(PinError::TooShort {
            code_points: 4,
            min: 6
        })
    ));
    assert_eq!(fake.lock().unwrap().client_pin_requests.len(), before);

    match session
        .change_pin(&pin("000000"), &pin("654321"))
        .unwrap_err()
    {
        Error::PinUv(PinUvError::PinInvalid { retries }) => assert_eq!(retries, Some(7)),
        other => panic!("{other:?}"),
    }
    session.change_pin(&pin("123456"), &pin("654321")).unwrap();
    assert_eq!(
        fake.lock().unwrap().pin_hash,
        Some(fake_ctap::pin_hash("654321"))
    );
    // setPIN when a PIN exists is not allowed.
    assert!(matches!(
        session.set_pin(&pin("1111111")).unwrap_err(),
        Error::Permission(PermissionError::NotAllowed)
    ));
}

#[test]
fn policy_violation_from_the_authenticator() {
    // The authenticator's own policy is stricter than its getInfo says.
    let fake = FakeAuthenticator::default().into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    fake.lock().unwrap().min_pin_length = 8;
    assert!(matches!(
        session.set_pin(&pin("12345")).unwrap_err(),
        Error::PinUv(PinUvError::PolicyViolation)
    ));
}

#[test]
fn uv_tokens_and_uv_errors() {
    let fake = FakeAuthenticator {
        uv: true,
        uv_retries: 2,
        ..FakeAuthenticator::with_pin("1234")
    }
    .into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    {
        let mut token = session.uv_token::<perms![CredentialManagement]>().unwrap();
        assert_eq!(token.credentials_metadata().unwrap().existing, 3);
    }
    assert_eq!(key(&last_request(&fake), 2), Some(&Value::Integer(0x06)));
    {
        let token = session
            .uv_token_for_rp::<perms![GetAssertion]>("example.com")
            .unwrap();
        assert_eq!(token.rp_id(), Some("example.com"));
    }
    assert_eq!(
        key(&last_request(&fake), 10),
        Some(&Value::Text("example.com".into()))
    );
    fake.lock().unwrap().uv_matches = false;
    match session
        .uv_token::<perms![CredentialManagement]>()
        .unwrap_err()
    {
        Error::PinUv(PinUvError::UvInvalid { retries }) => assert_eq!(retries, Some(1)),
        other => panic!("{other:?}"),
    }
    // Blocked: the caller falls back to the PIN.
    assert!(matches!(
        session
            .uv_token::<perms![CredentialManagement]>()
            .unwrap_err(),
        Error::PinUv(PinUvError::UvBlocked)
    ));
    assert_eq!(session.get_uv_retries().unwrap().retries, 0);
    session
        .pin_token::<perms![CredentialManagement]>(&pin("1234"))
        .unwrap();
}

#[test]
fn uv_token_needs_built_in_uv() {
    let fake = FakeAuthenticator::with_pin("1234").into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    let before = fake.lock().unwrap().client_pin_requests.len();
    assert!(matches!(
        session
            .uv_token::<perms![CredentialManagement]>()
            .unwrap_err(),
        Error::PinUv(PinUvError::UvTokenUnsupported)
    ));
    assert_eq!(fake.lock().unwrap().client_pin_requests.len(), before);
}

#[test]
fn dyn_tokens_check_before_sending() {
    let fake = FakeAuthenticator::with_pin("1234").into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    let permissions = DynPermissions::EMPTY.with::<fido_ctap::pin::LargeBlobWrite>();
    let mut token = session
        .pin_token_dyn(&pin("1234"), permissions, None)
        .unwrap();
    assert_eq!(key(&last_request(&fake), 9), Some(&Value::Integer(0x10)));
    let sent = fake.lock().unwrap().client_pin_requests.len();
    match token.credentials_metadata().unwrap_err() {
        Error::Permission(PermissionError::Missing { missing, granted }) => {
            assert_eq!((missing, granted), ("CredentialManagement", 0x10));
        }
        other => panic!("{other:?}"),
    }
    assert!(token.large_blob_write_auth(0, b"blob").is_ok());
    assert!(token.toggle_always_uv().is_err());
    assert_eq!(fake.lock().unwrap().client_pin_requests.len(), sent);
    drop(token);

    assert!(matches!(
        session
            .pin_token_dyn(
                &pin("1234"),
                DynPermissions::of::<perms![MakeCredential]>(),
                None
            )
            .unwrap_err(),
        Error::Permission(PermissionError::RpIdRequired)
    ));

    // A typed token can become a checked one.
    let token = session
        .pin_token::<perms![CredentialManagement]>(&pin("1234"))
        .unwrap();
    let mut dynamic = token.into_dyn();
    assert_eq!(
        dynamic.permissions(),
        DynPermissions::of::<perms![CredentialManagement]>()
    );
    assert_eq!(dynamic.credentials_metadata().unwrap().existing, 3);
}

#[test]
fn authenticator_side_permission_and_expiry_errors() {
    let fake = FakeAuthenticator::with_pin("1234").into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    let mut token = session
        .pin_token::<perms![CredentialManagement]>(&pin("1234"))
        .unwrap();
    // The authenticator narrowed the token (as after a reset of permissions).
    fake.lock().unwrap().token_permissions = 0x10;
    assert!(matches!(
        token.credentials_metadata().unwrap_err(),
        Error::Permission(PermissionError::Unauthorized)
    ));
    // The authenticator forgot the token (power cycle): the MAC no longer verifies.
    fake.lock().unwrap().token = Some([0; 32]);
    assert!(matches!(
        token.credentials_metadata().unwrap_err(),
        Error::PinUv(PinUvError::AuthInvalid)
    ));
    // Without a token at all the authenticator asks for one (getCredsMetadata, {1: 1},
    // sent bare through the authenticator the token lends).
    let request = fido_types::generated::CredentialManagementRequest {
        sub_command: fido_types::generated::CredentialManagementSubCommand::GET_CREDS_METADATA,
        ..Default::default()
    };
    assert!(matches!(
        token.ctap().credential_mgmt(&request).unwrap_err(),
        Error::PinUv(PinUvError::TokenRequired)
    ));
}

#[test]
fn reset_through_the_session() {
    let fake = FakeAuthenticator::with_pin("1234").into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    drop(
        session
            .pin_token::<perms![CredentialManagement]>(&pin("1234"))
            .unwrap(),
    );
    session.reset().unwrap();
    assert_eq!(fake.lock().unwrap().credentials, 0);
    assert!(matches!(
        session
            .pin_token::<perms![CredentialManagement]>(&pin("1234"))
            .unwrap_err(),
        Error::PinUv(PinUvError::PinNotSet)
    ));
}

#[test]
fn permission_bits_match_the_spec_table() {
    // CTAP 2.1 §6.5.5.7; python-fido2 ClientPin.PERMISSION.
    assert_eq!(<perms![MakeCredential] as PermissionSet>::BITS, 0x01);
    assert_eq!(<perms![GetAssertion] as PermissionSet>::BITS, 0x02);
    assert_eq!(<perms![CredentialManagement] as PermissionSet>::BITS, 0x04);
    assert_eq!(<perms![BioEnrollment] as PermissionSet>::BITS, 0x08);
    assert_eq!(<perms![LargeBlobWrite] as PermissionSet>::BITS, 0x10);
    assert_eq!(<perms![AuthenticatorConfig] as PermissionSet>::BITS, 0x20);
    assert_eq!(
        <perms![PersistentCredentialManagementReadOnly] as PermissionSet>::BITS,
        0x40
    );
    const { assert!(<perms![GetAssertion, BioEnrollment] as PermissionSet>::NEEDS_RP_ID) };
    const { assert!(!<perms![BioEnrollment] as PermissionSet>::NEEDS_RP_ID) };
    assert_eq!(
        <perms![BioEnrollment, MakeCredential] as PermissionSet>::names(),
        ["MakeCredential", "BioEnrollment"]
    );
    assert_eq!(
        format!("{:?}", DynPermissions::from_bits(0x85)),
        "{MakeCredential, CredentialManagement, 0x80}"
    );
}

fn mc_request(rp_id: &str) -> fido_types::generated::MakeCredentialRequest {
    use fido_types::generated::{
        CoseAlgorithm, MakeCredentialRequest, PublicKeyCredentialParameters,
        PublicKeyCredentialRpEntity, PublicKeyCredentialType, PublicKeyCredentialUserEntity,
    };
    MakeCredentialRequest {
        client_data_hash: vec![0x42; 32],
        rp: PublicKeyCredentialRpEntity {
            id: rp_id.into(),
            ..Default::default()
        },
        user: PublicKeyCredentialUserEntity {
            id: b"user".to_vec(),
            ..Default::default()
        },
        pub_key_cred_params: vec![PublicKeyCredentialParameters {
            alg: CoseAlgorithm(-7),
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        }],
        ..Default::default()
    }
}

#[test]
fn token_authenticated_make_credential_and_get_assertions() {
    use fido_types::cbor;
    use fido_types::generated::GetAssertionRequest;
    for protocol in [1, 2] {
        let fake = FakeAuthenticator::with_pin("1234").into_shared();
        let ga: Value = cbor::from_slice(&hex::decode(fake_ctap::GA_RESPONSE).unwrap()).unwrap();
        let mut first = ga.clone();
        if let Value::Map(m) = &mut first {
            m.insert(Value::Integer(5), Value::Integer(2));
        }
        fake.lock().unwrap().assertions = vec![first, ga];
        let before = fake.lock().unwrap().credentials;

        macro_rules! run {
            ($p:ty) => {{
                let mut session = session::<$p>(&fake);
                let mut token = session
                    .pin_token_for_rp::<perms![MakeCredential, GetAssertion]>(
                        &pin("1234"),
                        "example.com",
                    )
                    .unwrap();
                let response = token.make_credential(mc_request("example.com")).unwrap();
                assert_eq!(response.fmt, "packed");
                // Another RP: refused before sending.
                let sent = fake.lock().unwrap().credentials;
                assert!(matches!(
                    token
                        .make_credential(mc_request("other.example"))
                        .unwrap_err(),
                    Error::Permission(PermissionError::RpIdMismatch { .. })
                ));
                assert_eq!(fake.lock().unwrap().credentials, sent);
                let all = token
                    .get_assertions(GetAssertionRequest {
                        rp_id: "example.com".into(),
                        client_data_hash: vec![0x42; 32],
                        ..Default::default()
                    })
                    .unwrap();
                assert_eq!(all.len(), 2);
            }};
        }
        if protocol == 1 {
            run!(ProtocolOne);
        } else {
            run!(ProtocolTwo);
        }
        assert_eq!(
            fake.lock().unwrap().credentials,
            before + 1,
            "protocol {protocol}"
        );
    }
}

#[test]
fn token_without_make_credential_permission_on_the_authenticator() {
    // A dyn token asked only for ga: the check stops mc before sending; the authenticator
    // would have said UNAUTHORIZED_PERMISSION.
    let fake = FakeAuthenticator::with_pin("1234").into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    let mut token = session
        .pin_token_dyn(
            &pin("1234"),
            DynPermissions::of::<perms![GetAssertion]>(),
            Some("example.com"),
        )
        .unwrap();
    let before = fake.lock().unwrap().credentials;
    assert!(matches!(
        token
            .make_credential(mc_request("example.com"))
            .unwrap_err(),
        Error::Permission(PermissionError::Missing {
            missing: "MakeCredential",
            ..
        })
    ));
    assert_eq!(fake.lock().unwrap().credentials, before);
}

#[test]
fn read_only_tokens_enumerate_and_full_tokens_delete() {
    use fido_types::generated::{PublicKeyCredentialDescriptor, PublicKeyCredentialType};
    let fake = FakeAuthenticator::with_pin("1234").into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    let rp_hash = |rp: &str| -> [u8; 32] {
        ring::digest::digest(&ring::digest::SHA256, rp.as_bytes())
            .as_ref()
            .try_into()
            .unwrap()
    };
    {
        // pcmr alone reads.
        let mut token = session
            .pin_token::<perms![PersistentCredentialManagementReadOnly]>(&pin("1234"))
            .unwrap();
        assert_eq!(key(&last_request(&fake), 9), Some(&Value::Integer(0x40)));
        assert_eq!(token.credentials_metadata().unwrap().existing, 3);
        let rps = token.enumerate_rps().unwrap();
        let ids: Vec<_> = rps
            .iter()
            .map(|r| r.rp.as_ref().unwrap().id.clone())
            .collect();
        assert_eq!(ids, ["example.com", "example.org"]);
        assert_eq!(
            rps[0].rp_id_hash.as_deref(),
            Some(&rp_hash("example.com")[..])
        );
        let creds = token.enumerate_credentials(rp_hash("example.com")).unwrap();
        let users: Vec<_> = creds
            .iter()
            .map(|c| c.user.as_ref().unwrap().id.clone())
            .collect();
        assert_eq!(users, [b"alice".to_vec(), b"bob".to_vec()]);
        assert_eq!(creds[0].total_credentials, Some(2));
        assert!(
            token
                .enumerate_credentials(rp_hash("nobody.example"))
                .unwrap()
                .is_empty()
        );
    }
    let mut token = session
        .pin_token::<perms![CredentialManagement]>(&pin("1234"))
        .unwrap();
    token
        .delete_credential(PublicKeyCredentialDescriptor {
            id: vec![2; 16],
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
            transports: None,
        })
        .unwrap();
    let creds = token.enumerate_credentials(rp_hash("example.com")).unwrap();
    assert_eq!(creds.len(), 1);
    assert!(matches!(
        token
            .delete_credential(PublicKeyCredentialDescriptor {
                id: vec![2; 16],
                credential_type: PublicKeyCredentialType::PUBLIC_KEY,
                transports: None,
            })
            .unwrap_err(),
        Error::Ctap(e) if e.status() == fido_types::status::CtapStatus::NO_CREDENTIALS
    ));
}

#[test]
fn dyn_tokens_have_every_operation() {
    use fido_types::generated::{PublicKeyCredentialDescriptor, PublicKeyCredentialType};
    let fake = FakeAuthenticator {
        uv: true,
        ..FakeAuthenticator::with_pin("1234")
    }
    .into_shared();
    let mut session = session::<ProtocolTwo>(&fake);
    let read_only = DynPermissions::of::<perms![PersistentCredentialManagementReadOnly]>();
    {
        // pcmr reads at run time as a typed set does at compile time.
        let mut token = session
            .pin_token_dyn(&pin("1234"), read_only, None)
            .unwrap();
        assert_eq!(token.credentials_metadata().unwrap().existing, 3);
        assert_eq!(token.enumerate_rps().unwrap().len(), 2);
        let hash: [u8; 32] = ring::digest::digest(&ring::digest::SHA256, b"example.com")
            .as_ref()
            .try_into()
            .unwrap();
        assert_eq!(token.enumerate_credentials(hash).unwrap().len(), 2);
        // Deleting needs cm: refused before sending.
        let sent = fake.lock().unwrap().credentials;
        match token
            .delete_credential(PublicKeyCredentialDescriptor {
                id: vec![2; 16],
                credential_type: PublicKeyCredentialType::PUBLIC_KEY,
                transports: None,
            })
            .unwrap_err()
        {
            Error::Permission(PermissionError::Missing { missing, granted }) => {
                assert_eq!((missing, granted), ("CredentialManagement", 0x40));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(fake.lock().unwrap().credentials, sent);
        assert!(
            token
                .config_auth(ConfigSubCommand::TOGGLE_ALWAYS_UV, None)
                .is_err()
        );
        assert!(token.get_assertion_auth("example.com", &[0; 32]).is_err());
    }
    // Built-in UV hands out run-time tokens too, with the same checks.
    let mut token = session
        .uv_token_dyn(
            DynPermissions::of::<perms![GetAssertion]>(),
            Some("example.com"),
        )
        .unwrap();
    assert_eq!(key(&last_request(&fake), 2), Some(&Value::Integer(0x06)));
    assert!(token.get_assertion_auth("example.com", &[0; 32]).is_ok());
    assert!(matches!(
        token
            .make_credential(mc_request("example.com"))
            .unwrap_err(),
        Error::Permission(PermissionError::Missing {
            missing: "MakeCredential",
            ..
        })
    ));
    drop(token);
    assert!(matches!(
        session
            .uv_token_dyn(DynPermissions::of::<perms![GetAssertion]>(), None)
            .unwrap_err(),
        Error::Permission(PermissionError::RpIdRequired)
    ));
}

#[test]
fn any_session_picks_the_preferred_protocol() {
    use fido_ctap::pin::AnySession;
    use fido_types::pin_protocol::SupportedProtocol;
    for (offered, chosen) in [
        (vec![2, 1], Some(SupportedProtocol::Two)),
        (vec![1, 2], Some(SupportedProtocol::Two)),
        (vec![1], Some(SupportedProtocol::One)),
        (vec![7], None),
    ] {
        let fake = FakeAuthenticator {
            protocols: offered.clone(),
            ..FakeAuthenticator::with_pin("1234")
        }
        .into_shared();
        let device: Box<dyn fido_ctap::device::CtapDevice> = Box::new(fake_ctap::device(&fake));
        match (AnySession::new(Ctap2::new(device).unwrap()), chosen) {
            (Ok(session), Some(chosen)) => {
                assert_eq!(session.protocol(), chosen, "{offered:?}");
                let existing = match session {
                    AnySession::One(mut s) => {
                        s.pin_token::<perms![CredentialManagement]>(&pin("1234"))
                            .unwrap()
                            .credentials_metadata()
                            .unwrap()
                            .existing
                    }
                    AnySession::Two(mut s) => {
                        s.pin_token::<perms![CredentialManagement]>(&pin("1234"))
                            .unwrap()
                            .credentials_metadata()
                            .unwrap()
                            .existing
                    }
                };
                assert_eq!(existing, 3);
                let sent = key(&last_request(&fake), 1).cloned();
                assert_eq!(sent, Some(Value::Integer(chosen.version().0.into())));
            }
            (Err(Error::PinUv(PinUvError::NoSupportedProtocol { offered: listed })), None) => {
                assert_eq!(listed, [PinUvAuthProtocol(7)]);
            }
            (other, _) => panic!("{offered:?}: {other:?}"),
        }
    }
}
