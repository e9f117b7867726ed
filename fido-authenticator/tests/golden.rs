//! Golden tests: a seeded authenticator is fully deterministic (keys, credential IDs,
//! ECDSA nonces per RFC 6979), so whole responses can be snapshot-tested.

mod support;

use fido_types::cbor;
use support::*;

#[test]
fn seeded_make_credential_and_get_assertion() {
    let mut auth = authenticator();
    let req = make_credential_request("example.com", b"user", true, vec![]);
    let mut raw = vec![0x01];
    raw.extend(cbor::to_vec(&req).unwrap());
    let mc = auth.handle(&raw, &mut fido_authenticator::presence::NoTransport);
    assert_eq!(mc[0], 0);
    insta::assert_snapshot!("make_credential_es256_seed_42", cbor::diagnostic(&mc[1..]));

    let ga = map(vec![
        (int(1), text("example.com")),
        (int(2), bytes(&[3; 32])),
    ]);
    let mut raw = vec![0x02];
    raw.extend(cbor::to_vec(&ga).unwrap());
    let ga = auth.handle(&raw, &mut fido_authenticator::presence::NoTransport);
    assert_eq!(ga[0], 0);
    insta::assert_snapshot!("get_assertion_seed_42", cbor::diagnostic(&ga[1..]));
}
