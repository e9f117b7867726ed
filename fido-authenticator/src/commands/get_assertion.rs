//! authenticatorGetAssertion (0x02) and authenticatorGetNextAssertion (0x08): allowList,
//! discoverable-credential enumeration newest first with numberOfCredentials, signature
//! counters, and the extensions hmac-secret, credBlob, largeBlobKey, thirdPartyPayment.

use std::time::{Duration, Instant};

use fido_types::cbor::{self, DecodeErrorKind, StrMap, Value};
use fido_types::generated::PinUvAuthProtocol;
use fido_types::generated::extensions::ExtensionId;
use fido_types::generated::extensions::HmacSecretInput;
use fido_types::pin_protocol::PinProtocol;
use fido_types::status::CtapStatus;
use fido_types::webauthn::AuthenticatorDataFlags;
use ring::hmac;

use super::make_credential::{empty_param_probe, uv_configured};
use super::{
    RequestOptions, UserEntity, auth_data, check_token, decode, descriptor, encode,
    param_length_ok, platform_key, request_protocol, sha256, with_protocol,
};
use crate::Authenticator;
use crate::presence::Waiter;
use crate::state::Permissions;
use crate::store::{Credential, cred_protect};

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
    let pin_protocol = match &req.pin_uv_auth_param {
        Some(_) => Some(request_protocol(req.pin_uv_auth_protocol)?),
        None => None,
    };
    let options = RequestOptions::from_map(req.options.as_ref());
    if options.rk.is_some() {
        return Err(CtapStatus::UNSUPPORTED_OPTION);
    }
    let up = options.up.unwrap_or(true);
    let mut uv_requested = options.uv.unwrap_or(false);
    if pin_protocol.is_some() {
        uv_requested = false;
    } else if uv_requested && !uv_configured(auth) {
        return Err(if auth.config.builtin_uv {
            CtapStatus::INVALID_OPTION
        } else {
            CtapStatus::UNSUPPORTED_OPTION
        });
    }
    let protected = auth.persistent.pin.is_some() || uv_configured(auth);
    if auth.persistent.always_uv && pin_protocol.is_none() && !uv_requested && up {
        return Err(if protected {
            CtapStatus::PUAT_REQUIRED
        } else {
            CtapStatus::OPERATION_DENIED
        });
    }
    let mut uv = false;
    if let (Some(p), Some(param)) = (pin_protocol, &req.pin_uv_auth_param) {
        if !param_length_ok(p, param) {
            return Err(CtapStatus::PIN_AUTH_INVALID);
        }
        check_token(
            auth,
            p,
            param,
            &req.client_data_hash,
            Permissions::GET_ASSERTION,
            Some(&req.rp_id),
        )?;
        uv = true;
    }
    if uv_requested {
        super::verify_user(auth, waiter)?;
        uv = true;
    }

    let rp_id_hash = sha256(req.rp_id.as_bytes());
    let allow = req.allow_list.as_deref().unwrap_or_default();
    let ids: Vec<Vec<u8>> = if allow.is_empty() {
        auth.persistent
            .store
            .discoverable_for(&rp_id_hash)
            .into_iter()
            .filter(|c| uv || c.cred_protect == cred_protect::OPTIONAL)
            .map(|c| c.id.clone())
            .collect()
    } else {
        let found = allow.iter().find_map(|d| {
            auth.persistent
                .store
                .find(&rp_id_hash, &d.id)
                .filter(|c| uv || c.cred_protect != cred_protect::REQUIRED)
                .map(|c| c.id.clone())
        });
        found.into_iter().collect()
    };
    if ids.is_empty() {
        if up {
            auth.presence.request(waiter)?;
        }
        return Err(CtapStatus::NO_CREDENTIALS);
    }
    if up {
        auth.presence.request(waiter)?;
    }
    let context = Context {
        rp_id_hash,
        client_data_hash: req.client_data_hash.clone(),
        up,
        uv,
        extensions: req.extensions.clone().unwrap_or_default(),
    };
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

fn assertion(auth: &mut Authenticator, ctx: &Context, id: &[u8]) -> Result<Response, CtapStatus> {
    let cred = auth
        .persistent
        .store
        .find(&ctx.rp_id_hash, id)
        .ok_or(CtapStatus::NO_CREDENTIALS)?;
    let mut outputs = StrMap::new();
    if let Some(input) = ctx.extensions.get(&*ExtensionId::HMAC_SECRET.0)
        && cred.hmac_secret
    {
        let out = hmac_secret_output(auth, &cred, input, ctx.uv)?;
        outputs.insert(ExtensionId::HMAC_SECRET.0.into(), Value::Bytes(out));
    }
    if ctx.extensions.get(&*ExtensionId::CRED_BLOB.0) == Some(&Value::Bool(true)) {
        outputs.insert(
            ExtensionId::CRED_BLOB.0.into(),
            Value::Bytes(cred.cred_blob.clone().unwrap_or_default()),
        );
    }
    if ctx.extensions.get(&*ExtensionId::THIRD_PARTY_PAYMENT.0) == Some(&Value::Bool(true)) {
        outputs.insert(
            ExtensionId::THIRD_PARTY_PAYMENT.0.into(),
            Value::Bool(cred.third_party_payment),
        );
    }
    let large_blob_key = match ctx.extensions.get(&*ExtensionId::LARGE_BLOB_KEY.0) {
        Some(Value::Bool(true)) => cred
            .large_blob_key
            .as_ref()
            .map(|k| k.expose_secret().to_vec()),
        None => None,
        Some(_) => return Err(CtapStatus::INVALID_OPTION),
    };
    let flags = AuthenticatorDataFlags::default()
        .with(AuthenticatorDataFlags::UP, ctx.up)
        .with(AuthenticatorDataFlags::UV, ctx.uv);
    auth.persistent.sign_count = auth.persistent.sign_count.wrapping_add(1);
    let data = auth_data(
        ctx.rp_id_hash,
        flags,
        auth.persistent.sign_count,
        None,
        &outputs,
    )?;
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

/// The hmac-secret input as the generated map: a missing member is `MISSING_PARAMETER`,
/// anything else malformed `INVALID_PARAMETER`.
fn hmac_secret_input(input: &Value) -> Result<HmacSecretInput, CtapStatus> {
    let bytes = cbor::to_vec(input).map_err(|_| CtapStatus::INVALID_PARAMETER)?;
    cbor::from_slice(&bytes).map_err(|e| match e.kind() {
        DecodeErrorKind::MissingField => CtapStatus::MISSING_PARAMETER,
        _ => CtapStatus::INVALID_PARAMETER,
    })
}

/// The hmac-secret (or hmac-secret-mc) output: `{1: keyAgreement, 2: saltEnc, 3:
/// saltAuth, 4: pinUvAuthProtocol}` in, the encrypted HMAC(CredRandom, salt) outputs out.
pub(crate) fn hmac_secret_output(
    auth: &Authenticator,
    cred: &Credential,
    input: &Value,
    uv: bool,
) -> Result<Vec<u8>, CtapStatus> {
    let input = hmac_secret_input(input)?;
    let proto = request_protocol(Some(
        input.pin_uv_auth_protocol.unwrap_or(PinUvAuthProtocol::ONE),
    ))?;
    let peer = platform_key(&input.key_agreement)?;
    let (salt_enc, salt_auth) = (&input.salt_enc, &input.salt_auth);
    let random = if uv {
        &cred.cred_random_uv
    } else {
        &cred.cred_random_no_uv
    };
    let hkey = hmac::Key::new(hmac::HMAC_SHA256, random.expose_secret());
    with_protocol!(proto, P => {
        let shared = auth.volatile.key_agreement.decapsulate::<P>(&peer.x, &peer.y)
            .map_err(|_| CtapStatus::INVALID_PARAMETER)?;
        P::verify(&shared, salt_enc, salt_auth).map_err(|_| CtapStatus::PIN_AUTH_INVALID)?;
        let salts = zeroize::Zeroizing::new(
            P::decrypt(&shared, salt_enc).map_err(|_| CtapStatus::INVALID_LENGTH)?,
        );
        if salts.len() != 32 && salts.len() != 64 {
            return Err(CtapStatus::INVALID_LENGTH);
        }
        let mut out = zeroize::Zeroizing::new(Vec::with_capacity(64));
        for salt in salts.chunks(32) {
            out.extend_from_slice(hmac::sign(&hkey, salt).as_ref());
        }
        P::encrypt(&shared, &out).map_err(|_| CtapStatus::OTHER)
    })
}
