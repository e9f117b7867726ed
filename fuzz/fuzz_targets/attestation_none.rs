//! Fuzzes fido-server's `none` attestation verification on arbitrary statements
//! (CBOR): no panic, no unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("include/attestation_format.rs");

fuzz_target!(|data: &[u8]| run("none", data));
