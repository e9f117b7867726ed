//! authenticatorCredentialManagement (0x0A): metadata, enumerate RPs and credentials,
//! delete, update user information.

use std::collections::VecDeque;

use fido_types::cbor::{CborMap, Value};
use fido_types::status::CtapStatus;

use super::{
    RpEntity, UserEntity, check_token, decode, descriptor, encode, required_auth_param,
    token_verifies,
};
use fido_types::generated::extensions::CredProtectPolicy;

fn count32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
use crate::Authenticator;
use crate::state::Permissions;
use crate::store::Credential;

/// credentialManagement subcommands.
pub mod sub {
    /// getCredsMetadata.
    pub const GET_CREDS_METADATA: u64 = 0x01;
    /// enumerateRPsBegin.
    pub const ENUMERATE_RPS_BEGIN: u64 = 0x02;
    /// enumerateRPsGetNextRP.
    pub const ENUMERATE_RPS_NEXT: u64 = 0x03;
    /// enumerateCredentialsBegin.
    pub const ENUMERATE_CREDENTIALS_BEGIN: u64 = 0x04;
    /// enumerateCredentialsGetNextCredential.
    pub const ENUMERATE_CREDENTIALS_NEXT: u64 = 0x05;
    /// deleteCredential.
    pub const DELETE_CREDENTIAL: u64 = 0x06;
    /// updateUserInformation.
    pub const UPDATE_USER_INFORMATION: u64 = 0x07;
}

pub use fido_types::generated::credential_management::{
    CredentialManagementParams as SubParams, CredentialManagementRequest as Request,
    CredentialManagementResponse as Response,
};

/// The subCommandParams as sent: the MAC covers their encoding, unknown keys included.
#[derive(Debug, Clone, PartialEq, CborMap)]
struct RawParams {
    #[cbor(key = 0x02)]
    params: Option<Value>,
}

/// The rest of an enumeration.
#[derive(Debug)]
pub enum CredMgmtQueue {
    /// RPs still to list.
    Rps(VecDeque<Response>),
    /// Credentials still to list.
    Credentials(VecDeque<Response>),
}

/// Handles authenticatorCredentialManagement.
pub fn handle(auth: &mut Authenticator, params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    let raw: RawParams = decode(params)?;
    let sub = u64::from(req.sub_command.0);
    let needs_auth = matches!(
        sub,
        sub::GET_CREDS_METADATA
            | sub::ENUMERATE_RPS_BEGIN
            | sub::ENUMERATE_CREDENTIALS_BEGIN
            | sub::DELETE_CREDENTIAL
            | sub::UPDATE_USER_INFORMATION
    );
    if !(1..=7).contains(&sub) {
        return Err(CtapStatus::INVALID_SUBCOMMAND);
    }
    let sub_params: Option<SubParams> = req.sub_command_params.clone();
    let mut persistent = false;
    if needs_auth {
        let (p, param) =
            required_auth_param(req.pin_uv_auth_param.as_deref(), req.pin_uv_auth_protocol)?;
        let mut message = vec![sub as u8];
        if let Some(v) = &raw.params {
            message.extend(encode(v)?);
        }
        let read_only = matches!(
            sub,
            sub::GET_CREDS_METADATA | sub::ENUMERATE_RPS_BEGIN | sub::ENUMERATE_CREDENTIALS_BEGIN
        );
        let persistent_ok = read_only
            && auth
                .persistent
                .persistent_token
                .as_ref()
                .is_some_and(|t| token_verifies(t, p, param, &message));
        if persistent_ok {
            persistent = true;
        } else {
            check_token(
                auth,
                p,
                param,
                &message,
                Permissions::CREDENTIAL_MANAGEMENT,
                None,
            )?;
        }
    }
    let bound_rp = if persistent {
        None
    } else {
        auth.volatile.token.as_ref().and_then(|t| t.rp_id.clone())
    };
    let response = match sub {
        sub::GET_CREDS_METADATA => {
            if bound_rp.is_some() {
                return Err(CtapStatus::PIN_AUTH_INVALID);
            }
            let store = &auth.persistent.store;
            Response {
                existing_resident_credentials_count: Some(count32(store.discoverable_count())),
                max_possible_remaining_resident_credentials_count: Some(count32(store.remaining())),
                ..Response::default()
            }
        }
        sub::ENUMERATE_RPS_BEGIN => {
            if bound_rp.is_some() {
                return Err(CtapStatus::PIN_AUTH_INVALID);
            }
            let mut rps: Vec<Response> = Vec::new();
            for c in auth.persistent.store.discoverable() {
                if rps
                    .iter()
                    .any(|r| r.rp_id_hash.as_deref() == Some(&c.rp_id_hash[..]))
                {
                    continue;
                }
                rps.push(Response {
                    rp: Some(RpEntity {
                        id: c.rp_id.clone(),
                        name: c.rp_name.clone(),
                    }),
                    rp_id_hash: Some(c.rp_id_hash.clone()),
                    ..Response::default()
                });
            }
            first_of(auth, rps, true)?
        }
        sub::ENUMERATE_CREDENTIALS_BEGIN => {
            let hash = sub_params
                .as_ref()
                .and_then(|p| p.rp_id_hash.clone())
                .ok_or(CtapStatus::MISSING_PARAMETER)?;
            let creds: Vec<Response> = auth
                .persistent
                .store
                .discoverable_for(&hash)
                .into_iter()
                .map(describe)
                .collect::<Result<_, _>>()?;
            if let (Some(rp), Some(first)) = (
                &bound_rp,
                auth.persistent.store.discoverable_for(&hash).first(),
            ) && first.rp_id != *rp
            {
                return Err(CtapStatus::PIN_AUTH_INVALID);
            }
            first_of(auth, creds, false)?
        }
        sub::ENUMERATE_RPS_NEXT | sub::ENUMERATE_CREDENTIALS_NEXT => {
            let queue = match (sub, auth.cred_mgmt.as_mut()) {
                (sub::ENUMERATE_RPS_NEXT, Some(CredMgmtQueue::Rps(q)))
                | (sub::ENUMERATE_CREDENTIALS_NEXT, Some(CredMgmtQueue::Credentials(q))) => q,
                _ => return Err(CtapStatus::NOT_ALLOWED),
            };
            let next = queue.pop_front().ok_or(CtapStatus::NOT_ALLOWED)?;
            if queue.is_empty() {
                auth.cred_mgmt = None;
            }
            next
        }
        sub::DELETE_CREDENTIAL => {
            let id = sub_params
                .and_then(|p| p.credential_id)
                .ok_or(CtapStatus::MISSING_PARAMETER)?
                .id;
            let cred = auth
                .persistent
                .store
                .find_by_id(&id)
                .ok_or(CtapStatus::NO_CREDENTIALS)?;
            if bound_rp.as_ref().is_some_and(|rp| *rp != cred.rp_id) {
                return Err(CtapStatus::PIN_AUTH_INVALID);
            }
            auth.persistent.store.delete(&id);
            Response::default()
        }
        _ => {
            let p = sub_params.ok_or(CtapStatus::MISSING_PARAMETER)?;
            let (Some(id), Some(user)) = (p.credential_id, p.user) else {
                return Err(CtapStatus::MISSING_PARAMETER);
            };
            let cred = auth
                .persistent
                .store
                .find_by_id_mut(&id.id)
                .ok_or(CtapStatus::NO_CREDENTIALS)?;
            if bound_rp.as_ref().is_some_and(|rp| *rp != cred.rp_id) {
                return Err(CtapStatus::PIN_AUTH_INVALID);
            }
            if cred.user_id != user.id {
                return Err(CtapStatus::INVALID_PARAMETER);
            }
            cred.user_name = user.name;
            cred.user_display_name = user.display_name;
            Response::default()
        }
    };
    encode(&response)
}

fn first_of(
    auth: &mut Authenticator,
    items: Vec<Response>,
    rps: bool,
) -> Result<Response, CtapStatus> {
    let total = count32(items.len());
    let mut items: VecDeque<Response> = items.into();
    let mut first = items.pop_front().ok_or(CtapStatus::NO_CREDENTIALS)?;
    if rps {
        first.total_rps = Some(total);
    } else {
        first.total_credentials = Some(total);
    }
    if !items.is_empty() {
        auth.cred_mgmt = Some(if rps {
            CredMgmtQueue::Rps(items)
        } else {
            CredMgmtQueue::Credentials(items)
        });
    }
    Ok(first)
}

fn describe(c: &Credential) -> Result<Response, CtapStatus> {
    let public_key = c.key.public_key().map_err(|_| CtapStatus::OTHER)?;
    Ok(Response {
        user: Some(UserEntity {
            id: c.user_id.clone(),
            name: c.user_name.clone(),
            display_name: c.user_display_name.clone(),
        }),
        credential_id: Some(descriptor(&c.id)),
        public_key: Some(public_key),
        cred_protect: Some(CredProtectPolicy(u32::from(c.cred_protect))),
        large_blob_key: c
            .large_blob_key
            .as_ref()
            .map(|k| k.expose_secret().to_vec()),
        third_party_payment: Some(c.third_party_payment),
        ..Response::default()
    })
}
