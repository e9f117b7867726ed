//! authenticatorGetAssertion (0x02) and authenticatorGetNextAssertion (0x08): allowList,
//! discoverable-credential enumeration newest first with numberOfCredentials, signature
//! counters, and the extensions hmac-secret, credBlob, largeBlobKey, thirdPartyPayment.

use std::time::{Duration, Instant};

use fido_types::cbor::{StrMap, Value};
use fido_types::generated::extensions::ExtensionId;
use fido_types::status::CtapStatus;

use super::shared::{
    ExtensionOutputs, RequestOptions, UserEntity, UvRequest, auth_data, collect_presence, decode,
    descriptor, empty_param_probe, encode, extension_flag, extension_input, hmac_secret_output,
    pin_protocol, presence_flags, sha256, uv_request,
};
use crate::Authenticator;
use crate::presence::Waiter;
use crate::state::Permissions;
use crate::store::{CredProtectPolicy, Credential};

/// How long getNextAssertion may follow getAssertion (CTAP 2.1 §6.3: 30 s).
pub const NEXT_ASSERTION_WINDOW: Duration = Duration::from_secs(30);

pub use fido_types::generated::get_assertion::{
    GetAssertionRequest as Request, GetAssertionResponse as Response,
};

/// What getNextAssertion needs from the getAssertion that started the sequence.
#[derive(Debug)]
pub struct AssertionQueue {
    remaining: Vec<Vec<u8>>,
    context: Context,
    started: Instant,
}

#[derive(Debug, Clone)]
struct Context {
    rp_id_hash: [u8; 32],
    client_data_hash: Vec<u8>,
    up: bool,
    uv: bool,
    extensions: StrMap<Value>,
}

/// Handles authenticatorGetAssertion.
pub fn handle(
    auth: &mut Authenticator,
    params: &[u8],
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    if req.pin_uv_auth_param.as_ref().is_some_and(Vec::is_empty) {
        return empty_param_probe(auth, waiter);
    }
    let pin_protocol = pin_protocol(req.pin_uv_auth_param.as_ref(), req.pin_uv_auth_protocol)?;
    let options = RequestOptions::from_map(req.options.as_ref());
    if options.rk.is_some() {
        return Err(CtapStatus::UNSUPPORTED_OPTION);
    }
    let up = options.up.unwrap_or(true);
    let hmac_secret = req
        .extensions
        .as_ref()
        .is_some_and(|e| extension_input(e, &ExtensionId::HMAC_SECRET).is_some());
    if !up && hmac_secret {
        // hmac-secret derives a secret: never without a touch (OpenSK refuses the same
        // way). credBlob and largeBlobKey stay available: CTAP 2.1 §12.2 and §12.3 put no
        // user-presence condition on them, and credProtect already hides credentials that
        // need UV.
        return Err(CtapStatus::UNSUPPORTED_OPTION);
    }
    let uv_req = uv_request(auth, pin_protocol, &options)?;
    check_always_uv(auth, &uv_req, up)?;
    let uv = uv_req.verify(
        auth,
        waiter,
        req.pin_uv_auth_param.as_ref(),
        &req.client_data_hash,
        Permissions::GET_ASSERTION,
        &req.rp_id,
    )?;
    let rp_id_hash = sha256(req.rp_id.as_bytes());
    let ids = eligible_credentials(auth, &req, &rp_id_hash, uv);
    if up {
        collect_presence(auth, waiter, &uv_req)?;
    }
    if ids.is_empty() {
        return Err(CtapStatus::NO_CREDENTIALS);
    }
    let context = Context {
        rp_id_hash,
        client_data_hash: req.client_data_hash.clone(),
        up,
        uv,
        extensions: req.extensions.clone().unwrap_or_default(),
    };
    first_assertion(auth, context, ids)
}

/// With alwaysUv, an assertion with user presence needs user verification.
fn check_always_uv(auth: &Authenticator, uv_req: &UvRequest, up: bool) -> Result<(), CtapStatus> {
    if auth.persistent.always_uv && !uv_req.verifies() && up {
        return Err(if uv_req.protected {
            CtapStatus::PUAT_REQUIRED
        } else {
            CtapStatus::OPERATION_DENIED
        });
    }
    Ok(())
}

/// The IDs of the credentials that may assert: the first allowList entry found here, or
/// every discoverable credential of the RP (newest first); credProtect hides credentials
/// from an unverified user.
fn eligible_credentials(
    auth: &Authenticator,
    req: &Request,
    rp_id_hash: &[u8; 32],
    uv: bool,
) -> Vec<Vec<u8>> {
    let store = &auth.persistent.store;
    let allow = req.allow_list.as_deref().unwrap_or_default();
    if allow.is_empty() {
        return store
            .discoverable_for(rp_id_hash)
            .into_iter()
            .filter(|c| uv || c.cred_protect == CredProtectPolicy::USER_VERIFICATION_OPTIONAL)
            .map(|c| c.id.clone())
            .collect();
    }
    let found = allow.iter().find_map(|d| {
        store
            .find(rp_id_hash, &d.id)
            .filter(|c| uv || c.cred_protect != CredProtectPolicy::USER_VERIFICATION_REQUIRED)
            .map(|c| c.id.clone())
    });
    found.into_iter().collect()
}

/// The assertion of the first credential; with more than one, numberOfCredentials and
/// the queue getNextAssertion takes the rest from.
fn first_assertion(
    auth: &mut Authenticator,
    context: Context,
    ids: Vec<Vec<u8>>,
) -> Result<Vec<u8>, CtapStatus> {
    let count = ids.len();
    let mut ids = ids.into_iter();
    let first = ids.next().ok_or(CtapStatus::NO_CREDENTIALS)?;
    let mut response = assertion(auth, &context, &first)?;
    if count > 1 {
        response.number_of_credentials = Some(u32::try_from(count).unwrap_or(u32::MAX));
        auth.assertions = Some(AssertionQueue {
            remaining: ids.rev().collect(),
            context,
            started: auth.clock.now(),
        });
    }
    encode(&response)
}

/// Handles authenticatorGetNextAssertion.
pub fn next(auth: &mut Authenticator, params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    if !params.is_empty() {
        return Err(CtapStatus::INVALID_LENGTH);
    }
    let mut queue = auth.assertions.take().ok_or(CtapStatus::NOT_ALLOWED)?;
    if auth.clock.now().duration_since(queue.started) > NEXT_ASSERTION_WINDOW {
        return Err(CtapStatus::NOT_ALLOWED);
    }
    let id = queue.remaining.pop().ok_or(CtapStatus::NOT_ALLOWED)?;
    let response = assertion(auth, &queue.context, &id)?;
    if !queue.remaining.is_empty() {
        auth.assertions = Some(queue);
    }
    encode(&response)
}

/// One assertion: extension outputs, authenticator data (counting a signature), the
/// signature over it and the client data hash, and the user (details only when verified).
fn assertion(auth: &mut Authenticator, ctx: &Context, id: &[u8]) -> Result<Response, CtapStatus> {
    let cred = auth
        .persistent
        .store
        .find(&ctx.rp_id_hash, id)
        .ok_or(CtapStatus::NO_CREDENTIALS)?;
    let outputs = extension_outputs(auth, ctx, &cred)?;
    let large_blob_key = match extension_input(&ctx.extensions, &ExtensionId::LARGE_BLOB_KEY) {
        Some(Value::Bool(true)) => cred
            .large_blob_key
            .as_ref()
            .map(|k| k.expose_secret().to_vec()),
        None => None,
        Some(_) => return Err(CtapStatus::INVALID_OPTION),
    };
    let flags = presence_flags(ctx.up, ctx.uv);
    let sign_count = auth.persistent.counters.increment(&cred.id);
    let data = auth_data(ctx.rp_id_hash, flags, sign_count, None, &outputs)?;
    let message = [data.as_bytes(), &ctx.client_data_hash].concat();
    let signature = cred.key.sign(&message).map_err(|_| CtapStatus::OTHER)?;
    let user = cred.discoverable.then(|| UserEntity {
        id: cred.user_id.clone(),
        name: if ctx.uv { cred.user_name.clone() } else { None },
        display_name: if ctx.uv {
            cred.user_display_name.clone()
        } else {
            None
        },
    });
    Ok(Response {
        credential: Some(descriptor(&cred.id)),
        auth_data: data.as_bytes().to_vec(),
        signature,
        user,
        large_blob_key,
        ..Response::default()
    })
}

/// The hmac-secret, credBlob and thirdPartyPayment outputs of one assertion.
fn extension_outputs(
    auth: &Authenticator,
    ctx: &Context,
    cred: &Credential,
) -> Result<ExtensionOutputs, CtapStatus> {
    let mut outputs = ExtensionOutputs::default();
    if let Some(input) = extension_input(&ctx.extensions, &ExtensionId::HMAC_SECRET)
        && cred.hmac_secret
    {
        let out = hmac_secret_output(auth, cred, input, ctx.uv)?;
        outputs.insert(ExtensionId::HMAC_SECRET, Value::Bytes(out));
    }
    if extension_flag(&ctx.extensions, &ExtensionId::CRED_BLOB) {
        let blob = cred.cred_blob.clone().unwrap_or_default();
        outputs.insert(ExtensionId::CRED_BLOB, Value::Bytes(blob));
    }
    if extension_flag(&ctx.extensions, &ExtensionId::THIRD_PARTY_PAYMENT) {
        let paid = Value::Bool(cred.third_party_payment);
        outputs.insert(ExtensionId::THIRD_PARTY_PAYMENT, paid);
    }
    Ok(outputs)
}
