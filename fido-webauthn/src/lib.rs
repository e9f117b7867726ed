//! The WebAuthn-level FIDO2 client of fido-rs.
//!
//! The device-independent parts of python-fido2's `fido2.client`:
//!
//! - [`client`]: [`Fido2Client`], registration and authentication on one device, through
//!   its CTAP2 backend or, for a device without CBOR, its CTAP1/U2F one.
//! - [`rp_id`]: may this origin use this RP ID (`verify_rp_id`)?
//! - [`uv`]: which user verification to perform (python-fido2's `_should_use_uv` /
//!   `_get_token`), and the retries after UV_BLOCKED, UV_INVALID and PUAT_REQUIRED.
//! - [`interaction`]: the [`UserInteraction`](interaction::UserInteraction) trait.
//! - [`collector`]: client data and RP ID for a request
//!   ([`ClientDataCollector`](collector::ClientDataCollector)).
//! - [`preflight`]: exclude/allow lists in batches the authenticator accepts.
//! - [`request`]: the `rk` option, enterprise attestation and token permissions.
//! - [`selection`]: ask several devices at once, the first touched wins.
//! - [`assertion`]: the assertions of a getAssertion, to choose from
//!   ([`AssertionSelection`](assertion::AssertionSelection)).
//! - [`appid`]: the FIDO AppID extensions' check of an AppID against the origin.
//! - [`u2f`]: whether a CTAP1/U2F authenticator can serve a request.
//! - [`conveyance`]: the attestation conveyance preference (WebAuthn L3 §5.1.3).
//! - [`extensions`]: client extensions (prf, hmac-secret, credProtect, credBlob,
//!   largeBlob, minPinLength, credProps, thirdPartyPayment) and the trait for the
//!   caller's own.
//! - [`error`]: the client's error enum and its python-fido2 `ClientError` codes.

pub mod appid;
pub mod assertion;
pub mod check;
pub mod client;
pub mod collector;
pub mod conveyance;
pub mod error;
pub mod extensions;
pub mod interaction;
pub mod preflight;
pub mod request;
pub mod rp_id;
pub mod selection;
pub mod u2f;
pub mod uv;

pub use client::Fido2Client;
pub use error::Error;

// The README's Rust examples are compiled and run as doctests of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
