//! Fuzzes COSE key decoding and SPKI decoding: no panic, canonical re-encoding is stable,
//! and typed keys survive the SPKI round trip.
#![no_main]

use fido_types::cose::{CoseAlgorithm, CoseKey};
use libfuzzer_sys::fuzz_target;

const ALGS: [CoseAlgorithm; 8] = [
    CoseAlgorithm::ES256,
    CoseAlgorithm::ES384,
    CoseAlgorithm::ES512,
    CoseAlgorithm::EDDSA,
    CoseAlgorithm::RS256,
    CoseAlgorithm::PS256,
    CoseAlgorithm::ESP256,
    CoseAlgorithm::ED25519,
];

fuzz_target!(|data: &[u8]| {
    if let Ok(key) = CoseKey::from_cbor(data) {
        let encoded = key.to_cbor();
        let again = CoseKey::from_cbor(&encoded).expect("re-encoded key decodes");
        assert_eq!(again, key);
        assert_eq!(again.to_cbor(), encoded, "canonical encoding is stable");
        if let (Ok(spki), Some(alg)) = (key.to_spki_der(), key.alg()) {
            let back = CoseKey::from_spki_der(&spki, alg).expect("own SPKI decodes");
            assert_eq!(back, key);
        }
        let _ = key.verify(data, data);
    }
    if let Some((first, rest)) = data.split_first() {
        let alg = ALGS[usize::from(*first) % ALGS.len()];
        if let Ok(key) = CoseKey::from_spki_der(rest, alg) {
            let spki = key.to_spki_der().expect("typed key has SPKI");
            assert_eq!(CoseKey::from_spki_der(&spki, alg).as_ref(), Ok(&key));
        }
        let _ = CoseKey::from_certificate_der(rest, alg);
    }
});
