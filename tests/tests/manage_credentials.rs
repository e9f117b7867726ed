//! Credential management helpers against the virtual authenticator, with both PIN/UV
//! protocols: metadata, RPs, credentials, update user, delete; the persistent read-only
//! token and the getInfo fields it decrypts; the prototype variant; and the error paths
//! (a run-time token without the permission, a device without the capability, a full
//! store).

mod manage_common;

use fido_authenticator::Config;
use fido_ctap::capability::{CredMgmtSupport, Variant};
use fido_ctap::ctap2::Ctap2;
use fido_ctap::error::{Error, PermissionError, PinUvError, RequestError, ResponseError};
use fido_ctap::manage::CredentialManager;
use fido_ctap::perms;
use fido_ctap::pin::{DynPermissions, PersistentToken, Session};
use fido_types::generated::{CoseAlgorithm, PublicKeyCredentialUserEntity};
use fido_types::pin_protocol::{Pin, PinProtocol, ProtocolOne, ProtocolTwo};
use fido_types::status::CtapStatus;
use manage_common::{
    Intercept, Rewrite, Rewriting, authenticator, ok_answer, open, pin, register, session,
};

const CREDS: [(&str, &str); 3] = [
    ("example.com", "alice"),
    ("example.com", "bob"),
    ("example.org", "carol"),
];

fn manage<P: PinProtocol>() {
    let auth = authenticator(Config::default());
    let mut session = session::<P, _>(open(&auth));
    register(&mut session, &CREDS);
    let support = CredMgmtSupport::check(session.ctap().info()).unwrap();
    assert_eq!(support.variant(), Variant::Standard);
    let mut token = session
        .pin_token::<perms![CredentialManagement]>(&pin())
        .unwrap();
    let mut manager = CredentialManager::new(&mut token, support);
    let metadata = manager.metadata().unwrap();
    assert_eq!(metadata.existing, 3);
    assert_eq!(metadata.max_remaining, 47);
    let mut rps: Vec<String> = manager
        .rps()
        .unwrap()
        .into_iter()
        .map(|r| r.rp.id)
        .collect();
    rps.sort();
    assert_eq!(rps, ["example.com", "example.org"]);

    let creds = manager.credentials_for("example.com").unwrap();
    let mut names: Vec<_> = creds.iter().map(|c| c.user.name.clone().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["alice@example.com", "bob@example.com"]);
    for c in &creds {
        assert_eq!(c.public_key.alg(), Some(CoseAlgorithm(-7)));
        assert_eq!(
            c.cred_protect.map(|p| p.0),
            Some(1),
            "userVerificationOptional"
        );
        assert!(c.large_blob_key.is_none());
    }
    let alice = creds
        .iter()
        .find(|c| c.user.id == b"alice")
        .unwrap()
        .clone();

    let renamed = PublicKeyCredentialUserEntity {
        id: b"alice".to_vec(),
        name: Some("alice.new@example.com".into()),
        display_name: Some("Alice New".into()),
    };
    manager
        .update_user(alice.credential_id.clone(), renamed.clone())
        .unwrap();
    let after = manager.credentials_for("example.com").unwrap();
    let updated = after.iter().find(|c| c.user.id == b"alice").unwrap();
    assert_eq!(updated.user, renamed);

    manager.delete(alice.credential_id.clone()).unwrap();
    assert_eq!(manager.metadata().unwrap().existing, 2);
    let left = manager.credentials_for("example.com").unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].user.id, b"bob");
    let again = manager.delete(alice.credential_id).unwrap_err();
    assert!(
        matches!(&again, Error::Ctap(e) if e.status() == CtapStatus::NO_CREDENTIALS),
        "{again:?}"
    );
    assert!(
        manager
            .credentials_for("nothing.example")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn manage_with_protocol_one() {
    manage::<ProtocolOne>();
}

#[test]
fn manage_with_protocol_two() {
    manage::<ProtocolTwo>();
}

fn runtime_token_without_permission<P: PinProtocol>() {
    let auth = authenticator(Config::default());
    let mut session = session::<P, _>(open(&auth));
    register(&mut session, &CREDS[..1]);
    let support = CredMgmtSupport::check(session.ctap().info()).unwrap();
    let config_only = DynPermissions::of::<perms![AuthenticatorConfig]>();
    let mut token = session.pin_token_dyn(&pin(), config_only, None).unwrap();
    let mut manager = CredentialManager::new(&mut token, support);
    let e = manager.metadata().unwrap_err();
    assert!(
        matches!(e, Error::Permission(PermissionError::Missing { .. })),
        "{e:?}"
    );
    drop(token);
    let read_only = DynPermissions::of::<perms![PersistentCredentialManagementReadOnly]>();
    let mut token = session.pin_token_dyn(&pin(), read_only, None).unwrap();
    let mut manager = CredentialManager::new(&mut token, support);
    assert_eq!(manager.metadata().unwrap().existing, 1);
    let id = manager.credentials_for("example.com").unwrap()[0]
        .credential_id
        .clone();
    let e = manager.delete(id).unwrap_err();
    assert!(
        matches!(e, Error::Permission(PermissionError::Missing { .. })),
        "{e:?}"
    );
}

#[test]
fn runtime_token_without_permission_is_refused_before_sending() {
    runtime_token_without_permission::<ProtocolOne>();
    runtime_token_without_permission::<ProtocolTwo>();
}

fn persistent<P: PinProtocol>(name: &str) {
    // Each connection to the virtual device is a fresh authenticator on the state file:
    // a second session is a power cycle of the same key.
    let dir = std::env::temp_dir().join(format!("fido-manage-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let auth = authenticator(Config {
        state_file: Some(state),
        ..Config::default()
    });
    let mut session = session::<P, _>(open(&auth));
    register(&mut session, &CREDS);
    let support = CredMgmtSupport::check(session.ctap().info()).unwrap();
    let kept = session.persistent_token(&pin(), support).unwrap();
    assert!(!format!("{kept:?}").contains(&hex_of(kept.expose_secret())));
    let bytes = kept.expose_secret().to_vec();
    drop(kept);
    drop(session);

    // A later session: the token comes back from its bytes, no PIN needed.
    let kept = PersistentToken::<P>::from_bytes(&bytes).unwrap();
    let mut session = Session::<_, P>::new(Ctap2::new(open(&auth)).unwrap()).unwrap();
    let info = session.ctap_mut().get_info().unwrap();
    let id = kept.identifier(&info).unwrap().expect("encIdentifier");
    let state = kept
        .cred_store_state(&info)
        .unwrap()
        .expect("encCredStoreState");
    let info2 = session.ctap_mut().get_info().unwrap();
    assert_ne!(info.enc_identifier, info2.enc_identifier, "fresh IVs");
    assert_eq!(kept.identifier(&info2).unwrap(), Some(id.clone()));
    assert_eq!(kept.cred_store_state(&info2).unwrap(), Some(state));
    // A wrong token decrypts to something else.
    let other = PersistentToken::<P>::from_bytes(&[7; 32]).unwrap();
    assert_ne!(other.identifier(&info2).unwrap(), Some(id.clone()));

    assert!(support.persistent_read_only());
    {
        let mut token = session.resume(&kept).unwrap();
        let mut manager = CredentialManager::new(&mut token, support);
        assert_eq!(manager.metadata().unwrap().existing, 3);
        assert_eq!(manager.rps().unwrap().len(), 2);
        assert_eq!(manager.credentials_for("example.org").unwrap().len(), 1);
    }
    // The store changes: the state does, the identifier does not.
    register(&mut session, &[("example.net", "dave")]);
    let info3 = session.ctap_mut().get_info().unwrap();
    assert_eq!(kept.identifier(&info3).unwrap(), Some(id));
    assert_ne!(kept.cred_store_state(&info3).unwrap(), Some(state));

    // A PIN change replaces the persistent token: the kept one is rejected.
    session
        .change_pin(&pin(), &Pin::new("654321").unwrap())
        .unwrap();
    let mut token = session.resume(&kept).unwrap();
    let e = token.credentials_metadata().unwrap_err();
    assert!(matches!(e, Error::PinUv(PinUvError::AuthInvalid)), "{e:?}");
    drop(token);
    let _ = std::fs::remove_dir_all(&dir);
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn persistent_token_across_sessions_protocol_one() {
    persistent::<ProtocolOne>("one");
}

#[test]
fn persistent_token_across_sessions_protocol_two() {
    persistent::<ProtocolTwo>("two");
}

#[test]
fn damaged_enc_identifier_is_a_typed_error() {
    let kept = PersistentToken::<ProtocolTwo>::from_bytes(&[1; 32]).unwrap();
    let info = fido_types::generated::Info {
        enc_identifier: Some(vec![0; 17]),
        ..Default::default()
    };
    assert!(matches!(kept.identifier(&info), Err(Error::Response(_))));
    assert!(PersistentToken::<ProtocolTwo>::from_bytes(&[1; 5]).is_err());
}

#[test]
fn full_store() {
    let auth = authenticator(Config {
        max_discoverable: 2,
        ..Config::default()
    });
    let mut session = session::<ProtocolTwo, _>(open(&auth));
    register(&mut session, &CREDS[..2]);
    let e = session
        .pin_token_for_rp::<perms![MakeCredential]>(&pin(), "example.org")
        .unwrap()
        .make_credential(manage_common::resident("example.org", "carol"))
        .unwrap_err();
    assert!(
        matches!(&e, Error::Ctap(s) if s.status() == CtapStatus::KEY_STORE_FULL),
        "{e:?}"
    );
    let support = CredMgmtSupport::check(session.ctap().info()).unwrap();
    let mut token = session
        .pin_token::<perms![CredentialManagement]>(&pin())
        .unwrap();
    let mut manager = CredentialManager::new(&mut token, support);
    let metadata = manager.metadata().unwrap();
    assert_eq!((metadata.existing, metadata.max_remaining), (2, 0));
}

#[test]
fn preview_variant_uses_0x41_and_has_no_update_user() {
    let auth = authenticator(Config::default());
    let device = Rewriting::new(open(&auth), Rewrite::Preview);
    let log = device.commands.clone();
    let mut session = session::<ProtocolTwo, _>(device);
    register(&mut session, &CREDS[..1]);
    let support = CredMgmtSupport::check(session.ctap().info()).unwrap();
    assert_eq!(support.variant(), Variant::Preview);
    assert!(!support.persistent_read_only());
    let e = session.persistent_token(&pin(), support).unwrap_err();
    assert!(
        matches!(e, Error::Request(RequestError::Unsupported(_))),
        "{e:?}"
    );
    let mut token = session
        .pin_token::<perms![CredentialManagement]>(&pin())
        .unwrap();
    let mut manager = CredentialManager::new(&mut token, support);
    log.lock().unwrap().clear();
    let creds = manager.credentials_for("example.com").unwrap();
    assert_eq!(creds.len(), 1);
    assert_eq!(*log.lock().unwrap(), [0x41]);
    let e = manager
        .update_user(creds[0].credential_id.clone(), creds[0].user.clone())
        .unwrap_err();
    assert!(
        matches!(e, Error::Request(RequestError::Unsupported(_))),
        "{e:?}"
    );
    assert_eq!(log.lock().unwrap().len(), 1, "refused before sending");
}

#[test]
fn device_without_credential_management() {
    let auth = authenticator(Config::default());
    let device = Rewriting::new(open(&auth), Rewrite::Without);
    let session = session::<ProtocolTwo, _>(device);
    assert!(matches!(
        CredMgmtSupport::check(session.ctap().info()),
        Err(RequestError::Unsupported(_))
    ));
}

#[test]
fn malformed_enumeration_answers_are_typed_errors() {
    // An authenticator that answers enumerateRPsBegin with a 5-byte rpIDHash, and
    // enumerateCredentialsBegin without the public key.
    let auth = authenticator(Config::default());
    let answer = Box::new(|payload: &[u8]| {
        let request: fido_types::generated::CredentialManagementRequest =
            fido_types::cbor::from_slice(&payload[1..]).ok()?;
        let mut response = fido_types::generated::CredentialManagementResponse::default();
        match (payload[0], request.sub_command.0) {
            (0x0A, 0x02) => {
                response.rp = Some(fido_types::generated::PublicKeyCredentialRpEntity {
                    id: "example.com".into(),
                    name: None,
                });
                response.rp_id_hash = Some(vec![0; 5]);
                response.total_rps = Some(1);
            }
            (0x0A, 0x04) => {
                response.user = Some(PublicKeyCredentialUserEntity {
                    id: b"u".to_vec(),
                    name: None,
                    display_name: None,
                });
                response.total_credentials = Some(1);
            }
            _ => return None,
        }
        Some(ok_answer(fido_types::cbor::to_vec(&response).unwrap()))
    });
    let mut session = session::<ProtocolTwo, _>(Intercept::new(open(&auth), answer));
    let support = CredMgmtSupport::check(session.ctap().info()).unwrap();
    let mut token = session
        .pin_token::<perms![CredentialManagement]>(&pin())
        .unwrap();
    let mut manager = CredentialManager::new(&mut token, support);
    let e = manager.rps().unwrap_err();
    assert!(
        matches!(e, Error::Response(ResponseError::Invalid { .. })),
        "{e:?}"
    );
    let e = manager.credentials_for("example.com").unwrap_err();
    assert!(
        matches!(e, Error::Response(ResponseError::Missing(_))),
        "{e:?}"
    );
}
