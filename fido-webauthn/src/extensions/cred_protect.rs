//! credProtect (CTAP 2.1 §12.1): the protection level of a new credential, and
//! `enforceCredentialProtectionPolicy`, which fails the registration when the
//! authenticator cannot apply a level above `userVerificationOptional`.

use fido_types::cbor::{StrMap, Value};
use fido_types::ctap2::Info;
use fido_types::generated::{CredProtectPolicy, ExtensionId};
use fido_types::webauthn::AuthenticationExtensionsClientOutputs;

use super::error::ExtensionError;
use super::secret::ExtensionSecret;
use super::{
    AuthenticationContext, AuthenticationProcessor, ClientExtension, CtapOutputs,
    RegistrationContext, RegistrationProcessor,
};

/// The credProtect extension (registration only; it has no client output).
#[derive(Debug, Clone, Copy, Default)]
pub struct CredProtect;

/// A registration asking for a level.
#[derive(Debug)]
struct Registration {
    policy: CredProtectPolicy,
}

impl ClientExtension for CredProtect {
    fn name(&self) -> &str {
        "credProtect"
    }

    fn is_supported(&self, info: &Info) -> bool {
        info.supports_extension(ExtensionId::CRED_PROTECT.as_str())
    }

    fn make_credential(
        &self,
        ctx: &RegistrationContext<'_>,
    ) -> Result<Option<Box<dyn RegistrationProcessor>>, ExtensionError> {
        let Some(policy) = ctx.inputs.credential_protection_policy else {
            return Ok(None);
        };
        if self.is_supported(ctx.info) {
            return Ok(Some(Box::new(Registration { policy })));
        }
        let enforce = ctx.inputs.enforce_credential_protection_policy == Some(true);
        if enforce && policy != CredProtectPolicy::USER_VERIFICATION_OPTIONAL {
            return Err(ExtensionError::required(
                self.name(),
                "enforceCredentialProtectionPolicy is set and the authenticator has no credProtect",
            ));
        }
        Ok(None)
    }

    fn get_assertion(
        &self,
        _ctx: &AuthenticationContext<'_>,
    ) -> Result<Option<Box<dyn AuthenticationProcessor>>, ExtensionError> {
        Ok(None)
    }
}

impl RegistrationProcessor for Registration {
    fn prepare_inputs(
        &self,
        _secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        inputs.insert(
            ExtensionId::CRED_PROTECT.as_str().to_owned(),
            Value::Integer(i128::from(self.policy.0)),
        );
        Ok(())
    }

    fn prepare_outputs(
        &self,
        _ctap: &CtapOutputs<'_>,
        _secret: Option<&ExtensionSecret>,
        _outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        Ok(())
    }
}
