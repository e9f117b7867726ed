//! Authenticator data ([`AuthenticatorData::new`]) and the extension inputs and outputs
//! makeCredential and getAssertion read and write, keyed by the generated extension
//! identifiers.

use fido_types::cbor::{StrMap, Value};
use fido_types::generated::auth_data::AuthDataFlags;
use fido_types::generated::extensions::ExtensionId;
use fido_types::status::CtapStatus;
use fido_types::webauthn::{AttestedCredentialData, AuthenticatorData};

use super::codec::encode;

/// The authenticator extension outputs of one response.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExtensionOutputs(StrMap<Value>);

impl ExtensionOutputs {
    /// Sets the output of extension `id`.
    pub(crate) fn insert(&mut self, id: ExtensionId, value: Value) {
        self.0.insert(id.0.into_owned(), value);
    }
}

/// The input of extension `id`, if the request has one.
pub(crate) fn extension_input<'a>(
    inputs: &'a StrMap<Value>,
    id: &ExtensionId,
) -> Option<&'a Value> {
    inputs.get(&*id.0)
}

/// Whether the request's input of extension `id` is `true`.
pub(crate) fn extension_flag(inputs: &StrMap<Value>, id: &ExtensionId) -> bool {
    extension_input(inputs, id) == Some(&Value::Bool(true))
}

/// The UP and UV flags of authenticator data.
pub(crate) fn presence_flags(up: bool, uv: bool) -> AuthDataFlags {
    let mut flags = AuthDataFlags::EMPTY;
    if up {
        flags |= AuthDataFlags::USER_PRESENT;
    }
    if uv {
        flags |= AuthDataFlags::USER_VERIFIED;
    }
    flags
}

/// Builds authenticatorData with [`AuthenticatorData::new`] (which sets AT and ED to match
/// what it is given); the extension outputs are left out when there are none.
pub(crate) fn auth_data(
    rp_id_hash: [u8; 32],
    flags: AuthDataFlags,
    sign_count: u32,
    attested: Option<AttestedCredentialData>,
    extensions: &ExtensionOutputs,
) -> Result<AuthenticatorData, CtapStatus> {
    let extensions = if extensions.0.is_empty() {
        None
    } else {
        Some(encode(&extensions.0)?)
    };
    AuthenticatorData::new(
        rp_id_hash,
        flags,
        sign_count,
        attested,
        extensions.as_deref(),
    )
    .map_err(|_| CtapStatus::OTHER)
}
