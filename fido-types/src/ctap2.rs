//! Hand-written behaviour on the generated CTAP2 types ([`crate::generated`]).
//!
//! - [`Info`] gets python-fido2's defaults for absent members
//!   (`max_msg_size()` is 1024, `min_pin_length()` 4, `max_pin_length()` 63,
//!   `attestation_formats()` `["packed"]`, lists empty, counts 0) and questions such as
//!   [`supports_option`](crate::generated::Info::supports_option) and
//!   [`credential_management_command`](crate::generated::Info::credential_management_command).
//! - [`views`] holds borrowed views of the getInfo, makeCredential and getAssertion
//!   responses, with `into_owned` conversions.

mod info;
pub mod views;

pub use crate::generated::{
    ClientPinRequest, ClientPinResponse, CommandCode, GetAssertionRequest, GetAssertionResponse,
    Info, MakeCredentialRequest, MakeCredentialResponse,
};
pub use info::{DEFAULT_MAX_MSG_SIZE, DEFAULT_MAX_PIN_LENGTH, DEFAULT_MIN_PIN_LENGTH};

#[cfg(test)]
mod tests;
