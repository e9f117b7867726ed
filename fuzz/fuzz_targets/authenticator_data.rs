//! Fuzzes `AuthenticatorData::from_bytes`: no panic, and whatever parses is rebuilt from its
//! parts to exactly the same bytes.
#![no_main]

use fido_types::webauthn::AuthenticatorData;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = AuthenticatorData::from_bytes(data) else {
        return;
    };
    assert_eq!(parsed.as_bytes(), data);
    let rebuilt = AuthenticatorData::new(
        *parsed.rp_id_hash(),
        parsed.flags(),
        parsed.sign_count(),
        parsed.attested_credential_data().cloned(),
        parsed.extensions_cbor(),
    )
    .expect("parts of valid authenticator data rebuild");
    assert_eq!(rebuilt.as_bytes(), data);
    assert_eq!(rebuilt, parsed);
    if let Some(acd) = parsed.attested_credential_data() {
        // A typed key re-encodes to a key that decodes to the same value.
        let key = acd.public_key();
        let again = fido_types::cose::CoseKey::from_cbor(&key.to_cbor()).expect("re-encoded key");
        assert_eq!(&again, key);
    }
});
