//! CTAP transports, `Ctap1`, `Ctap2`, PIN/UV auth protocols and typestate sessions.
