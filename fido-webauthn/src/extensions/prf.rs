//! prf (WebAuthn L3 §10.1.4) on hmac-secret: `eval` and `evalByCredential` (the entry of
//! the credential the authenticator uses), salts SHA-256("WebAuthn PRF" || 0x00 ||
//! input), evaluation at registration through hmac-secret-mc (CTAP 2.2 §12.7) where the
//! authenticator has it, and `enabled`.

use fido_types::cbor::{StrMap, Value};
use fido_types::ctap2::Info;
use fido_types::generated::{ExtensionId, PublicKeyCredentialDescriptor};
use fido_types::webauthn::{
    AuthenticationExtensionsClientOutputs, Base64UrlBytes, PrfInputs, PrfOutputs, PrfValues,
};

use super::error::ExtensionError;
use super::large_blob::LargeBlobAccess;
use super::salts::{
    HmacOutputs, hmac_secret_input, hmac_secret_output, insert_registration_inputs, prf_salt,
};
use super::secret::ExtensionSecret;
use super::wire::as_bool;
use super::{
    AuthenticationContext, AuthenticationProcessor, ClientExtension, CtapOutputs,
    RegistrationContext, RegistrationProcessor,
};

/// The client name, for errors.
const NAME: &str = "prf";

/// The prf extension.
#[derive(Debug, Clone, Copy, Default)]
pub struct Prf;

/// The hmac-secret salts of one PRF evaluation.
#[derive(Debug, Clone)]
struct Salts {
    first: [u8; 32],
    second: Option<[u8; 32]>,
}

impl Salts {
    fn of(values: &PrfValues) -> Self {
        Salts {
            first: prf_salt(&values.first),
            second: values.second.as_ref().map(|s| prf_salt(s)),
        }
    }

    fn count(&self) -> usize {
        1 + usize::from(self.second.is_some())
    }

    fn input(&self, secret: Option<&ExtensionSecret>) -> Result<Value, ExtensionError> {
        let secret = secret.ok_or_else(|| ExtensionError::NoSharedSecret {
            extension: NAME.to_owned(),
        })?;
        hmac_secret_input(
            NAME,
            secret,
            &self.first,
            self.second.as_ref().map(|s| &s[..]),
        )
    }
}

/// The PRF results of decrypted hmac-secret outputs.
fn results(out: HmacOutputs) -> PrfValues {
    PrfValues::new(
        out.first.to_vec(),
        out.second.map(|s| Base64UrlBytes::from(s.to_vec())),
    )
}

/// A registration with prf: hmac-secret, and hmac-secret-mc when evaluating.
#[derive(Debug)]
struct Registration {
    eval: Option<Salts>,
}

/// An authentication with prf.
#[derive(Debug)]
struct Authentication {
    eval: Option<Salts>,
    by_credential: Vec<(Vec<u8>, Salts)>,
}

impl Authentication {
    /// The salts for `credential`: its `evalByCredential` entry, else `eval`.
    fn salts_for(&self, credential: Option<&[u8]>) -> Option<&Salts> {
        credential
            .and_then(|id| self.by_credential.iter().find(|(k, _)| k == id))
            .map(|(_, s)| s)
            .or(self.eval.as_ref())
    }
}

impl ClientExtension for Prf {
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
        let Some(inputs) = &ctx.inputs.prf else {
            return Ok(None);
        };
        if inputs.eval_by_credential.is_some() {
            return Err(ExtensionError::malformed(
                NAME,
                "evalByCredential is for authentication only",
            ));
        }
        if !self.is_supported(ctx.info) {
            return Ok(Some(Box::new(Unsupported)));
        }
        let mc = ctx
            .info
            .supports_extension(ExtensionId::HMAC_SECRET_MC.as_str());
        let eval = inputs.eval.as_ref().filter(|_| mc).map(Salts::of);
        Ok(Some(Box::new(Registration { eval })))
    }

    fn get_assertion(
        &self,
        ctx: &AuthenticationContext<'_>,
    ) -> Result<Option<Box<dyn AuthenticationProcessor>>, ExtensionError> {
        let Some(inputs) = &ctx.inputs.prf else {
            return Ok(None);
        };
        let by_credential = by_credential(inputs, ctx)?;
        if !self.is_supported(ctx.info) || (inputs.eval.is_none() && by_credential.is_empty()) {
            return Ok(None);
        }
        Ok(Some(Box::new(Authentication {
            eval: inputs.eval.as_ref().map(Salts::of),
            by_credential,
        })))
    }
}

/// The `evalByCredential` entries as (credential ID, salts), checked as WebAuthn L3
/// §10.1.4 says: not without an allow list, each key base64url and in the allow list.
fn by_credential(
    inputs: &PrfInputs,
    ctx: &AuthenticationContext<'_>,
) -> Result<Vec<(Vec<u8>, Salts)>, ExtensionError> {
    let Some(map) = inputs.eval_by_credential.as_ref().filter(|m| !m.is_empty()) else {
        return Ok(Vec::new());
    };
    if ctx.options.allow_credentials.is_empty() {
        return Err(ExtensionError::malformed(
            NAME,
            "evalByCredential needs allowCredentials",
        ));
    }
    map.iter()
        .map(|(key, values)| {
            let id = Base64UrlBytes::decode(key).map_err(|_| {
                ExtensionError::malformed(
                    NAME,
                    format!("evalByCredential key {key:?} is not base64url"),
                )
            })?;
            let allowed = ctx
                .options
                .allow_credentials
                .iter()
                .any(|c| c.id.as_bytes() == id.as_bytes());
            if !allowed {
                return Err(ExtensionError::malformed(
                    NAME,
                    format!("evalByCredential key {key:?} is not in allowCredentials"),
                ));
            }
            Ok((id.to_vec(), Salts::of(values)))
        })
        .collect()
}

/// prf on an authenticator without hmac-secret: nothing sent, `enabled: false`.
#[derive(Debug)]
struct Unsupported;

impl RegistrationProcessor for Unsupported {
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
        outputs.prf = Some(PrfOutputs::new(Some(false), None));
        Ok(())
    }
}

impl RegistrationProcessor for Registration {
    fn needs_shared_secret(&self) -> bool {
        self.eval.is_some()
    }

    fn prepare_inputs(
        &self,
        secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        let salts = self.eval.as_ref().map(|e| e.input(secret)).transpose()?;
        insert_registration_inputs(inputs, salts);
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        secret: Option<&ExtensionSecret>,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        let enabled = match ctap.get(ExtensionId::HMAC_SECRET.as_str()) {
            Some(value) => as_bool(NAME, value)?,
            None => false,
        };
        let results = match (
            &self.eval,
            secret,
            ctap.get(ExtensionId::HMAC_SECRET_MC.as_str()),
        ) {
            (Some(eval), Some(secret), Some(value)) => Some(results(hmac_secret_output(
                NAME,
                secret,
                value,
                eval.count(),
            )?)),
            _ => None,
        };
        outputs.prf = Some(PrfOutputs::new(Some(enabled), results));
        Ok(())
    }
}

impl AuthenticationProcessor for Authentication {
    fn needs_shared_secret(&self) -> bool {
        true
    }

    fn needs_selected_credential(&self) -> bool {
        !self.by_credential.is_empty()
    }

    fn prepare_inputs(
        &self,
        selected: Option<&PublicKeyCredentialDescriptor>,
        secret: Option<&ExtensionSecret>,
        inputs: &mut StrMap<Value>,
    ) -> Result<(), ExtensionError> {
        if let Some(salts) = self.salts_for(selected.map(|c| c.id.as_slice())) {
            inputs.insert(
                ExtensionId::HMAC_SECRET.as_str().to_owned(),
                salts.input(secret)?,
            );
        }
        Ok(())
    }

    fn prepare_outputs(
        &self,
        ctap: &CtapOutputs<'_>,
        secret: Option<&ExtensionSecret>,
        _blobs: &mut dyn LargeBlobAccess,
        outputs: &mut AuthenticationExtensionsClientOutputs,
    ) -> Result<(), ExtensionError> {
        let (Some(value), Some(secret), Some(salts)) = (
            ctap.get(ExtensionId::HMAC_SECRET.as_str()),
            secret,
            self.salts_for(Some(ctap.credential_id)),
        ) else {
            return Ok(());
        };
        let out = hmac_secret_output(NAME, secret, value, salts.count())?;
        outputs.prf = Some(PrfOutputs::new(None, Some(results(out))));
        Ok(())
    }
}
