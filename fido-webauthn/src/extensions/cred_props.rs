//! credProps (WebAuthn L3 §10.1.3): whether the new credential is client-side
//! discoverable. Nothing is sent to the authenticator.

use fido_types::cbor::{StrMap, Value};
use fido_types::ctap2::Info;
use fido_types::webauthn::{AuthenticationExtensionsClientOutputs, CredentialPropertiesOutput};

use super::error::ExtensionError;
use super::secret::ExtensionSecret;
use super::{
    AuthenticationContext, AuthenticationProcessor, ClientExtension, CtapOutputs,
    RegistrationContext, RegistrationProcessor,
};

/// The credProps extension.
#[derive(Debug, Clone, Copy, Default)]
pub struct CredProps;

/// A registration that asked for credProps: `rk` is whether `rk` was sent.
#[derive(Debug)]
struct Registration {
    rk: bool,
}

impl ClientExtension for CredProps {
    fn name(&self) -> &str {
        "credProps"
    }

    fn is_supported(&self, _info: &Info) -> bool {
        true
    }

    fn make_credential(
        &self,
        ctx: &RegistrationContext<'_>,
    ) -> Result<Option<Box<dyn RegistrationProcessor>>, ExtensionError> {
        Ok((ctx.inputs.cred_props == Some(true)).then(|| {
            Box::new(Registration {
                rk: ctx.discoverable,
            }) as Box<dyn RegistrationProcessor>
        }))
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
        _inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        Ok(())
    }

    fn prepare_outputs(
        &self,
        _ctap: &CtapOutputs<'_>,
        _secret: Option<&ExtensionSecret>,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        outputs.cred_props = Some(CredentialPropertiesOutput::new(Some(self.rk)));
        Ok(())
    }
}
