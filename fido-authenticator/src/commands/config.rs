//! authenticatorConfig (0x0D): enableEnterpriseAttestation, toggleAlwaysUv,
//! setMinPINLength (with RP IDs and forceChangePin).

use fido_types::cbor::{CborMap, Value};
use fido_types::status::CtapStatus;

use super::get_info::MAX_RP_IDS_FOR_MIN_PIN_LENGTH;
use super::make_credential::uv_configured;
use super::{check_token, decode, encode, required_auth_param};
use crate::Authenticator;
use crate::state::Permissions;

/// authenticatorConfig subcommands.
pub mod sub {
    /// enableEnterpriseAttestation.
    pub const ENABLE_ENTERPRISE_ATTESTATION: u64 = 0x01;
    /// toggleAlwaysUv.
    pub const TOGGLE_ALWAYS_UV: u64 = 0x02;
    /// setMinPINLength.
    pub const SET_MIN_PIN_LENGTH: u64 = 0x03;
}

pub use fido_types::generated::config::{ConfigParams, ConfigRequest as Request};

/// The subCommandParams as sent: the MAC covers their encoding, unknown keys included.
#[derive(Debug, Clone, PartialEq, CborMap)]
struct RawParams {
    #[cbor(key = 0x02)]
    params: Option<Value>,
}

/// Handles authenticatorConfig.
pub fn handle(auth: &mut Authenticator, params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    let raw: RawParams = decode(params)?;
    let sub = u64::from(req.sub_command.0);
    if !(1..=3).contains(&sub) {
        return Err(CtapStatus::INVALID_SUBCOMMAND);
    }
    if auth.persistent.pin.is_some() || uv_configured(auth) {
        let (p, param) =
            required_auth_param(req.pin_uv_auth_param.as_deref(), req.pin_uv_auth_protocol)?;
        // 32×0xff ‖ 0x0d ‖ uint8(subCommand) ‖ subCommandParams (CTAP 2.1 §6.11).
        let mut message = vec![0xff; 32];
        message.push(0x0d);
        message.push(sub as u8);
        if let Some(v) = &raw.params {
            message.extend(encode(v)?);
        }
        check_token(
            auth,
            p,
            param,
            &message,
            Permissions::AUTHENTICATOR_CONFIG,
            None,
        )?;
    } else if auth.persistent.always_uv {
        return Err(CtapStatus::PUAT_REQUIRED);
    }
    match sub {
        sub::ENABLE_ENTERPRISE_ATTESTATION => {
            if !super::make_credential::ep_supported(auth) {
                return Err(CtapStatus::INVALID_COMMAND);
            }
            auth.persistent.enterprise_attestation = true;
        }
        sub::TOGGLE_ALWAYS_UV => auth.persistent.always_uv = !auth.persistent.always_uv,
        _ => {
            let p: ConfigParams = req.sub_command_params.clone().unwrap_or_default();
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
        }
    }
    Ok(Vec::new())
}
