//! authenticatorReset (0x07): only within 10 s of power-up, with user presence.

use fido_types::status::CtapStatus;

use crate::Authenticator;
use crate::presence::Waiter;
use crate::state::{Persistent, RESET_WINDOW, new_key_agreement_key};

/// Handles authenticatorReset.
pub fn handle(
    auth: &mut Authenticator,
    params: &[u8],
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    if !params.is_empty() {
        return Err(CtapStatus::INVALID_LENGTH);
    }
    if auth.clock.now().duration_since(auth.volatile.power_up) > RESET_WINDOW {
        return Err(CtapStatus::NOT_ALLOWED);
    }
    auth.presence.request(waiter)?;
    let wrap_key = crate::secret::Secret(*auth.rng.secret::<32>());
    auth.persistent = Persistent::new(auth.config.max_discoverable, wrap_key);
    auth.persistent.identifier = Some(crate::secret::Secret(*auth.rng.secret::<16>()));
    auth.volatile.token = None;
    auth.volatile.consecutive_pin_failures = 0;
    auth.volatile.key_agreement = new_key_agreement_key(&mut auth.rng);
    auth.large_blob_write = None;
    auth.enrollment = None;
    Ok(Vec::new())
}
