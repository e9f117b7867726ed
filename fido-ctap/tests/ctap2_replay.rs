//! `Ctap2` and `Ctap1` over a replayed CTAPHID transcript of real authenticator exchanges
//! (python-fido2's published YubiKey getInfo and U2F register/authenticate; see
//! tests/data/README.md), through the same `DeviceOpener` and HID engine as a USB key.

use fido_ctap::ctap1::Ctap1;
use fido_ctap::ctap2::{Ctap2, pin_protocols};
use fido_ctap::device::{DeviceOpener, DeviceUri, TransportError};
use fido_ctap::error::{Error, PinUvError};
use fido_ctap::hid::replay::ReplayError;
use fido_ctap::pin::Session;
use fido_types::generated::CtapVersion;
use fido_types::pin_protocol::{PinUvAuthProtocol, ProtocolOne, ProtocolTwo};

fn transcript() -> DeviceUri {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/python_fido2_yubikey.transcript"
    );
    DeviceUri::Replay(path.into())
}

fn hex32(s: &str) -> [u8; 32] {
    hex::decode(s).unwrap().try_into().unwrap()
}

#[test]
fn real_yubikey_session_replays() {
    let device = DeviceOpener::new().open(&transcript()).unwrap();
    assert_eq!(device.info().device_version(), (5, 4, 3));

    let ctap = Ctap2::new(device).unwrap();
    let info = ctap.info();
    assert_eq!(info.versions, [CtapVersion::U2F_V2, CtapVersion::FIDO_2_0]);
    assert_eq!(info.max_msg_size(), 1200);
    assert_eq!(pin_protocols(info), [PinUvAuthProtocol::ONE]);
    assert_eq!(info.option("clientPin"), Some(false));

    // The key speaks protocol one only: a protocol-two session is refused without a
    // request (the transcript has none for it).
    match Session::<_, ProtocolTwo>::new(ctap).map_err(|refused| refused.error) {
        Err(Error::PinUv(PinUvError::NoSupportedProtocol { offered })) => {
            assert_eq!(offered, [PinUvAuthProtocol::ONE]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn real_u2f_exchanges_replay_and_verify() {
    let device = DeviceOpener::new().open(&transcript()).unwrap();
    let ctap = Ctap2::new(device).unwrap();
    let session = Session::<_, ProtocolOne>::new(ctap).unwrap();
    let mut u2f = Ctap1::new(session.into_ctap().into_device());

    assert_eq!(u2f.get_version().unwrap(), "U2F_V2");

    // python-fido2 tests/test_ctap1.py test_register.
    let (client, app) = (
        hex32("4142d21c00d94ffb9d504ada8f99b721f4b191ae4e37ca0140f696b6983cfacb"),
        hex32("f0e6a6a97042a4f1f1c87f5f7d44315b2d852c2df5c7991cc66241bf7072d1c4"),
    );
    let registration = u2f.register(&client, &app).unwrap();
    registration.verify(&app, &client).unwrap();
    assert_eq!(registration.key_handle().len(), 64);

    // python-fido2 tests/test_ctap1.py test_authenticate.
    let (client, app) = (
        hex32("ccd6ee2e47baef244d49a222db496bad0ef5b6f93aa7cc4d30c4821b3b9dbc57"),
        hex32("4b0be934baebb5d12d26011b69227fa5e86df94e7d94aa2949a89f2d493992ca"),
    );
    let signature = u2f.authenticate(&client, &app, &[3; 64], false).unwrap();
    let public_key: [u8; 65] = hex::decode("04d368f1b665bade3c33a20f1e429c7750d5033660c019119d29aa4ba7abc04aa7c80a46bbe11ca8cb5674d74f31f8a903f6bad105fb6ab74aefef4db8b0025e1d").unwrap().try_into().unwrap();
    signature.verify(&app, &client, &public_key).unwrap();
    assert_eq!(signature.counter(), 1);

    // The recording is over: one more request is a replay error, not a hang.
    match u2f.get_version().unwrap_err() {
        Error::Transport(TransportError::Replay(ReplayError::Exhausted { .. })) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_deviating_client_is_caught() {
    let device = DeviceOpener::new().open(&transcript()).unwrap();
    let ctap = Ctap2::new(device).unwrap();
    let mut u2f = Ctap1::new(ctap.into_device());
    // The recording expects U2F_VERSION next, not a register.
    match u2f.register(&[0; 32], &[0; 32]).unwrap_err() {
        Error::Transport(TransportError::Replay(ReplayError::Mismatch { .. })) => {}
        other => panic!("{other:?}"),
    }
}
