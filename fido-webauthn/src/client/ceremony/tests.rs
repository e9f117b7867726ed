//! The rpIdHash check of an `appid` assertion.

use fido_types::ctap2::GetAssertionResponse;

use super::check_rp_id_hash;
use crate::error::Error;

const APP_ID: &str = "https://www.example.com/u2f-app-id.json";

fn signed_for(rp_id: &str) -> GetAssertionResponse {
    let mut auth_data = crate::u2f::app_param(rp_id).to_vec();
    auth_data.extend_from_slice(&[0x01, 0, 0, 0, 7]);
    GetAssertionResponse {
        auth_data,
        ..Default::default()
    }
}

#[test]
fn an_assertion_for_the_app_id_matches_the_app_id_hash() {
    assert!(check_rp_id_hash(&signed_for(APP_ID), APP_ID).is_ok());
    assert!(check_rp_id_hash(&signed_for("example.com"), "example.com").is_ok());
}

#[test]
fn an_assertion_for_another_rp_id_is_refused() {
    let error = check_rp_id_hash(&signed_for("example.com"), APP_ID).unwrap_err();
    assert!(matches!(error, Error::InvalidResponse(_)), "{error:?}");
    let error = check_rp_id_hash(&signed_for(APP_ID), "example.com").unwrap_err();
    assert!(matches!(error, Error::InvalidResponse(_)), "{error:?}");
}

#[test]
fn short_authenticator_data_is_refused() {
    let short = GetAssertionResponse {
        auth_data: vec![0; 31],
        ..Default::default()
    };
    assert!(matches!(
        check_rp_id_hash(&short, APP_ID),
        Err(Error::InvalidResponse(_))
    ));
}
