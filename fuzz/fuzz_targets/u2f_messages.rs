//! Fuzzes CTAP1/U2F both ways: the software authenticator's `handle_apdu` (the device
//! side, fed arbitrary APDUs) and the client's parsing of what a device answers
//! (`ApduStatus::split_response`, `ctap1::RegistrationData::parse` and
//! `ctap1::SignatureData::parse` with their signature checks).
//!
//! Checked: no panic; every device answer ends in a two-byte status word; whatever the
//! client parses keeps the fields it was built from.
#![no_main]

use std::sync::Mutex;

use fido_authenticator::keys::Algorithm;
use fido_authenticator::presence::NoTransport;
use fido_authenticator::{Authenticator, Config};
use fido_ctap::ctap1::{RegistrationData, SignatureData};
use fido_types::apdu::ApduStatus;
use libfuzzer_sys::fuzz_target;

static AUTHENTICATOR: Mutex<Option<Authenticator>> = Mutex::new(None);

fn device_side(apdu: &[u8]) {
    let mut guard = AUTHENTICATOR.lock().unwrap_or_else(|e| e.into_inner());
    let authenticator = guard.get_or_insert_with(|| {
        let config = Config {
            seed: Some(5),
            algorithms: vec![Algorithm::Es256],
            ..Config::default()
        };
        Authenticator::new(config).expect("harness authenticator")
    });
    let answer = authenticator.handle_apdu(apdu, &mut NoTransport);
    assert!(
        ApduStatus::split_response(&answer).is_some(),
        "every answer ends in a status word"
    );
}

fn client_side(response: &[u8]) {
    let Some((body, _status)) = ApduStatus::split_response(response) else {
        return;
    };
    if let Ok(registration) = RegistrationData::parse(body) {
        assert!(body.ends_with(registration.signature()));
        let _ = registration.attestation_key();
        let _ = registration.verify(&[1; 32], &[2; 32]);
        let _ = registration.cose_key();
    }
    if let Ok(signature) = SignatureData::parse(body) {
        assert_eq!(signature.user_presence(), body[0]);
        if let Ok(registration) = RegistrationData::parse(body) {
            let _ = signature.verify(&[1; 32], &[2; 32], registration.public_key());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&direction, rest)) = data.split_first() else {
        return;
    };
    if direction & 1 == 0 {
        device_side(rest);
    } else {
        client_side(rest);
    }
});
