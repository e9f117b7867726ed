//! The authenticator side of every CTAP command, one module per command. What commands
//! share (request decoding, PIN/UV auth checks, authenticator data, hmac-secret, limits)
//! lives in [`shared`], which every command imports; commands never import each other.

pub mod bio_enrollment;
pub mod client_pin;
pub mod config;
pub mod cred_mgmt;
pub mod get_assertion;
pub mod get_info;
pub mod large_blobs;
pub mod make_credential;
pub mod reset;
pub mod selection;
pub(crate) mod shared;
pub mod u2f;

use fido_types::generated::commands::CommandCode;
use fido_types::status::CtapStatus;

pub use bio_enrollment::Enrollment;
pub use cred_mgmt::CredMgmtQueue;
pub use get_assertion::AssertionQueue;
pub use large_blobs::LargeBlobWrite;
pub(crate) use shared::MAX_MSG_SIZE;

use crate::Authenticator;
use crate::presence::Waiter;

/// Runs one command. Returns the CBOR response body (possibly empty) or an error status.
pub(crate) fn dispatch(
    auth: &mut Authenticator,
    command: u8,
    params: &[u8],
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    let command = CommandCode(command);
    // Stateful sequences end at any other command.
    if command != CommandCode::GET_NEXT_ASSERTION {
        auth.assertions = None;
    }
    if command != CommandCode::CREDENTIAL_MANAGEMENT
        && command != CommandCode::CREDENTIAL_MANAGEMENT_PREVIEW
    {
        auth.cred_mgmt = None;
    }
    match command {
        CommandCode::MAKE_CREDENTIAL => make_credential::handle(auth, params, waiter),
        CommandCode::GET_ASSERTION => get_assertion::handle(auth, params, waiter),
        CommandCode::GET_NEXT_ASSERTION => get_assertion::next(auth, params),
        CommandCode::GET_INFO => get_info::handle(auth, params),
        CommandCode::CLIENT_PIN => client_pin::handle(auth, params, waiter),
        CommandCode::RESET => reset::handle(auth, params, waiter),
        CommandCode::SELECTION => selection::handle(auth, params, waiter),
        CommandCode::CREDENTIAL_MANAGEMENT | CommandCode::CREDENTIAL_MANAGEMENT_PREVIEW => {
            cred_mgmt::handle(auth, params)
        }
        CommandCode::LARGE_BLOBS => large_blobs::handle(auth, params),
        CommandCode::CONFIG => config::handle(auth, params),
        CommandCode::BIO_ENROLLMENT | CommandCode::BIO_ENROLLMENT_PREVIEW
            if auth.config.builtin_uv =>
        {
            bio_enrollment::handle(auth, params, waiter)
        }
        _ => Err(CtapStatus::INVALID_COMMAND),
    }
}
