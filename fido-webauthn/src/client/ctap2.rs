//! The CTAP2 backend (python-fido2 `_Ctap2ClientBackend`): the cached getInfo (sent again
//! only when an error says it may be out of date) feeds the UV/PIN decision
//! ([`uv::resolve`], which asks the [`UserInteraction`]); the ceremony is sent as the
//! decision says; PUAT_REQUIRED, UV_BLOCKED and UV_INVALID are retried as [`UvRetry`]
//! says.

use std::sync::Arc;

use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::{CancelToken, CtapDevice, KeepaliveStatus};
use fido_types::ctap2::{Info, MakeCredentialRequest};
use fido_types::generated::{
    CtapVersion, Permissions, PublicKeyCredentialParameters, PublicKeyCredentialRpEntity,
    PublicKeyCredentialType, PublicKeyCredentialUserEntity,
};
use fido_types::status::CtapStatus;
use fido_types::webauthn::{
    CollectedClientData, PublicKeyCredentialCreationOptions, PublicKeyCredentialRequestOptions,
    RegistrationResponse,
};

use super::ceremony::{Ceremony, GetAssertion, MakeCredential};
use super::checks;
use super::response::{ctap2_attestation, registration};
use super::session::Authenticator;
use crate::assertion::AssertionSelection;
use crate::error::Error;
use crate::extensions::ClientExtension;
use crate::interaction::UserInteraction;
use crate::uv::{self, RetryAction, UvInputs, UvRetry};

/// A CTAP2 authenticator and the user interaction its ceremonies ask.
pub(crate) struct Ctap2Backend<D: CtapDevice> {
    authenticator: Authenticator<D>,
    ui: Arc<dyn UserInteraction + Send + Sync>,
    extensions: Vec<Box<dyn ClientExtension>>,
}

impl<D: CtapDevice> std::fmt::Debug for Ctap2Backend<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctap2Backend")
            .field("authenticator", &self.authenticator)
            .finish_non_exhaustive()
    }
}

impl<D: CtapDevice> Ctap2Backend<D> {
    /// Sends getInfo; keepalives that ask for a touch prompt `ui` (python-fido2
    /// `_user_keepalive`: UPNEEDED → prompt_up).
    ///
    /// # Errors
    /// A device that does not answer getInfo.
    /// With `lenient_cbor`, every answer (getInfo first) is decoded leniently.
    pub fn new(
        device: D,
        ui: Arc<dyn UserInteraction + Send + Sync>,
        extensions: Vec<Box<dyn ClientExtension>>,
        lenient_cbor: bool,
    ) -> Result<Self, Error> {
        let mut ctap = if lenient_cbor {
            Ctap2::new_lenient(device)?
        } else {
            Ctap2::new(device)?
        };
        let for_keepalive = Arc::clone(&ui);
        ctap.set_keepalive_callback(move |status| {
            if status == KeepaliveStatus::UP_NEEDED {
                for_keepalive.prompt_up();
            }
        });
        Ok(Ctap2Backend {
            authenticator: Authenticator::new(ctap),
            ui,
            extensions,
        })
    }

    /// The cached getInfo.
    pub fn info(&self) -> &Info {
        self.authenticator.ctap().info()
    }

    /// authenticatorSelection on CTAP 2.1+, else a dummy makeCredential that any CTAP 2.0
    /// authenticator answers after a touch with PIN_NOT_SET, PIN_INVALID or
    /// PIN_AUTH_INVALID (CTAP 2.1 §6.1.2 step 1, "touch to select").
    pub fn selection(&mut self, cancel: &CancelToken) -> Result<(), Error> {
        let ctap = self.authenticator.ctap_mut();
        ctap.set_cancel_token(cancel.clone());
        let modern = ctap.info().versions.iter().any(|v| {
            [
                CtapVersion::FIDO_2_1,
                CtapVersion::FIDO_2_2,
                CtapVersion::FIDO_2_3,
            ]
            .contains(v)
        });
        if modern {
            return Ok(ctap.selection()?);
        }
        match ctap.make_credential(&touch_request()) {
            Ok(_) => Ok(()),
            Err(e)
                if matches!(
                    e.ctap_status(),
                    Some(
                        CtapStatus::PIN_NOT_SET
                            | CtapStatus::PIN_INVALID
                            | CtapStatus::PIN_AUTH_INVALID
                    )
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// authenticatorMakeCredential for `options`, as a registration response.
    pub fn make_credential(
        &mut self,
        options: &PublicKeyCredentialCreationOptions,
        client_data: CollectedClientData,
        rp_id: &str,
        cancel: &CancelToken,
    ) -> Result<RegistrationResponse, Error> {
        let (response, outputs) = self.with_info(cancel, |backend, info| {
            let ceremony =
                MakeCredential::new(options, &client_data, rp_id, info, &backend.extensions)?;
            let ctap = backend.authenticator.ctap_mut();
            ctap.set_cancel_token(cancel.clone());
            if ceremony.excluded_by_app_id(&mut |request| ctap.get_assertion(&request)) {
                // A touch first, so the user learns which authenticator it was.
                backend.selection(cancel)?;
                return Err(Error::DeviceIneligible(
                    "a credential in the exclude list is on this authenticator under the AppID"
                        .into(),
                ));
            }
            backend.run(&ceremony, info, cancel)
        })?;
        let decoder = *self.authenticator.ctap().decoder();
        checks::registration(&response.auth_data, &decoder, options, rp_id)?;
        registration(
            client_data,
            ctap2_attestation(&response)?,
            options.attestation.clone(),
            outputs,
        )
    }

    /// authenticatorGetAssertion (and getNextAssertion) for `options`.
    pub fn get_assertion(
        &mut self,
        options: &PublicKeyCredentialRequestOptions,
        client_data: CollectedClientData,
        rp_id: &str,
        cancel: &CancelToken,
    ) -> Result<AssertionSelection, Error> {
        let assertions = self.with_info(cancel, |backend, info| {
            let mut ceremony =
                GetAssertion::new(options, &client_data, rp_id, info, &backend.extensions)?;
            let ctap = backend.authenticator.ctap_mut();
            ctap.set_cancel_token(cancel.clone());
            ceremony.choose_rp_id(&mut |request| ctap.get_assertion(&request));
            backend.run(&ceremony, info, cancel)
        })?;
        let (assertions, outputs): (Vec<_>, Vec<_>) = assertions.into_iter().unzip();
        Ok(AssertionSelection::with_extension_results(
            client_data,
            assertions,
            outputs,
        ))
    }

    /// Runs `f` with the cached getInfo (from [`new`](Self::new) or the last refresh).
    /// When `f` fails in a way a stale getInfo explains (see [`stale_info`]), getInfo is
    /// sent again and, if it changed, `f` runs once more with the fresh one.
    ///
    /// python-fido2 sends getInfo before every ceremony (and again in each pre-flight);
    /// libfido2 reads it once when the device is opened. CTAP 2.1 §6.4 asks neither: the
    /// answer changes only when the authenticator's configuration does (a PIN set, a
    /// finger enrolled, alwaysUv toggled, a reset), which a request made with the old
    /// answer reports as one of the errors below, so a getInfo per ceremony buys nothing.
    fn with_info<T>(
        &mut self,
        cancel: &CancelToken,
        mut f: impl FnMut(&mut Self, &Info) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let cached = self.info().clone();
        match f(self, &cached) {
            Err(error) if stale_info(&error) => {
                let ctap = self.authenticator.ctap_mut();
                ctap.set_cancel_token(cancel.clone());
                let fresh = ctap.get_info()?;
                if fresh == cached {
                    return Err(error);
                }
                f(self, &fresh)
            }
            result => result,
        }
    }

    /// Decides the verification, sends, and retries as [`UvRetry`] says.
    fn run<C: Ceremony>(
        &mut self,
        ceremony: &C,
        info: &Info,
        cancel: &CancelToken,
    ) -> Result<C::Response, Error> {
        let plan = ceremony.plan();
        let mut retry = UvRetry::new(plan.requirement, info.preferred_platform_uv_attempts());
        loop {
            let mut inputs = UvInputs::from_info(info, retry.requirement(), C::OPERATION);
            inputs.discoverable = plan.discoverable;
            inputs.extra_permissions = !Permissions::MAKE_CREDENTIAL
                .union(Permissions::GET_ASSERTION)
                .contains(plan.permissions);
            inputs.uv_allowed = retry.uv_allowed();
            let verification =
                uv::resolve(&inputs, plan.permissions, Some(&plan.rp_id), &*self.ui)?;
            self.authenticator
                .ctap_mut()
                .set_cancel_token(cancel.clone());
            let error = match self.authenticator.send(ceremony, verification) {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            match error.ctap_status().map(|s| retry.on_error(s)) {
                Some(
                    RetryAction::RetryUv
                    | RetryAction::RetryWithPin
                    | RetryAction::RetryWithVerification,
                ) => {}
                _ => return Err(error),
            }
        }
    }
}

/// Whether `error` may come from deciding with an out-of-date getInfo: no UV/PIN configured
/// (one may be now), PUAT_REQUIRED (a PIN was set or alwaysUv turned on), PIN_NOT_SET (the
/// authenticator was reset), UNSUPPORTED_OPTION (an option it no longer offers).
fn stale_info(error: &Error) -> bool {
    matches!(error, Error::UvNotConfigured)
        || matches!(
            error.ctap_status(),
            Some(
                CtapStatus::PUAT_REQUIRED
                    | CtapStatus::PIN_NOT_SET
                    | CtapStatus::UNSUPPORTED_OPTION
            )
        )
}

/// The dummy makeCredential of a CTAP 2.0 "touch to select": an empty pinUvAuthParam.
fn touch_request() -> MakeCredentialRequest {
    MakeCredentialRequest {
        client_data_hash: vec![0; 32],
        rp: PublicKeyCredentialRpEntity {
            id: "example.com".into(),
            name: Some("example.com".into()),
        },
        user: PublicKeyCredentialUserEntity {
            id: b"dummy".to_vec(),
            name: Some("dummy".into()),
            display_name: None,
        },
        pub_key_cred_params: vec![PublicKeyCredentialParameters {
            alg: fido_types::cose::CoseAlgorithm::ES256,
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        }],
        pin_uv_auth_param: Some(Vec::new()),
        ..Default::default()
    }
}
