//! Request decoding, response encoding, and the request pieces several commands read.

use fido_types::cbor::{self, CborMap, DecodeErrorKind, StrMap, Value};
use fido_types::generated::webauthn::PublicKeyCredentialType;
use fido_types::status::CtapStatus;
use serde::{Deserialize, Serialize};

pub use fido_types::generated::entities::{
    PublicKeyCredentialDescriptor as CredentialDescriptor,
    PublicKeyCredentialParameters as CredentialParameters, PublicKeyCredentialRpEntity as RpEntity,
    PublicKeyCredentialUserEntity as UserEntity,
};

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

/// The `subCommandParams` member (key 0x02) as sent, re-encoded: the MAC of credMgmt and
/// config covers their encoding, unknown keys included.
#[derive(Debug, Clone, PartialEq, CborMap)]
struct RawParamsAt2 {
    #[cbor(key = 0x02)]
    params: Option<Value>,
}

/// The `subCommandParams` member (key 0x03) of bioEnrollment, as [`RawParamsAt2`].
#[derive(Debug, Clone, PartialEq, CborMap)]
struct RawParamsAt3 {
    #[cbor(key = 0x03)]
    params: Option<Value>,
}

/// The encoding of the `subCommandParams` of a credMgmt or config request (map key 0x02;
/// empty when absent).
pub(crate) fn sub_command_params(params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    let raw: RawParamsAt2 = decode(params)?;
    raw.params.map_or(Ok(Vec::new()), |v| encode(&v))
}

/// The encoding of the `subCommandParams` of a bioEnrollment request (map key 0x03; empty
/// when absent).
pub(crate) fn bio_sub_command_params(params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    let raw: RawParamsAt3 = decode(params)?;
    raw.params.map_or(Ok(Vec::new()), |v| encode(&v))
}

/// A "public-key" descriptor for this credential ID.
pub fn descriptor(id: &[u8]) -> CredentialDescriptor {
    CredentialDescriptor {
        id: id.to_vec(),
        credential_type: PublicKeyCredentialType::PUBLIC_KEY,
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
    pub fn from_map(map: Option<&StrMap<bool>>) -> Self {
        use fido_types::generated::get_info::InfoOption;
        let get = |k: InfoOption| map.and_then(|m| m.get(&*k.0)).copied();
        RequestOptions {
            rk: get(InfoOption::RK),
            up: get(InfoOption::UP),
            uv: get(InfoOption::UV),
        }
    }
}

/// SHA-256.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, data).as_ref());
    out
}
