//! authenticatorConfig (0x0D): enableEnterpriseAttestation, toggleAlwaysUv,
//! setMinPINLength (with RP IDs and forceChangePin).

use fido_types::cbor::{CborMap, Value};
use fido_types::status::CtapStatus;

use super::get_info::MAX_RP_IDS_FOR_MIN_PIN_LENGTH;
use super::make_credential::uv_configured;
use super::{check_token, decode, encode, param_length_ok, protocol};
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

/// The request.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct Request {
    /// subCommand.
    #[cbor(key = 0x01)]
    pub sub_command: u64,
    /// subCommandParams (kept as a value: the MAC covers its encoding).
    #[cbor(key = 0x02)]
    pub params: Option<Value>,
    /// pinUvAuthProtocol.
    #[cbor(key = 0x03)]
    pub protocol: Option<u64>,
    /// pinUvAuthParam.
    #[cbor(key = 0x04)]
    pub pin_uv_auth_param: Option<Vec<u8>>,
}

/// setMinPINLength's parameters.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct SetMinPinLength {
    /// newMinPINLength.
    #[cbor(key = 0x01)]
    pub new_min_pin_length: Option<u64>,
    /// minPinLengthRPIDs.
    #[cbor(key = 0x02)]
    pub rp_ids: Option<Vec<String>>,
    /// forceChangePin.
    #[cbor(key = 0x03)]
    pub force_change_pin: Option<bool>,
}

/// Handles authenticatorConfig.
pub fn handle(auth: &mut Authenticator, params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    let sub = req.sub_command;
    if !(1..=3).contains(&sub) {
        return Err(CtapStatus::INVALID_SUBCOMMAND);
    }
    if auth.persistent.pin.is_some() || uv_configured(auth) {
        let param = req
            .pin_uv_auth_param
            .as_ref()
            .ok_or(CtapStatus::PUAT_REQUIRED)?;
        let p = protocol(req.protocol)?;
        if !param_length_ok(p, param) {
            return Err(CtapStatus::PIN_AUTH_INVALID);
        }
        // 32×0xff ‖ 0x0d ‖ uint8(subCommand) ‖ subCommandParams (CTAP 2.1 §6.11).
        let mut message = vec![0xff; 32];
        message.push(0x0d);
        message.push(sub as u8);
        if let Some(v) = &req.params {
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
            let p: SetMinPinLength = match &req.params {
                Some(v) => decode(&encode(v)?)?,
                None => SetMinPinLength {
                    new_min_pin_length: None,
                    rp_ids: None,
                    force_change_pin: None,
                },
            };
            let current = u64::from(auth.persistent.min_pin_length);
            let new = p.new_min_pin_length.unwrap_or(current);
            if new < current || new > fido_types::pin_protocol::MAX_PIN_BYTES as u64 {
                return Err(CtapStatus::PIN_POLICY_VIOLATION);
            }
            if p.rp_ids
                .as_ref()
                .is_some_and(|ids| ids.len() > MAX_RP_IDS_FOR_MIN_PIN_LENGTH)
            {
                return Err(CtapStatus::PIN_POLICY_VIOLATION);
            }
            if p.force_change_pin == Some(true) && auth.persistent.pin.is_none() {
                return Err(CtapStatus::PIN_NOT_SET);
            }
            auth.persistent.min_pin_length = new as u8;
            if let Some(ids) = p.rp_ids {
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
