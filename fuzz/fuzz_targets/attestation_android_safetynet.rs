//! Fuzzes fido-server's `android-safetynet` attestation verification on arbitrary statements
//! (CBOR): no panic, no unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("include/attestation_format.rs");

fuzz_target!(|data: &[u8]| run("android-safetynet", data));
