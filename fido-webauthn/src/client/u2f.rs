//! The CTAP1/U2F backend, for a device without the CTAPHID CBOR capability (python-fido2
//! `_Ctap1ClientBackend`): requests U2F cannot serve fail first ([`crate::u2f`]), touches
//! are polled every 250 ms.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use fido_ctap::ctap1::{Ctap1, RegistrationData, SignatureData};
use fido_ctap::device::{CancelToken, CtapDevice};
use fido_types::apdu::ApduStatus;
use fido_types::ctap2::GetAssertionResponse;
use fido_types::generated::{PublicKeyCredentialDescriptor, PublicKeyCredentialType};
use fido_types::webauthn::{
    AttestationObject, AuthenticationExtensionsClientOutputs, CollectedClientData,
    PublicKeyCredentialCreationOptions, PublicKeyCredentialRequestOptions, RegistrationResponse,
    UserVerificationRequirement,
};

use super::response::{cred_props, registration};
use crate::assertion::AssertionSelection;
use crate::error::Error;
use crate::interaction::UserInteraction;

/// How long to wait between U2F requests that the authenticator answered with
/// USE_NOT_SATISFIED ("touch me"), as python-fido2 `_Ctap1ClientBackend._poll_delay`.
const U2F_POLL: Duration = Duration::from_millis(250);

/// A U2F authenticator and the user interaction its touches prompt.
pub(crate) struct U2fBackend<D: CtapDevice> {
    ctap1: Ctap1<D>,
    ui: Arc<dyn UserInteraction + Send + Sync>,
}

impl<D: CtapDevice> std::fmt::Debug for U2fBackend<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("U2fBackend").finish_non_exhaustive()
    }
}

impl<D: CtapDevice> U2fBackend<D> {
    /// A backend for `device`; nothing is sent yet.
    pub fn new(device: D, ui: Arc<dyn UserInteraction + Send + Sync>) -> Self {
        U2fBackend {
            ctap1: Ctap1::new(device),
            ui,
        }
    }

    /// python-fido2 `_Ctap1ClientBackend.selection`: a dummy registration.
    pub fn selection(&mut self, cancel: &CancelToken) -> Result<(), Error> {
        poll(&mut self.ctap1, cancel, None, |c| {
            c.register(&[0; 32], &[0; 32])
        })
        .map(drop)
    }

    /// python-fido2 `_Ctap1ClientBackend.do_make_credential`.
    pub fn make_credential(
        &mut self,
        options: &PublicKeyCredentialCreationOptions,
        client_data: CollectedClientData,
        rp_id: &str,
        cancel: &CancelToken,
    ) -> Result<RegistrationResponse, Error> {
        crate::u2f::check_make_credential(options)?;
        let app_param = crate::u2f::app_param(rp_id);
        let ui: Option<&dyn UserInteraction> = Some(&*self.ui);
        let exclude_app_id = app_id(
            options
                .extensions
                .as_ref()
                .and_then(|e| e.appid_exclude.as_deref()),
            &client_data,
        )?;
        let exclude_params: Vec<[u8; 32]> =
            std::iter::once(app_param).chain(exclude_app_id).collect();
        for excluded in &options.exclude_credentials {
            let mut known = false;
            for param in &exclude_params {
                known = known
                    || self
                        .ctap1
                        .is_key_handle_known(param, excluded.id.as_bytes())?;
            }
            if known {
                // Wait for a touch before saying no, so the user learns which key it was.
                poll(&mut self.ctap1, cancel, ui, |c| {
                    c.register(&[0; 32], &[0; 32])
                })?;
                return Err(Error::DeviceIneligible(
                    "a credential in the exclude list is on this authenticator".into(),
                ));
            }
        }
        let client_param = client_data.hash();
        let registered = poll(&mut self.ctap1, cancel, ui, |c| {
            c.register(&client_param, &app_param)
        })?;
        let attestation_object = AttestationObject::from_ctap1(&app_param, &raw(&registered)?)
            .map_err(|e| Error::InvalidResponse(format!("U2F registration: {e}")))?;
        let mut outputs = cred_props(options, false);
        if exclude_app_id.is_some() {
            outputs.appid_exclude = Some(true);
        }
        registration(
            client_data,
            attestation_object,
            options.attestation.clone(),
            outputs,
        )
    }

    /// python-fido2 `_Ctap1ClientBackend.do_get_assertion`: the allowed key handles in
    /// turn; the first the authenticator knows is signed with after a touch.
    pub fn get_assertion(
        &mut self,
        options: &PublicKeyCredentialRequestOptions,
        client_data: CollectedClientData,
        rp_id: &str,
        cancel: &CancelToken,
    ) -> Result<AssertionSelection, Error> {
        crate::u2f::check_get_assertion(options)?;
        let rp_param = crate::u2f::app_param(rp_id);
        let app_id = app_id(
            options.extensions.as_ref().and_then(|e| e.appid.as_deref()),
            &client_data,
        )?;
        let client_param = client_data.hash();
        for allowed in &options.allow_credentials {
            let key_handle = allowed.id.as_bytes();
            // Skip key handles this authenticator does not know (check-only), so the touch
            // goes to one it can sign with; under the RP ID, else under the AppID.
            let app_param = if self.ctap1.is_key_handle_known(&rp_param, key_handle)? {
                rp_param
            } else {
                match app_id {
                    Some(param) if self.ctap1.is_key_handle_known(&param, key_handle)? => param,
                    _ => continue,
                }
            };
            let signed = poll(&mut self.ctap1, cancel, Some(&*self.ui), |c| {
                c.authenticate(&client_param, &app_param, key_handle, false)
            })?;
            let mut outputs = AuthenticationExtensionsClientOutputs::default();
            if app_id.is_some() {
                outputs.appid = Some(app_param != rp_param);
            }
            let answer = vec![assertion(&app_param, key_handle, &signed)];
            let decoder = fido_types::cbor::Decoder::new();
            let allowed: Vec<&[u8]> = options
                .allow_credentials
                .iter()
                .map(|d| d.id.as_bytes())
                .collect();
            let uv_required =
                options.user_verification_requirement() == UserVerificationRequirement::REQUIRED;
            super::checks::assertions(&answer, &decoder, uv_required, &allowed, app_param)?;
            return Ok(AssertionSelection::new(client_data, answer, outputs));
        }
        Err(Error::DeviceIneligible(
            "no allowed credential is on this authenticator".into(),
        ))
    }
}

/// The application parameter of an `appid`/`appidExclude` input, checked against the
/// client data's origin ([`crate::appid::verify_app_id`]).
fn app_id(
    input: Option<&str>,
    client_data: &CollectedClientData,
) -> Result<Option<[u8; 32]>, Error> {
    input
        .map(|app_id| {
            crate::appid::verify_app_id(app_id, client_data.origin())?;
            Ok(crate::u2f::app_param(app_id))
        })
        .transpose()
}

/// Repeats a U2F request until the user touches the authenticator (python-fido2
/// `_call_polling`): USE_NOT_SATISFIED means "not yet" and prompts once; `cancel` stops
/// it with [`Error::cancelled`].
fn poll<D: CtapDevice, T>(
    ctap1: &mut Ctap1<D>,
    cancel: &CancelToken,
    ui: Option<&dyn UserInteraction>,
    mut request: impl FnMut(&mut Ctap1<D>) -> Result<T, fido_ctap::error::Error>,
) -> Result<T, Error> {
    let mut prompted = false;
    loop {
        if cancel.is_cancelled() {
            return Err(Error::cancelled());
        }
        match request(ctap1) {
            Ok(value) => return Ok(value),
            Err(fido_ctap::error::Error::Apdu(e))
                if e.status() == ApduStatus::USE_NOT_SATISFIED =>
            {
                if let (Some(ui), false) = (ui, prompted) {
                    ui.prompt_up();
                    prompted = true;
                }
                let until = Instant::now() + U2F_POLL;
                while Instant::now() < until && !cancel.is_cancelled() {
                    thread::sleep(Duration::from_millis(10));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// A registration back in the U2F raw message format (FIDO U2F raw message formats §4.3),
/// for the attestation object.
fn raw(registration: &RegistrationData) -> Result<Vec<u8>, Error> {
    let key_handle = registration.key_handle();
    let kh_len = u8::try_from(key_handle.len())
        .map_err(|_| Error::InvalidResponse("key handle longer than 255 bytes".into()))?;
    let mut raw = Vec::with_capacity(67 + key_handle.len() + registration.certificate().len() + 80);
    raw.push(0x05);
    raw.extend_from_slice(registration.public_key());
    raw.push(kh_len);
    raw.extend_from_slice(key_handle);
    raw.extend_from_slice(registration.certificate());
    raw.extend_from_slice(registration.signature());
    Ok(raw)
}

/// A U2F signature as a CTAP2 assertion. Its authenticator data: rpIdHash, the
/// user-presence byte as flags, the counter (WebAuthn §6.1.2, FIDO U2F signature format
/// compatibility).
fn assertion(
    app_param: &[u8; 32],
    key_handle: &[u8],
    signed: &SignatureData,
) -> GetAssertionResponse {
    let mut auth_data = Vec::with_capacity(37);
    auth_data.extend_from_slice(app_param);
    auth_data.push(signed.user_presence());
    auth_data.extend_from_slice(&signed.counter().to_be_bytes());
    GetAssertionResponse {
        credential: Some(PublicKeyCredentialDescriptor {
            id: key_handle.to_vec(),
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
            transports: None,
        }),
        auth_data,
        signature: signed.signature().to_vec(),
        ..Default::default()
    }
}
