//! Fuzzes the WebAuthn Level 3 JSON forms: creation and request options, registration and
//! authentication responses, client data. No panic; whatever parses serialises to JSON
//! that parses to an equal value.
#![no_main]

use fido_types::webauthn::{
    AuthenticationResponse, CollectedClientData, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialRequestOptions, RegistrationResponse,
};
use libfuzzer_sys::fuzz_target;

fn options<T>(json: &str)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    if let Ok(value) = serde_json::from_str::<T>(json) {
        let text = serde_json::to_string(&value).expect("parsed options serialise");
        let again: T = serde_json::from_str(&text).expect("own JSON parses");
        assert_eq!(again, value);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let Ok(json) = std::str::from_utf8(body) else {
        return;
    };
    match which % 5 {
        0 => options::<PublicKeyCredentialCreationOptions>(json),
        1 => options::<PublicKeyCredentialRequestOptions>(json),
        2 => {
            if let Ok(response) = RegistrationResponse::from_json(json) {
                let again = RegistrationResponse::from_json(&response.to_json())
                    .expect("own registration JSON parses");
                assert_eq!(again.raw_id(), response.raw_id());
            }
        }
        3 => {
            if let Ok(response) = AuthenticationResponse::from_json(json) {
                let again = AuthenticationResponse::from_json(&response.to_json())
                    .expect("own authentication JSON parses");
                assert_eq!(again.raw_id(), response.raw_id());
            }
        }
        _ => {
            if let Ok(parsed) = CollectedClientData::from_bytes(body) {
                let again = CollectedClientData::from_bytes(parsed.as_bytes())
                    .expect("client data keeps its bytes");
                assert_eq!(again.challenge(), parsed.challenge());
                assert_eq!(again.origin(), parsed.origin());
            }
        }
    }
});
