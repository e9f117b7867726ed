//! COSE keys and algorithm identifiers (RFC 9052/9053, IANA COSE registries).
