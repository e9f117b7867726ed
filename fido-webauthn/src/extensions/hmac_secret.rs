//! hmac-secret (CTAP 2.2 §12.6) as the client extensions `hmacCreateSecret` (registration)
//! and `hmacGetSecret {salt1, salt2}` (authentication): 32-byte salts in, HMAC outputs
//! out, encrypted under the shared secret of a key agreement on either PIN/UV protocol.
//! `hmacGetSecret` beside `hmacCreateSecret` at registration goes as hmac-secret-mc
//! (CTAP 2.2 §12.7) to an authenticator that lists it, and its outputs come back from
//! the makeCredential.

use fido_types::cbor::{StrMap, Value};
use fido_types::ctap2::Info;
use fido_types::generated::{ExtensionId, PublicKeyCredentialDescriptor};
use fido_types::webauthn::{
    AuthenticationExtensionsClientOutputs, HmacGetSecretInputs, HmacGetSecretOutputs,
};

use super::error::ExtensionError;
use super::large_blob::LargeBlobAccess;
use super::salts::{SALT_LEN, hmac_secret_input, hmac_secret_output, insert_registration_inputs};
use super::secret::ExtensionSecret;
use super::wire::as_bool;
use super::{
    AuthenticationContext, AuthenticationProcessor, ClientExtension, CtapOutputs,
    RegistrationContext, RegistrationProcessor,
};

/// The client name of both inputs' extension, for errors.
const NAME: &str = "hmac-secret";

/// The hmac-secret extension.
#[derive(Debug, Clone, Copy, Default)]
pub struct HmacSecret;

/// `hmacCreateSecret: true`, with the salts of an `hmacGetSecret` sent as hmac-secret-mc.
#[derive(Debug)]
struct Create {
    get: Option<Get>,
}

/// `hmacGetSecret` with its salts.
#[derive(Debug)]
struct Get {
    salt1: Vec<u8>,
    salt2: Option<Vec<u8>>,
}

impl Get {
    /// The salts of `inputs`, each checked to be [`SALT_LEN`] bytes.
    ///
    /// # Errors
    /// [`ExtensionError`] (malformed) for a salt of another length.
    fn of(inputs: &HmacGetSecretInputs) -> Result<Self, ExtensionError> {
        for salt in std::iter::once(&inputs.salt1).chain(&inputs.salt2) {
            if salt.len() != SALT_LEN {
                return Err(ExtensionError::malformed(
                    NAME,
                    format!("a salt is {} bytes, not {SALT_LEN}", salt.len()),
                ));
            }
        }
        Ok(Get {
            salt1: inputs.salt1.to_vec(),
            salt2: inputs.salt2.as_ref().map(|s| s.to_vec()),
        })
    }

    /// The encrypted salts, as hmac-secret (or hmac-secret-mc) sends them.
    fn input(&self, secret: Option<&ExtensionSecret>) -> Result<Value, ExtensionError> {
        let secret = secret.ok_or_else(|| ExtensionError::NoSharedSecret {
            extension: NAME.to_owned(),
        })?;
        hmac_secret_input(NAME, secret, &self.salt1, self.salt2.as_deref())
    }

    /// The decrypted outputs of the authenticator's `value`.
    fn outputs(
        &self,
        secret: &ExtensionSecret,
        value: &Value,
    ) -> Result<HmacGetSecretOutputs, ExtensionError> {
        let salts = 1 + usize::from(self.salt2.is_some());
        let out = hmac_secret_output(NAME, secret, value, salts)?;
        Ok(HmacGetSecretOutputs::new(
            out.first.to_vec(),
            out.second.map(|s| s.to_vec().into()),
        ))
    }
}

impl ClientExtension for HmacSecret {
    fn name(&self) -> &str {
        NAME
    }

    fn is_supported(&self, info: &Info) -> bool {
        info.supports_extension(ExtensionId::HMAC_SECRET.as_str())
    }

    fn make_credential(
        &self,
        ctx: &RegistrationContext<'_>,
    ) -> Result<Option<Box<dyn RegistrationProcessor>>, ExtensionError> {
        let get = ctx
            .inputs
            .hmac_get_secret
            .as_ref()
            .map(Get::of)
            .transpose()?;
        let asked = ctx.inputs.hmac_create_secret == Some(true);
        if !(asked && self.is_supported(ctx.info)) {
            return Ok(None);
        }
        let mc = ctx
            .info
            .supports_extension(ExtensionId::HMAC_SECRET_MC.as_str());
        Ok(Some(Box::new(Create {
            get: get.filter(|_| mc),
        })))
    }

    fn get_assertion(
        &self,
        ctx: &AuthenticationContext<'_>,
    ) -> Result<Option<Box<dyn AuthenticationProcessor>>, ExtensionError> {
        let Some(inputs) = &ctx.inputs.hmac_get_secret else {
            return Ok(None);
        };
        let get = Get::of(inputs)?;
        if !self.is_supported(ctx.info) {
            return Ok(None);
        }
        Ok(Some(Box::new(get)))
    }
}

impl RegistrationProcessor for Create {
    fn needs_shared_secret(&self) -> bool {
        self.get.is_some()
    }

    fn prepare_inputs(
        &self,
        secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        let salts = self.get.as_ref().map(|g| g.input(secret)).transpose()?;
        insert_registration_inputs(inputs, salts);
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        secret: Option<&ExtensionSecret>,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        if let Some(value) = ctap.get(ExtensionId::HMAC_SECRET.as_str()) {
            outputs.hmac_create_secret = Some(as_bool(NAME, value)?);
        }
        if let (Some(get), Some(secret), Some(value)) = (
            &self.get,
            secret,
            ctap.get(ExtensionId::HMAC_SECRET_MC.as_str()),
        ) {
            outputs.hmac_get_secret = Some(get.outputs(secret, value)?);
        }
        Ok(())
    }
}

impl AuthenticationProcessor for Get {
    fn needs_shared_secret(&self) -> bool {
        true
    }

    fn prepare_inputs(
        &self,
        _selected: Option<&PublicKeyCredentialDescriptor>,
        secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        inputs.insert(
            ExtensionId::HMAC_SECRET.as_str().to_owned(),
            self.input(secret)?,
        );
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        secret: Option<&ExtensionSecret>,
        _blobs: &mut dyn LargeBlobAccess,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        let (Some(value), Some(secret)) = (ctap.get(ExtensionId::HMAC_SECRET.as_str()), secret)
        else {
            return Ok(());
        };
        outputs.hmac_get_secret = Some(self.outputs(secret, value)?);
        Ok(())
    }
}
