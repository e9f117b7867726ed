//! `Ctap1` against python-fido2's published U2F vectors (tests/test_ctap1.py, whose
//! register and authenticate responses come from real authenticators), plus the error
//! paths: status words, truncated and malformed responses, bad signatures.

mod fake_ctap;

use fido_ctap::ctap1::{Ctap1, RegistrationData, SignatureData, U2fControl, encode_apdu};
use fido_ctap::device::CtaphidCommand;
use fido_ctap::error::{Error, RequestError, ResponseError};
use fido_types::apdu::ApduStatus;
use hex_literal_free::h;

/// Hex to bytes, for the vectors below.
mod hex_literal_free {
    pub fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }
}

// python-fido2 tests/test_ctap1.py `test_register`: a real registration response.
const REG_RESPONSE: &str = "0504b174bc49c7ca254b70d2e5c207cee9cf174820ebd77ea3c65508c26da51b657c1cc6b952f8621697936482da0a6d3d3826a59095daf6cd7c03e2e60385d2f6d9402a552dfdb7477ed65fd84133f86196010b2215b57da75d315b7b9e8fe2e3925a6019551bab61d16591659cbaf00b4950f7abfe6660e2e006f76868b772d70c253082013c3081e4a003020102020a47901280001155957352300a06082a8648ce3d0403023017311530130603550403130c476e756262792050696c6f74301e170d3132303831343138323933325a170d3133303831343138323933325a3031312f302d0603550403132650696c6f74476e756262792d302e342e312d34373930313238303030313135353935373335323059301306072a8648ce3d020106082a8648ce3d030107034200048d617e65c9508e64bcc5673ac82a6799da3c1446682c258c463fffdf58dfd2fa3e6c378b53d795c4a4dffb4199edd7862f23abaf0203b4b8911ba0569994e101300a06082a8648ce3d0403020347003044022060cdb6061e9c22262d1aac1d96d8c70829b2366531dda268832cb836bcd30dfa0220631b1459f09e6330055722c8d89b7f48883b9089b88d60d1d9795902b30410df304502201471899bcc3987e62e8202c9b39c33c19033f7340352dba80fcab017db9230e402210082677d673d891933ade6f617e5dbde2e247e70423fd5ad7804a6d3d3961ef871";
const REG_CLIENT_PARAM: &str = "4142d21c00d94ffb9d504ada8f99b721f4b191ae4e37ca0140f696b6983cfacb";
const REG_APP_PARAM: &str = "f0e6a6a97042a4f1f1c87f5f7d44315b2d852c2df5c7991cc66241bf7072d1c4";
const REG_PUBLIC_KEY: &str = "04b174bc49c7ca254b70d2e5c207cee9cf174820ebd77ea3c65508c26da51b657c1cc6b952f8621697936482da0a6d3d3826a59095daf6cd7c03e2e60385d2f6d9";
const REG_KEY_HANDLE: &str = "2a552dfdb7477ed65fd84133f86196010b2215b57da75d315b7b9e8fe2e3925a6019551bab61d16591659cbaf00b4950f7abfe6660e2e006f76868b772d70c25";
const REG_SIGNATURE: &str = "304502201471899bcc3987e62e8202c9b39c33c19033f7340352dba80fcab017db9230e402210082677d673d891933ade6f617e5dbde2e247e70423fd5ad7804a6d3d3961ef871";

// python-fido2 tests/test_ctap1.py `test_authenticate`.
const AUTH_RESPONSE: &str = "0100000001304402204b5f0cd17534cedd8c34ee09570ef542a353df4436030ce43d406de870b847780220267bb998fac9b7266eb60e7cb0b5eabdfd5ba9614f53c7b22272ec10047a923f";
const AUTH_CLIENT_PARAM: &str = "ccd6ee2e47baef244d49a222db496bad0ef5b6f93aa7cc4d30c4821b3b9dbc57";
const AUTH_APP_PARAM: &str = "4b0be934baebb5d12d26011b69227fa5e86df94e7d94aa2949a89f2d493992ca";
const AUTH_PUBLIC_KEY: &str = "04d368f1b665bade3c33a20f1e429c7750d5033660c019119d29aa4ba7abc04aa7c80a46bbe11ca8cb5674d74f31f8a903f6bad105fb6ab74aefef4db8b0025e1d";

fn arr32(s: &str) -> [u8; 32] {
    h(s).try_into().unwrap()
}

fn with_sw(body: &str, sw: u16) -> Vec<u8> {
    let mut out = h(body);
    out.extend(sw.to_be_bytes());
    out
}

#[test]
fn send_apdu_frames_as_python_fido2_does() {
    // test_send_apdu_ok: b"\1\2\3\4\0\0\6foobar\0\0", answered b"response\x90\x00".
    let device = fake_ctap::fixed(b"response\x90\x00".to_vec());
    let log = device.log.clone();
    let mut ctap = Ctap1::new(device);
    assert_eq!(ctap.send_apdu(1, 2, 3, 4, b"foobar").unwrap(), b"response");
    let sent = log.lock().unwrap();
    assert_eq!(sent[0].0, CtaphidCommand::MSG);
    assert_eq!(sent[0].1, b"\x01\x02\x03\x04\x00\x00\x06foobar\x00\x00");
}

#[test]
fn error_status_word_keeps_code_and_data() {
    // test_send_apdu_err: b"err\x6a\x80" -> ApduError(0x6A80, b"err").
    let mut ctap = Ctap1::new(fake_ctap::fixed(b"err\x6a\x80".to_vec()));
    match ctap.send_apdu(1, 2, 3, 4, b"foobar").unwrap_err() {
        Error::Apdu(e) => {
            assert_eq!(e.status(), ApduStatus::WRONG_DATA);
            assert_eq!(e.data(), b"err");
        }
        other => panic!("expected an APDU error, got {other:?}"),
    }
}

#[test]
fn response_without_status_word_is_truncated() {
    let mut ctap = Ctap1::new(fake_ctap::fixed(vec![0x90]));
    assert!(matches!(
        ctap.send_apdu(0, 3, 0, 0, &[]).unwrap_err(),
        Error::Response(ResponseError::Truncated { len: 1, .. })
    ));
}

#[test]
fn get_version() {
    // test_get_version: request b"\0\3\0\0\0\0\0\0\0".
    let device = fake_ctap::fixed(b"U2F_V2\x90\x00".to_vec());
    let log = device.log.clone();
    let mut ctap = Ctap1::new(device);
    assert_eq!(ctap.get_version().unwrap(), "U2F_V2");
    assert_eq!(log.lock().unwrap()[0].1, [0, 3, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn register_parses_and_verifies_the_real_response() {
    let device = fake_ctap::fixed(with_sw(REG_RESPONSE, 0x9000));
    let log = device.log.clone();
    let mut ctap = Ctap1::new(device);
    let (client, app) = (arr32(REG_CLIENT_PARAM), arr32(REG_APP_PARAM));
    let reg = ctap.register(&client, &app).unwrap();

    let mut expected = vec![0, 1, 0, 0, 0, 0, 0x40];
    expected.extend(client);
    expected.extend(app);
    expected.extend([0, 0]);
    assert_eq!(log.lock().unwrap()[0].1, expected);

    assert_eq!(reg.public_key().as_slice(), h(REG_PUBLIC_KEY));
    assert_eq!(reg.key_handle(), h(REG_KEY_HANDLE));
    assert_eq!(reg.certificate().len(), 0x13c + 4);
    assert_eq!(reg.signature(), h(REG_SIGNATURE));
    reg.verify(&app, &client).unwrap();

    // Any other challenge or application fails verification.
    let mut wrong = client;
    wrong[0] ^= 1;
    assert!(matches!(
        reg.verify(&app, &wrong).unwrap_err(),
        Error::Response(ResponseError::BadSignature(_))
    ));
}

#[test]
fn authenticate_requests_and_verifies() {
    let device = fake_ctap::fixed(with_sw(AUTH_RESPONSE, 0x9000));
    let log = device.log.clone();
    let mut ctap = Ctap1::new(device);
    let (client, app) = (arr32(AUTH_CLIENT_PARAM), arr32(AUTH_APP_PARAM));

    let sig = ctap.authenticate(&client, &app, &[3; 64], false).unwrap();
    assert_eq!(sig.user_presence(), 1);
    assert_eq!(sig.counter(), 1);
    let public_key: [u8; 65] = h(AUTH_PUBLIC_KEY).try_into().unwrap();
    sig.verify(&app, &client, &public_key).unwrap();
    assert!(sig.verify(&client, &app, &public_key).is_err());

    ctap.authenticate(&client, &app, &[4; 8], false).unwrap();
    ctap.authenticate(&client, &app, &[4; 8], true).unwrap();
    ctap.authenticate_with_control(U2fControl::DONT_ENFORCE_PRESENCE, &client, &app, &[4; 8])
        .unwrap();

    // Request bytes from test_authenticate: P1 0x03 (enforce) and 0x07 (check-only), Lc
    // 0x81 / 0x49, the key handle length before the handle.
    let request = |p1: u8, kh: &[u8]| {
        let mut data = client.to_vec();
        data.extend(app);
        data.push(kh.len() as u8);
        data.extend(kh);
        encode_apdu(0, 2, p1, 0, &data).unwrap()
    };
    let sent = log.lock().unwrap();
    assert_eq!(&sent[0].1[..7], [0, 2, 3, 0, 0, 0, 0x81]);
    assert_eq!(sent[0].1, request(0x03, &[3; 64]));
    assert_eq!(&sent[1].1[..7], [0, 2, 3, 0, 0, 0, 0x49]);
    assert_eq!(sent[2].1, request(0x07, &[4; 8]));
    assert_eq!(sent[3].1, request(0x08, &[4; 8]));
}

#[test]
fn check_only_reads_the_status_word() {
    let app = [7; 32];
    let mut known = Ctap1::new(fake_ctap::fixed(vec![0x69, 0x85]));
    assert!(known.is_key_handle_known(&app, &[1; 16]).unwrap());
    let mut unknown = Ctap1::new(fake_ctap::fixed(vec![0x6A, 0x80]));
    assert!(!unknown.is_key_handle_known(&app, &[1; 16]).unwrap());
    let mut odd = Ctap1::new(fake_ctap::fixed(vec![0x6D, 0x00]));
    assert!(matches!(
        odd.is_key_handle_known(&app, &[1; 16]).unwrap_err(),
        Error::Apdu(e) if e.status() == ApduStatus::INS_NOT_SUPPORTED
    ));
}

#[test]
fn requests_that_cannot_be_framed_are_refused() {
    let device = fake_ctap::fixed(vec![0x90, 0x00]);
    let log = device.log.clone();
    let mut ctap = Ctap1::new(device);
    assert!(matches!(
        ctap.authenticate(&[0; 32], &[0; 32], &[0; 256], false)
            .unwrap_err(),
        Error::Request(RequestError::Invalid(_))
    ));
    assert!(matches!(
        encode_apdu(0, 1, 0, 0, &vec![0; 65536]).unwrap_err(),
        Error::Request(RequestError::Invalid(_))
    ));
    assert!(log.lock().unwrap().is_empty());
}

#[test]
fn malformed_registration_data_is_a_typed_error() {
    let good = h(REG_RESPONSE);
    // (description, bytes, check)
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("only the reserved byte and key", good[..66].to_vec()),
        ("key handle longer than the data", {
            let mut d = good[..67].to_vec();
            d[66] = 0xFF;
            d
        }),
        ("certificate cut short", good[..200].to_vec()),
        ("no signature", good[..67 + 64 + 0x140].to_vec()),
    ];
    for (what, data) in cases {
        assert!(
            matches!(
                RegistrationData::parse(&data),
                Err(Error::Response(
                    ResponseError::Truncated { .. } | ResponseError::Invalid { .. }
                ))
            ),
            "{what}"
        );
    }
    let mut bad_reserved = good.clone();
    bad_reserved[0] = 0x04;
    assert!(matches!(
        RegistrationData::parse(&bad_reserved),
        Err(Error::Response(ResponseError::Invalid { reason, .. })) if reason.contains("0x05")
    ));
    let mut compressed = good.clone();
    compressed[1] = 0x02;
    assert!(RegistrationData::parse(&compressed).is_err());
    let mut not_der = good.clone();
    not_der[67 + 64] = 0x31;
    assert!(matches!(
        RegistrationData::parse(&not_der),
        Err(Error::Response(ResponseError::Invalid {
            what: "attestation certificate",
            ..
        }))
    ));

    // A flipped signature byte parses but does not verify.
    let mut flipped = good;
    let last = flipped.len() - 1;
    flipped[last] ^= 0x01;
    let reg = RegistrationData::parse(&flipped).unwrap();
    assert!(matches!(
        reg.verify(&arr32(REG_APP_PARAM), &arr32(REG_CLIENT_PARAM))
            .unwrap_err(),
        Error::Response(ResponseError::BadSignature(_))
    ));
}

#[test]
fn signature_data_needs_a_signature() {
    assert!(matches!(
        SignatureData::parse(&[1, 0, 0, 0, 1]).unwrap_err(),
        Error::Response(ResponseError::Truncated { len: 5, .. })
    ));
    let sig = SignatureData::parse(&[0, 0, 0, 1, 0, 0x30]).unwrap();
    assert_eq!(sig.counter(), 256);
    assert_eq!(sig.user_presence(), 0);
}

#[test]
fn registration_key_as_cose_and_off_curve_keys() {
    use fido_types::cose::CoseAlgorithm;
    let reg = RegistrationData::parse(&h(REG_RESPONSE)).unwrap();
    let key = reg.cose_key();
    assert_eq!(key.alg(), Some(CoseAlgorithm::ES256));
    // The COSE key holds the same point as the raw U2F key.
    match key {
        fido_types::cose::CoseKey::Ec2(k) => {
            assert_eq!(k.uncompressed_point(), reg.public_key().to_vec())
        }
        other => panic!("{other:?}"),
    }
    let mut with_other_y = h(REG_RESPONSE);
    with_other_y[65] ^= 0x01; // last byte of y: no longer on P-256
    assert!(matches!(
        RegistrationData::parse(&with_other_y).unwrap_err(),
        Error::Response(ResponseError::Invalid {
            what: "U2F public key",
            ..
        })
    ));

    // python-fido2 test_authenticate's key and signature verify through COSE as well.
    let public_key = h(AUTH_PUBLIC_KEY);
    let cose = fido_types::cose::CoseKey::from_ctap1(&public_key).unwrap();
    let sig = SignatureData::parse(&h(AUTH_RESPONSE)).unwrap();
    let mut message = h(AUTH_APP_PARAM);
    message.push(sig.user_presence());
    message.extend(sig.counter().to_be_bytes());
    message.extend(h(AUTH_CLIENT_PARAM));
    cose.verify(&message, sig.signature()).unwrap();
}
