//! authenticatorClientPIN (0x06): every subcommand, over PIN/UV auth protocols one and two.
//!
//! 8 retries; three wrong PINs in a row give PIN_AUTH_BLOCKED until a power cycle; at 0
//! retries PIN_BLOCKED until reset. A new token replaces (invalidates) the old one.

use fido_types::cose::CoseKey;
use fido_types::generated::client_pin::ClientPinSubCommand as Sub;
use fido_types::pin_protocol::{Pin, PinProtocol, SharedSecret, SupportedProtocol};
use fido_types::status::CtapStatus;

use super::shared::{
    cose_key_agreement, decode, encode, platform_key, request_protocol, verify_user, with_protocol,
};
use crate::Authenticator;
use crate::presence::Waiter;
use crate::secret::Secret;
use crate::state::{
    MAX_PIN_RETRIES, MAX_UV_RETRIES, Permissions, StoredPin, Token, new_key_agreement_key,
};

pub use fido_types::generated::client_pin::{
    ClientPinRequest as Request, ClientPinResponse as Response,
};

/// Handles authenticatorClientPIN: one step per subcommand (getUVRetries only with
/// built-in UV).
pub fn handle(
    auth: &mut Authenticator,
    params: &[u8],
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    let response = match req.sub_command {
        Sub::GET_PIN_RETRIES => pin_retries(auth)?,
        Sub::GET_KEY_AGREEMENT => {
            request_protocol(req.pin_uv_auth_protocol)?;
            Response {
                key_agreement: Some(cose_key_agreement(auth)),
                ..Response::default()
            }
        }
        Sub::SET_PIN => {
            let p = request_protocol(req.pin_uv_auth_protocol)?;
            with_protocol!(p, P => set_pin::<P>(auth, &req))?;
            Response::default()
        }
        Sub::CHANGE_PIN => {
            let p = request_protocol(req.pin_uv_auth_protocol)?;
            with_protocol!(p, P => change_pin::<P>(auth, &req))?;
            Response::default()
        }
        Sub::GET_PIN_TOKEN | Sub::GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS => {
            let p = request_protocol(req.pin_uv_auth_protocol)?;
            token_response(with_protocol!(p, P => get_token::<P>(auth, &req, p))?)
        }
        Sub::GET_PIN_UV_AUTH_TOKEN_USING_UV_WITH_PERMISSIONS => {
            let p = request_protocol(req.pin_uv_auth_protocol)?;
            token_response(with_protocol!(p, P => get_uv_token::<P>(auth, &req, waiter))?)
        }
        Sub::GET_UV_RETRIES if auth.config.builtin_uv => Response {
            uv_retries: Some(u32::from(auth.persistent.uv_retries)),
            ..Response::default()
        },
        _ => return Err(CtapStatus::INVALID_SUBCOMMAND),
    };
    encode(&response)
}

/// getPINRetries: the retries left and whether a power cycle is needed.
fn pin_retries(auth: &Authenticator) -> Result<Response, CtapStatus> {
    if auth.persistent.pin.is_none() {
        return Err(CtapStatus::PIN_NOT_SET);
    }
    Ok(Response {
        pin_retries: Some(u32::from(auth.persistent.pin_retries)),
        power_cycle_state: Some(auth.volatile.pin_auth_blocked()),
        ..Response::default()
    })
}

/// The response carrying an encrypted pinUvAuthToken.
fn token_response(token: Vec<u8>) -> Response {
    Response {
        pin_uv_auth_token: Some(token),
        ..Response::default()
    }
}

fn shared_secret<P: PinProtocol>(
    auth: &Authenticator,
    key: Option<&CoseKey>,
) -> Result<SharedSecret<P>, CtapStatus> {
    let peer = platform_key(key.ok_or(CtapStatus::MISSING_PARAMETER)?)?;
    auth.volatile
        .key_agreement
        .decapsulate::<P>(&peer.x, &peer.y)
        .map_err(|_| CtapStatus::INVALID_PARAMETER)
}

/// Decrypts `newPinEnc` and applies the PIN rules.
fn new_pin<P: PinProtocol>(
    auth: &Authenticator,
    shared: &SharedSecret<P>,
    new_pin_enc: &[u8],
) -> Result<Pin, CtapStatus> {
    let padded = P::decrypt(shared, new_pin_enc).map_err(|_| CtapStatus::INVALID_PARAMETER)?;
    let padded = zeroize::Zeroizing::new(padded);
    if padded.len() != fido_types::pin_protocol::PADDED_PIN_LEN {
        return Err(CtapStatus::INVALID_PARAMETER);
    }
    Pin::from_padded(&padded, usize::from(auth.persistent.min_pin_length))
        .map_err(|_| CtapStatus::PIN_POLICY_VIOLATION)
}

fn set_pin<P: PinProtocol>(auth: &mut Authenticator, req: &Request) -> Result<(), CtapStatus> {
    let (Some(new_pin_enc), Some(param)) = (&req.new_pin_enc, &req.pin_uv_auth_param) else {
        return Err(CtapStatus::MISSING_PARAMETER);
    };
    let shared = shared_secret::<P>(auth, req.key_agreement.as_ref())?;
    if auth.persistent.pin.is_some() {
        return Err(CtapStatus::NOT_ALLOWED);
    }
    P::verify(&shared, new_pin_enc, param).map_err(|_| CtapStatus::PIN_AUTH_INVALID)?;
    let pin = new_pin(auth, &shared, new_pin_enc)?;
    auth.persistent.pin = Some(StoredPin {
        hash: Secret(*pin.pin_hash()),
        code_points: pin.code_points(),
    });
    auth.persistent.pin_retries = MAX_PIN_RETRIES;
    Ok(())
}

/// Checks that a PIN is set and not blocked.
fn pin_usable(auth: &Authenticator) -> Result<(), CtapStatus> {
    if auth.persistent.pin.is_none() {
        return Err(CtapStatus::PIN_NOT_SET);
    }
    if auth.persistent.pin_retries == 0 {
        return Err(CtapStatus::PIN_BLOCKED);
    }
    if auth.volatile.pin_auth_blocked() {
        return Err(CtapStatus::PIN_AUTH_BLOCKED);
    }
    Ok(())
}

/// Spends a retry and compares the decrypted `pinHashEnc` with the stored hash (CTAP 2.1
/// §6.5.5.5 "verify the PIN").
fn verify_pin_hash<P: PinProtocol>(
    auth: &mut Authenticator,
    shared: &SharedSecret<P>,
    pin_hash_enc: &[u8],
) -> Result<(), CtapStatus> {
    auth.persistent.pin_retries = auth.persistent.pin_retries.saturating_sub(1);
    let matches = match P::decrypt(shared, pin_hash_enc) {
        Ok(hash) => {
            let hash = zeroize::Zeroizing::new(hash);
            auth.persistent
                .pin
                .as_ref()
                .is_some_and(|pin| pin.hash.ct_eq(&hash))
        }
        Err(_) => false,
    };
    if !matches {
        auth.volatile.key_agreement = new_key_agreement_key(&mut auth.rng);
        auth.volatile.consecutive_pin_failures += 1;
        return Err(if auth.persistent.pin_retries == 0 {
            CtapStatus::PIN_BLOCKED
        } else if auth.volatile.pin_auth_blocked() {
            CtapStatus::PIN_AUTH_BLOCKED
        } else {
            CtapStatus::PIN_INVALID
        });
    }
    auth.persistent.pin_retries = MAX_PIN_RETRIES;
    auth.persistent.uv_retries = MAX_UV_RETRIES;
    auth.volatile.consecutive_pin_failures = 0;
    Ok(())
}

fn change_pin<P: PinProtocol>(auth: &mut Authenticator, req: &Request) -> Result<(), CtapStatus> {
    let (Some(new_pin_enc), Some(pin_hash_enc), Some(param)) =
        (&req.new_pin_enc, &req.pin_hash_enc, &req.pin_uv_auth_param)
    else {
        return Err(CtapStatus::MISSING_PARAMETER);
    };
    pin_usable(auth)?;
    let shared = shared_secret::<P>(auth, req.key_agreement.as_ref())?;
    let mut message = new_pin_enc.clone();
    message.extend_from_slice(pin_hash_enc);
    P::verify(&shared, &message, param).map_err(|_| CtapStatus::PIN_AUTH_INVALID)?;
    verify_pin_hash(auth, &shared, pin_hash_enc)?;
    let pin = new_pin(auth, &shared, new_pin_enc)?;
    let same = auth
        .persistent
        .pin
        .as_ref()
        .is_some_and(|old| old.hash.ct_eq(pin.pin_hash().as_slice()));
    if auth.persistent.force_pin_change && same {
        return Err(CtapStatus::PIN_POLICY_VIOLATION);
    }
    auth.persistent.pin = Some(StoredPin {
        hash: Secret(*pin.pin_hash()),
        code_points: pin.code_points(),
    });
    auth.persistent.force_pin_change = false;
    auth.persistent.persistent_token = None;
    auth.volatile.token = None;
    Ok(())
}

/// The permissions this authenticator can grant: all it knows but bioEnrollment, which
/// needs built-in UV.
pub(crate) fn supported_permissions(auth: &Authenticator) -> Permissions {
    let mut supported = Permissions::MAKE_CREDENTIAL
        | Permissions::GET_ASSERTION
        | Permissions::CREDENTIAL_MANAGEMENT
        | Permissions::LARGE_BLOB_WRITE
        | Permissions::AUTHENTICATOR_CONFIG
        | Permissions::PERSISTENT_CREDENTIAL_MANAGEMENT_READ_ONLY;
    if auth.config.builtin_uv {
        supported |= Permissions::BIO_ENROLLMENT;
    }
    supported
}

/// The requested permissions: defaults (mc, ga) for getPinToken, checked otherwise.
fn requested_permissions(auth: &Authenticator, req: &Request) -> Result<Permissions, CtapStatus> {
    if req.sub_command == Sub::GET_PIN_TOKEN {
        if req.permissions.is_some() || req.rp_id.is_some() {
            return Err(CtapStatus::INVALID_PARAMETER);
        }
        return Ok(Permissions::MAKE_CREDENTIAL | Permissions::GET_ASSERTION);
    }
    let requested = req.permissions.ok_or(CtapStatus::MISSING_PARAMETER)?;
    if requested.is_empty() {
        return Err(CtapStatus::INVALID_PARAMETER);
    }
    if requested.0 & !supported_permissions(auth).0 != 0 {
        return Err(CtapStatus::UNAUTHORIZED_PERMISSION);
    }
    // pcmr is granted alone (it makes a persistent token, CTAP 2.2 §6.5.5.7).
    let pcmr = Permissions::PERSISTENT_CREDENTIAL_MANAGEMENT_READ_ONLY;
    if requested.contains(pcmr) && requested != pcmr {
        return Err(CtapStatus::UNAUTHORIZED_PERMISSION);
    }
    Ok(requested)
}

/// Issues a new token (replacing any old one) and returns it encrypted for the platform.
fn issue_token<P: PinProtocol>(
    auth: &mut Authenticator,
    shared: &SharedSecret<P>,
    permissions: Permissions,
    rp_id: Option<String>,
    uv: bool,
) -> Result<Vec<u8>, CtapStatus> {
    let secret = auth.rng.secret::<32>();
    let encrypted = P::encrypt(shared, secret.as_slice()).map_err(|_| CtapStatus::OTHER)?;
    if permissions == Permissions::PERSISTENT_CREDENTIAL_MANAGEMENT_READ_ONLY {
        // The persistent token lives beside the ordinary one; it does not replace it.
        auth.persistent.persistent_token = Some(Secret(*secret));
        return Ok(encrypted);
    }
    auth.volatile.token = Some(Token {
        secret: Secret(*secret),
        permissions,
        rp_id,
        issued: auth.clock.now(),
        used: false,
        // Built-in UV is a touch of the sensor: the user was present (CTAP 2.1 §6.5.5.7:
        // beginUsingPinUvAuthToken(userIsPresent)); a PIN entry is not.
        user_present: uv,
        user_verified: true,
    });
    Ok(encrypted)
}

fn get_token<P: PinProtocol>(
    auth: &mut Authenticator,
    req: &Request,
    _p: SupportedProtocol,
) -> Result<Vec<u8>, CtapStatus> {
    let pin_hash_enc = req
        .pin_hash_enc
        .as_ref()
        .ok_or(CtapStatus::MISSING_PARAMETER)?;
    if req.key_agreement.is_none() {
        return Err(CtapStatus::MISSING_PARAMETER);
    }
    let permissions = requested_permissions(auth, req)?;
    pin_usable(auth)?;
    let shared = shared_secret::<P>(auth, req.key_agreement.as_ref())?;
    verify_pin_hash(auth, &shared, pin_hash_enc)?;
    // CTAP 2.1 §6.5.5.7.2: with forcePINChange set, no token until the PIN is changed;
    // YubiKeys (and python-fido2's device tests) answer PIN_INVALID.
    if auth.persistent.force_pin_change {
        return Err(CtapStatus::PIN_INVALID);
    }
    issue_token(auth, &shared, permissions, req.rp_id.clone(), false)
}

fn get_uv_token<P: PinProtocol>(
    auth: &mut Authenticator,
    req: &Request,
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    if !auth.config.builtin_uv {
        return Err(CtapStatus::INVALID_SUBCOMMAND);
    }
    if req.key_agreement.is_none() {
        return Err(CtapStatus::MISSING_PARAMETER);
    }
    let permissions = requested_permissions(auth, req)?;
    if auth.persistent.fingerprints.is_empty() {
        return Err(CtapStatus::NOT_ALLOWED);
    }
    let shared = shared_secret::<P>(auth, req.key_agreement.as_ref())?;
    verify_user(auth, waiter)?;
    issue_token(auth, &shared, permissions, req.rp_id.clone(), true)
}
