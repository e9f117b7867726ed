//! `Ctap2` and ClientPin over a replayed transcript whose device side is raw CTAPHID
//! reports of a real YubiKey session (firmware 5.2.1, FIDO_2_1_PRE), as published in
//! libfido2's `fuzz/wiredata_fido2.h`; see tests/data/README.md. Unlike the python-fido2
//! transcript, the framing here is the device's own: INIT, a four-packet getInfo answer,
//! getPINRetries and getKeyAgreement.

use fido_ctap::ctap2::{Ctap2, pin_protocols};
use fido_ctap::device::{DeviceOpener, DeviceUri};
use fido_ctap::pin::Session;
use fido_types::cbor::Value;
use fido_types::ctaphid::CapabilityFlags;
use fido_types::generated::{ClientPinRequest, ClientPinSubCommand, CtapVersion, InfoOption};
use fido_types::pin_protocol::{PinProtocol, PinUvAuthProtocol, ProtocolOne};

fn transcript() -> DeviceUri {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/libfido2_yubikey_wiredata.transcript"
    );
    DeviceUri::Replay(path.into())
}

/// The x (-2) and y (-3) coordinates of a COSE EC2 key held as a CBOR value.
fn coordinates(key: &Value) -> ([u8; 32], [u8; 32]) {
    let Value::Map(map) = key else {
        panic!("COSE key is not a map: {key:?}")
    };
    let coordinate = |label: i128| match map.get(&Value::Integer(label)) {
        Some(Value::Bytes(bytes)) => <[u8; 32]>::try_from(bytes.as_slice()).unwrap(),
        other => panic!("label {label}: {other:?}"),
    };
    (coordinate(-2), coordinate(-3))
}

#[test]
fn real_yubikey_reports_replay_through_ctap2_and_client_pin() {
    let device = DeviceOpener::new().open(&transcript()).unwrap();
    // The INIT response: version 5.2.1, capabilities WINK | CBOR (no NMSG: it speaks U2F).
    assert_eq!(device.info().device_version(), (5, 2, 1));
    assert!(device.capabilities().contains(CapabilityFlags::CBOR));
    assert!(device.capabilities().contains(CapabilityFlags::WINK));
    assert!(!device.capabilities().contains(CapabilityFlags::NMSG));

    // getInfo arrives in four packets (185 bytes) and decodes strictly.
    let ctap = Ctap2::new(device).unwrap();
    let info = ctap.info();
    assert_eq!(
        info.versions,
        [
            CtapVersion::U2F_V2,
            CtapVersion::FIDO_2_0,
            CtapVersion::FIDO_2_1_PRE
        ]
    );
    assert_eq!(
        info.extensions.as_deref(),
        Some(&["credProtect".to_string(), "hmac-secret".to_string()][..])
    );
    assert_eq!(hex::encode(info.aaguid), "1956e5bda37445f1a814356403fdbc18");
    assert_eq!(info.max_msg_size(), 1200);
    assert_eq!(pin_protocols(info), [PinUvAuthProtocol::ONE]);
    assert_eq!(info.max_credential_count_in_list, Some(8));
    assert_eq!(info.max_credential_id_length, Some(128));
    assert_eq!(info.option(&InfoOption::CLIENT_PIN), Some(false));
    assert_eq!(info.option(&InfoOption::RK), Some(true));
    let algorithms: Vec<i64> = info.algorithms.iter().flatten().map(|p| p.alg.0).collect();
    assert_eq!(algorithms, [-7, -8]);

    // getPINRetries: 8, no power cycle state reported.
    let mut session = Session::<_, ProtocolOne>::new(ctap).unwrap();
    let retries = session.get_pin_retries().unwrap();
    assert_eq!(retries.retries, 8);
    assert_eq!(retries.power_cycle_needed, None);

    // getKeyAgreement: the device's real P-256 key; ECDH against it succeeds, which
    // needs the point to be on the curve.
    let mut ctap = session.into_ctap();
    let response = ctap
        .client_pin(&ClientPinRequest {
            pin_uv_auth_protocol: Some(fido_types::generated::PinUvAuthProtocol::ONE),
            sub_command: ClientPinSubCommand::GET_KEY_AGREEMENT,
            ..ClientPinRequest::default()
        })
        .unwrap();
    let (x, y) = coordinates(response.key_agreement.as_ref().unwrap());
    assert_eq!(
        hex::encode(x),
        "2ab82d3669ab309de35e9bfb94fc1d9295af0147fe4b87e5cf3f050b39da1749"
    );
    let (platform_key, _shared) = ProtocolOne::encapsulate(&x, &y).unwrap();
    assert_ne!(platform_key.x, x);
}
