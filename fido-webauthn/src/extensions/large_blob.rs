//! largeBlob (WebAuthn L3 §10.1.5) on the authenticator's largeBlobKey extension and
//! large-blob array (CTAP 2.1 §6.10, §12.3): `support` at registration, `read` or
//! `write` at authentication of the credential's entry
//! ([`fido_ctap::large_blob`] holds the entry format and the fragment reads and writes).

use fido_ctap::large_blob::access::{read_array, write_array};
use fido_ctap::large_blob::entry::KEY_LEN;
use fido_types::cbor::{StrMap, Value};
use fido_types::ctap2::Info;
use fido_types::generated::{ExtensionId, InfoOption, Permissions, PublicKeyCredentialDescriptor};
use fido_types::webauthn::{
    AuthenticationExtensionsClientOutputs, LargeBlobOutputs, LargeBlobSupport,
};

pub use fido_ctap::large_blob::LargeBlobAccess;

use super::error::ExtensionError;
use super::secret::ExtensionSecret;
use super::{
    AuthenticationContext, AuthenticationProcessor, ClientExtension, CtapOutputs,
    RegistrationContext, RegistrationProcessor,
};

/// The client name, for errors.
const NAME: &str = "largeBlob";

/// The largeBlob extension.
#[derive(Debug, Clone, Copy, Default)]
pub struct LargeBlob;

/// A registration: ask for a largeBlobKey (`supported`), or report `supported: false`.
#[derive(Debug)]
struct Registration {
    supported: bool,
}

/// An authentication: read the credential's blob, or write one.
#[derive(Debug)]
enum Authentication {
    /// `read: true`.
    Read,
    /// `write`: the blob.
    Write(Vec<u8>),
}

/// `{"largeBlobKey": true}`.
fn ask_for_key(inputs: &mut StrMap<Value>) {
    inputs.insert(
        ExtensionId::LARGE_BLOB_KEY.as_str().to_owned(),
        Value::Bool(true),
    );
}

impl ClientExtension for LargeBlob {
    fn name(&self) -> &str {
        NAME
    }

    fn is_supported(&self, info: &Info) -> bool {
        info.supports_extension(ExtensionId::LARGE_BLOB_KEY.as_str())
            && info.supports_option(InfoOption::LARGE_BLOBS)
    }

    fn make_credential(
        &self,
        ctx: &RegistrationContext<'_>,
    ) -> Result<Option<Box<dyn RegistrationProcessor>>, ExtensionError> {
        let Some(inputs) = &ctx.inputs.large_blob else {
            return Ok(None);
        };
        if inputs.read.is_some() || inputs.write.is_some() {
            return Err(ExtensionError::malformed(
                NAME,
                "read and write are for authentication only",
            ));
        }
        let supported = self.is_supported(ctx.info);
        if !supported && inputs.support == Some(LargeBlobSupport::REQUIRED) {
            return Err(ExtensionError::required(
                NAME,
                "support is \"required\" and the authenticator has no large blobs",
            ));
        }
        Ok(Some(Box::new(Registration { supported })))
    }

    fn get_assertion(
        &self,
        ctx: &AuthenticationContext<'_>,
    ) -> Result<Option<Box<dyn AuthenticationProcessor>>, ExtensionError> {
        let Some(inputs) = &ctx.inputs.large_blob else {
            return Ok(None);
        };
        if inputs.support.is_some() {
            return Err(ExtensionError::malformed(
                NAME,
                "support is for registration only",
            ));
        }
        let processor = match (inputs.read, &inputs.write) {
            (Some(true), Some(_)) => {
                return Err(ExtensionError::malformed(NAME, "read and write together"));
            }
            (Some(true), None) => Authentication::Read,
            (_, Some(blob)) => Authentication::Write(blob.to_vec()),
            _ => return Ok(None),
        };
        Ok(self
            .is_supported(ctx.info)
            .then(|| Box::new(processor) as Box<dyn AuthenticationProcessor>))
    }
}

impl RegistrationProcessor for Registration {
    fn prepare_inputs(
        &self,
        _secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        if self.supported {
            ask_for_key(inputs);
        }
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        _secret: Option<&ExtensionSecret>,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        let supported = self.supported && ctap.large_blob_key.is_some();
        outputs.large_blob = Some(LargeBlobOutputs::new(Some(supported), None, None));
        Ok(())
    }
}

impl AuthenticationProcessor for Authentication {
    fn permissions(&self) -> Permissions {
        match self {
            Authentication::Read => Permissions(0),
            Authentication::Write(_) => Permissions::LARGE_BLOB_WRITE,
        }
    }

    fn prepare_inputs(
        &self,
        _selected: Option<&PublicKeyCredentialDescriptor>,
        _secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        ask_for_key(inputs);
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        _secret: Option<&ExtensionSecret>,
        blobs: &mut dyn LargeBlobAccess,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        let Some(key) = ctap.large_blob_key else {
            outputs.large_blob = Some(match self {
                Authentication::Read => LargeBlobOutputs::default(),
                Authentication::Write(_) => LargeBlobOutputs::new(None, None, Some(false)),
            });
            return Ok(());
        };
        let key: &[u8; KEY_LEN] = key
            .try_into()
            .map_err(|_| ExtensionError::invalid_output(NAME, "largeBlobKey is not 32 bytes"))?;
        let failed = |e| ExtensionError::LargeBlob {
            extension: NAME.to_owned(),
            source: e,
        };
        let mut array = read_array(blobs).map_err(failed)?;
        outputs.large_blob = Some(match self {
            Authentication::Read => {
                let blob = array.get(key).map_err(failed)?;
                LargeBlobOutputs::new(None, blob.map(|b| b.to_vec().into()), None)
            }
            Authentication::Write(blob) => {
                array.put(key, blob).map_err(failed)?;
                write_array(blobs, &array).map_err(failed)?;
                LargeBlobOutputs::new(None, None, Some(true))
            }
        });
        Ok(())
    }
}
