//! The CTAP layer against the in-process software authenticator (the `virtual` device of
//! `fido-authenticator`): every session operation, U2F, and each PIN/UV error a caller acts
//! on, produced by the authenticator rather than scripted.

use std::sync::Arc;

use fido_authenticator::Config;
use fido_authenticator::virtual_device::VirtualAuthenticator;
use fido_ctap::ctap1::Ctap1;
use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::{CtapDevice, DeviceOpener, DeviceUri};
use fido_ctap::error::{Error, PermissionError, PinUvError};
use fido_ctap::perms;
use fido_ctap::pin::{DynPermissions, Session};
use fido_types::generated::{
    CoseAlgorithm, GetAssertionRequest, MakeCredentialRequest, PublicKeyCredentialParameters,
    PublicKeyCredentialRpEntity, PublicKeyCredentialType, PublicKeyCredentialUserEntity,
};
use fido_types::pin_protocol::{Pin, PinProtocol, ProtocolOne, ProtocolTwo};

fn open(config: Config) -> Box<dyn CtapDevice> {
    let opener = DeviceOpener::new().with_virtual(Arc::new(VirtualAuthenticator::new(config)));
    opener.open(&DeviceUri::Virtual).unwrap()
}

fn pin(s: &str) -> Pin {
    Pin::new(s).unwrap()
}

fn mc(rp: &str, user: &[u8], rk: bool) -> MakeCredentialRequest {
    let mut options = fido_types::cbor::StrMap::new();
    options.insert("rk".to_owned(), rk);
    MakeCredentialRequest {
        client_data_hash: vec![0x42; 32],
        rp: PublicKeyCredentialRpEntity {
            id: rp.into(),
            name: None,
        },
        user: PublicKeyCredentialUserEntity {
            id: user.to_vec(),
            name: Some("u".into()),
            display_name: None,
        },
        pub_key_cred_params: vec![PublicKeyCredentialParameters {
            alg: CoseAlgorithm(-7),
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        }],
        options: Some(options),
        ..Default::default()
    }
}

fn flow<P: PinProtocol>() {
    let device = open(Config {
        seed: Some(7),
        ..Config::default()
    });
    let mut session = Session::<_, P>::new(Ctap2::new(device).unwrap()).unwrap();
    session.set_pin(&pin("123456")).unwrap();
    assert_eq!(session.get_pin_retries().unwrap().retries, 8);
    session.ctap_mut().get_info().unwrap();
    {
        // One token per ceremony: a ceremony with user presence consumes the token's mc
        // and ga permissions (CTAP 2.1 pinUvAuthToken state, as the authenticator does
        // since issue 17).
        for user in [b"alice".as_slice(), b"bob"] {
            let mut token = session
                .pin_token_for_rp::<perms![MakeCredential, GetAssertion]>(
                    &pin("123456"),
                    "example.com",
                )
                .unwrap();
            let r = token
                .make_credential(mc("example.com", user, true))
                .unwrap();
            assert_eq!(r.auth_data[32] & 0x05, 0x05, "UP and UV");
        }
        let mut token = session
            .pin_token_for_rp::<perms![MakeCredential, GetAssertion]>(&pin("123456"), "example.com")
            .unwrap();
        let all = token
            .get_assertions(GetAssertionRequest {
                rp_id: "example.com".into(),
                client_data_hash: vec![0x42; 32],
                ..Default::default()
            })
            .unwrap();
        assert_eq!(all.len(), 2);
    }
    {
        let mut token = session
            .pin_token::<perms![CredentialManagement]>(&pin("123456"))
            .unwrap();
        let meta = token.credentials_metadata().unwrap();
        assert_eq!(meta.existing, 2);
        let rps = token.enumerate_rps().unwrap();
        assert_eq!(rps.len(), 1);
        let hash: [u8; 32] = rps[0].rp_id_hash.clone().unwrap().try_into().unwrap();
        let creds = token.enumerate_credentials(hash).unwrap();
        assert_eq!(creds.len(), 2);
        token
            .delete_credential(creds[0].credential_id.clone().unwrap())
            .unwrap();
        assert_eq!(token.credentials_metadata().unwrap().existing, 1);
    }
    {
        let mut token = session
            .pin_token::<perms![PersistentCredentialManagementReadOnly]>(&pin("123456"))
            .unwrap();
        assert_eq!(token.credentials_metadata().unwrap().existing, 1);
    }
    {
        let mut token = session
            .pin_token::<perms![AuthenticatorConfig]>(&pin("123456"))
            .unwrap();
        token.toggle_always_uv().unwrap();
    }
    assert_eq!(
        session.ctap_mut().get_info().unwrap().option("alwaysUv"),
        Some(true)
    );
    {
        // A token without cm: the authenticator refuses; the dyn token never sends.
        let mut token = session
            .pin_token_dyn(
                &pin("123456"),
                DynPermissions::of::<perms![LargeBlobWrite]>(),
                None,
            )
            .unwrap();
        assert!(matches!(
            token.credentials_metadata().unwrap_err(),
            Error::Permission(PermissionError::Missing { .. })
        ));
    }
    match session
        .pin_token::<perms![CredentialManagement]>(&pin("000000"))
        .unwrap_err()
    {
        Error::PinUv(PinUvError::PinInvalid { retries }) => assert_eq!(retries, Some(7)),
        other => panic!("{other:?}"),
    }
    session
        .pin_token::<perms![CredentialManagement]>(&pin("000000"))
        .unwrap_err();
    assert!(matches!(
        session
            .pin_token::<perms![CredentialManagement]>(&pin("000000"))
            .unwrap_err(),
        Error::PinUv(PinUvError::PinAuthBlocked)
    ));
    let retries = session.get_pin_retries().unwrap();
    assert_eq!(
        (retries.retries, retries.power_cycle_needed),
        (5, Some(true))
    );
    session
        .change_pin(&pin("123456"), &pin("654321"))
        .unwrap_err();
}

#[test]
fn protocol_two_against_virtual() {
    flow::<ProtocolTwo>();
}

#[test]
fn protocol_one_against_virtual() {
    flow::<ProtocolOne>();
}

#[test]
fn u2f_against_virtual() {
    let mut u2f = Ctap1::new(open(Config {
        seed: Some(3),
        ..Config::default()
    }));
    assert_eq!(u2f.get_version().unwrap(), "U2F_V2");
    let (client, app) = ([1; 32], [2; 32]);
    let reg = u2f.register(&client, &app).unwrap();
    reg.verify(&app, &client).unwrap();
    assert!(u2f.is_key_handle_known(&app, reg.key_handle()).unwrap());
    assert!(!u2f.is_key_handle_known(&[9; 32], reg.key_handle()).unwrap());
    let sig = u2f
        .authenticate(&client, &app, reg.key_handle(), false)
        .unwrap();
    sig.verify(&app, &client, reg.public_key()).unwrap();
}

fn power_cycle(session: &mut Session<Box<dyn CtapDevice>, ProtocolTwo>) {
    // The software authenticator's simulated power cycle: vendor CTAPHID command 0x7E
    // (/work/shared/conventions.md), answered with an empty 0x7E response.
    let answer = session
        .ctap_mut()
        .device_mut()
        .call(
            fido_ctap::device::CtaphidCommand::POWER_CYCLE,
            &[],
            &fido_ctap::device::CancelToken::new(),
            &mut |_| {},
        )
        .unwrap();
    assert!(answer.is_empty());
}

#[test]
fn pin_errors_against_virtual() {
    let device = open(Config {
        seed: Some(11),
        // The test power-cycles the authenticator (0x7E), a test-harness-only command.
        allow_power_cycle: true,
        ..Config::default()
    });
    let mut session = Session::<_, ProtocolTwo>::new(Ctap2::new(device).unwrap()).unwrap();
    assert!(matches!(
        session
            .pin_token::<perms![CredentialManagement]>(&pin("123456"))
            .unwrap_err(),
        Error::PinUv(PinUvError::PinNotSet)
    ));
    session.set_pin(&pin("123456")).unwrap();
    session.ctap_mut().get_info().unwrap();
    assert!(matches!(
        session.set_pin(&pin("1111")).unwrap_err(),
        Error::Permission(PermissionError::NotAllowed)
    ));
    // A discoverable credential without a token, now that a PIN is set.
    assert!(matches!(
        session
            .ctap_mut()
            .make_credential(&mc("example.com", b"u", true))
            .unwrap_err(),
        Error::PinUv(PinUvError::TokenRequired)
    ));
    assert!(matches!(
        session.ctap_mut().get_next_assertion().unwrap_err(),
        Error::Permission(PermissionError::NotAllowed)
    ));

    let wrong = pin("000000");
    let mut outcomes = Vec::new();
    for _ in 0..8 {
        let outcome = match session
            .pin_token::<perms![CredentialManagement]>(&wrong)
            .unwrap_err()
        {
            Error::PinUv(PinUvError::PinInvalid { retries }) => format!("invalid {retries:?}"),
            Error::PinUv(PinUvError::PinAuthBlocked) => {
                let retries = session.get_pin_retries().unwrap();
                assert_eq!(retries.power_cycle_needed, Some(true));
                power_cycle(&mut session);
                format!("auth blocked at {}", retries.retries)
            }
            Error::PinUv(PinUvError::PinBlocked) => "blocked".to_owned(),
            other => panic!("{other:?}"),
        };
        outcomes.push(outcome);
    }
    assert_eq!(
        outcomes,
        [
            "invalid Some(7)",
            "invalid Some(6)",
            "auth blocked at 5",
            "invalid Some(4)",
            "invalid Some(3)",
            "auth blocked at 2",
            "invalid Some(1)",
            "blocked",
        ]
    );
    assert!(matches!(
        session
            .pin_token::<perms![CredentialManagement]>(&pin("123456"))
            .unwrap_err(),
        Error::PinUv(PinUvError::PinBlocked)
    ));
}

#[test]
fn policy_and_presence_errors_against_virtual() {
    use fido_types::generated::{ConfigParams, ConfigSubCommand};
    let device = open(Config {
        seed: Some(12),
        pin: Some("123456".into()),
        ..Config::default()
    });
    let mut session = Session::<_, ProtocolTwo>::new(Ctap2::new(device).unwrap()).unwrap();
    {
        let mut token = session
            .pin_token::<perms![AuthenticatorConfig]>(&pin("123456"))
            .unwrap();
        let params = ConfigParams {
            new_min_pin_length: Some(8),
            ..Default::default()
        };
        token
            .config(ConfigSubCommand::SET_MIN_PIN_LENGTH, Some(params))
            .unwrap();
    }
    // The cached getInfo still says 4: the authenticator refuses the 6-digit PIN itself.
    assert!(matches!(
        session
            .change_pin(&pin("123456"), &pin("654321"))
            .unwrap_err(),
        Error::PinUv(PinUvError::PolicyViolation)
    ));
    // With getInfo refreshed the client refuses before sending.
    assert_eq!(session.ctap_mut().get_info().unwrap().min_pin_length(), 8);
    assert!(matches!(
        session
            .change_pin(&pin("123456"), &pin("654321"))
            .unwrap_err(),
        Error::PinRule(fido_types::pin_protocol::PinError::TooShort {
            code_points: 6,
            min: 8
        })
    ));
    session
        .change_pin(&pin("123456"), &pin("87654321"))
        .unwrap();

    let device = open(Config {
        seed: Some(13),
        presence: fido_authenticator::presence::PresencePolicy::Deny,
        ..Config::default()
    });
    let mut ctap = Ctap2::new(device).unwrap();
    assert!(matches!(
        ctap.make_credential(&mc("example.com", b"u", false))
            .unwrap_err(),
        Error::Permission(PermissionError::OperationDenied)
    ));
}

#[test]
fn uv_errors_against_virtual() {
    use fido_types::generated::{BioEnrollmentParams, BioEnrollmentSubCommand, BioModality};
    let device = open(Config {
        seed: Some(14),
        pin: Some("123456".into()),
        builtin_uv: true,
        verification: fido_authenticator::presence::PresencePolicy::Deny,
        ..Config::default()
    });
    let mut session = Session::<_, ProtocolTwo>::new(Ctap2::new(device).unwrap()).unwrap();
    {
        let mut token = session
            .pin_token::<perms![BioEnrollment]>(&pin("123456"))
            .unwrap();
        let params = BioEnrollmentParams {
            timeout_milliseconds: Some(10_000),
            ..Default::default()
        };
        let begin = token
            .bio_enrollment(
                BioModality::FINGERPRINT,
                BioEnrollmentSubCommand::ENROLL_BEGIN,
                Some(params),
            )
            .unwrap();
        let template = begin.template_id.clone().unwrap();
        let mut remaining = begin.remaining_samples.unwrap();
        while remaining > 0 {
            let params = BioEnrollmentParams {
                template_id: Some(template.clone()),
                ..Default::default()
            };
            remaining = token
                .bio_enrollment(
                    BioModality::FINGERPRINT,
                    BioEnrollmentSubCommand::ENROLL_CAPTURE_NEXT_SAMPLE,
                    Some(params),
                )
                .unwrap()
                .remaining_samples
                .unwrap();
        }
    }
    assert_eq!(
        session.ctap_mut().get_info().unwrap().option("uv"),
        Some(true)
    );
    for left in (1..8).rev() {
        match session
            .uv_token::<perms![CredentialManagement]>()
            .unwrap_err()
        {
            Error::PinUv(PinUvError::UvInvalid { retries }) => assert_eq!(retries, Some(left)),
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        session
            .uv_token::<perms![CredentialManagement]>()
            .unwrap_err(),
        Error::PinUv(PinUvError::UvBlocked)
    ));
    assert_eq!(session.get_uv_retries().unwrap().retries, 0);
    // Fall back to the PIN.
    let mut token = session
        .pin_token::<perms![CredentialManagement]>(&pin("123456"))
        .unwrap();
    assert_eq!(token.credentials_metadata().unwrap().existing, 0);
}
