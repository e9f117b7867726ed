//! The CTAP messages each ceremony sends (counted with `fido_ctap::device::CountingDevice`)
//! are the minimum: no getInfo beyond the client's first, no pre-flight for a list that
//! fits one request, one key agreement and one token per verified ceremony; and a getInfo
//! made stale by another client is refreshed when a request fails because of it.

use std::sync::Arc;

use fido_authenticator::Config;
use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::{CancelToken, CountingDevice, CtapDevice, MessageLog};
use fido_ctap::pin::Session;
use fido_tests::{
    Transport, client, create_options, enroll_finger, get_options, open, open_udp, serve_udp,
};
use fido_types::pin_protocol::{Pin, ProtocolTwo};
use fido_types::webauthn::{ResidentKeyRequirement, UserVerificationRequirement};
use fido_webauthn::Fido2Client;
use fido_webauthn::interaction::{NoInteraction, ScriptedInteraction, UserInteraction};

const REQUIRED: UserVerificationRequirement = UserVerificationRequirement::REQUIRED;
const DISCOURAGED: UserVerificationRequirement = UserVerificationRequirement::DISCOURAGED;
const NO_RK: ResidentKeyRequirement = ResidentKeyRequirement::DISCOURAGED;

fn counted(
    device: Box<dyn CtapDevice>,
    ui: impl UserInteraction + Send + Sync + 'static,
) -> (Fido2Client, MessageLog) {
    let device = CountingDevice::new(device);
    let log = device.log();
    let client = client(Box::new(device), ui);
    assert_eq!(log.take(), ["getInfo"], "the client's one getInfo");
    (client, log)
}

/// Registers then authenticates with `allow_extra` strangers before the credential;
/// returns the messages of each ceremony.
fn ceremonies(
    client: &mut Fido2Client,
    log: &MessageLog,
    uv: UserVerificationRequirement,
    allow_extra: usize,
) -> (Vec<String>, Vec<String>) {
    let cancel = CancelToken::new();
    let registration = client
        .make_credential(&create_options(uv.clone(), NO_RK), &cancel)
        .expect("registration");
    let register = log.take();
    let id = registration.raw_id().to_vec();
    let mut allow: Vec<Vec<u8>> = (0..allow_extra)
        .map(|i| vec![u8::try_from(i).unwrap(); id.len()])
        .collect();
    allow.push(id);
    client
        .get_assertion(&get_options(&allow, uv), &cancel)
        .expect("assertion");
    (register, log.take())
}

#[test]
fn without_uv_one_message_each() {
    let config = Config {
        seed: Some(21),
        builtin_uv: false,
        ..Config::default()
    };
    let (mut client, log) = counted(open(config, Transport::InProcess), NoInteraction);
    let (register, authenticate) = ceremonies(&mut client, &log, DISCOURAGED, 0);
    assert_eq!(register, ["makeCredential"]);
    assert_eq!(authenticate, ["getAssertion"]);
    // A list that fits one request (8 here) is sent as it is: no pre-flight.
    let (_, authenticate) = ceremonies(&mut client, &log, DISCOURAGED, 7);
    assert_eq!(authenticate, ["getAssertion"]);
    // 17 entries: batches of 8, 8, 1; the credential is in the third.
    let (_, authenticate) = ceremonies(&mut client, &log, DISCOURAGED, 16);
    assert_eq!(authenticate, ["getAssertion"; 4]);
}

#[test]
fn with_pin_three_messages_each() {
    let config = Config {
        seed: Some(22),
        pin: Some("1234".into()),
        builtin_uv: false,
        ..Config::default()
    };
    let ui = ScriptedInteraction::new().with_pins(["1234", "1234"]);
    let (mut client, log) = counted(open(config, Transport::InProcess), ui);
    let (register, authenticate) = ceremonies(&mut client, &log, REQUIRED, 0);
    let token = [
        "clientPin getKeyAgreement",
        "clientPin getPinUvAuthTokenUsingPinWithPermissions",
    ];
    assert_eq!(register, [&token[..], &["makeCredential"]].concat());
    assert_eq!(authenticate, [&token[..], &["getAssertion"]].concat());
}

#[test]
fn with_built_in_uv_three_messages_each() {
    let config = Config {
        seed: Some(23),
        pin: Some("123456".into()),
        builtin_uv: true,
        ..Config::default()
    };
    let device = enroll_finger(open(config, Transport::InProcess), "123456");
    let (mut client, log) = counted(device, ScriptedInteraction::new());
    let (register, authenticate) = ceremonies(&mut client, &log, REQUIRED, 0);
    let token = [
        "clientPin getKeyAgreement",
        "clientPin getPinUvAuthTokenUsingUvWithPermissions",
    ];
    assert_eq!(register, [&token[..], &["makeCredential"]].concat());
    assert_eq!(authenticate, [&token[..], &["getAssertion"]].concat());
}

#[test]
fn a_pin_set_by_another_client_is_noticed() {
    let addr = serve_udp(Config {
        seed: Some(24),
        builtin_uv: false,
        ..Config::default()
    });
    let ui = Arc::new(ScriptedInteraction::new().with_pins(["1234"]));
    let (mut client, log) = counted(open_udp(addr), Arc::clone(&ui));
    // Another client sets a PIN: this client's getInfo still says there is none.
    let mut other = Session::<_, ProtocolTwo>::new(Ctap2::new(open_udp(addr)).unwrap()).unwrap();
    other.set_pin(&Pin::new("1234").unwrap()).expect("setPIN");
    let registration = client
        .make_credential(&create_options(REQUIRED, NO_RK), &CancelToken::new())
        .expect("registration with the PIN after a refresh");
    assert!(
        registration
            .response()
            .authenticator_data()
            .flags()
            .user_verified()
    );
    // Deciding with the old getInfo fails before anything is sent; then one getInfo.
    assert_eq!(
        log.take(),
        [
            "getInfo",
            "clientPin getKeyAgreement",
            "clientPin getPinUvAuthTokenUsingPinWithPermissions",
            "makeCredential"
        ]
    );
}
