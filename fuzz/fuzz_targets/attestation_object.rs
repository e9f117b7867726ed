//! Fuzzes `AttestationObject::from_cbor`, `from_ctap2_response` and `from_ctap1`: no panic,
//! and whatever parses survives `create` and a second parse.
#![no_main]

use fido_types::webauthn::AttestationObject;
use libfuzzer_sys::fuzz_target;

fn round_trip(obj: &AttestationObject) {
    let created = AttestationObject::create(obj.fmt(), obj.auth_data().clone(), obj.att_stmt().clone());
    let again = AttestationObject::from_cbor(created.as_bytes()).expect("created object parses");
    assert_eq!(again.fmt(), obj.fmt());
    assert_eq!(again.auth_data(), obj.auth_data());
    assert_eq!(again.att_stmt(), obj.att_stmt());
    assert_eq!(again.as_bytes(), created.as_bytes());
    // Signature checks may fail but must not panic.
    let _ = obj.verify_signature(&[0u8; 32]);
}

fuzz_target!(|data: &[u8]| {
    if let Ok(obj) = AttestationObject::from_cbor(data) {
        assert_eq!(obj.as_bytes(), data);
        round_trip(&obj);
    }
    if let Ok(obj) = AttestationObject::from_ctap2_response(data) {
        round_trip(&obj);
    }
    if let Ok(obj) = AttestationObject::from_ctap1(&[7u8; 32], data) {
        assert_eq!(obj.fmt(), "fido-u2f");
        round_trip(&obj);
    }
});
