//! Fuzzes every generated CTAP2 response type (and the request types the authenticator
//! decodes) through `fido_types::cbor`'s strict and lenient decoders: no panic, and
//! whatever the strict decoder accepts re-encodes to bytes that decode to an equal value.
//! The first byte picks the type; the rest is the CBOR map.
#![no_main]

use fido_types::cbor::{self, Decoder};
use fido_types::generated::{
    BioEnrollmentRequest, BioEnrollmentResponse, ClientPinRequest, ClientPinResponse,
    ConfigRequest, CredentialManagementRequest, CredentialManagementResponse, GetAssertionRequest,
    GetAssertionResponse, Info, LargeBlobsRequest, LargeBlobsResponse, MakeCredentialRequest,
    MakeCredentialResponse,
};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn check<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(data: &[u8]) {
    let _ = Decoder::new().lenient().decode::<T>(data);
    if let Ok(value) = cbor::from_slice::<T>(data) {
        let encoded = cbor::to_vec(&value).expect("a decoded value encodes");
        let again: T = cbor::from_slice(&encoded).expect("its own encoding decodes");
        assert_eq!(again, value);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 14 {
        0 => check::<Info>(body),
        1 => check::<MakeCredentialResponse>(body),
        2 => check::<GetAssertionResponse>(body),
        3 => check::<ClientPinResponse>(body),
        4 => check::<BioEnrollmentResponse>(body),
        5 => check::<CredentialManagementResponse>(body),
        6 => check::<LargeBlobsResponse>(body),
        7 => check::<MakeCredentialRequest>(body),
        8 => check::<GetAssertionRequest>(body),
        9 => check::<ClientPinRequest>(body),
        10 => check::<BioEnrollmentRequest>(body),
        11 => check::<CredentialManagementRequest>(body),
        12 => check::<LargeBlobsRequest>(body),
        _ => check::<ConfigRequest>(body),
    }
});
