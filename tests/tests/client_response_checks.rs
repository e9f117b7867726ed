//! Issue 17 item 14: `Fido2Client` checks each answer against its request. A proxy in
//! front of the software authenticator rewrites one part of the authenticator data (or
//! the credential) of makeCredential or getAssertion answers; the client must refuse
//! each with the matching `check::Mismatch`, and accept the untouched answers.

use std::sync::{Arc, Mutex};

use fido_authenticator::Config;
use fido_ctap::device::{
    CancelToken, CtapDevice, CtaphidCommand, DeviceInfo, KeepaliveStatus, Timeouts, TransportError,
};
use fido_tests::{Transport, client, create_options, get_options, open, plain};
use fido_types::cbor;
use fido_types::ctap2::{GetAssertionResponse, MakeCredentialResponse};
use fido_types::webauthn::{
    AuthenticationExtensionsClientInputs, ResidentKeyRequirement, UserVerificationRequirement,
};
use fido_webauthn::Error;
use fido_webauthn::check::Mismatch;
use fido_webauthn::interaction::{NoInteraction, ScriptedInteraction};

/// What the proxy does to the next answers.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tamper {
    None,
    RpIdHash,
    ClearUp,
    ClearUv,
    DropCredentialData,
    OtherCredential,
    /// Swap the first two members of the credential public key (kty and alg), so its
    /// map keys are out of canonical order.
    ReorderKey,
}

/// A device that passes everything through and rewrites makeCredential (0x01) and
/// getAssertion (0x02) answers as its [`Tamper`] says.
struct Proxy {
    inner: Box<dyn CtapDevice>,
    tamper: Arc<Mutex<Tamper>>,
    last_command: u8,
}

fn rewrite_auth_data(auth_data: &mut Vec<u8>, tamper: Tamper) {
    match tamper {
        Tamper::RpIdHash => auth_data[0] ^= 0xFF,
        Tamper::ClearUp => auth_data[32] &= !0x01,
        Tamper::ClearUv => auth_data[32] &= !0x04,
        Tamper::DropCredentialData => {
            auth_data.truncate(37);
            auth_data[32] &= !0xC0;
        }
        Tamper::ReorderKey => {
            let id_len = usize::from(u16::from_be_bytes([auth_data[53], auth_data[54]]));
            let key = 55 + id_len;
            assert_eq!(&auth_data[key..key + 5], &[0xA5, 0x01, 0x02, 0x03, 0x26]);
            auth_data[key + 1..key + 5].copy_from_slice(&[0x03, 0x26, 0x01, 0x02]);
        }
        Tamper::None | Tamper::OtherCredential => {}
    }
}

impl Proxy {
    fn rewrite(&self, response: Vec<u8>) -> Vec<u8> {
        let tamper = *self.tamper.lock().unwrap();
        if tamper == Tamper::None || response.first() != Some(&0) {
            return response;
        }
        let body = match self.last_command {
            0x01 => {
                let mut r: MakeCredentialResponse = cbor::from_slice(&response[1..]).unwrap();
                rewrite_auth_data(&mut r.auth_data, tamper);
                cbor::to_vec(&r).unwrap()
            }
            0x02 => {
                let mut r: GetAssertionResponse = cbor::from_slice(&response[1..]).unwrap();
                rewrite_auth_data(&mut r.auth_data, tamper);
                if let (Tamper::OtherCredential, Some(c)) = (tamper, r.credential.as_mut()) {
                    c.id = vec![0xEE; c.id.len()];
                }
                cbor::to_vec(&r).unwrap()
            }
            _ => return response,
        };
        [vec![0], body].concat()
    }
}

impl CtapDevice for Proxy {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        self.last_command = payload.first().copied().unwrap_or(0);
        let response = self.inner.call(cmd, payload, cancel, on_keepalive)?;
        if cmd == CtaphidCommand::CBOR {
            return Ok(self.rewrite(response));
        }
        Ok(response)
    }

    fn info(&self) -> &DeviceInfo {
        self.inner.info()
    }

    fn timeouts(&self) -> Timeouts {
        self.inner.timeouts()
    }

    fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.inner.set_timeouts(timeouts)
    }

    fn close(&mut self) {
        self.inner.close()
    }
}

fn proxied_device(config: Config, tamper: &Arc<Mutex<Tamper>>) -> Box<dyn CtapDevice> {
    Box::new(Proxy {
        inner: open(config, Transport::InProcess),
        tamper: Arc::clone(tamper),
        last_command: 0,
    })
}

fn proxied(config: Config) -> (Box<dyn CtapDevice>, Arc<Mutex<Tamper>>) {
    let tamper = Arc::new(Mutex::new(Tamper::None));
    let proxy = Proxy {
        inner: open(config, Transport::InProcess),
        tamper: Arc::clone(&tamper),
        last_command: 0,
    };
    (Box::new(proxy), tamper)
}

fn mismatch(error: Error) -> Mismatch {
    match error {
        Error::Mismatch(m) => m,
        other => panic!("expected a mismatch, got {other:?}"),
    }
}

const DISCOURAGED: UserVerificationRequirement = UserVerificationRequirement::DISCOURAGED;
const NO_RK: ResidentKeyRequirement = ResidentKeyRequirement::DISCOURAGED;

#[test]
fn registrations_that_contradict_the_request_are_refused() {
    let (device, tamper) = proxied(plain(41));
    let mut client = client(device, NoInteraction);
    let cancel = CancelToken::new();
    let options = create_options(DISCOURAGED, NO_RK);
    for (how, expected) in [
        (Tamper::RpIdHash, "RpIdHash"),
        (Tamper::ClearUp, "UserPresence"),
        (Tamper::DropCredentialData, "NoAttestedCredential"),
    ] {
        *tamper.lock().unwrap() = how;
        let err = mismatch(client.make_credential(&options, &cancel).unwrap_err());
        assert!(format!("{err:?}").starts_with(expected), "{how:?}: {err:?}");
    }
    *tamper.lock().unwrap() = Tamper::None;
    client
        .make_credential(&options, &cancel)
        .expect("untouched answer");
}

#[test]
fn assertions_that_contradict_the_request_are_refused() {
    let (device, tamper) = proxied(plain(42));
    let mut client = client(device, NoInteraction);
    let cancel = CancelToken::new();
    let registered = client
        .make_credential(&create_options(DISCOURAGED, NO_RK), &cancel)
        .expect("registration");
    let options = get_options(&[registered.raw_id().to_vec()], DISCOURAGED);
    for (how, expected) in [
        (Tamper::RpIdHash, "RpIdHash"),
        (Tamper::ClearUp, "UserPresence"),
        (Tamper::OtherCredential, "CredentialNotAllowed"),
    ] {
        *tamper.lock().unwrap() = how;
        let err = mismatch(client.get_assertion(&options, &cancel).unwrap_err());
        assert!(format!("{err:?}").starts_with(expected), "{how:?}: {err:?}");
    }
    *tamper.lock().unwrap() = Tamper::None;
    client
        .get_assertion(&options, &cancel)
        .expect("untouched answer");
}

#[test]
fn required_verification_must_be_reported() {
    let config = Config {
        pin: Some("1234".into()),
        ..plain(43)
    };
    let (device, tamper) = proxied(config);
    let ui = ScriptedInteraction::new().with_pins(["1234", "1234", "1234", "1234"]);
    let mut client = client(device, ui);
    let cancel = CancelToken::new();
    let required = UserVerificationRequirement::REQUIRED;
    *tamper.lock().unwrap() = Tamper::ClearUv;
    let err = client
        .make_credential(&create_options(required.clone(), NO_RK), &cancel)
        .unwrap_err();
    assert_eq!(mismatch(err), Mismatch::UserVerification);
    *tamper.lock().unwrap() = Tamper::None;
    let registered = client
        .make_credential(&create_options(required.clone(), NO_RK), &cancel)
        .expect("registration");
    *tamper.lock().unwrap() = Tamper::ClearUv;
    let options = get_options(&[registered.raw_id().to_vec()], required);
    let err = client.get_assertion(&options, &cancel).unwrap_err();
    assert_eq!(mismatch(err), Mismatch::UserVerification);
}

#[test]
fn a_non_canonical_credential_key_is_refused_unless_lenient() {
    // Issue 17 items 15 and 16: the authenticator data inside a response goes through
    // the strict decoder by default; the error names the map and the member and the
    // lenient mode, which accepts it.
    let tamper = Arc::new(Mutex::new(Tamper::ReorderKey));
    let cancel = CancelToken::new();
    let options = create_options(DISCOURAGED, NO_RK);
    let mut strict = client(proxied_device(plain(44), &tamper), NoInteraction);
    let err = strict.make_credential(&options, &cancel).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::InvalidResponse(_)), "{err:?}");
    assert!(
        text.contains("credential public key, member 0x01"),
        "{text}"
    );
    assert!(text.contains("--lenient-cbor"), "{text}");

    let collector =
        fido_webauthn::collector::DefaultClientDataCollector::from_origin(fido_tests::ORIGIN);
    let mut lenient = fido_webauthn::Fido2Client::with_cbor_mode(
        proxied_device(plain(45), &tamper),
        collector,
        NoInteraction,
        true,
    )
    .unwrap();
    let registration = lenient.make_credential(&options, &cancel).expect("lenient");
    assert_eq!(
        registration.response().public_key_algorithm(),
        fido_types::cose::CoseAlgorithm::ES256
    );
}

#[test]
fn a_contradicting_assertion_writes_no_large_blob() {
    // The checks run before any extension acts on an answer: the largeBlob write that a
    // tampered assertion would have led to is never sent, so the credential's blob stays
    // absent; the same write on an untouched answer lands.
    let config = Config {
        pin: Some("1234".into()),
        ..plain(46)
    };
    let (device, tamper) = proxied(config);
    let ui = ScriptedInteraction::new().with_pins(["1234"; 12]);
    let mut client = client(device, ui);
    let cancel = CancelToken::new();
    let inputs = |json: &str| -> AuthenticationExtensionsClientInputs {
        serde_json::from_str(json).expect("extension inputs")
    };
    let required = UserVerificationRequirement::REQUIRED;
    let create = create_options(required.clone(), ResidentKeyRequirement::REQUIRED)
        .with_extensions(inputs(r#"{"largeBlob":{"support":"required"}}"#));
    let id = client
        .make_credential(&create, &cancel)
        .expect("registration")
        .raw_id()
        .to_vec();
    // "Zmlyc3QgYmxvYg" is base64url("first blob").
    let write = get_options(std::slice::from_ref(&id), required.clone())
        .with_extensions(inputs(r#"{"largeBlob":{"write":"Zmlyc3QgYmxvYg"}}"#));
    let read =
        get_options(&[id], required).with_extensions(inputs(r#"{"largeBlob":{"read":true}}"#));
    let blob = |client: &mut fido_webauthn::Fido2Client| {
        let selection = client.get_assertion(&read, &cancel).expect("read");
        let response = selection.response(0).expect("response");
        let results = response.client_extension_results().large_blob.clone();
        results.and_then(|l| l.blob).map(|b| b.as_bytes().to_vec())
    };

    *tamper.lock().unwrap() = Tamper::RpIdHash;
    let err = mismatch(client.get_assertion(&write, &cancel).unwrap_err());
    assert!(format!("{err:?}").starts_with("RpIdHash"), "{err:?}");
    *tamper.lock().unwrap() = Tamper::None;
    assert_eq!(blob(&mut client), None, "a refused answer wrote a blob");

    client
        .get_assertion(&write, &cancel)
        .expect("untouched write");
    assert_eq!(blob(&mut client).as_deref(), Some(&b"first blob"[..]));
}
