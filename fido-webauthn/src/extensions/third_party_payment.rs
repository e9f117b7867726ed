//! thirdPartyPayment (CTAP 2.2 §12.8): mark a new credential as usable for third-party
//! payments, or ask whether an existing one is.

use fido_types::cbor::{StrMap, Value};
use fido_types::ctap2::Info;
use fido_types::generated::{ExtensionId, PublicKeyCredentialDescriptor};
use fido_types::webauthn::AuthenticationExtensionsClientOutputs;

use super::error::ExtensionError;
use super::large_blob::LargeBlobAccess;
use super::secret::ExtensionSecret;
use super::wire::as_bool;
use super::{
    AuthenticationContext, AuthenticationProcessor, ClientExtension, CtapOutputs,
    RegistrationContext, RegistrationProcessor,
};

/// The thirdPartyPayment extension.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThirdPartyPayment;

/// Either ceremony: send `true`, report the authenticator's boolean.
#[derive(Debug)]
struct Flag;

impl Flag {
    fn input(inputs: &mut StrMap<Value>) {
        inputs.insert(
            ExtensionId::THIRD_PARTY_PAYMENT.as_str().to_owned(),
            Value::Bool(true),
        );
    }

    fn output(
        ctap: &CtapOutputs<'_>,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        if let Some(value) = ctap.get(ExtensionId::THIRD_PARTY_PAYMENT.as_str()) {
            outputs.third_party_payment = Some(as_bool("thirdPartyPayment", value)?);
        }
        Ok(())
    }
}

impl ClientExtension for ThirdPartyPayment {
    fn name(&self) -> &str {
        "thirdPartyPayment"
    }

    fn is_supported(&self, info: &Info) -> bool {
        info.supports_extension(ExtensionId::THIRD_PARTY_PAYMENT.as_str())
    }

    fn make_credential(
        &self,
        ctx: &RegistrationContext<'_>,
    ) -> Result<Option<Box<dyn RegistrationProcessor>>, ExtensionError> {
        let asked = ctx.inputs.third_party_payment == Some(true);
        Ok((asked && self.is_supported(ctx.info))
            .then(|| Box::new(Flag) as Box<dyn RegistrationProcessor>))
    }

    fn get_assertion(
        &self,
        ctx: &AuthenticationContext<'_>,
    ) -> Result<Option<Box<dyn AuthenticationProcessor>>, ExtensionError> {
        let asked = ctx.inputs.third_party_payment == Some(true);
        Ok((asked && self.is_supported(ctx.info))
            .then(|| Box::new(Flag) as Box<dyn AuthenticationProcessor>))
    }
}

impl RegistrationProcessor for Flag {
    fn prepare_inputs(
        &self,
        _secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        Flag::input(inputs);
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        _secret: Option<&ExtensionSecret>,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        Flag::output(ctap, outputs)
    }
}

impl AuthenticationProcessor for Flag {
    fn prepare_inputs(
        &self,
        _selected: Option<&PublicKeyCredentialDescriptor>,
        _secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        Flag::input(inputs);
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        _secret: Option<&ExtensionSecret>,
        _blobs: &mut dyn LargeBlobAccess,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        Flag::output(ctap, outputs)
    }
}
