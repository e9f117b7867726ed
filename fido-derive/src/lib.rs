//! Derive macros for fido-rs: canonical, integer-keyed CTAP2 CBOR maps.
