//! authenticatorConfig (0x0D): enableEnterpriseAttestation, toggleAlwaysUv,
//! setMinPINLength (with RP IDs and forceChangePin).

use fido_types::generated::commands::CommandCode;
use fido_types::generated::config::ConfigSubCommand as Sub;
use fido_types::status::CtapStatus;

use super::shared::{
    MAX_RP_IDS_FOR_MIN_PIN_LENGTH, check_token, decode, ep_supported, required_auth_param,
    sub_command_params, uv_configured,
};
use crate::Authenticator;
use crate::state::Permissions;

pub use fido_types::generated::config::{ConfigParams, ConfigRequest as Request};

/// The subcommands this authenticator implements (no vendor prototypes).
const IMPLEMENTED: [Sub; 3] = [
    Sub::ENABLE_ENTERPRISE_ATTESTATION,
    Sub::TOGGLE_ALWAYS_UV,
    Sub::SET_MIN_PIN_LENGTH,
];

/// Handles authenticatorConfig.
pub fn handle(auth: &mut Authenticator, params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    if !IMPLEMENTED.contains(&req.sub_command) {
        return Err(CtapStatus::INVALID_SUBCOMMAND);
    }
    authorize(auth, &req, params)?;
    match req.sub_command {
        Sub::ENABLE_ENTERPRISE_ATTESTATION => {
            if !ep_supported(auth) {
                return Err(CtapStatus::INVALID_COMMAND);
            }
            auth.persistent.enterprise_attestation = true;
        }
        Sub::TOGGLE_ALWAYS_UV => auth.persistent.always_uv = !auth.persistent.always_uv,
        _ => set_min_pin_length(auth, req.sub_command_params.unwrap_or_default())?,
    }
    Ok(Vec::new())
}

/// Once a PIN or built-in UV protects the authenticator, the pinUvAuthParam over
/// 32×0xff ‖ 0x0d ‖ uint8(subCommand) ‖ subCommandParams (CTAP 2.1 §6.11) with the
/// authenticatorConfig permission; before that, nothing unless alwaysUv is on.
fn authorize(auth: &mut Authenticator, req: &Request, params: &[u8]) -> Result<(), CtapStatus> {
    if auth.persistent.pin.is_none() && !uv_configured(auth) {
        return if auth.persistent.always_uv {
            Err(CtapStatus::PUAT_REQUIRED)
        } else {
            Ok(())
        };
    }
    let (p, param) =
        required_auth_param(req.pin_uv_auth_param.as_deref(), req.pin_uv_auth_protocol)?;
    let mut message = vec![0xff; 32];
    message.push(CommandCode::CONFIG.0);
    message.push(req.sub_command.0);
    message.extend(sub_command_params(params)?);
    let permission = Permissions::AUTHENTICATOR_CONFIG;
    check_token(auth, p, param, &message, permission, None)
}

/// setMinPINLength: raise (never lower) the minimum, set the RP IDs that may read it,
/// and force a PIN change when asked or when the current PIN is now too short.
fn set_min_pin_length(auth: &mut Authenticator, p: ConfigParams) -> Result<(), CtapStatus> {
    let current = u64::from(auth.persistent.min_pin_length);
    let new = p.new_min_pin_length.unwrap_or(current);
    if new < current || new > fido_types::pin_protocol::MAX_PIN_BYTES as u64 {
        return Err(CtapStatus::PIN_POLICY_VIOLATION);
    }
    if p.min_pin_length_rpids
        .as_ref()
        .is_some_and(|ids| ids.len() > MAX_RP_IDS_FOR_MIN_PIN_LENGTH)
    {
        return Err(CtapStatus::PIN_POLICY_VIOLATION);
    }
    if p.force_change_pin == Some(true) && auth.persistent.pin.is_none() {
        return Err(CtapStatus::PIN_NOT_SET);
    }
    auth.persistent.min_pin_length = new as u8;
    if let Some(ids) = p.min_pin_length_rpids {
        auth.persistent.min_pin_length_rp_ids = ids;
    }
    let too_short = auth
        .persistent
        .pin
        .as_ref()
        .is_some_and(|pin| (pin.code_points as u64) < new);
    if p.force_change_pin == Some(true) || too_short {
        auth.persistent.force_pin_change = true;
        auth.volatile.token = None;
    }
    Ok(())
}
