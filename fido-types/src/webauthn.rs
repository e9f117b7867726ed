//! The WebAuthn data model: authenticator data, attestation objects, client data and the Level 3 JSON dictionaries.
