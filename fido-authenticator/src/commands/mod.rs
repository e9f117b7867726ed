//! The authenticator side of every CTAP command, one module per command, and what they
//! share: request entities, PIN/UV auth checks, authenticator data.

pub mod bio_enrollment;
pub mod client_pin;
pub mod config;
pub mod cred_mgmt;
pub mod get_assertion;
pub mod get_info;
pub mod large_blobs;
pub mod make_credential;
pub mod reset;
pub mod selection;
pub mod u2f;

use fido_types::cbor::{self, DecodeErrorKind, Value};
use fido_types::pin_protocol::{PinProtocol, PinUvAuthProtocol, PinUvAuthToken, SupportedProtocol};
use fido_types::status::CtapStatus;
use serde::{Deserialize, Serialize};

pub use bio_enrollment::Enrollment;
pub use cred_mgmt::CredMgmtQueue;
pub use get_assertion::AssertionQueue;
pub use large_blobs::LargeBlobWrite;

use crate::Authenticator;
use crate::presence::Waiter;
use crate::state::Permissions;

/// CTAP2 command bytes (CTAP 2.2 §6).
pub mod code {
    /// authenticatorMakeCredential.
    pub const MAKE_CREDENTIAL: u8 = 0x01;
    /// authenticatorGetAssertion.
    pub const GET_ASSERTION: u8 = 0x02;
    /// authenticatorGetInfo.
    pub const GET_INFO: u8 = 0x04;
    /// authenticatorClientPIN.
    pub const CLIENT_PIN: u8 = 0x06;
    /// authenticatorReset.
    pub const RESET: u8 = 0x07;
    /// authenticatorGetNextAssertion.
    pub const GET_NEXT_ASSERTION: u8 = 0x08;
    /// authenticatorBioEnrollment.
    pub const BIO_ENROLLMENT: u8 = 0x09;
    /// authenticatorCredentialManagement.
    pub const CREDENTIAL_MANAGEMENT: u8 = 0x0A;
    /// authenticatorSelection.
    pub const SELECTION: u8 = 0x0B;
    /// authenticatorLargeBlobs.
    pub const LARGE_BLOBS: u8 = 0x0C;
    /// authenticatorConfig.
    pub const CONFIG: u8 = 0x0D;
    /// Prototype authenticatorBioEnrollment (CTAP 2.1 pre-release).
    pub const BIO_ENROLLMENT_PREVIEW: u8 = 0x40;
    /// Prototype authenticatorCredentialManagement (CTAP 2.1 pre-release).
    pub const CREDENTIAL_MANAGEMENT_PREVIEW: u8 = 0x41;
}

/// Runs one command. Returns the CBOR response body (possibly empty) or an error status.
pub(crate) fn dispatch(
    auth: &mut Authenticator,
    command: u8,
    params: &[u8],
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    // Stateful sequences end at any other command.
    if command != code::GET_NEXT_ASSERTION {
        auth.assertions = None;
    }
    if command != code::CREDENTIAL_MANAGEMENT && command != code::CREDENTIAL_MANAGEMENT_PREVIEW {
        auth.cred_mgmt = None;
    }
    match command {
        code::MAKE_CREDENTIAL => make_credential::handle(auth, params, waiter),
        code::GET_ASSERTION => get_assertion::handle(auth, params, waiter),
        code::GET_NEXT_ASSERTION => get_assertion::next(auth, params),
        code::GET_INFO => get_info::handle(auth, params),
        code::CLIENT_PIN => client_pin::handle(auth, params, waiter),
        code::RESET => reset::handle(auth, params, waiter),
        code::SELECTION => selection::handle(auth, params, waiter),
        code::CREDENTIAL_MANAGEMENT | code::CREDENTIAL_MANAGEMENT_PREVIEW => {
            cred_mgmt::handle(auth, params)
        }
        code::LARGE_BLOBS => large_blobs::handle(auth, params),
        code::CONFIG => config::handle(auth, params),
        code::BIO_ENROLLMENT | code::BIO_ENROLLMENT_PREVIEW if auth.config.builtin_uv => {
            bio_enrollment::handle(auth, params, waiter)
        }
        _ => Err(CtapStatus::INVALID_COMMAND),
    }
}

/// Decodes request parameters; maps decode errors to CTAP statuses.
pub(crate) fn decode<'de, T: Deserialize<'de>>(params: &'de [u8]) -> Result<T, CtapStatus> {
    cbor::from_slice(params).map_err(|e| match e.kind() {
        DecodeErrorKind::MissingField => CtapStatus::MISSING_PARAMETER,
        DecodeErrorKind::Mismatch(_) | DecodeErrorKind::WrongLength { .. } => {
            CtapStatus::CBOR_UNEXPECTED_TYPE
        }
        _ => CtapStatus::INVALID_CBOR,
    })
}

/// Encodes a response.
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, CtapStatus> {
    cbor::to_vec(value).map_err(|_| CtapStatus::OTHER)
}

pub use fido_types::generated::entities::{
    PublicKeyCredentialDescriptor as CredentialDescriptor,
    PublicKeyCredentialParameters as CredentialParameters, PublicKeyCredentialRpEntity as RpEntity,
    PublicKeyCredentialUserEntity as UserEntity,
};

/// A "public-key" descriptor for this credential ID.
pub fn descriptor(id: &[u8]) -> CredentialDescriptor {
    CredentialDescriptor {
        id: id.to_vec(),
        credential_type: fido_types::generated::webauthn::PublicKeyCredentialType::PUBLIC_KEY,
        transports: None,
    }
}

/// The `options` map of makeCredential and getAssertion, as the authenticator reads it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RequestOptions {
    /// Resident (discoverable) key.
    pub rk: Option<bool>,
    /// User presence.
    pub up: Option<bool>,
    /// User verification (built-in).
    pub uv: Option<bool>,
}

impl RequestOptions {
    /// Reads `rk`, `up` and `uv` from a request's options map (other options are ignored).
    pub fn from_map(map: Option<&fido_types::cbor::StrMap<bool>>) -> Self {
        let get = |k: &str| map.and_then(|m| m.get(k)).copied();
        RequestOptions {
            rk: get("rk"),
            up: get("up"),
            uv: get("uv"),
        }
    }
}

/// authenticatorData flags.
pub mod flags {
    /// User present.
    pub const UP: u8 = 0x01;
    /// User verified.
    pub const UV: u8 = 0x04;
    /// Attested credential data included.
    pub const AT: u8 = 0x40;
    /// Extension data included.
    pub const ED: u8 = 0x80;
}

/// SHA-256.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, data).as_ref());
    out
}

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

/// The protocol for a wire number: `MISSING_PARAMETER` if absent, `INVALID_PARAMETER` if
/// unknown.
pub(crate) fn protocol(p: Option<u64>) -> Result<SupportedProtocol, CtapStatus> {
    let p = p.ok_or(CtapStatus::MISSING_PARAMETER)?;
    let p = u32::try_from(p).map_err(|_| CtapStatus::INVALID_PARAMETER)?;
    SupportedProtocol::try_from(PinUvAuthProtocol(p)).map_err(|_| CtapStatus::INVALID_PARAMETER)
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
    let age = now.duration_since(token.issued);
    if age > crate::state::TOKEN_LIFETIME
        || (!token.used && age > crate::state::TOKEN_INITIAL_USAGE_LIMIT)
    {
        auth.volatile.token = None;
        return Err(CtapStatus::PIN_AUTH_INVALID);
    }
    if !token_verifies(&token.secret, protocol, param, message) {
        return Err(CtapStatus::PIN_AUTH_INVALID);
    }
    if !token.permissions.contains(permission) {
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
            auth.persistent.uv_retries = crate::state::MAX_UV_RETRIES;
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

/// The protocol a request names in its generated `pinUvAuthProtocol` member; errors as
/// [`protocol`].
pub(crate) fn request_protocol(
    p: Option<fido_types::generated::PinUvAuthProtocol>,
) -> Result<SupportedProtocol, CtapStatus> {
    protocol(p.map(|p| u64::from(p.0)))
}

/// The pinUvAuthParam of a request that must carry one, with its protocol:
/// `PUAT_REQUIRED` when it is absent, the errors of [`protocol`] for the protocol, and
/// `PIN_AUTH_INVALID` when its length does not fit the protocol.
pub(crate) fn required_auth_param(
    param: Option<&[u8]>,
    p: Option<fido_types::generated::PinUvAuthProtocol>,
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

/// Builds authenticatorData.
pub(crate) fn auth_data(
    rp_id_hash: &[u8],
    flags: u8,
    sign_count: u32,
    attested: Option<&[u8]>,
    extensions: Option<&[u8]>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(37 + attested.map_or(0, <[u8]>::len));
    out.extend_from_slice(rp_id_hash);
    let mut f = flags;
    if attested.is_some() {
        f |= flags::AT;
    }
    if extensions.is_some() {
        f |= flags::ED;
    }
    out.push(f);
    out.extend_from_slice(&sign_count.to_be_bytes());
    if let Some(a) = attested {
        out.extend_from_slice(a);
    }
    if let Some(e) = extensions {
        out.extend_from_slice(e);
    }
    out
}

/// The x and y coordinates of a COSE P-256 key agreement key (`{1: 2, 3: -25, -1: 1,
/// -2: x, -3: y}`).
pub(crate) fn cose_p256_point(key: &Value) -> Result<([u8; 32], [u8; 32]), CtapStatus> {
    let Value::Map(map) = key else {
        return Err(CtapStatus::CBOR_UNEXPECTED_TYPE);
    };
    let get = |k: i128| map.get(&Value::Integer(k));
    if get(1) != Some(&Value::Integer(2)) {
        return Err(CtapStatus::INVALID_PARAMETER);
    }
    let coord = |k| match get(k) {
        Some(Value::Bytes(b)) if b.len() == 32 => {
            let mut out = [0u8; 32];
            out.copy_from_slice(b);
            Ok(out)
        }
        Some(_) => Err(CtapStatus::INVALID_PARAMETER),
        None => Err(CtapStatus::MISSING_PARAMETER),
    };
    Ok((coord(-2)?, coord(-3)?))
}

/// The authenticator's key-agreement public key as a COSE_Key (`alg` -25, ECDH-ES+HKDF-256).
pub(crate) fn cose_key_agreement(auth: &Authenticator) -> Value {
    let public = auth.volatile.key_agreement.public_key();
    Value::Map(
        [
            (Value::Integer(1), Value::Integer(2)),
            (Value::Integer(3), Value::Integer(-25)),
            (Value::Integer(-1), Value::Integer(1)),
            (Value::Integer(-2), Value::Bytes(public.x.to_vec())),
            (Value::Integer(-3), Value::Bytes(public.y.to_vec())),
        ]
        .into_iter()
        .collect(),
    )
}
