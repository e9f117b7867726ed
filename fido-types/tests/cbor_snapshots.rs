//! insta snapshots of derived CTAP-shaped structs as CBOR diagnostic notation plus hex,
//! and a check that each decodes back to the same value.
//!
//! The hex of the two full snapshots was cross-checked against python-fido2 2.2.1:
//! `fido2.cbor.encode` of the same data (given as dicts in non-canonical key order, which
//! it sorts) gives identical bytes.

mod cbor_shapes;

use cbor_shapes::{get_assertion_response, make_credential_request};
use fido_types::cbor;

/// Diagnostic notation, then the hex in rows of 32 bytes.
fn render(bytes: &[u8]) -> String {
    let rows: Vec<String> = bytes.chunks(32).map(hex::encode).collect();
    format!(
        "diagnostic:\n{}\n\nhex ({} bytes):\n{}\n",
        cbor::diagnostic(bytes),
        bytes.len(),
        rows.join("\n")
    )
}

#[test]
fn make_credential_request_snapshot() {
    let request = make_credential_request();
    let bytes = cbor::to_vec(&request).unwrap();
    insta::assert_snapshot!(render(&bytes));
    assert_eq!(
        cbor::from_slice::<cbor_shapes::MakeCredentialRequest>(&bytes).unwrap(),
        request
    );
}

#[test]
fn get_assertion_response_snapshot() {
    let response = get_assertion_response();
    let bytes = cbor::to_vec(&response).unwrap();
    insta::assert_snapshot!(render(&bytes));
    assert_eq!(
        cbor::from_slice::<cbor_shapes::GetAssertionResponse>(&bytes).unwrap(),
        response
    );
}

#[test]
fn minimal_make_credential_request_snapshot() {
    let mut request = make_credential_request();
    request.rp.name = None;
    request.user.name = None;
    request.user.display_name = None;
    request.pub_key_cred_params.truncate(1);
    request.exclude_list = None;
    request.extensions = None;
    request.options = None;
    request.pin_uv_auth_param = None;
    request.pin_uv_auth_protocol = None;
    let bytes = cbor::to_vec(&request).unwrap();
    insta::assert_snapshot!(render(&bytes));
    assert_eq!(
        cbor::from_slice::<cbor_shapes::MakeCredentialRequest>(&bytes).unwrap(),
        request
    );
}
