//! Canonical CTAP2 CBOR: the writer, the strict and lenient readers, limits, and byte-string helpers.
