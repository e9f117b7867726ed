//! authenticatorSelection (0x0B): the user touches the authenticator to pick it.

use fido_types::status::CtapStatus;

use crate::Authenticator;
use crate::presence::Waiter;

/// Handles authenticatorSelection.
pub fn handle(
    auth: &mut Authenticator,
    params: &[u8],
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    if !params.is_empty() {
        return Err(CtapStatus::INVALID_LENGTH);
    }
    auth.presence.request(waiter)?;
    Ok(Vec::new())
}
