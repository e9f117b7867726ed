//! authenticatorCredentialManagement (0x0A): metadata, enumerate RPs and credentials,
//! delete, update user information.

use std::collections::VecDeque;

use fido_types::generated::credential_management::CredentialManagementSubCommand as Sub;
use fido_types::status::CtapStatus;

use super::shared::{
    RpEntity, UserEntity, check_token, decode, descriptor, encode, required_auth_param,
    sub_command_params, token_verifies,
};
use crate::Authenticator;
use crate::state::Permissions;
use crate::store::Credential;

pub use fido_types::generated::credential_management::{
    CredentialManagementParams as SubParams, CredentialManagementRequest as Request,
    CredentialManagementResponse as Response,
};

/// The subcommands that read only (a persistent pcmr token may authorize them).
const READ_ONLY: [Sub; 3] = [
    Sub::GET_CREDS_METADATA,
    Sub::ENUMERATE_RPS_BEGIN,
    Sub::ENUMERATE_CREDENTIALS_BEGIN,
];

/// The subcommands that continue an enumeration and need no pinUvAuthParam.
const CONTINUATIONS: [Sub; 2] = [
    Sub::ENUMERATE_RPS_GET_NEXT_RP,
    Sub::ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL,
];

/// The rest of an enumeration.
#[derive(Debug)]
pub enum CredMgmtQueue {
    /// RPs still to list.
    Rps(VecDeque<Response>),
    /// Credentials still to list.
    Credentials(VecDeque<Response>),
}

/// Handles authenticatorCredentialManagement: authorizes the subcommand, then runs it
/// with the RP ID the token is bound to (none for a persistent token).
pub fn handle(auth: &mut Authenticator, params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    let sub = req.sub_command;
    if !Sub::KNOWN.contains(&sub) {
        return Err(CtapStatus::INVALID_SUBCOMMAND);
    }
    let persistent = if CONTINUATIONS.contains(&sub) {
        false
    } else {
        authorize(auth, &req, params)?
    };
    let bound_rp = if persistent {
        None
    } else {
        auth.volatile.token.as_ref().and_then(|t| t.rp_id.clone())
    };
    let sub_params = req.sub_command_params;
    let response = match sub {
        Sub::GET_CREDS_METADATA => metadata(auth, bound_rp.as_deref())?,
        Sub::ENUMERATE_RPS_BEGIN => enumerate_rps(auth, bound_rp.as_deref())?,
        Sub::ENUMERATE_CREDENTIALS_BEGIN => {
            enumerate_credentials(auth, bound_rp.as_deref(), sub_params)?
        }
        Sub::DELETE_CREDENTIAL => delete_credential(auth, bound_rp.as_deref(), sub_params)?,
        Sub::UPDATE_USER_INFORMATION => update_user(auth, bound_rp.as_deref(), sub_params)?,
        _ => next_item(auth, sub)?,
    };
    encode(&response)
}

/// Checks the pinUvAuthParam over subCommand ‖ subCommandParams: a persistent (pcmr)
/// token for read-only subcommands, else the current token with credentialManagement.
/// Returns whether the persistent token authorized it.
fn authorize(auth: &mut Authenticator, req: &Request, params: &[u8]) -> Result<bool, CtapStatus> {
    let (p, param) =
        required_auth_param(req.pin_uv_auth_param.as_deref(), req.pin_uv_auth_protocol)?;
    let mut message = vec![req.sub_command.0];
    message.extend(sub_command_params(params)?);
    let persistent_ok = READ_ONLY.contains(&req.sub_command)
        && auth
            .persistent
            .persistent_token
            .as_ref()
            .is_some_and(|t| token_verifies(t, p, param, &message));
    if !persistent_ok {
        let permission = Permissions::CREDENTIAL_MANAGEMENT;
        check_token(auth, p, param, &message, permission, None)?;
    }
    Ok(persistent_ok)
}

/// getCredsMetadata: discoverable credentials stored and room left. Not for a token
/// bound to one RP.
fn metadata(auth: &Authenticator, bound_rp: Option<&str>) -> Result<Response, CtapStatus> {
    if bound_rp.is_some() {
        return Err(CtapStatus::PIN_AUTH_INVALID);
    }
    let store = &auth.persistent.store;
    Ok(Response {
        existing_resident_credentials_count: Some(count32(store.discoverable_count())),
        max_possible_remaining_resident_credentials_count: Some(count32(store.remaining())),
        ..Response::default()
    })
}

/// enumerateRPsBegin: the first RP with discoverable credentials, the rest queued. Not
/// for a token bound to one RP.
fn enumerate_rps(auth: &mut Authenticator, bound_rp: Option<&str>) -> Result<Response, CtapStatus> {
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
    first_of(auth, rps, true)
}

/// enumerateCredentialsBegin: the RP's first discoverable credential, the rest queued.
fn enumerate_credentials(
    auth: &mut Authenticator,
    bound_rp: Option<&str>,
    sub_params: Option<SubParams>,
) -> Result<Response, CtapStatus> {
    let hash = sub_params
        .and_then(|p| p.rp_id_hash)
        .ok_or(CtapStatus::MISSING_PARAMETER)?;
    let found = auth.persistent.store.discoverable_for(&hash);
    let creds: Vec<Response> = found
        .iter()
        .copied()
        .map(describe)
        .collect::<Result<_, _>>()?;
    if let (Some(rp), Some(first)) = (bound_rp, found.first())
        && first.rp_id != rp
    {
        return Err(CtapStatus::PIN_AUTH_INVALID);
    }
    first_of(auth, creds, false)
}

/// enumerateRPsGetNextRP / enumerateCredentialsGetNextCredential: the next queued item
/// of the matching enumeration.
fn next_item(auth: &mut Authenticator, sub: Sub) -> Result<Response, CtapStatus> {
    let queue = match (sub, auth.cred_mgmt.as_mut()) {
        (Sub::ENUMERATE_RPS_GET_NEXT_RP, Some(CredMgmtQueue::Rps(q)))
        | (Sub::ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL, Some(CredMgmtQueue::Credentials(q))) => {
            q
        }
        _ => return Err(CtapStatus::NOT_ALLOWED),
    };
    let next = queue.pop_front().ok_or(CtapStatus::NOT_ALLOWED)?;
    if queue.is_empty() {
        auth.cred_mgmt = None;
    }
    Ok(next)
}

/// deleteCredential.
fn delete_credential(
    auth: &mut Authenticator,
    bound_rp: Option<&str>,
    sub_params: Option<SubParams>,
) -> Result<Response, CtapStatus> {
    let id = sub_params
        .and_then(|p| p.credential_id)
        .ok_or(CtapStatus::MISSING_PARAMETER)?
        .id;
    let cred = auth
        .persistent
        .store
        .find_by_id(&id)
        .ok_or(CtapStatus::NO_CREDENTIALS)?;
    if bound_rp.is_some_and(|rp| rp != cred.rp_id) {
        return Err(CtapStatus::PIN_AUTH_INVALID);
    }
    auth.persistent.store.delete(&id);
    auth.persistent.counters.forget(&id);
    Ok(Response::default())
}

/// updateUserInformation: new name and display name for the same user ID.
fn update_user(
    auth: &mut Authenticator,
    bound_rp: Option<&str>,
    sub_params: Option<SubParams>,
) -> Result<Response, CtapStatus> {
    let p = sub_params.ok_or(CtapStatus::MISSING_PARAMETER)?;
    let (Some(id), Some(user)) = (p.credential_id, p.user) else {
        return Err(CtapStatus::MISSING_PARAMETER);
    };
    let cred = auth
        .persistent
        .store
        .find_by_id_mut(&id.id)
        .ok_or(CtapStatus::NO_CREDENTIALS)?;
    if bound_rp.is_some_and(|rp| rp != cred.rp_id) {
        return Err(CtapStatus::PIN_AUTH_INVALID);
    }
    if cred.user_id != user.id {
        return Err(CtapStatus::INVALID_PARAMETER);
    }
    cred.user_name = user.name;
    cred.user_display_name = user.display_name;
    Ok(Response::default())
}

fn count32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The first item with the total count; the rest queued for the "next" subcommands.
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

/// A credential as enumerateCredentials lists it.
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
        cred_protect: Some(c.cred_protect),
        large_blob_key: c
            .large_blob_key
            .as_ref()
            .map(|k| k.expose_secret().to_vec()),
        third_party_payment: Some(c.third_party_payment),
        ..Response::default()
    })
}
