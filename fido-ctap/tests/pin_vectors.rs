//! Known-answer tests: the `pinUvAuthParam` of every token-authenticated command equals what
//! python-fido2 2.2.1 computes for the same token, protocol and parameters.
//!
//! The vectors were recorded from python-fido2's own classes over a mock `Ctap2`, with the
//! token `bytes(range(32))`:
//!   Config(ctap, PinProtocolV2(), token).toggle_always_uv()
//!   CredentialManagement(ctap, PinProtocolV2(), token).get_metadata()
//!   CredentialManagement(...).enumerate_creds(sha256(b"example.com"))
//!   LargeBlobs(ctap, PinProtocolV2(), token).write_blob_array([])   # offset 0
//!   FPBioEnrollment(ctap, PinProtocolV2(), token).enroll_begin(10000)
//! Protocol one's parameters are the first 16 bytes of the same HMACs (python-fido2
//! PinProtocolV1 gave exactly those prefixes).

mod fake_ctap;

use std::collections::BTreeMap;

use fake_ctap::FakeAuthenticator;
use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::CtapDevice;
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::cbor::{self, Value};
use fido_types::generated::{
    BioEnrollmentParams, BioEnrollmentSubCommand, BioModality, ConfigSubCommand,
};
use fido_types::pin_protocol::{Pin, PinProtocol, ProtocolOne, ProtocolTwo};
use ring::digest;

const TOGGLE_ALWAYS_UV: &str = "32cf0f9234e40e7ac115bf2eef1a33b55404f74cb39063c9e46037fc672fd963";
const GET_CREDS_METADATA: &str = "9b4c8120a4823a95f47cde17a244f4507244ee6e3957d1fab9fa29b44d3829b7";
const ENUMERATE_CREDENTIALS_BEGIN: &str =
    "297e215b5ce8e700cdfed6d105d18a5b2494ae4688d772d60bba4060b247aed8";
// python-fido2 wrote the empty large-blob array: CBOR [] followed by the first 16 bytes of
// its SHA-256.
const EMPTY_BLOB_ARRAY: &str = "8076be8b528d0075f7aae98d6fa57a6d3c";
const LARGE_BLOB_WRITE: &str = "008b5df6adffc88a1ed8861176ccd3e55277ab04720916aaf5d3c176b15dee38";
const BIO_ENROLL_BEGIN: &str = "6bbb0881a5b91af3083def9018f2f8dbfeda0759009de0d50d66a57688db35ca";

fn token_bytes() -> [u8; 32] {
    core::array::from_fn(|i| i as u8)
}

/// The `key` member of the last CTAP2 request with command byte `cmd`.
fn sent_param(log: &fake_ctap::Log, cmd: u8, key: i128) -> String {
    let log = log.lock().unwrap();
    let (_, message) = log.iter().rev().find(|(_, m)| m[0] == cmd).unwrap();
    let map: BTreeMap<Value, Value> = cbor::from_slice(&message[1..]).unwrap();
    match map.get(&Value::Integer(key)) {
        Some(Value::Bytes(b)) => hex::encode(b),
        other => panic!("{other:?}"),
    }
}

fn expected<P: PinProtocol>(vector: &str) -> String {
    vector[..2 * P::AUTH_PARAM_LEN].to_owned()
}

fn check<P: PinProtocol>() {
    let fake = FakeAuthenticator {
        fixed_token: Some(token_bytes()),
        bio: true,
        ..FakeAuthenticator::with_pin("1234")
    }
    .into_shared();
    let device = fake_ctap::device(&fake);
    let log = device.log.clone();
    let device: Box<dyn CtapDevice> = Box::new(device);
    let mut session = Session::<_, P>::new(Ctap2::new(device).unwrap()).unwrap();
    let mut token = session
        .pin_token::<perms![
            AuthenticatorConfig,
            CredentialManagement,
            LargeBlobWrite,
            BioEnrollment
        ]>(&Pin::new("1234").unwrap())
        .unwrap();

    let toggle = token
        .config_auth(ConfigSubCommand::TOGGLE_ALWAYS_UV, None)
        .unwrap();
    assert_eq!(
        hex::encode(toggle.as_bytes()),
        expected::<P>(TOGGLE_ALWAYS_UV)
    );
    token.toggle_always_uv().unwrap();
    assert_eq!(sent_param(&log, 0x0D, 4), expected::<P>(TOGGLE_ALWAYS_UV));

    token.credentials_metadata().unwrap();
    assert_eq!(sent_param(&log, 0x0A, 4), expected::<P>(GET_CREDS_METADATA));

    let rp_hash: [u8; 32] = digest::digest(&digest::SHA256, b"example.com")
        .as_ref()
        .try_into()
        .unwrap();
    let creds = token.enumerate_credentials(rp_hash).unwrap();
    assert_eq!(creds.len(), 2);
    // The last 0x0A request is getNextCredential (unauthenticated); find the begin.
    {
        let log = log.lock().unwrap();
        let begin = log
            .iter()
            .rev()
            .find(|(_, m)| m[0] == 0x0A && m[1..].starts_with(&[0xA4, 0x01, 0x04]))
            .unwrap();
        let map: BTreeMap<Value, Value> = cbor::from_slice(&begin.1[1..]).unwrap();
        let Some(Value::Bytes(param)) = map.get(&Value::Integer(4)) else {
            panic!("no pinUvAuthParam in {map:?}")
        };
        assert_eq!(
            hex::encode(param),
            expected::<P>(ENUMERATE_CREDENTIALS_BEGIN)
        );
    }

    let blob = hex::decode(EMPTY_BLOB_ARRAY).unwrap();
    assert_eq!(
        hex::encode(token.large_blob_write_auth(0, &blob).unwrap().as_bytes()),
        expected::<P>(LARGE_BLOB_WRITE)
    );

    let params = BioEnrollmentParams {
        timeout_milliseconds: Some(10000),
        ..Default::default()
    };
    let response = token
        .bio_enrollment(
            BioModality::FINGERPRINT,
            BioEnrollmentSubCommand::ENROLL_BEGIN,
            Some(params),
        )
        .unwrap();
    assert_eq!(response.remaining_samples, Some(2));
    assert_eq!(sent_param(&log, 0x09, 5), expected::<P>(BIO_ENROLL_BEGIN));
}

#[test]
fn protocol_two_params_match_python_fido2() {
    check::<ProtocolTwo>();
}

#[test]
fn protocol_one_params_match_python_fido2() {
    check::<ProtocolOne>();
}
