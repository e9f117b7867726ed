//! AssertionSelection with python-fido2's getAssertion response vector
//! (tests/test_ctap2.py, `_GA_RESP`, `_CRED_ID`, `_SIGNATURE`, `_AUTH_DATA_GA`).

use fido_types::error::ClientErrorCode;
use fido_types::webauthn::ClientDataType;

use super::*;

const GA_RESP: &str = "a301a26269645840fe3aac036d14c1e1c65518b698dd1da8f596bc33e11072813466c6bf3845691509b80fb76d59309b8d39e0a93452688f6ca3a39a76f3fc52744fb73948b1578364747970656a7075626c69632d6b65790258250021f5fc0b85cd22e60623bcd7d1ca48948909249b4776eb515154e57b66ae12010000001d035846304402206765cbf6e871d3af7f01ae96f06b13c90f26f54b905c5166a2c791274fc2397102200b143893586cc799fba4da83b119eaea1bd80ac3ce88fcedb3efbd596a1f4f63";
const CRED_ID: &str = "fe3aac036d14c1e1c65518b698dd1da8f596bc33e11072813466c6bf3845691509b80fb76d59309b8d39e0a93452688f6ca3a39a76f3fc52744fb73948b15783";
const SIGNATURE: &str = "304402206765cbf6e871d3af7f01ae96f06b13c90f26f54b905c5166a2c791274fc2397102200b143893586cc799fba4da83b119eaea1bd80ac3ce88fcedb3efbd596a1f4f63";
const AUTH_DATA_GA: &str =
    "0021f5fc0b85cd22e60623bcd7d1ca48948909249b4776eb515154e57b66ae12010000001d";

fn assertion() -> GetAssertionResponse {
    fido_types::cbor::from_slice(&hex::decode(GA_RESP).unwrap()).unwrap()
}

fn client_data() -> CollectedClientData {
    CollectedClientData::create(
        ClientDataType::GET.as_str(),
        b"challenge",
        "https://example.com",
        false,
        Default::default(),
    )
}

#[test]
fn response_is_built_from_the_assertion() {
    let selection = AssertionSelection::new(client_data(), vec![assertion()], Default::default());
    assert_eq!(selection.len(), 1);
    assert!(!selection.is_empty());
    let response = selection.response(0).unwrap();
    assert_eq!(hex::encode(response.raw_id()), CRED_ID);
    assert_eq!(
        response.authenticator_attachment(),
        Some(AuthenticatorAttachment::CROSS_PLATFORM)
    );
    let inner = response.response();
    assert_eq!(hex::encode(inner.signature()), SIGNATURE);
    assert_eq!(
        hex::encode(inner.authenticator_data().as_bytes()),
        AUTH_DATA_GA
    );
    assert_eq!(inner.authenticator_data().sign_count(), 29);
    assert_eq!(inner.client_data(), selection.client_data());
    assert_eq!(inner.user_handle(), None);
}

#[test]
fn user_handle_comes_from_the_user_entity() {
    let mut with_user = assertion();
    with_user.user = Some(fido_types::generated::PublicKeyCredentialUserEntity {
        id: b"user-7".to_vec(),
        name: None,
        display_name: None,
    });
    let selection = AssertionSelection::new(
        client_data(),
        vec![assertion(), with_user],
        Default::default(),
    );
    assert_eq!(selection.assertions().len(), 2);
    assert_eq!(
        selection.response(1).unwrap().response().user_handle(),
        Some(&b"user-7"[..])
    );
}

#[test]
fn bad_index_and_bad_assertions_are_errors() {
    let mut no_credential = assertion();
    no_credential.credential = None;
    let mut bad_auth_data = assertion();
    bad_auth_data.auth_data.truncate(36);
    let selection = AssertionSelection::new(
        client_data(),
        vec![no_credential, bad_auth_data],
        Default::default(),
    );
    let out_of_range = selection.response(2).unwrap_err();
    assert_eq!(
        out_of_range.to_string(),
        "bad request: assertion 2 requested, 2 available"
    );
    assert_eq!(out_of_range.code(), ClientErrorCode::BAD_REQUEST);
    let missing = selection.response(0).unwrap_err();
    assert!(matches!(missing, Error::InvalidResponse(_)), "{missing:?}");
    assert_eq!(missing.code(), ClientErrorCode::OTHER_ERROR);
    assert!(matches!(
        selection.response(1),
        Err(Error::InvalidResponse(_))
    ));
}
