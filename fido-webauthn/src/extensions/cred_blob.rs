//! credBlob (CTAP 2.1 §12.2): a small blob stored with a new credential (`credBlob`), read
//! back at authentication (`getCredBlob`).

use fido_types::cbor::{StrMap, Value};
use fido_types::ctap2::Info;
use fido_types::generated::{ExtensionId, PublicKeyCredentialDescriptor};
use fido_types::webauthn::AuthenticationExtensionsClientOutputs;

use super::error::ExtensionError;
use super::large_blob::LargeBlobAccess;
use super::secret::ExtensionSecret;
use super::wire::{as_bool, as_bytes};
use super::{
    AuthenticationContext, AuthenticationProcessor, ClientExtension, CtapOutputs,
    RegistrationContext, RegistrationProcessor,
};

/// The credBlob extension.
#[derive(Debug, Clone, Copy, Default)]
pub struct CredBlob;

/// A registration storing a blob.
#[derive(Debug)]
struct Store {
    blob: Vec<u8>,
}

/// An authentication reading the blob.
#[derive(Debug)]
struct Read;

impl ClientExtension for CredBlob {
    fn name(&self) -> &str {
        "credBlob"
    }

    fn is_supported(&self, info: &Info) -> bool {
        info.supports_extension(ExtensionId::CRED_BLOB.as_str())
    }

    fn make_credential(
        &self,
        ctx: &RegistrationContext<'_>,
    ) -> Result<Option<Box<dyn RegistrationProcessor>>, ExtensionError> {
        let Some(blob) = &ctx.inputs.cred_blob else {
            return Ok(None);
        };
        if !self.is_supported(ctx.info) {
            return Ok(None);
        }
        let max = ctx.info.max_cred_blob_length();
        if u64::try_from(blob.len()).map_or(true, |len| len > max) {
            return Err(ExtensionError::malformed(
                self.name(),
                format!("{} bytes, over maxCredBlobLength {max}", blob.len()),
            ));
        }
        Ok(Some(Box::new(Store {
            blob: blob.to_vec(),
        })))
    }

    fn get_assertion(
        &self,
        ctx: &AuthenticationContext<'_>,
    ) -> Result<Option<Box<dyn AuthenticationProcessor>>, ExtensionError> {
        let asked = ctx.inputs.get_cred_blob == Some(true);
        Ok((asked && self.is_supported(ctx.info))
            .then(|| Box::new(Read) as Box<dyn AuthenticationProcessor>))
    }
}

impl RegistrationProcessor for Store {
    fn prepare_inputs(
        &self,
        _secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        inputs.insert(
            ExtensionId::CRED_BLOB.as_str().to_owned(),
            Value::Bytes(self.blob.clone()),
        );
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        _secret: Option<&ExtensionSecret>,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        if let Some(value) = ctap.get(ExtensionId::CRED_BLOB.as_str()) {
            outputs.cred_blob = Some(as_bool("credBlob", value)?);
        }
        Ok(())
    }
}

impl AuthenticationProcessor for Read {
    fn prepare_inputs(
        &self,
        _selected: Option<&PublicKeyCredentialDescriptor>,
        _secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        inputs.insert(
            ExtensionId::CRED_BLOB.as_str().to_owned(),
            Value::Bool(true),
        );
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        _secret: Option<&ExtensionSecret>,
        _blobs: &mut dyn LargeBlobAccess,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        if let Some(value) = ctap.get(ExtensionId::CRED_BLOB.as_str()) {
            outputs.get_cred_blob = Some(as_bytes("getCredBlob", value)?.to_vec().into());
        }
        Ok(())
    }
}
