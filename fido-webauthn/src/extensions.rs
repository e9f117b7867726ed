//! Client extensions (WebAuthn L3 §9, §10; CTAP 2.2 §12): the role of python-fido2's
//! `Ctap2Extension` and its registration and authentication processors.
//!
//! A [`ClientExtension`] says whether an authenticator supports it (from getInfo) and, per
//! ceremony, gives a processor ([`RegistrationProcessor`], [`AuthenticationProcessor`])
//! when the caller's inputs ask for it. A processor says which token permissions it needs
//! (the client adds them to the token it requests) and whether it needs the shared secret
//! of a key agreement (hmac-secret), writes the authenticator extension inputs, and turns
//! the authenticator's outputs ([`CtapOutputs`]: authenticator-data extensions, unsigned
//! outputs, largeBlobKey) into typed client outputs.
//!
//! [`default_extensions`] is the set [`Fido2Client::new`](crate::Fido2Client::new) uses;
//! [`Fido2Client::with_extensions`](crate::Fido2Client::with_extensions) takes any list,
//! the caller's own extensions included (they read their inputs from, and write their
//! outputs to, the `other` members of the typed inputs and outputs).
//!
//! The rules (WebAuthn L3 §9): an extension the authenticator lacks is dropped, and
//! reported where the spec defines an output for that (prf `enabled: false`, largeBlob
//! `supported: false`); a hard requirement (largeBlob `support: "required"`,
//! `enforceCredentialProtectionPolicy`) fails the ceremony with
//! [`ExtensionError::Required`]; malformed inputs fail with [`ExtensionError::Malformed`]
//! before anything is sent.
//!
//! One module per extension; `secret` holds the protocol-independent shared secret,
//! `error` the extension error, `run` the per-ceremony driver the client uses.

use core::fmt;

use fido_types::cbor::{StrMap, Value};
use fido_types::ctap2::Info;
use fido_types::generated::{Permissions, PublicKeyCredentialDescriptor};
use fido_types::webauthn::{
    AuthenticationExtensionsClientInputs, AuthenticationExtensionsClientOutputs,
    PublicKeyCredentialCreationOptions, PublicKeyCredentialRequestOptions,
};

mod cred_blob;
mod cred_props;
mod cred_protect;
mod error;
mod hmac_secret;
mod large_blob;
mod min_pin_length;
mod prf;
pub(crate) mod run;
mod salts;
mod secret;
mod third_party_payment;
mod wire;

pub use cred_blob::CredBlob;
pub use cred_props::CredProps;
pub use cred_protect::CredProtect;
pub use error::ExtensionError;
pub use hmac_secret::HmacSecret;
pub use large_blob::{LargeBlob, LargeBlobAccess};
pub use min_pin_length::MinPinLength;
pub use prf::Prf;
pub use salts::prf_salt;
pub use secret::ExtensionSecret;
pub use third_party_payment::ThirdPartyPayment;

/// What a registration's extensions are decided from.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RegistrationContext<'a> {
    /// The relying party's options.
    pub options: &'a PublicKeyCredentialCreationOptions,
    /// The client extension inputs (empty when the options have none).
    pub inputs: &'a AuthenticationExtensionsClientInputs,
    /// The authenticator's getInfo.
    pub info: &'a Info,
    /// Whether a discoverable credential is asked for (the `rk` option sent).
    pub discoverable: bool,
}

/// What an authentication's extensions are decided from.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AuthenticationContext<'a> {
    /// The relying party's options.
    pub options: &'a PublicKeyCredentialRequestOptions,
    /// The client extension inputs (empty when the options have none).
    pub inputs: &'a AuthenticationExtensionsClientInputs,
    /// The authenticator's getInfo.
    pub info: &'a Info,
}

/// What the authenticator answered, as an extension reads it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct CtapOutputs<'a> {
    /// The authenticator-data extension outputs (empty when there are none).
    pub extensions: &'a StrMap<Value>,
    /// The unsigned extension outputs (CTAP 2.2), if any.
    pub unsigned: Option<&'a StrMap<Value>>,
    /// The credential's largeBlobKey, if returned.
    pub large_blob_key: Option<&'a [u8]>,
    /// The credential the answer is for.
    pub credential_id: &'a [u8],
}

impl<'a> CtapOutputs<'a> {
    /// The outputs of one answer.
    pub fn new(
        extensions: &'a StrMap<Value>,
        unsigned: Option<&'a StrMap<Value>>,
        large_blob_key: Option<&'a [u8]>,
        credential_id: &'a [u8],
    ) -> Self {
        CtapOutputs {
            extensions,
            unsigned,
            large_blob_key,
            credential_id,
        }
    }

    /// The output of authenticator extension `id`, signed or unsigned.
    pub fn get(&self, id: &str) -> Option<&'a Value> {
        self.extensions
            .get(id)
            .or_else(|| self.unsigned.and_then(|u| u.get(id)))
    }
}

/// A client extension (python-fido2 `Ctap2Extension`).
pub trait ClientExtension: fmt::Debug + Send + Sync {
    /// The extension's client name, for errors and logs (e.g. `"prf"`).
    fn name(&self) -> &str;

    /// Whether the authenticator supports it (getInfo `extensions`, options).
    fn is_supported(&self, info: &Info) -> bool;

    /// The processor of a registration, when the inputs ask for this extension.
    ///
    /// # Errors
    /// [`ExtensionError::Malformed`] for inputs no authenticator could take;
    /// [`ExtensionError::Required`] for a requirement this authenticator cannot meet.
    fn make_credential(
        &self,
        ctx: &RegistrationContext<'_>,
    ) -> Result<Option<Box<dyn RegistrationProcessor>>, ExtensionError>;

    /// The processor of an authentication, when the inputs ask for this extension.
    ///
    /// # Errors
    /// As [`make_credential`](Self::make_credential).
    fn get_assertion(
        &self,
        ctx: &AuthenticationContext<'_>,
    ) -> Result<Option<Box<dyn AuthenticationProcessor>>, ExtensionError>;
}

/// One extension's part in one registration (python-fido2
/// `RegistrationExtensionProcessor`).
pub trait RegistrationProcessor: fmt::Debug + Send {
    /// Token permissions the extension needs besides makeCredential's.
    fn permissions(&self) -> Permissions {
        Permissions(0)
    }

    /// Whether [`prepare_inputs`](Self::prepare_inputs) needs the shared secret of a key
    /// agreement.
    fn needs_shared_secret(&self) -> bool {
        false
    }

    /// Writes the authenticator extension inputs.
    ///
    /// # Errors
    /// [`ExtensionError`], e.g. a shared secret needed and not given.
    fn prepare_inputs(
        &self,
        secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError>;

    /// Writes the client outputs from the authenticator's answer.
    ///
    /// # Errors
    /// [`ExtensionError::InvalidOutput`] for an output that does not make sense.
    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        secret: Option<&ExtensionSecret>,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError>;
}

/// One extension's part in one authentication (python-fido2
/// `AuthenticationExtensionProcessor`).
pub trait AuthenticationProcessor: fmt::Debug + Send {
    /// Token permissions the extension needs besides getAssertion's.
    fn permissions(&self) -> Permissions {
        Permissions(0)
    }

    /// Whether [`prepare_inputs`](Self::prepare_inputs) needs the shared secret of a key
    /// agreement.
    fn needs_shared_secret(&self) -> bool {
        false
    }

    /// Whether the inputs depend on which credential the authenticator will use (prf
    /// `evalByCredential`): the client then finds it first (pre-flight) when the allow
    /// list has several.
    fn needs_selected_credential(&self) -> bool {
        false
    }

    /// Writes the authenticator extension inputs; `selected` is the credential the
    /// request is narrowed to, when it is known.
    ///
    /// # Errors
    /// [`ExtensionError`], e.g. a shared secret needed and not given.
    fn prepare_inputs(
        &self,
        selected: Option<&PublicKeyCredentialDescriptor>,
        secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError>;

    /// Writes the client outputs of one assertion; `blobs` reaches the large-blob array
    /// (with the ceremony's token, if any).
    ///
    /// # Errors
    /// [`ExtensionError::InvalidOutput`] for an output that does not make sense; a
    /// failed large-blob access.
    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        secret: Option<&ExtensionSecret>,
        blobs: &mut dyn LargeBlobAccess,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError>;
}

/// The extensions [`Fido2Client::new`](crate::Fido2Client::new) uses: credProps, prf,
/// hmac-secret (hmacCreateSecret / hmacGetSecret), credProtect, credBlob / getCredBlob,
/// largeBlob, minPinLength, thirdPartyPayment. (appid and appidExclude are not
/// processors: both backends apply them themselves.)
pub fn default_extensions() -> Vec<Box<dyn ClientExtension>> {
    vec![
        Box::new(CredProps),
        Box::new(Prf),
        Box::new(HmacSecret),
        Box::new(CredProtect),
        Box::new(CredBlob),
        Box::new(LargeBlob),
        Box::new(MinPinLength),
        Box::new(ThirdPartyPayment),
    ]
}

#[cfg(test)]
mod tests;
