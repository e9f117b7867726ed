//! `Fido2Client`: WebAuthn registration and authentication against one authenticator
//! (python-fido2's `Fido2Client` with its `_Ctap2ClientBackend` and
//! `_Ctap1ClientBackend`).
//!
//! ```no_run
//! use fido_ctap::device::{CancelToken, DeviceOpener, DeviceUri};
//! use fido_types::webauthn::PublicKeyCredentialRequestOptions;
//! use fido_webauthn::Fido2Client;
//! use fido_webauthn::collector::DefaultClientDataCollector;
//! use fido_webauthn::interaction::NoInteraction;
//!
//! let device = DeviceOpener::new().open(&DeviceUri::FirstHid)?;
//! let collector = DefaultClientDataCollector::from_origin("https://example.com");
//! let mut client = Fido2Client::new(device, collector, NoInteraction)?;
//! let options = PublicKeyCredentialRequestOptions::new(b"challenge".to_vec());
//! let assertions = client.get_assertion(&options, &CancelToken::new())?;
//! println!("{}", assertions.response(0)?.to_json());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Each operation: the [`ClientDataCollector`] gives client data and RP ID; the cached
//! getInfo (sent again only when an error says it may be out of date) feeds the UV/PIN
//! decision ([`uv::resolve`], which asks the [`UserInteraction`]); a token is acquired
//! if needed (PIN/UV auth protocol two if offered, else one); an exclude or allow list
//! longer than one request allows is pre-flighted ([`Preflight`]); the
//! request is sent; PUAT_REQUIRED, UV_BLOCKED and UV_INVALID are retried as
//! [`UvRetry`] says.
//!
//! The options' `timeout` (milliseconds) cancels the operation when it passes, as the
//! caller's [`CancelToken`] does; both end it with a TIMEOUT-coded error.
//!
//! A device without the CTAPHID CBOR capability is driven with CTAP1/U2F instead
//! (python-fido2 `_Ctap1ClientBackend`): requests U2F cannot serve fail first
//! ([`crate::u2f`]), touches are polled every 250 ms.
//!
//! The options' `attestation` is applied as WebAuthn L3 §5.1.3 says ([`crate::conveyance`]:
//! with `none`, the default, anything but a self attestation becomes format `none`).
//!
//! Extensions: only the client extension `credProps` so far.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use fido_ctap::ctap1::Ctap1;
use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::{CancelToken, CapabilityFlags, CtapDevice, KeepaliveStatus};
use fido_ctap::perms;
use fido_ctap::pin::{DynPermissions, DynPinToken, PermissionSet, Session};
use fido_types::apdu::ApduStatus;
use fido_types::cbor::{self, StrMap};
use fido_types::ctap2::{
    GetAssertionRequest, GetAssertionResponse, Info, MakeCredentialRequest, MakeCredentialResponse,
};
use fido_types::generated::{
    CtapVersion, Permissions, PublicKeyCredentialDescriptor, PublicKeyCredentialParameters,
    PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity,
};
use fido_types::pin_protocol::{PinProtocol, ProtocolOne, ProtocolTwo, SupportedProtocol};
use fido_types::status::CtapStatus;
use fido_types::webauthn::{
    AttestationConveyancePreference, AttestationObject, AuthenticationExtensionsClientOutputs,
    AuthenticatorAttachment, AuthenticatorAttestationResponse, CollectedClientData,
    CredentialPropertiesOutput, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialRequestOptions, RegistrationResponse,
};

use crate::assertion::AssertionSelection;
use crate::collector::ClientDataCollector;
use crate::conveyance::convey;
use crate::error::Error;
use crate::interaction::UserInteraction;
use crate::preflight::{Preflight, Probe, dummy_descriptor};
use crate::request::{enterprise_attestation, make_credential_permissions, resident_key};
use crate::uv::{self, Operation, RetryAction, UvInputs, UvRequirement, UvRetry, Verification};

/// A WebAuthn client for one authenticator (CTAP2, or CTAP1/U2F without CBOR).
pub struct Fido2Client<D: CtapDevice = Box<dyn CtapDevice>> {
    ctap: Option<Ctap2<D>>,
    /// Set instead of `ctap` for a device without the CBOR capability.
    ctap1: Option<Ctap1<D>>,
    collector: Box<dyn ClientDataCollector>,
    ui: Arc<dyn UserInteraction + Send + Sync>,
}

impl<D: CtapDevice> std::fmt::Debug for Fido2Client<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fido2Client")
            .field("ctap", &self.ctap)
            .finish_non_exhaustive()
    }
}

/// The parts of a request that differ between makeCredential and getAssertion.
enum Op<'a> {
    Make {
        request: MakeCredentialRequest,
        exclude: &'a [PublicKeyCredentialDescriptor],
    },
    Get {
        request: GetAssertionRequest,
        allow: &'a [PublicKeyCredentialDescriptor],
    },
}

enum Outcome {
    Made(MakeCredentialResponse),
    Got(Vec<GetAssertionResponse>),
}

impl<D: CtapDevice> Fido2Client<D> {
    /// A client for `device`, with `collector` for client data and `ui` for prompts. A
    /// device with the CTAPHID CBOR capability is driven with CTAP2 (getInfo is sent now);
    /// one without, with CTAP1/U2F (python-fido2 falls back the same way when CTAP2 fails).
    ///
    /// # Errors
    /// A CBOR-capable device that does not answer getInfo.
    pub fn new(
        device: D,
        collector: impl ClientDataCollector + 'static,
        ui: impl UserInteraction + Send + Sync + 'static,
    ) -> Result<Self, Error> {
        let ui: Arc<dyn UserInteraction + Send + Sync> = Arc::new(ui);
        if !device.capabilities().contains(CapabilityFlags::CBOR) {
            return Ok(Fido2Client {
                ctap: None,
                ctap1: Some(Ctap1::new(device)),
                collector: Box::new(collector),
                ui,
            });
        }
        let mut ctap = Ctap2::new(device)?;
        // python-fido2 `_user_keepalive`: UPNEEDED → prompt_up.
        let for_keepalive = Arc::clone(&ui);
        ctap.set_keepalive_callback(move |status| {
            if status == KeepaliveStatus::UP_NEEDED {
                for_keepalive.prompt_up();
            }
        });
        Ok(Fido2Client {
            ctap: Some(ctap),
            ctap1: None,
            collector: Box::new(collector),
            ui,
        })
    }

    /// Whether the device is driven with CTAP1/U2F.
    pub fn is_u2f(&self) -> bool {
        self.ctap1.is_some()
    }

    fn ctap(&mut self) -> Result<&mut Ctap2<D>, Error> {
        self.ctap.as_mut().ok_or_else(|| {
            Error::DeviceIneligible("the device was lost by an earlier failure".into())
        })
    }

    /// The cached getInfo (`None` for a U2F device).
    pub fn info(&self) -> Option<&Info> {
        self.ctap.as_ref().map(Ctap2::info)
    }

    /// Waits for a touch, to let the user pick this authenticator (python-fido2
    /// `Fido2Client.selection`): authenticatorSelection on CTAP 2.1+, else a dummy
    /// makeCredential with an empty pinUvAuthParam, which any CTAP 2.0 authenticator
    /// answers after a touch with PIN_NOT_SET, PIN_INVALID or PIN_AUTH_INVALID (CTAP 2.1
    /// §6.1.2 step 1, "touch to select"). Use it per device inside
    /// [`selection::select`](crate::selection::select) to race several.
    ///
    /// # Errors
    /// [`Error::Device`] with a cancellation when `cancel` is triggered, or the device's
    /// error.
    pub fn selection(&mut self, cancel: &CancelToken) -> Result<(), Error> {
        if let Some(ctap1) = self.ctap1.as_mut() {
            // python-fido2 `_Ctap1ClientBackend.selection`: a dummy registration.
            return poll_u2f(ctap1, cancel, None, |c| c.register(&[0; 32], &[0; 32])).map(drop);
        }
        let ctap = self.ctap()?;
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
        let dummy = MakeCredentialRequest {
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
                credential_type: "public-key".into(),
            }],
            pin_uv_auth_param: Some(Vec::new()),
            ..Default::default()
        };
        match ctap.make_credential(&dummy) {
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

    /// Registers a credential (WebAuthn `create`).
    ///
    /// # Errors
    /// [`Error`], with python-fido2's [`ClientErrorCode`](fido_types::error::ClientErrorCode)s:
    /// e.g. DEVICE_INELIGIBLE for an excluded credential, BAD_REQUEST for an RP ID the
    /// origin may not use or a missing PIN.
    pub fn make_credential(
        &mut self,
        options: &PublicKeyCredentialCreationOptions,
        cancel: &CancelToken,
    ) -> Result<RegistrationResponse, Error> {
        with_timeout(options.timeout, cancel, |token| {
            self.make_credential_with(options, token)
        })
    }

    fn make_credential_with(
        &mut self,
        options: &PublicKeyCredentialCreationOptions,
        cancel: &CancelToken,
    ) -> Result<RegistrationResponse, Error> {
        let (client_data, rp_id) = self.collector.collect_client_data(options.into())?;
        if let Some(ctap1) = self.ctap1.as_mut() {
            return u2f_register(ctap1, &*self.ui, options, client_data, &rp_id, cancel);
        }
        let (response, rk) = self.with_info(cancel, |client, info| {
            client.make_credential_ctap2(options, &client_data, &rp_id, info, cancel)
        })?;
        let outputs = cred_props(options, rk);
        registration(client_data, &response, options.attestation.clone(), outputs)
    }

    /// authenticatorMakeCredential as `info` says; gives the response and whether `rk`
    /// was asked for.
    fn make_credential_ctap2(
        &mut self,
        options: &PublicKeyCredentialCreationOptions,
        client_data: &CollectedClientData,
        rp_id: &str,
        info: &Info,
        cancel: &CancelToken,
    ) -> Result<(MakeCredentialResponse, bool), Error> {
        let selection = options.authenticator_selection.clone().unwrap_or_default();
        let rk = resident_key(&selection, info)?;
        let mut request = MakeCredentialRequest {
            client_data_hash: client_data.hash().to_vec(),
            rp: PublicKeyCredentialRpEntity {
                id: rp_id.to_owned(),
                name: Some(options.rp.name.clone()),
            },
            user: PublicKeyCredentialUserEntity {
                id: options.user.id.to_vec(),
                name: Some(options.user.name.clone()),
                display_name: Some(options.user.display_name.clone()),
            },
            pub_key_cred_params: options
                .pub_key_cred_params
                .iter()
                .map(|p| PublicKeyCredentialParameters {
                    alg: p.alg,
                    credential_type: p.type_.as_str().into(),
                })
                .collect(),
            enterprise_attestation: enterprise_attestation(
                options.attestation.clone(),
                info,
                rp_id,
                None,
            ),
            ..Default::default()
        };
        if rk {
            request.options = Some(bool_map(&[("rk", true)]));
        }
        let exclude: Vec<PublicKeyCredentialDescriptor> =
            options.exclude_credentials.iter().map(descriptor).collect();
        let requirement = UvRequirement::from(selection.user_verification);
        let permissions = make_credential_permissions(!exclude.is_empty());
        let outcome = self.run(
            info,
            requirement,
            Operation::MakeCredential,
            rk,
            permissions,
            rp_id,
            cancel,
            |request_copy| Op::Make {
                request: request_copy,
                exclude: &exclude,
            },
            request,
        )?;
        let Outcome::Made(response) = outcome else {
            return Err(Error::InvalidResponse("unexpected response kind".into()));
        };
        Ok((response, rk))
    }

    /// Gets assertions (WebAuthn `get`); the authenticator may return several for
    /// discoverable credentials.
    ///
    /// # Errors
    /// As [`make_credential`](Self::make_credential); DEVICE_INELIGIBLE when no
    /// credential matches.
    pub fn get_assertion(
        &mut self,
        options: &PublicKeyCredentialRequestOptions,
        cancel: &CancelToken,
    ) -> Result<AssertionSelection, Error> {
        with_timeout(options.timeout, cancel, |token| {
            self.get_assertion_with(options, token)
        })
    }

    fn get_assertion_with(
        &mut self,
        options: &PublicKeyCredentialRequestOptions,
        cancel: &CancelToken,
    ) -> Result<AssertionSelection, Error> {
        let (client_data, rp_id) = self.collector.collect_client_data(options.into())?;
        if let Some(ctap1) = self.ctap1.as_mut() {
            return u2f_authenticate(ctap1, &*self.ui, options, client_data, &rp_id, cancel);
        }
        let assertions = self.with_info(cancel, |client, info| {
            client.get_assertion_ctap2(options, &client_data, &rp_id, info, cancel)
        })?;
        Ok(AssertionSelection::new(
            client_data,
            assertions,
            AuthenticationExtensionsClientOutputs::default(),
        ))
    }

    /// authenticatorGetAssertion (and getNextAssertion) as `info` says.
    fn get_assertion_ctap2(
        &mut self,
        options: &PublicKeyCredentialRequestOptions,
        client_data: &CollectedClientData,
        rp_id: &str,
        info: &Info,
        cancel: &CancelToken,
    ) -> Result<Vec<GetAssertionResponse>, Error> {
        let request = GetAssertionRequest {
            rp_id: rp_id.to_owned(),
            client_data_hash: client_data.hash().to_vec(),
            ..Default::default()
        };
        let allow: Vec<PublicKeyCredentialDescriptor> =
            options.allow_credentials.iter().map(descriptor).collect();
        let requirement = UvRequirement::from(options.user_verification.clone());
        let outcome = self.run(
            info,
            requirement,
            Operation::GetAssertion,
            false,
            Permissions::GET_ASSERTION,
            rp_id,
            cancel,
            |request_copy| Op::Get {
                request: request_copy,
                allow: &allow,
            },
            request,
        )?;
        let Outcome::Got(assertions) = outcome else {
            return Err(Error::InvalidResponse("unexpected response kind".into()));
        };
        Ok(assertions)
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
        let cached = self.ctap()?.info().clone();
        match f(self, &cached) {
            Err(error) if stale_info(&error) => {
                let fresh = self.fresh_info(cancel)?;
                if fresh == cached {
                    return Err(error);
                }
                f(self, &fresh)
            }
            result => result,
        }
    }

    fn fresh_info(&mut self, cancel: &CancelToken) -> Result<Info, Error> {
        let ctap = self.ctap()?;
        ctap.set_cancel_token(cancel.clone());
        Ok(ctap.get_info()?)
    }

    /// Decides, verifies, pre-flights and sends, with the retries of [`UvRetry`].
    #[allow(clippy::too_many_arguments)]
    fn run<'a, R: Clone>(
        &mut self,
        info: &Info,
        requirement: UvRequirement,
        operation: Operation,
        discoverable: bool,
        permissions: Permissions,
        rp_id: &str,
        cancel: &CancelToken,
        op: impl Fn(R) -> Op<'a>,
        request: R,
    ) -> Result<Outcome, Error> {
        let mut retry = UvRetry::new(requirement, info.preferred_platform_uv_attempts());
        loop {
            let mut inputs = UvInputs::from_info(info, retry.requirement(), operation);
            inputs.discoverable = discoverable;
            inputs.uv_allowed = retry.uv_allowed();
            let verification = uv::resolve(&inputs, permissions, Some(rp_id), &*self.ui)?;
            match self.attempt(
                verification,
                permissions,
                rp_id,
                cancel,
                op(request.clone()),
            ) {
                Ok(outcome) => return Ok(outcome),
                Err(error) => match error.ctap_status().map(|s| retry.on_error(s)) {
                    Some(
                        RetryAction::RetryUv
                        | RetryAction::RetryWithPin
                        | RetryAction::RetryWithVerification,
                    ) => {}
                    _ => return Err(error),
                },
            }
        }
    }

    fn attempt(
        &mut self,
        verification: Verification,
        permissions: Permissions,
        rp_id: &str,
        cancel: &CancelToken,
        op: Op<'_>,
    ) -> Result<Outcome, Error> {
        let mut ctap = self.ctap.take().ok_or_else(|| {
            Error::DeviceIneligible("the device was lost by an earlier failure".into())
        })?;
        ctap.set_cancel_token(cancel.clone());
        match verification {
            Verification::None => {
                let r = plain(&mut ctap, op, false);
                self.ctap = Some(ctap);
                r
            }
            Verification::UvOption => {
                let r = plain(&mut ctap, op, true);
                self.ctap = Some(ctap);
                r
            }
            token => match ctap.preferred_protocol() {
                Some(SupportedProtocol::Two) => {
                    let (ctap, r) =
                        with_token::<D, ProtocolTwo>(ctap, token, permissions, rp_id, op);
                    self.ctap = ctap;
                    r
                }
                Some(SupportedProtocol::One) => {
                    let (ctap, r) =
                        with_token::<D, ProtocolOne>(ctap, token, permissions, rp_id, op);
                    self.ctap = ctap;
                    r
                }
                None => {
                    self.ctap = Some(ctap);
                    Err(Error::UvNotConfigured)
                }
            },
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

/// Runs `f` with a token that is triggered by `cancel` or when `timeout_ms` (the
/// options' `timeout`, python-fido2's `Timer(options.timeout / 1000, event.set)`) has
/// passed. The watcher thread ends with `f`.
fn with_timeout<T>(
    timeout_ms: Option<u32>,
    cancel: &CancelToken,
    f: impl FnOnce(&CancelToken) -> T,
) -> T {
    let Some(ms) = timeout_ms.filter(|ms| *ms > 0) else {
        return f(cancel);
    };
    let deadline = Instant::now() + Duration::from_millis(u64::from(ms));
    let token = CancelToken::new();
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::SeqCst) {
                if cancel.is_cancelled() || Instant::now() >= deadline {
                    token.cancel();
                    return;
                }
                thread::sleep(Duration::from_millis(10));
            }
        });
        let result = f(&token);
        done.store(true, Ordering::SeqCst);
        result
    })
}

fn bool_map(entries: &[(&str, bool)]) -> StrMap<bool> {
    let mut map = StrMap::new();
    for (k, v) in entries {
        map.insert((*k).to_owned(), *v);
    }
    map
}

fn descriptor(
    d: &fido_types::webauthn::PublicKeyCredentialDescriptor,
) -> PublicKeyCredentialDescriptor {
    PublicKeyCredentialDescriptor {
        id: d.id.to_vec(),
        credential_type: d.type_.as_str().into(),
        transports: None,
    }
}

fn silent_request(rp_id: &str, batch: &[&PublicKeyCredentialDescriptor]) -> GetAssertionRequest {
    GetAssertionRequest {
        rp_id: rp_id.to_owned(),
        client_data_hash: vec![0; 32],
        allow_list: Some(batch.iter().map(|c| (*c).clone()).collect()),
        options: Some(bool_map(&[("up", false)])),
        ..Default::default()
    }
}

fn probe_result(
    result: Result<GetAssertionResponse, fido_ctap::error::Error>,
) -> Result<Probe, Error> {
    match result {
        Ok(response) => Ok(Probe::Found(response.credential)),
        Err(e) if e.ctap_status() == Some(CtapStatus::NO_CREDENTIALS) => Ok(Probe::NoCredentials),
        Err(e) => Err(e.into()),
    }
}

/// CTAP 2.1 §6.2.2: with a one-entry allow list the authenticator may omit the
/// credential; it is the one sent.
fn fill_credential(
    assertions: &mut [GetAssertionResponse],
    sent: Option<&[PublicKeyCredentialDescriptor]>,
) {
    if let Some([only]) = sent {
        for assertion in assertions {
            assertion.credential.get_or_insert_with(|| only.clone());
        }
    }
}

/// The exclude or allow list to send (`None`: none is left). A list that fits in one
/// request (at most `maxCredentialCountInList` entries once over-long IDs are dropped) is
/// sent as it is: the authenticator matches it itself, exactly as it would match the
/// pre-flight's answer, so a pre-flight would only add a round trip (python-fido2 always
/// pre-flights, even one entry; CTAP 2.1 §6.4 only bounds the list's length). A longer
/// list is searched in batches ([`Preflight::find_match`]) and only the match is sent.
fn narrow<E>(
    preflight: &Preflight,
    list: &[PublicKeyCredentialDescriptor],
    probe: impl FnMut(&[&PublicKeyCredentialDescriptor]) -> Result<Probe, E>,
) -> Result<Option<Vec<PublicKeyCredentialDescriptor>>, E> {
    let batches = preflight.batches(list);
    match batches.as_slice() {
        [] => Ok(None),
        [only] => Ok(Some(only.iter().map(|c| (*c).clone()).collect())),
        _ => Ok(preflight.find_match(list, probe)?.map(|c| vec![c])),
    }
}

/// Without a token: pre-flight unauthenticated, then send (with `uv: true` for the CTAP
/// 2.0 built-in UV option).
fn plain<D: CtapDevice>(
    ctap: &mut Ctap2<D>,
    op: Op<'_>,
    uv_option: bool,
) -> Result<Outcome, Error> {
    let preflight = Preflight::from_info(ctap.info());
    match op {
        Op::Make {
            mut request,
            exclude,
        } => {
            let rp_id = request.rp.id.clone();
            request.exclude_list = narrow(&preflight, exclude, |batch| {
                probe_result(ctap.get_assertion(&silent_request(&rp_id, batch)))
            })?;
            if uv_option {
                request
                    .options
                    .get_or_insert_with(StrMap::new)
                    .insert("uv".into(), true);
            }
            Ok(Outcome::Made(ctap.make_credential(&request)?))
        }
        Op::Get { mut request, allow } => {
            let rp_id = request.rp_id.clone();
            if !allow.is_empty() {
                let sent = narrow(&preflight, allow, |batch| {
                    probe_result(ctap.get_assertion(&silent_request(&rp_id, batch)))
                })?;
                request.allow_list = Some(sent.unwrap_or_else(|| vec![dummy_descriptor()]));
            }
            if uv_option {
                request
                    .options
                    .get_or_insert_with(StrMap::new)
                    .insert("uv".into(), true);
            }
            let mut assertions = ctap.get_assertions(&request)?;
            fill_credential(&mut assertions, request.allow_list.as_deref());
            Ok(Outcome::Got(assertions))
        }
    }
}

/// With a token of protocol `P`: the ctap is moved into a session and handed back.
fn with_token<D: CtapDevice, P: PinProtocol>(
    ctap: Ctap2<D>,
    verification: Verification,
    permissions: Permissions,
    rp_id: &str,
    op: Op<'_>,
) -> (Option<Ctap2<D>>, Result<Outcome, Error>) {
    let mut session = match Session::<D, P>::new(ctap) {
        Ok(session) => session,
        Err(e) => return (None, Err(e.into())),
    };
    let result = authenticated(&mut session, verification, permissions, rp_id, op);
    (Some(session.into_ctap()), result)
}

fn authenticated<D: CtapDevice, P: PinProtocol>(
    session: &mut Session<D, P>,
    verification: Verification,
    permissions: Permissions,
    rp_id: &str,
    op: Op<'_>,
) -> Result<Outcome, Error> {
    let preflight = Preflight::from_info(session.ctap().info());
    let mut token: DynPinToken<'_, P, D> = match verification {
        Verification::Pin { pin, .. } => session.pin_token_dyn(
            &pin,
            DynPermissions::from_bits(permissions.bits()),
            Some(rp_id),
        )?,
        _ => uv_token(session, permissions, rp_id)?,
    };
    match op {
        Op::Make {
            mut request,
            exclude,
        } => {
            request.exclude_list = narrow(&preflight, exclude, |batch| {
                probe_result(token.get_assertion(silent_request(rp_id, batch)))
            })?;
            Ok(Outcome::Made(token.make_credential(request)?))
        }
        Op::Get { mut request, allow } => {
            if !allow.is_empty() {
                let sent = narrow(&preflight, allow, |batch| {
                    probe_result(token.get_assertion(silent_request(rp_id, batch)))
                })?;
                request.allow_list = Some(sent.unwrap_or_else(|| vec![dummy_descriptor()]));
            }
            let sent = request.allow_list.clone();
            let first = token.get_assertion(request)?;
            drop(token);
            let count = first.number_of_credentials.unwrap_or(1);
            if count == 0 || count > fido_ctap::ctap2::MAX_ASSERTIONS {
                return Err(Error::InvalidResponse(
                    "numberOfCredentials out of range".into(),
                ));
            }
            let mut all = vec![first];
            for _ in 1..count {
                all.push(session.ctap_mut().get_next_assertion()?);
            }
            fill_credential(&mut all, sent.as_deref());
            Ok(Outcome::Got(all))
        }
    }
}

/// A built-in-UV token with the operation's permissions (typed sets, then erased).
fn uv_token<'s, D: CtapDevice, P: PinProtocol>(
    session: &'s mut Session<D, P>,
    permissions: Permissions,
    rp_id: &str,
) -> Result<DynPinToken<'s, P, D>, Error> {
    fn typed<'s, S: PermissionSet, D: CtapDevice, P: PinProtocol>(
        session: &'s mut Session<D, P>,
        rp_id: &str,
    ) -> Result<DynPinToken<'s, P, D>, Error> {
        Ok(session.uv_token_for_rp::<S>(rp_id)?.into_dyn())
    }
    let mc = Permissions::MAKE_CREDENTIAL;
    let ga = Permissions::GET_ASSERTION;
    if permissions == mc {
        typed::<perms![MakeCredential], D, P>(session, rp_id)
    } else if permissions == mc.union(ga) {
        typed::<perms![MakeCredential, GetAssertion], D, P>(session, rp_id)
    } else if permissions == ga {
        typed::<perms![GetAssertion], D, P>(session, rp_id)
    } else {
        Err(Error::Unsupported(format!(
            "a built-in UV token with permissions {:#x}",
            permissions.bits()
        )))
    }
}

/// How long to wait between U2F requests that the authenticator answered with
/// USE_NOT_SATISFIED ("touch me"), as python-fido2 `_Ctap1ClientBackend._poll_delay`.
const U2F_POLL: Duration = Duration::from_millis(250);

/// Repeats a U2F request until the user touches the authenticator (python-fido2
/// `_call_polling`): USE_NOT_SATISFIED means "not yet" and prompts once; `cancel` stops
/// it with [`Error::Cancelled`].
fn poll_u2f<D: CtapDevice, T>(
    ctap1: &mut Ctap1<D>,
    cancel: &CancelToken,
    ui: Option<&dyn UserInteraction>,
    mut request: impl FnMut(&mut Ctap1<D>) -> Result<T, fido_ctap::error::Error>,
) -> Result<T, Error> {
    let mut prompted = false;
    loop {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
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
            Err(fido_ctap::error::Error::Apdu(e)) => return Err(Error::Apdu(e)),
            Err(e) => return Err(e.into()),
        }
    }
}

/// python-fido2 `_Ctap1ClientBackend.do_make_credential`.
fn u2f_register<D: CtapDevice>(
    ctap1: &mut Ctap1<D>,
    ui: &dyn UserInteraction,
    options: &PublicKeyCredentialCreationOptions,
    client_data: CollectedClientData,
    rp_id: &str,
    cancel: &CancelToken,
) -> Result<RegistrationResponse, Error> {
    crate::u2f::check_make_credential(options)?;
    let app_param = crate::u2f::app_param(rp_id);
    for excluded in &options.exclude_credentials {
        if ctap1.is_key_handle_known(&app_param, excluded.id.as_bytes())? {
            // Wait for a touch before saying no, so the user learns which key it was.
            poll_u2f(ctap1, cancel, Some(ui), |c| c.register(&[0; 32], &[0; 32]))?;
            return Err(Error::DeviceIneligible(
                "a credential in the exclude list is on this authenticator".into(),
            ));
        }
    }
    let client_param = client_data.hash();
    let registration = poll_u2f(ctap1, cancel, Some(ui), |c| {
        c.register(&client_param, &app_param)
    })?;
    // Back to the U2F raw message format (§4.3) for the attestation object.
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
    let attestation_object = AttestationObject::from_ctap1(&app_param, &raw)
        .map_err(|e| Error::InvalidResponse(format!("U2F registration: {e}")))?;
    let attestation_object = convey(options.attestation.clone(), attestation_object);
    let response =
        AuthenticatorAttestationResponse::new(client_data, attestation_object, Vec::new())
            .map_err(|e| Error::InvalidResponse(format!("attestation response: {e}")))?;
    Ok(RegistrationResponse::new(
        key_handle.to_vec(),
        response,
        Some(AuthenticatorAttachment::CROSS_PLATFORM),
        cred_props(options, false),
    ))
}

/// python-fido2 `_Ctap1ClientBackend.do_get_assertion`: the allowed key handles in
/// turn; the first the authenticator knows is signed with after a touch.
fn u2f_authenticate<D: CtapDevice>(
    ctap1: &mut Ctap1<D>,
    ui: &dyn UserInteraction,
    options: &PublicKeyCredentialRequestOptions,
    client_data: CollectedClientData,
    rp_id: &str,
    cancel: &CancelToken,
) -> Result<AssertionSelection, Error> {
    crate::u2f::check_get_assertion(options)?;
    let app_param = crate::u2f::app_param(rp_id);
    let client_param = client_data.hash();
    for allowed in &options.allow_credentials {
        let key_handle = allowed.id.as_bytes();
        // Skip key handles this authenticator does not know (check-only), so the touch
        // goes to one it can sign with.
        if !ctap1.is_key_handle_known(&app_param, key_handle)? {
            continue;
        }
        let signed = poll_u2f(ctap1, cancel, Some(ui), |c| {
            c.authenticate(&client_param, &app_param, key_handle, false)
        })?;
        // Authenticator data of a U2F assertion: rpIdHash, the user-presence byte as
        // flags, the counter (WebAuthn §6.1.2, FIDO U2F signature format compatibility).
        let mut auth_data = Vec::with_capacity(37);
        auth_data.extend_from_slice(&app_param);
        auth_data.push(signed.user_presence());
        auth_data.extend_from_slice(&signed.counter().to_be_bytes());
        let assertion = GetAssertionResponse {
            credential: Some(PublicKeyCredentialDescriptor {
                id: key_handle.to_vec(),
                credential_type: "public-key".into(),
                transports: None,
            }),
            auth_data,
            signature: signed.signature().to_vec(),
            ..Default::default()
        };
        return Ok(AssertionSelection::new(
            client_data,
            vec![assertion],
            AuthenticationExtensionsClientOutputs::default(),
        ));
    }
    Err(Error::DeviceIneligible(
        "no allowed credential is on this authenticator".into(),
    ))
}

/// The client extension outputs of a registration: `credProps` (WebAuthn L3 §10.1.3) when
/// asked for, with `rk` whether the credential was made discoverable (the `rk` option
/// sent; always false over U2F).
fn cred_props(
    options: &PublicKeyCredentialCreationOptions,
    rk: bool,
) -> AuthenticationExtensionsClientOutputs {
    let mut outputs = AuthenticationExtensionsClientOutputs::default();
    let asked = options
        .extensions
        .as_ref()
        .is_some_and(|e| e.cred_props == Some(true));
    if asked {
        outputs.cred_props = Some(CredentialPropertiesOutput::new(Some(rk)));
    }
    outputs
}

fn registration(
    client_data: CollectedClientData,
    response: &MakeCredentialResponse,
    preference: Option<AttestationConveyancePreference>,
    outputs: AuthenticationExtensionsClientOutputs,
) -> Result<RegistrationResponse, Error> {
    let att_stmt = cbor::to_vec(&response.att_stmt)
        .map_err(|e| Error::InvalidResponse(format!("attStmt: {e}")))?;
    let attestation_object =
        AttestationObject::from_ctap2_parts(&response.fmt, &response.auth_data, &att_stmt)
            .map_err(|e| Error::InvalidResponse(format!("attestation object: {e}")))?;
    let attestation_object = convey(preference, attestation_object);
    let credential_id = attestation_object
        .auth_data()
        .attested_credential_data()
        .ok_or_else(|| Error::InvalidResponse("no attested credential data".into()))?
        .credential_id()
        .to_vec();
    let response =
        AuthenticatorAttestationResponse::new(client_data, attestation_object, Vec::new())
            .map_err(|e| Error::InvalidResponse(format!("attestation response: {e}")))?;
    Ok(RegistrationResponse::new(
        credential_id,
        response,
        Some(AuthenticatorAttachment::CROSS_PLATFORM),
        outputs,
    ))
}

#[cfg(test)]
mod tests;
