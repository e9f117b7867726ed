//! Fuzzes fido-server's MDS3 BLOB reading: the JWS split and signature/chain check
//! against a fixed root, and the payload JSON read on its own. No panic.
#![no_main]

use fido_server::mds::MetadataBlob;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Any DER: the chain check refuses before trusting it.
    let _ = MetadataBlob::verify(data, data, 1_767_225_600);
    if let Ok(blob) = MetadataBlob::from_payload(data) {
        let _ = blob.trust_store();
        for entry in &blob.entries {
            let _ = entry.refusing_status();
        }
    }
});
