//! `Fido2Client` against a scripted fake device (canned CTAP2 answers, requests recorded).
//! End-to-end tests against the virtual authenticator live in the `fido-tests` package
//! (`tests/tests/`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use fido_ctap::device::{
    CtaphidCommand, DeviceDescriptor, DeviceInfo, KeepaliveStatus, Timeouts, TransportError,
};
use fido_types::cbor::{self, StrMap};
use fido_types::ctap2::{GetAssertionRequest, GetAssertionResponse};
use fido_types::generated::{
    CtapVersion, InfoOption, PinUvAuthProtocol, PublicKeyCredentialDescriptor,
    PublicKeyCredentialType,
};
use fido_types::status::CtapStatus;
use fido_types::webauthn::{
    PublicKeyCredentialDescriptor as WebDescriptor, UserVerificationRequirement,
};

use super::*;
use crate::collector::DefaultClientDataCollector;
use crate::interaction::ScriptedInteraction;

/// The CBOR requests a [`Scripted`] device received, command byte first.
type Log = Arc<Mutex<Vec<Vec<u8>>>>;

/// A CTAP2 device that answers each CBOR request with the next canned response.
struct Scripted {
    info: DeviceInfo,
    answers: VecDeque<Vec<u8>>,
    log: Log,
}

impl Scripted {
    fn new(answers: Vec<Vec<u8>>) -> (Self, Log) {
        let log = Log::default();
        let device = Scripted {
            info: DeviceInfo {
                descriptor: DeviceDescriptor::from_uri("virtual".parse().unwrap()),
                protocol_version: 2,
                major: 1,
                minor: 0,
                build: 0,
                capabilities: CapabilityFlags::CBOR,
            },
            answers: answers.into(),
            log: Arc::clone(&log),
        };
        (device, log)
    }
}

impl CtapDevice for Scripted {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        _cancel: &CancelToken,
        _on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        assert_eq!(cmd, CtaphidCommand::CBOR);
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(payload.to_vec());
        Ok(self.answers.pop_front().expect("a canned answer"))
    }

    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn timeouts(&self) -> Timeouts {
        Timeouts::default()
    }

    fn set_timeouts(&mut self, _timeouts: Timeouts) {}

    fn close(&mut self) {}
}

/// A success answer with this CBOR body.
fn ok(body: Vec<u8>) -> Vec<u8> {
    [vec![0x00], body].concat()
}

fn options(entries: &[(InfoOption, bool)]) -> Option<StrMap<bool>> {
    let mut map = StrMap::new();
    for (k, v) in entries {
        map.insert(k.as_str().to_owned(), *v);
    }
    Some(map)
}

fn client(device: Scripted, ui: ScriptedInteraction) -> Fido2Client<Scripted> {
    let collector = DefaultClientDataCollector::from_origin("https://login.example.com");
    Fido2Client::new(device, collector, ui).expect("client")
}

fn descriptor(id: u8) -> PublicKeyCredentialDescriptor {
    PublicKeyCredentialDescriptor {
        id: vec![id; 16],
        credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        transports: None,
    }
}

/// The getAssertion requests in `log` (command 0x02).
fn get_assertions(log: &Log) -> Vec<GetAssertionRequest> {
    log.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .filter(|r| r.first() == Some(&0x02))
        .map(|r| cbor::from_slice(&r[1..]).unwrap())
        .collect()
}

#[test]
fn the_uv_option_goes_on_the_ceremony_not_on_the_probes() {
    // CTAP 2.0 with built-in UV and one credential per request: a two-entry allow list
    // is probed in two batches, and only the real request carries `uv: true`.
    let info = Info {
        versions: vec![CtapVersion::FIDO_2_0],
        options: options(&[(InfoOption::UV, true)]),
        max_credential_count_in_list: Some(1),
        ..Info::default()
    };
    let found = GetAssertionResponse {
        credential: Some(descriptor(2)),
        // rpIdHash of example.com, UP and UV set: the client checks both (issue 17).
        auth_data: [
            &crate::check::rp_id_hash("example.com")[..],
            &[0x05, 0, 0, 0, 1],
        ]
        .concat(),
        signature: vec![1],
        ..Default::default()
    };
    let (device, log) = Scripted::new(vec![
        ok(cbor::to_vec(&info).unwrap()),
        vec![CtapStatus::NO_CREDENTIALS.0],
        ok(cbor::to_vec(&found).unwrap()),
        ok(cbor::to_vec(&found).unwrap()),
    ]);
    let mut client = client(device, ScriptedInteraction::new());
    let request = PublicKeyCredentialRequestOptions::new(b"challenge".to_vec())
        .with_rp_id("example.com")
        .with_allow_credentials(vec![
            WebDescriptor::public_key(vec![1; 16]),
            WebDescriptor::public_key(vec![2; 16]),
        ])
        .with_user_verification(UserVerificationRequirement::REQUIRED);
    let selection = client
        .get_assertion(&request, &CancelToken::new())
        .expect("assertion");
    assert_eq!(selection.len(), 1);

    let sent = get_assertions(&log);
    assert_eq!(sent.len(), 3, "two probes, then the request");
    let silent = options(&[(InfoOption::UP, false)]);
    for (probe, id) in sent[..2].iter().zip([1, 2]) {
        assert_eq!(probe.options, silent);
        assert_eq!(probe.allow_list, Some(vec![descriptor(id)]));
    }
    assert_eq!(sent[2].options, options(&[(InfoOption::UV, true)]));
    assert_eq!(sent[2].allow_list, Some(vec![descriptor(2)]));
}

#[test]
fn a_refused_token_keeps_the_device() {
    // A PIN is set but the only PIN/UV auth protocol is one this library lacks: the PIN
    // cannot be used, and the client keeps working with the device afterwards.
    let info = Info {
        versions: vec![CtapVersion::FIDO_2_1],
        options: options(&[(InfoOption::CLIENT_PIN, true)]),
        pin_uv_auth_protocols: Some(vec![PinUvAuthProtocol(9)]),
        ..Info::default()
    };
    let (device, log) = Scripted::new(vec![
        ok(cbor::to_vec(&info).unwrap()),
        ok(cbor::to_vec(&info).unwrap()),
        vec![0x00],
    ]);
    let mut client = client(device, ScriptedInteraction::new().with_pins(["1234"]));
    let request = PublicKeyCredentialRequestOptions::new(b"challenge".to_vec())
        .with_rp_id("example.com")
        .with_user_verification(UserVerificationRequirement::REQUIRED);
    let error = client
        .get_assertion(&request, &CancelToken::new())
        .unwrap_err();
    assert!(matches!(error, Error::UvNotConfigured), "{error:?}");
    client
        .selection(&CancelToken::new())
        .expect("the device is still there");
    assert!(client.info().is_some());
    let commands: Vec<u8> = log
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .map(|r| r[0])
        .collect();
    // getInfo, getInfo again (the error may mean a stale one), authenticatorSelection.
    assert_eq!(commands, [0x04, 0x04, 0x0B]);
}
