//! The client's driver of one ceremony's extensions: the processors the list gives for
//! the inputs, their permissions, the authenticator extension inputs they write, and the
//! client outputs they make of the answer.

use fido_types::cbor::{self, StrMap, Value};
use fido_types::generated::{Permissions, PublicKeyCredentialDescriptor};
use fido_types::webauthn::{AuthenticationExtensionsClientOutputs, AuthenticatorData};

use super::error::ExtensionError;
use super::large_blob::LargeBlobAccess;
use super::secret::ExtensionSecret;
use super::{
    AuthenticationContext, AuthenticationProcessor, ClientExtension, CtapOutputs,
    RegistrationContext, RegistrationProcessor,
};

/// The authenticator-data extension outputs of `auth_data` (empty without any), and the
/// credential ID of its attested credential data (empty without).
///
/// # Errors
/// [`ExtensionError::InvalidOutput`] when the authenticator data or its extensions do
/// not parse.
pub(crate) fn auth_data_extensions(
    auth_data: &[u8],
) -> Result<(StrMap<Value>, Vec<u8>), ExtensionError> {
    let invalid = |e: &dyn std::fmt::Display| {
        ExtensionError::invalid_output("authenticator data", e.to_string())
    };
    let parsed = AuthenticatorData::from_bytes(auth_data).map_err(|e| invalid(&e))?;
    let credential_id = parsed
        .attested_credential_data()
        .map(|a| a.credential_id().to_vec())
        .unwrap_or_default();
    let extensions = match parsed.extensions_cbor() {
        Some(bytes) => cbor::from_slice(bytes).map_err(|e| invalid(&e))?,
        None => StrMap::new(),
    };
    Ok((extensions, credential_id))
}

/// Writes the extension inputs of every processor; `None` when there are none.
fn collect(
    write: impl FnMut(&mut StrMap<Value>) -> Result<(), ExtensionError>,
) -> Result<Option<StrMap<Value>>, ExtensionError> {
    let mut write = write;
    let mut inputs = StrMap::new();
    write(&mut inputs)?;
    Ok((!inputs.is_empty()).then_some(inputs))
}

/// The extensions of one registration.
#[derive(Debug, Default)]
pub(crate) struct RegistrationRun {
    processors: Vec<Box<dyn RegistrationProcessor>>,
}

impl RegistrationRun {
    /// The processors `extensions` give for `ctx`.
    ///
    /// # Errors
    /// The first extension's refusal (malformed inputs, unmet requirements).
    pub fn new(
        extensions: &[Box<dyn ClientExtension>],
        ctx: &RegistrationContext<'_>,
    ) -> Result<Self, ExtensionError> {
        let mut processors = Vec::new();
        for extension in extensions {
            processors.extend(extension.make_credential(ctx)?);
        }
        Ok(RegistrationRun { processors })
    }

    /// The permissions the processors need.
    pub fn permissions(&self) -> Permissions {
        self.processors
            .iter()
            .fold(Permissions(0), |p, e| p.union(e.permissions()))
    }

    /// Whether a processor needs a shared secret.
    pub fn needs_shared_secret(&self) -> bool {
        self.processors.iter().any(|p| p.needs_shared_secret())
    }

    /// The authenticator extension inputs.
    ///
    /// # Errors
    /// A processor's.
    pub fn inputs(
        &self,
        secret: Option<&ExtensionSecret>,
    ) -> Result<Option<StrMap<Value>>, ExtensionError> {
        collect(|inputs| {
            self.processors
                .iter()
                .try_for_each(|p| p.prepare_inputs(secret, inputs))
        })
    }

    /// The client outputs of the answer.
    ///
    /// # Errors
    /// A processor's.
    pub fn outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        secret: Option<&ExtensionSecret>,
    ) -> Result<AuthenticationExtensionsClientOutputs, ExtensionError> {
        let mut outputs = AuthenticationExtensionsClientOutputs::default();
        for processor in &self.processors {
            processor.prepare_outputs(ctap, secret, &mut outputs)?;
        }
        Ok(outputs)
    }
}

/// The extensions of one authentication.
#[derive(Debug, Default)]
pub(crate) struct AuthenticationRun {
    processors: Vec<Box<dyn AuthenticationProcessor>>,
}

impl AuthenticationRun {
    /// The processors `extensions` give for `ctx`.
    ///
    /// # Errors
    /// The first extension's refusal (malformed inputs, unmet requirements).
    pub fn new(
        extensions: &[Box<dyn ClientExtension>],
        ctx: &AuthenticationContext<'_>,
    ) -> Result<Self, ExtensionError> {
        let mut processors = Vec::new();
        for extension in extensions {
            processors.extend(extension.get_assertion(ctx)?);
        }
        Ok(AuthenticationRun { processors })
    }

    /// The permissions the processors need.
    pub fn permissions(&self) -> Permissions {
        self.processors
            .iter()
            .fold(Permissions(0), |p, e| p.union(e.permissions()))
    }

    /// Whether a processor needs a shared secret.
    pub fn needs_shared_secret(&self) -> bool {
        self.processors.iter().any(|p| p.needs_shared_secret())
    }

    /// Whether a processor's inputs depend on the credential used.
    pub fn needs_selected_credential(&self) -> bool {
        self.processors
            .iter()
            .any(|p| p.needs_selected_credential())
    }

    /// The authenticator extension inputs for the request narrowed to `selected`.
    ///
    /// # Errors
    /// A processor's.
    pub fn inputs(
        &self,
        selected: Option<&PublicKeyCredentialDescriptor>,
        secret: Option<&ExtensionSecret>,
    ) -> Result<Option<StrMap<Value>>, ExtensionError> {
        collect(|inputs| {
            self.processors
                .iter()
                .try_for_each(|p| p.prepare_inputs(selected, secret, inputs))
        })
    }

    /// The client outputs of one assertion.
    ///
    /// # Errors
    /// A processor's.
    pub fn outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        secret: Option<&ExtensionSecret>,
        blobs: &mut dyn LargeBlobAccess,
    ) -> Result<AuthenticationExtensionsClientOutputs, ExtensionError> {
        let mut outputs = AuthenticationExtensionsClientOutputs::default();
        for processor in &self.processors {
            processor.prepare_outputs(ctap, secret, blobs, &mut outputs)?;
        }
        Ok(outputs)
    }
}
