//! PIN/UV auth: the protocol a request names, its pinUvAuthParam checked against the
//! token (permissions, RP ID, lifetime), built-in user verification, the key-agreement
//! key, and the uv/up/pinUvAuthParam decisions makeCredential and getAssertion share.

use fido_types::cose::{CoseError, CoseKey};
use fido_types::generated::PinUvAuthProtocol;
use fido_types::generated::client_pin::Permissions;
use fido_types::pin_protocol::{
    KeyAgreementPublicKey, PinProtocol, PinUvAuthToken, SupportedProtocol,
};
use fido_types::status::CtapStatus;

use super::codec::RequestOptions;
use super::limits::uv_configured;
use crate::Authenticator;
use crate::presence::Waiter;
use crate::state::MAX_UV_RETRIES;

/// Runs `$body` with `$p` bound to the protocol type for `$protocol`.
macro_rules! with_protocol {
    ($protocol:expr, $p:ident => $body:expr) => {
        match $protocol {
            fido_types::pin_protocol::SupportedProtocol::One => {
                type $p = fido_types::pin_protocol::ProtocolOne;
                $body
            }
            fido_types::pin_protocol::SupportedProtocol::Two => {
                type $p = fido_types::pin_protocol::ProtocolTwo;
                $body
            }
        }
    };
}
pub(crate) use with_protocol;

/// The protocol a request names in its `pinUvAuthProtocol` member: `MISSING_PARAMETER`
/// if absent, `INVALID_PARAMETER` if unknown.
pub(crate) fn request_protocol(
    p: Option<PinUvAuthProtocol>,
) -> Result<SupportedProtocol, CtapStatus> {
    let p = p.ok_or(CtapStatus::MISSING_PARAMETER)?;
    SupportedProtocol::try_from(p).map_err(|_| CtapStatus::INVALID_PARAMETER)
}

/// The pinUvAuthParam of a request that must carry one, with its protocol:
/// `PUAT_REQUIRED` when it is absent, the errors of [`request_protocol`] for the protocol, and
/// `PIN_AUTH_INVALID` when its length does not fit the protocol.
pub(crate) fn required_auth_param(
    param: Option<&[u8]>,
    p: Option<PinUvAuthProtocol>,
) -> Result<(SupportedProtocol, &[u8]), CtapStatus> {
    let param = param.ok_or(CtapStatus::PUAT_REQUIRED)?;
    let p = request_protocol(p)?;
    if !param_length_ok(p, param) {
        return Err(CtapStatus::PIN_AUTH_INVALID);
    }
    Ok((p, param))
}

/// Whether `param` has the right length for `protocol` (16 for one, 32 for two).
pub(crate) fn param_length_ok(protocol: SupportedProtocol, param: &[u8]) -> bool {
    match protocol {
        SupportedProtocol::One => param.len() == 16 || param.len() == 32,
        SupportedProtocol::Two => param.len() == 32,
    }
}

/// Checks `param` = authenticate(token, `message`) for the current token, and that the
/// token is fresh and carries `permission`. If `rp_id` is given, the token's permissions
/// RP ID must match it (and is bound to it if unset).
pub(crate) fn check_token(
    auth: &mut Authenticator,
    protocol: SupportedProtocol,
    param: &[u8],
    message: &[u8],
    permission: Permissions,
    rp_id: Option<&str>,
) -> Result<(), CtapStatus> {
    let now = auth.clock.now();
    let token = auth
        .volatile
        .token
        .as_mut()
        .ok_or(CtapStatus::PIN_AUTH_INVALID)?;
    if token.expired(now) {
        auth.volatile.token = None;
        return Err(CtapStatus::PIN_AUTH_INVALID);
    }
    if !token_verifies(&token.secret, protocol, param, message)
        || !token.permissions.contains(permission)
    {
        return Err(CtapStatus::PIN_AUTH_INVALID);
    }
    if let Some(rp_id) = rp_id {
        match &token.rp_id {
            Some(bound) if bound != rp_id => return Err(CtapStatus::PIN_AUTH_INVALID),
            Some(_) => {}
            None => token.rp_id = Some(rp_id.to_owned()),
        }
    }
    token.used = true;
    Ok(())
}

/// Whether `param` = authenticate(`secret`, `message`) under `protocol`.
pub(crate) fn token_verifies(
    secret: &crate::secret::Secret<32>,
    protocol: SupportedProtocol,
    param: &[u8],
    message: &[u8],
) -> bool {
    with_protocol!(protocol, P => {
        match PinUvAuthToken::<P>::from_bytes(secret.expose_secret()) {
            Ok(key) => P::verify(&key, message, param).is_ok(),
            Err(_) => false,
        }
    })
}

/// Built-in user verification through the simulated sensor, as the verification policy
/// answers: success restores the UV retries; a refusal spends one and is UV_INVALID
/// (UV_BLOCKED at zero).
pub(crate) fn verify_user(
    auth: &mut Authenticator,
    waiter: &mut dyn Waiter,
) -> Result<(), CtapStatus> {
    if auth.persistent.uv_retries == 0 {
        return Err(CtapStatus::UV_BLOCKED);
    }
    match auth.verification.request(waiter) {
        Ok(()) => {
            auth.persistent.uv_retries = MAX_UV_RETRIES;
            Ok(())
        }
        Err(CtapStatus::OPERATION_DENIED) => {
            auth.persistent.uv_retries -= 1;
            Err(if auth.persistent.uv_retries == 0 {
                CtapStatus::UV_BLOCKED
            } else {
                CtapStatus::UV_INVALID
            })
        }
        Err(other) => Err(other),
    }
}

/// Collects user presence for a zero-length pinUvAuthParam probe (CTAP 2.1 §6.1.2 step
/// 1), then reports whether a PIN is set.
pub(crate) fn empty_param_probe(
    auth: &mut Authenticator,
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    auth.presence.request(waiter)?;
    Err(if auth.persistent.pin.is_some() {
        CtapStatus::PIN_AUTH_INVALID
    } else {
        CtapStatus::PIN_NOT_SET
    })
}

/// How a makeCredential or getAssertion request asks for user verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UvRequest {
    /// The protocol of its pinUvAuthParam, when it carries one.
    pub(crate) pin_protocol: Option<SupportedProtocol>,
    /// Built-in UV asked for with the `uv` option (and no pinUvAuthParam).
    pub(crate) builtin: bool,
    /// A PIN is set or built-in UV is configured.
    pub(crate) protected: bool,
}

/// The protocol of a request's pinUvAuthParam, when it carries one (CTAP 2.1 §6.1.2
/// step 2); the errors of [`request_protocol`].
pub(crate) fn pin_protocol(
    param: Option<&Vec<u8>>,
    protocol: Option<PinUvAuthProtocol>,
) -> Result<Option<SupportedProtocol>, CtapStatus> {
    param.map(|_| request_protocol(protocol)).transpose()
}

/// Reads the `uv` option next to the pinUvAuthParam's protocol (CTAP 2.1 §6.1.2 step 5):
/// a pinUvAuthParam wins over `uv`; `uv` without built-in UV is INVALID_OPTION (sensor
/// present, no finger) or UNSUPPORTED_OPTION.
pub(crate) fn uv_request(
    auth: &Authenticator,
    pin_protocol: Option<SupportedProtocol>,
    options: &RequestOptions,
) -> Result<UvRequest, CtapStatus> {
    let builtin = pin_protocol.is_none() && options.uv.unwrap_or(false);
    if builtin && !uv_configured(auth) {
        return Err(if auth.config.builtin_uv {
            CtapStatus::INVALID_OPTION
        } else {
            CtapStatus::UNSUPPORTED_OPTION
        });
    }
    Ok(UvRequest {
        pin_protocol,
        builtin,
        protected: auth.persistent.pin.is_some() || uv_configured(auth),
    })
}

impl UvRequest {
    /// Whether the request verifies the user at all (a pinUvAuthParam or built-in UV).
    pub(crate) fn verifies(&self) -> bool {
        self.pin_protocol.is_some() || self.builtin
    }

    /// Verifies the user as asked (CTAP 2.1 §6.1.2 steps 11-12): checks the
    /// pinUvAuthParam against the token (over the client data hash, with `permission`
    /// and bound to `rp_id`), or runs built-in UV. Returns whether the user is verified.
    pub(crate) fn verify(
        &self,
        auth: &mut Authenticator,
        waiter: &mut dyn Waiter,
        param: Option<&Vec<u8>>,
        client_data_hash: &[u8],
        permission: Permissions,
        rp_id: &str,
    ) -> Result<bool, CtapStatus> {
        if let (Some(p), Some(param)) = (self.pin_protocol, param) {
            if !param_length_ok(p, param) {
                return Err(CtapStatus::PIN_AUTH_INVALID);
            }
            check_token(auth, p, param, client_data_hash, permission, Some(rp_id))?;
            // CTAP 2.1 §6.1.2 step 11: a token whose verification a ceremony already
            // used verifies nobody.
            let verified = auth
                .volatile
                .token
                .as_ref()
                .is_some_and(|t| t.user_verified);
            if !verified {
                return Err(CtapStatus::PIN_AUTH_INVALID);
            }
            return Ok(true);
        }
        if self.builtin {
            verify_user(auth, waiter)?;
            return Ok(true);
        }
        Ok(false)
    }
}

/// Collects user presence for a makeCredential or getAssertion that asks for it (CTAP 2.1
/// §6.1.2 steps 14-15, §6.2.2 step 9): a token still carrying the user's presence (from
/// built-in UV) stands for the touch; either way, a ceremony that used a token clears its
/// flags and every permission but largeBlobWrite.
pub(crate) fn collect_presence(
    auth: &mut Authenticator,
    waiter: &mut dyn Waiter,
    uv_req: &UvRequest,
) -> Result<(), CtapStatus> {
    let token = uv_req.pin_protocol.and(auth.volatile.token.as_ref());
    if !token.is_some_and(|t| t.user_present) {
        auth.presence.request(waiter)?;
    }
    if uv_req.pin_protocol.is_some()
        && let Some(token) = auth.volatile.token.as_mut()
    {
        token.consume_presence();
    }
    Ok(())
}

/// The platform's key-agreement key, checked as fido-types checks it for the client
/// ([`CoseKey::to_key_agreement`]): a missing member is `MISSING_PARAMETER`, anything else
/// wrong `INVALID_PARAMETER` (as a key the agreement refuses).
pub(crate) fn platform_key(key: &CoseKey) -> Result<KeyAgreementPublicKey, CtapStatus> {
    key.to_key_agreement().map_err(|e| match e {
        CoseError::MissingParameter { .. } => CtapStatus::MISSING_PARAMETER,
        _ => CtapStatus::INVALID_PARAMETER,
    })
}

/// The authenticator's key-agreement public key as a COSE_Key (`alg` -25, ECDH-ES+HKDF-256).
pub(crate) fn cose_key_agreement(auth: &Authenticator) -> CoseKey {
    CoseKey::from_key_agreement(&auth.volatile.key_agreement.public_key())
}
