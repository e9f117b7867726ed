//! authenticatorConfig helper against the virtual authenticator, with both PIN/UV
//! protocols: alwaysUv on and off, setMinPINLength with RP IDs and forceChangePin,
//! enterprise attestation; the refusals before sending (no `ep`, an unlisted vendor
//! command, a run-time token without the permission) and a device without the command.

mod manage_common;

use fido_authenticator::{Attestation, Config};
use fido_ctap::capability::ConfigSupport;
use fido_ctap::device::CtapDevice;
use fido_ctap::error::{Error, PermissionError, PinUvError, RequestError};
use fido_ctap::manage::{Configurator, MinPinLength};
use fido_ctap::perms;
use fido_ctap::pin::{DynPermissions, Session};
use fido_types::pin_protocol::{PinProtocol, ProtocolOne, ProtocolTwo};
use manage_common::{Rewrite, Rewriting, authenticator, open, pin, session};

fn configure<P: PinProtocol>() {
    let auth = authenticator(Config {
        attestation: Attestation::Basic,
        ..Config::default()
    });
    let mut session = session::<P, _>(open(&auth));
    let support = ConfigSupport::check(session.ctap().info()).unwrap();
    assert!(support.enterprise_attestation() && support.always_uv());
    assert_eq!(session.ctap().info().option("ep"), Some(false));
    {
        let token = session
            .pin_token::<perms![AuthenticatorConfig]>(&pin())
            .unwrap();
        let mut config = Configurator::new(token, &support);
        assert!(config.set_always_uv(true).unwrap());
        assert!(!config.set_always_uv(true).unwrap(), "already on");
        config.enable_enterprise_attestation().unwrap();
        let e = config.vendor_prototype(0x1234).unwrap_err();
        assert!(
            matches!(e, Error::Request(RequestError::Unsupported(_))),
            "{e:?}"
        );
    }
    let info = session.ctap_mut().get_info().unwrap();
    assert_eq!(info.option("alwaysUv"), Some(true));
    assert_eq!(info.option("ep"), Some(true));
    assert!(
        configurator(&mut session, &support)
            .set_always_uv(false)
            .unwrap()
    );
    configurator(&mut session, &support)
        .set_min_pin_length(&MinPinLength {
            length: Some(6),
            rp_ids: vec!["example.com".into()],
            force_change: false,
        })
        .unwrap();
    let e = configurator(&mut session, &support)
        .set_min_pin_length(&MinPinLength {
            length: Some(5),
            ..MinPinLength::default()
        })
        .unwrap_err();
    assert!(
        matches!(e, Error::PinUv(PinUvError::PolicyViolation)),
        "{e:?}"
    );
    let info = session.ctap_mut().get_info().unwrap();
    assert_eq!(info.option("alwaysUv"), Some(false));
    assert_eq!(info.min_pin_length(), 6);
    assert!(!info.force_pin_change());
    configurator(&mut session, &support)
        .set_min_pin_length(&MinPinLength {
            length: Some(8),
            rp_ids: Vec::new(),
            force_change: true,
        })
        .unwrap();
    let info = session.ctap_mut().get_info().unwrap();
    assert_eq!(info.min_pin_length(), 8);
    assert!(info.force_pin_change());
}

fn configurator<'s, P: PinProtocol>(
    session: &'s mut Session<Box<dyn CtapDevice>, P>,
    support: &ConfigSupport,
) -> Configurator<'s, perms![AuthenticatorConfig], P, Box<dyn CtapDevice>> {
    let token = session
        .pin_token::<perms![AuthenticatorConfig]>(&pin())
        .unwrap();
    Configurator::new(token, support)
}

#[test]
fn configure_protocol_one() {
    configure::<ProtocolOne>();
}

#[test]
fn configure_protocol_two() {
    configure::<ProtocolTwo>();
}

#[test]
fn enterprise_attestation_refused_without_ep() {
    let auth = authenticator(Config::default());
    let mut session = session::<ProtocolTwo, _>(open(&auth));
    let support = ConfigSupport::check(session.ctap().info()).unwrap();
    assert!(!support.enterprise_attestation());
    let token = session
        .pin_token::<perms![AuthenticatorConfig]>(&pin())
        .unwrap();
    let e = Configurator::new(token, support)
        .enable_enterprise_attestation()
        .unwrap_err();
    assert!(
        matches!(e, Error::Request(RequestError::Unsupported(_))),
        "{e:?}"
    );
}

#[test]
fn runtime_token_without_config_permission() {
    let auth = authenticator(Config::default());
    let mut session = session::<ProtocolTwo, _>(open(&auth));
    let support = ConfigSupport::check(session.ctap().info()).unwrap();
    let perms = DynPermissions::of::<perms![CredentialManagement]>();
    let token = session.pin_token_dyn(&pin(), perms, None).unwrap();
    let e = Configurator::new(token, support)
        .toggle_always_uv()
        .unwrap_err();
    assert!(
        matches!(e, Error::Permission(PermissionError::Missing { .. })),
        "{e:?}"
    );
    assert_eq!(
        session.ctap_mut().get_info().unwrap().option("alwaysUv"),
        Some(false)
    );
}

#[test]
fn device_without_config() {
    let auth = authenticator(Config::default());
    let session = session::<ProtocolTwo, _>(Rewriting::new(open(&auth), Rewrite::Without));
    assert!(matches!(
        ConfigSupport::check(session.ctap().info()),
        Err(RequestError::Unsupported(_))
    ));
}
