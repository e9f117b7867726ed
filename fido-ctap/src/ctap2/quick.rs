//! Which commands wait for the user, and the short deadline of those that do not.
//!
//! A command that needs no touch, finger or other user action (getInfo, clientPIN
//! getPinRetries, getKeyAgreement, ...) answers in well under a second on any real
//! authenticator. A device that keeps sending KEEPALIVE for one of them is broken or
//! hostile, so [`Ctap2`](super::Ctap2) gives it at most [`QUICK_DEADLINE`] instead of the
//! whole call deadline (60 s by default) meant for waiting on a touch.

use std::time::Duration;

use fido_types::cbor::Decoder;
use fido_types::generated::{ClientPinRequest, ClientPinSubCommand, CommandCode};

/// The longest a command that needs no user action may take (issue 17: at most 10 s).
pub const QUICK_DEADLINE: Duration = Duration::from_secs(5);

/// Whether the CTAP2 `message` (`[command, cbor..]`) may wait for the user: a touch
/// (makeCredential, getAssertion, reset, selection), a finger (bio enrollment,
/// getPinUvAuthTokenUsingUvWithPermissions) or anything we do not recognise. getInfo,
/// credential management, large blobs, config and the PIN-only clientPIN subcommands
/// do not.
pub fn needs_user_action(cmd: CommandCode, message: &[u8]) -> bool {
    match cmd {
        CommandCode::GET_INFO
        | CommandCode::CREDENTIAL_MANAGEMENT
        | CommandCode::CREDENTIAL_MANAGEMENT_PREVIEW
        | CommandCode::LARGE_BLOBS
        | CommandCode::CONFIG => false,
        CommandCode::CLIENT_PIN => !client_pin_is_quick(message.get(1..).unwrap_or_default()),
        _ => true,
    }
}

/// Whether a clientPIN request body names a subcommand that only involves the PIN.
fn client_pin_is_quick(body: &[u8]) -> bool {
    let Ok(request) = Decoder::new().lenient().decode::<ClientPinRequest>(body) else {
        return false;
    };
    matches!(
        request.sub_command,
        ClientPinSubCommand::GET_PIN_RETRIES
            | ClientPinSubCommand::GET_KEY_AGREEMENT
            | ClientPinSubCommand::SET_PIN
            | ClientPinSubCommand::CHANGE_PIN
            | ClientPinSubCommand::GET_PIN_TOKEN
            | ClientPinSubCommand::GET_UV_RETRIES
            | ClientPinSubCommand::GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS
    )
}
