//! The WebAuthn-level FIDO2 client of fido-rs.
