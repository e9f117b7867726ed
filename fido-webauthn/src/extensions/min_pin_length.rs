//! minPinLength (CTAP 2.1 §12.4): the authenticator's minimum PIN length, which it tells
//! only relying parties it was configured to tell.

use fido_types::cbor::{StrMap, Value};
use fido_types::ctap2::Info;
use fido_types::generated::ExtensionId;
use fido_types::webauthn::AuthenticationExtensionsClientOutputs;

use super::error::ExtensionError;
use super::secret::ExtensionSecret;
use super::wire::as_u64;
use super::{
    AuthenticationContext, AuthenticationProcessor, ClientExtension, CtapOutputs,
    RegistrationContext, RegistrationProcessor,
};

/// The minPinLength extension (registration only).
#[derive(Debug, Clone, Copy, Default)]
pub struct MinPinLength;

/// A registration asking for the minimum PIN length.
#[derive(Debug)]
struct Registration;

impl ClientExtension for MinPinLength {
    fn name(&self) -> &str {
        "minPinLength"
    }

    fn is_supported(&self, info: &Info) -> bool {
        info.supports_extension(ExtensionId::MIN_PIN_LENGTH.as_str())
    }

    fn make_credential(
        &self,
        ctx: &RegistrationContext<'_>,
    ) -> Result<Option<Box<dyn RegistrationProcessor>>, ExtensionError> {
        let asked = ctx.inputs.min_pin_length == Some(true);
        Ok((asked && self.is_supported(ctx.info))
            .then(|| Box::new(Registration) as Box<dyn RegistrationProcessor>))
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
            ExtensionId::MIN_PIN_LENGTH.as_str().to_owned(),
            Value::Bool(true),
        );
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        _secret: Option<&ExtensionSecret>,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        if let Some(value) = ctap.get(ExtensionId::MIN_PIN_LENGTH.as_str()) {
            outputs.min_pin_length = Some(as_u64("minPinLength", value)?);
        }
        Ok(())
    }
}
