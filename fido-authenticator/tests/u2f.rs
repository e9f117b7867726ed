//! CTAP1/U2F: VERSION, REGISTER (signature by the attestation certificate's key),
//! AUTHENTICATE with a counter, check-only, wrong key handle, denied presence.

mod support;

use fido_authenticator::presence::{NoTransport, PresencePolicy};
use ring::signature::{ECDSA_P256_SHA256_ASN1, UnparsedPublicKey};
use support::authenticator;

fn apdu(ins: u8, p1: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, ins, p1, 0, 0, (data.len() >> 8) as u8, data.len() as u8];
    out.extend_from_slice(data);
    out.extend_from_slice(&[0, 0]);
    out
}

#[test]
fn version_register_authenticate() {
    let mut auth = authenticator();
    assert_eq!(
        auth.handle_apdu(&apdu(3, 0, &[]), &mut NoTransport),
        b"U2F_V2\x90\x00"
    );
    let (challenge, app) = ([1u8; 32], [2u8; 32]);
    let r = auth.handle_apdu(&apdu(1, 0, &[challenge, app].concat()), &mut NoTransport);
    assert_eq!(&r[r.len() - 2..], &[0x90, 0x00]);
    assert_eq!(r[0], 0x05);
    let public = &r[1..66];
    let kh_len = usize::from(r[66]);
    let handle = r[67..67 + kh_len].to_vec();

    let mut auth_req = challenge.to_vec();
    auth_req.extend_from_slice(&app);
    auth_req.push(kh_len as u8);
    auth_req.extend_from_slice(&handle);
    // check-only: the key handle is ours.
    assert_eq!(
        auth.handle_apdu(&apdu(2, 0x07, &auth_req), &mut NoTransport),
        [0x69, 0x85]
    );
    let r = auth.handle_apdu(&apdu(2, 0x03, &auth_req), &mut NoTransport);
    assert_eq!(&r[r.len() - 2..], &[0x90, 0x00]);
    assert_eq!(r[0], 0x01, "user present");
    let mut signed = app.to_vec();
    signed.extend_from_slice(&r[..5]);
    signed.extend_from_slice(&challenge);
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, public)
        .verify(&signed, &r[5..r.len() - 2])
        .expect("assertion signature verifies with the registered key");
    // Another application's parameter: wrong data.
    let mut other = auth_req.clone();
    other[32] ^= 1;
    assert_eq!(
        auth.handle_apdu(&apdu(2, 0x03, &other), &mut NoTransport),
        [0x6A, 0x80]
    );
    // Presence denied: conditions not satisfied.
    auth.set_presence(PresencePolicy::Deny);
    assert_eq!(
        auth.handle_apdu(&apdu(2, 0x03, &auth_req), &mut NoTransport),
        [0x69, 0x85]
    );
    // Unknown instruction.
    assert_eq!(
        auth.handle_apdu(&apdu(9, 0, &[]), &mut NoTransport),
        [0x6D, 0x00]
    );
}
