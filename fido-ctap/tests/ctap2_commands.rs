//! `Ctap2` over scripted devices: getInfo from a real YubiKey capture (python-fido2
//! tests/test_ctap2.py `_INFO`), request bytes checked against python-fido2's vectors,
//! maxMsgSize enforced before sending, status bytes as typed errors, strict and lenient
//! CBOR.

mod fake_ctap;

use fido_ctap::ctap2::{Ctap2, pin_protocols};
use fido_ctap::device::{CtaphidCommand, TransportError};
use fido_ctap::error::{Error, PermissionError, PinUvError, RequestError, ResponseError};
use fido_types::cbor::{self, Bytes, DecodeErrorKind, Value};
use fido_types::generated::{CommandCode, CtapVersion, InfoOption};
use fido_types::pin_protocol::{PinUvAuthProtocol, SupportedProtocol};
use fido_types::status::CtapStatus;

// python-fido2 tests/test_ctap2.py `_INFO`: getInfo of a YubiKey (FIDO_2_0, U2F_V2,
// maxMsgSize 1200, PIN protocol 1, clientPin false).
const INFO: &str = "a60182665532465f5632684649444f5f325f3002826375766d6b686d61632d7365637265740350f8a011f38c0a4d15800617111f9edc7d04a462726bf5627570f564706c6174f469636c69656e7450696ef4051904b0068101";
// python-fido2 tests/test_ctap2.py `_INFO_EXTRA_KEY`: the same plus key 0x18 = 1234.
const INFO_EXTRA_KEY: &str = "A70182665532465F5632684649444F5F325F3002826375766D6B686D61632D7365637265740350F8A011F38C0A4D15800617111F9EDC7D04A462726BF5627570F564706C6174F469636C69656E7450696EF4051904B006810118631904D2";

fn info_response(hex_info: &str) -> Vec<u8> {
    let mut out = vec![0];
    out.extend(hex::decode(hex_info).unwrap());
    out
}

#[test]
fn get_info_is_sent_once_and_cached() {
    let device = fake_ctap::fixed(info_response(INFO));
    let log = device.log.clone();
    let ctap = Ctap2::new(device).unwrap();
    // python-fido2 test_get_info: the request is CTAPHID_CBOR b"\4".
    assert_eq!(
        *log.lock().unwrap(),
        vec![(CtaphidCommand::CBOR, vec![0x04])]
    );
    let info = ctap.info();
    assert_eq!(info.versions, [CtapVersion::U2F_V2, CtapVersion::FIDO_2_0]);
    assert_eq!(
        info.extensions.as_deref(),
        Some(&["uvm".to_owned(), "hmac-secret".to_owned()][..])
    );
    assert_eq!(hex::encode(info.aaguid), "f8a011f38c0a4d15800617111f9edc7d");
    assert_eq!(info.option("rk"), Some(true));
    assert_eq!(info.option("plat"), Some(false));
    assert_eq!(info.option("clientPin"), Some(false));
    assert_eq!(info.option("uv"), None);
    assert_eq!(info.max_msg_size(), 1200);
    assert_eq!(pin_protocols(info), [PinUvAuthProtocol::ONE]);
    assert_eq!(ctap.preferred_protocol(), Some(SupportedProtocol::One));
    assert_eq!(info.min_pin_length(), 4);
}

#[test]
fn get_info_with_an_unknown_key() {
    let ctap = Ctap2::new(fake_ctap::fixed(info_response(INFO_EXTRA_KEY))).unwrap();
    assert_eq!(
        ctap.info().versions,
        [CtapVersion::U2F_V2, CtapVersion::FIDO_2_0]
    );
}

#[test]
fn send_cbor_matches_python_fido2() {
    // python-fido2 test_send_cbor_ok: send_cbor(2, b"foobar") sends b"\2" + cbor(b"foobar")
    // and decodes {1: b"response"}.
    let response = {
        let mut r = vec![0];
        r.extend(
            cbor::to_vec(&fake_ctap::int_map(vec![(
                1,
                Value::Bytes(b"response".to_vec()),
            )]))
            .unwrap(),
        );
        r
    };
    let device = fake_ctap::scripted(vec![info_response(INFO), response]);
    let log = device.log.clone();
    let mut ctap = Ctap2::new(device).unwrap();
    let body = ctap
        .send_cbor(CommandCode::GET_ASSERTION, Some(&Bytes(b"foobar".to_vec())))
        .unwrap();
    let value: Value = cbor::from_slice(&body).unwrap();
    assert_eq!(
        value,
        fake_ctap::int_map(vec![(1, Value::Bytes(b"response".to_vec()))])
    );
    assert_eq!(log.lock().unwrap()[1].1, b"\x02\x46foobar");
}

#[test]
fn requests_over_max_msg_size_are_not_sent() {
    let device = fake_ctap::fixed(info_response(INFO));
    let log = device.log.clone();
    let mut ctap = Ctap2::new(device).unwrap();
    // 1 command byte + 3-byte string header + 1196 bytes = 1200: allowed.
    let fits = Bytes(vec![0; 1196]);
    let too_big = Bytes(vec![0; 1197]);
    assert!(ctap.send_cbor(CommandCode(0x41), Some(&fits)).is_ok());
    match ctap
        .send_cbor(CommandCode(0x41), Some(&too_big))
        .unwrap_err()
    {
        Error::Request(RequestError::TooLarge { len, max }) => assert_eq!((len, max), (1201, 1200)),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        log.lock().unwrap().len(),
        2,
        "getInfo and the request that fits"
    );
}

#[test]
fn status_bytes_become_typed_errors() {
    // (status, check)
    type Check = fn(&Error) -> bool;
    let table: &[(u8, Check)] = &[
        (0x31, |e| {
            matches!(e, Error::PinUv(PinUvError::PinInvalid { retries: None }))
        }),
        (0x32, |e| matches!(e, Error::PinUv(PinUvError::PinBlocked))),
        (0x33, |e| matches!(e, Error::PinUv(PinUvError::AuthInvalid))),
        (0x34, |e| {
            matches!(e, Error::PinUv(PinUvError::PinAuthBlocked))
        }),
        (0x35, |e| matches!(e, Error::PinUv(PinUvError::PinNotSet))),
        (0x36, |e| {
            matches!(e, Error::PinUv(PinUvError::TokenRequired))
        }),
        (0x37, |e| {
            matches!(e, Error::PinUv(PinUvError::PolicyViolation))
        }),
        (0x3C, |e| matches!(e, Error::PinUv(PinUvError::UvBlocked))),
        (0x3F, |e| {
            matches!(e, Error::PinUv(PinUvError::UvInvalid { .. }))
        }),
        (0x30, |e| {
            matches!(e, Error::Permission(PermissionError::NotAllowed))
        }),
        (0x27, |e| {
            matches!(e, Error::Permission(PermissionError::OperationDenied))
        }),
        (0x40, |e| {
            matches!(e, Error::Permission(PermissionError::Unauthorized))
        }),
        (0x2D, |e| {
            matches!(e, Error::Transport(TransportError::Cancelled))
        }),
        (
            0x2E,
            |e| matches!(e, Error::Ctap(c) if c.status() == CtapStatus::NO_CREDENTIALS),
        ),
        (
            0xF5,
            |e| matches!(e, Error::Ctap(c) if c.status() == CtapStatus(0xF5)),
        ),
    ];
    for (status, check) in table {
        let device = fake_ctap::scripted(vec![info_response(INFO), vec![*status]]);
        let mut ctap = Ctap2::new(device).unwrap();
        let err = ctap
            .send_cbor(CommandCode::GET_ASSERTION, None::<&()>)
            .unwrap_err();
        assert!(check(&err), "status {status:#04x} gave {err:?}");
    }
}

#[test]
fn empty_response_is_a_protocol_error() {
    let mut ctap = Ctap2::new(fake_ctap::scripted(vec![info_response(INFO), vec![]])).unwrap();
    assert!(matches!(
        ctap.send_cbor(CommandCode::SELECTION, None::<&()>)
            .unwrap_err(),
        Error::Response(ResponseError::Empty)
    ));
}

#[test]
fn responses_are_strict_by_default_and_lenient_on_request() {
    // {1: 5} with the 5 encoded in a needless one-byte argument (0x18 0x05).
    let non_canonical = vec![0x00, 0xA1, 0x01, 0x18, 0x05];
    let device = fake_ctap::scripted(vec![
        info_response(INFO),
        non_canonical.clone(),
        non_canonical,
    ]);
    let mut ctap = Ctap2::new(device).unwrap();
    // A vendor command: sent raw, its body decoded by the Ctap2's own decoder.
    fn vendor_call<D: fido_ctap::device::CtapDevice>(ctap: &mut Ctap2<D>) -> Result<Value, Error> {
        let body = ctap.send_cbor(CommandCode(0x41), None::<&()>)?;
        Ok(ctap.decoder().decode(&body)?)
    }
    match vendor_call(&mut ctap).unwrap_err() {
        Error::Decode(e) => assert_eq!(e.kind(), &DecodeErrorKind::NonMinimal),
        other => panic!("{other:?}"),
    }
    ctap.set_lenient(true);
    let value: Value = vendor_call(&mut ctap).unwrap();
    assert_eq!(value, fake_ctap::int_map(vec![(1, Value::Integer(5))]));
}

#[test]
fn non_canonical_get_info_is_refused() {
    // The real capture with its options map reordered ("up" before "rk") is not
    // canonical CBOR.
    let mut info = hex::decode(INFO).unwrap();
    let options_at = info.windows(2).position(|w| w == [0x04, 0xA4]).unwrap() + 2;
    let rk: &[u8] = &[0x62, b'r', b'k', 0xF5];
    assert_eq!(&info[options_at..options_at + 4], rk);
    info[options_at..options_at + 4].copy_from_slice(&[0x62, b'u', b'p', 0xF5]);
    info[options_at + 4..options_at + 8].copy_from_slice(rk);
    let mut response = vec![0];
    response.extend(info);
    // Issue 17 item 16: the error names the response and the member out of order, and
    // the lenient mode that accepts it.
    let error = Ctap2::new(fake_ctap::fixed(response.clone())).unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Response(ResponseError::NotCanonical { map: "Info", member, .. })
                if member == "\"rk\""
        ),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.contains("Info: member \"rk\""), "{text}");
    assert!(text.contains("lenient"), "{text}");
    assert!(text.contains("--lenient-cbor"), "{text}");
    let lenient = Ctap2::new_lenient(fake_ctap::fixed(response)).expect("lenient getInfo");
    assert_eq!(lenient.info().option(InfoOption::RK), Some(true));
}

#[test]
fn reset_selection_and_their_refusals() {
    let fake = fake_ctap::FakeAuthenticator::with_pin("1234").into_shared();
    let mut ctap = Ctap2::new(fake_ctap::device(&fake)).unwrap();
    ctap.selection().unwrap();

    fake.lock().unwrap().reset_allowed = false;
    assert!(matches!(
        ctap.reset().unwrap_err(),
        Error::Permission(PermissionError::NotAllowed)
    ));
    fake.lock().unwrap().reset_allowed = true;
    fake.lock().unwrap().reset_denied = true;
    assert!(matches!(
        ctap.reset().unwrap_err(),
        Error::Permission(PermissionError::OperationDenied)
    ));
    fake.lock().unwrap().reset_denied = false;
    ctap.reset().unwrap();
    assert_eq!(fake.lock().unwrap().pin_hash, None);
    assert_eq!(
        ctap.info().option("clientPin"),
        Some(true),
        "cached until refreshed"
    );
    assert_eq!(ctap.get_info().unwrap().option("clientPin"), Some(false));
    assert_eq!(ctap.info().option("clientPin"), Some(false));
}

#[test]
fn selection_needs_ctap_2_1() {
    let device = fake_ctap::fixed(info_response(INFO));
    let log = device.log.clone();
    let mut ctap = Ctap2::new(device).unwrap();
    assert!(matches!(
        ctap.selection().unwrap_err(),
        Error::Request(RequestError::Unsupported(_))
    ));
    assert_eq!(log.lock().unwrap().len(), 1);
}

#[test]
fn cancelled_before_sending() {
    let device = fake_ctap::fixed(info_response(INFO));
    let log = device.log.clone();
    let mut ctap = Ctap2::new(device).unwrap();
    ctap.cancel_token().cancel();
    assert!(matches!(
        ctap.get_info().unwrap_err(),
        Error::Transport(TransportError::Cancelled)
    ));
    assert_eq!(log.lock().unwrap().len(), 1);
}

// Request bytes python-fido2 2.2.1 sends for these calls, recorded from
// `fido2.ctap2.Ctap2` over a mock device (the inputs of tests/test_ctap2.py
// `test_make_credential` and `test_get_assertion`, plus a pinUvAuthParam, an allow list
// and options):
//   ctap.make_credential(b"\0"*32, {"id": "example.com", "name": "Example"},
//       {"id": b"user_id", "name": "user"}, [{"type": "public-key", "alg": -7}],
//       pin_uv_param=b"\x11"*16, pin_uv_protocol=1)
//   ctap.get_assertion("example.com", b"\0"*32,
//       allow_list=[{"type": "public-key", "id": b"\1"*16}], options={"up": False})
const MC_REQUEST: &str = "01a6015820000000000000000000000000000000000000000000000000000000000000000002a26269646b6578616d706c652e636f6d646e616d65674578616d706c6503a262696447757365725f6964646e616d6564757365720481a263616c672664747970656a7075626c69632d6b65790850111111111111111111111111111111110901";
const GA_REQUEST: &str = "02a4016b6578616d706c652e636f6d02582000000000000000000000000000000000000000000000000000000000000000000381a2626964500101010101010101010101010101010164747970656a7075626c69632d6b657905a1627570f4";

fn mc_request() -> fido_types::generated::MakeCredentialRequest {
    use fido_types::generated::{
        CoseAlgorithm, MakeCredentialRequest, PublicKeyCredentialParameters,
        PublicKeyCredentialRpEntity, PublicKeyCredentialType, PublicKeyCredentialUserEntity,
    };
    MakeCredentialRequest {
        client_data_hash: vec![0; 32],
        rp: PublicKeyCredentialRpEntity {
            id: "example.com".into(),
            name: Some("Example".into()),
        },
        user: PublicKeyCredentialUserEntity {
            id: b"user_id".to_vec(),
            name: Some("user".into()),
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
fn make_credential_request_and_real_response() {
    let mut response = vec![0];
    response.extend(hex::decode(fake_ctap::MC_RESPONSE).unwrap());
    let device = fake_ctap::scripted(vec![info_response(INFO), response]);
    let log = device.log.clone();
    let mut ctap = Ctap2::new(device).unwrap();
    let mut request = mc_request();
    request.pin_uv_auth_param = Some(vec![0x11; 16]);
    request.pin_uv_auth_protocol = Some(fido_types::generated::PinUvAuthProtocol::ONE);
    let response = ctap.make_credential(&request).unwrap();
    assert_eq!(hex::encode(&log.lock().unwrap()[1].1), MC_REQUEST);
    assert_eq!(response.fmt, "packed");
    assert_eq!(response.auth_data.len(), 0xC4);
    // python-fido2 `_AUTH_DATA_MC` starts with the RP ID hash, flags 0x41, counter 28.
    assert_eq!(
        hex::encode(&response.auth_data[..32]),
        "0021f5fc0b85cd22e60623bcd7d1ca48948909249b4776eb515154e57b66ae12"
    );
    assert_eq!(response.auth_data[32], 0x41);
    assert_eq!(
        response
            .att_stmt
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["alg", "sig", "x5c"]
    );
}

#[test]
fn get_assertion_request_and_real_response() {
    use fido_types::generated::{
        GetAssertionRequest, PublicKeyCredentialDescriptor, PublicKeyCredentialType,
    };
    let mut response = vec![0];
    response.extend(hex::decode(fake_ctap::GA_RESPONSE).unwrap());
    let device = fake_ctap::scripted(vec![info_response(INFO), response]);
    let log = device.log.clone();
    let mut ctap = Ctap2::new(device).unwrap();
    let mut options = fido_types::cbor::StrMap::new();
    options.insert("up".to_owned(), false);
    let request = GetAssertionRequest {
        rp_id: "example.com".into(),
        client_data_hash: vec![0; 32],
        allow_list: Some(vec![PublicKeyCredentialDescriptor {
            id: vec![1; 16],
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
            ..Default::default()
        }]),
        options: Some(options),
        ..Default::default()
    };
    let response = ctap.get_assertion(&request).unwrap();
    assert_eq!(hex::encode(&log.lock().unwrap()[1].1), GA_REQUEST);
    // python-fido2 test_get_assertion: credential, auth data (counter 29), signature, no
    // user, no numberOfCredentials.
    assert_eq!(response.credential.unwrap().id.len(), 64);
    assert_eq!(hex::encode(&response.auth_data[32..]), "010000001d");
    assert_eq!(hex::encode(&response.signature[..4]), "30440220");
    assert!(response.user.is_none() && response.number_of_credentials.is_none());
}

#[test]
fn get_assertions_collects_every_credential() {
    use fido_types::generated::GetAssertionRequest;
    let fake = fake_ctap::FakeAuthenticator::default().into_shared();
    let first = {
        let mut v: Value = cbor::from_slice(&hex::decode(fake_ctap::GA_RESPONSE).unwrap()).unwrap();
        if let Value::Map(m) = &mut v {
            m.insert(Value::Integer(5), Value::Integer(3));
        }
        v
    };
    let plain: Value = cbor::from_slice(&hex::decode(fake_ctap::GA_RESPONSE).unwrap()).unwrap();
    fake.lock().unwrap().assertions = vec![first, plain.clone(), plain];
    let device = fake_ctap::device(&fake);
    let log = device.log.clone();
    let mut ctap = Ctap2::new(device).unwrap();
    let request = GetAssertionRequest {
        rp_id: "example.com".into(),
        client_data_hash: vec![0; 32],
        ..Default::default()
    };
    let all = ctap.get_assertions(&request).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].number_of_credentials, Some(3));
    let commands: Vec<u8> = log.lock().unwrap().iter().map(|(_, m)| m[0]).collect();
    assert_eq!(commands, [0x04, 0x02, 0x08, 0x08]);
    // A fourth getNextAssertion is not allowed.
    assert!(matches!(
        ctap.get_next_assertion().unwrap_err(),
        Error::Permission(PermissionError::NotAllowed)
    ));
    // No credentials at all.
    fake.lock().unwrap().assertions.clear();
    assert!(matches!(
        ctap.get_assertions(&request).unwrap_err(),
        Error::Ctap(e) if e.status() == CtapStatus::NO_CREDENTIALS
    ));
}

#[test]
fn get_assertions_does_not_trust_a_huge_count() {
    use fido_types::generated::GetAssertionRequest;
    let fake = fake_ctap::FakeAuthenticator::default().into_shared();
    let mut v: Value = cbor::from_slice(&hex::decode(fake_ctap::GA_RESPONSE).unwrap()).unwrap();
    if let Value::Map(m) = &mut v {
        m.insert(Value::Integer(5), Value::Integer(i128::from(u32::MAX)));
    }
    fake.lock().unwrap().assertions = vec![v];
    let mut ctap = Ctap2::new(fake_ctap::device(&fake)).unwrap();
    let request = GetAssertionRequest {
        rp_id: "example.com".into(),
        client_data_hash: vec![0; 32],
        ..Default::default()
    };
    assert!(matches!(
        ctap.get_assertions(&request).unwrap_err(),
        Error::Response(ResponseError::Invalid {
            what: "numberOfCredentials",
            ..
        })
    ));
}

#[test]
fn optional_commands_are_refused_when_get_info_lacks_them() {
    use fido_types::generated::{
        BioEnrollmentRequest, ConfigRequest, ConfigSubCommand, CredentialManagementRequest,
        LargeBlobsRequest,
    };
    let device = fake_ctap::fixed(info_response(INFO));
    let log = device.log.clone();
    let mut ctap = Ctap2::new(device).unwrap();
    assert!(matches!(
        ctap.credential_mgmt(&CredentialManagementRequest::default())
            .unwrap_err(),
        Error::Request(RequestError::Unsupported(_))
    ));
    assert!(matches!(
        ctap.bio_enrollment(&BioEnrollmentRequest::default())
            .unwrap_err(),
        Error::Request(RequestError::Unsupported(_))
    ));
    assert!(matches!(
        ctap.large_blobs(&LargeBlobsRequest::default()).unwrap_err(),
        Error::Request(RequestError::Unsupported(_))
    ));
    let config = ConfigRequest {
        sub_command: ConfigSubCommand::TOGGLE_ALWAYS_UV,
        ..Default::default()
    };
    assert!(matches!(
        ctap.config(&config).unwrap_err(),
        Error::Request(RequestError::Unsupported(_))
    ));
    assert_eq!(log.lock().unwrap().len(), 1);
}

#[test]
fn keepalive_statuses_reach_the_callback() {
    use fido_ctap::device::KeepaliveStatus;
    use std::sync::{Arc, Mutex};
    let mut device = fake_ctap::fixed(info_response(INFO));
    device.keepalives = vec![KeepaliveStatus::PROCESSING, KeepaliveStatus::UP_NEEDED];
    let mut ctap = Ctap2::new(device).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    ctap.set_keepalive_callback(move |s| sink.lock().unwrap().push(s));
    ctap.get_info().unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [KeepaliveStatus::PROCESSING, KeepaliveStatus::UP_NEEDED]
    );
}
