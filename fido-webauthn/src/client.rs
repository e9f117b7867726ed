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
//! decision ([`crate::uv::resolve`], which asks the [`UserInteraction`]); a token is acquired
//! if needed (PIN/UV auth protocol two if offered, else one); an exclude or allow list
//! longer than one request allows is pre-flighted ([`crate::preflight::Preflight`]); the
//! request is sent; PUAT_REQUIRED, UV_BLOCKED and UV_INVALID are retried as
//! [`crate::uv::UvRetry`] says.
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
//! Extensions: each client extension of the list the client was built with
//! ([`crate::extensions`]; [`Fido2Client::new`] uses
//! [`default_extensions`](crate::extensions::default_extensions)) gives a processor
//! when the options' `extensions` ask for it: its permissions join the token's, a key
//! agreement is made when one needs a shared secret (hmac-secret, prf), its inputs go
//! into the request and its outputs into `clientExtensionResults`. Over CTAP1/U2F only
//! credProps, appid and appidExclude apply. appid and appidExclude are not in that list:
//! both backends apply them (on CTAP2, `ceremony` pre-flights the allow or exclude list
//! under the AppID as rpId too, where a U2F registration's credential is held).
//!
//! Modules, by job: `ctap2` and `u2f` are the two backends (one enum,
//! `Backend`, picks one per device); `ceremony` holds makeCredential and getAssertion
//! behind one trait, each with its own response type; `session` binds the authenticator
//! to its PIN/UV auth protocol for the client's whole life and sends a ceremony with or
//! without a token; `response` builds the WebAuthn registration response both backends
//! give; `timeout` applies the options' `timeout`.

use std::sync::Arc;

use fido_ctap::device::{CancelToken, CapabilityFlags, CtapDevice};
use fido_types::ctap2::Info;
use fido_types::webauthn::{
    PublicKeyCredentialCreationOptions, PublicKeyCredentialRequestOptions, RegistrationResponse,
};

use crate::assertion::AssertionSelection;
use crate::collector::ClientDataCollector;
use crate::error::Error;
use crate::extensions::{ClientExtension, default_extensions};
use crate::interaction::UserInteraction;

mod ceremony;
mod checks;
mod ctap2;
mod response;
mod session;
mod timeout;
mod u2f;

use ctap2::Ctap2Backend;
use timeout::with_timeout;
use u2f::U2fBackend;

/// A WebAuthn client for one authenticator (CTAP2, or CTAP1/U2F without CBOR).
pub struct Fido2Client<D: CtapDevice = Box<dyn CtapDevice>> {
    backend: Backend<D>,
    collector: Box<dyn ClientDataCollector>,
}

/// How the device is driven.
enum Backend<D: CtapDevice> {
    /// CTAP2 (the device has the CTAPHID CBOR capability); boxed, it is the large one.
    Ctap2(Box<Ctap2Backend<D>>),
    /// CTAP1/U2F.
    U2f(U2fBackend<D>),
}

impl<D: CtapDevice> std::fmt::Debug for Backend<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Backend::Ctap2(ctap2) => ctap2.fmt(f),
            Backend::U2f(u2f) => u2f.fmt(f),
        }
    }
}

impl<D: CtapDevice> std::fmt::Debug for Fido2Client<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fido2Client")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
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
        Self::with_options(device, collector, ui, default_extensions(), false)
    }

    /// As [`new`](Self::new), with `extensions` instead of
    /// [`default_extensions`]: a subset, or the caller's own [`ClientExtension`]s
    /// (python-fido2 `Fido2Client(..., extensions=...)`). The list serves the CTAP2
    /// backend; over CTAP1/U2F only credProps, appid and appidExclude apply.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_extensions(
        device: D,
        collector: impl ClientDataCollector + 'static,
        ui: impl UserInteraction + Send + Sync + 'static,
        extensions: Vec<Box<dyn ClientExtension>>,
    ) -> Result<Self, Error> {
        Self::with_options(device, collector, ui, extensions, false)
    }

    /// As [`new`](Self::new); with `lenient_cbor`, the authenticator's answers (getInfo,
    /// makeCredential, getAssertion and the authenticator data inside them) are decoded
    /// leniently: any well-formed CBOR, e.g. maps whose keys are not in CTAP2 canonical
    /// order, which some authenticators send. Duplicate keys are refused either way.
    /// Strict decoding, [`new`](Self::new)'s, is the default (python-fido2's too).
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_cbor_mode(
        device: D,
        collector: impl ClientDataCollector + 'static,
        ui: impl UserInteraction + Send + Sync + 'static,
        lenient_cbor: bool,
    ) -> Result<Self, Error> {
        Self::with_options(device, collector, ui, default_extensions(), lenient_cbor)
    }

    /// Both choices at once: the client extensions of
    /// [`with_extensions`](Self::with_extensions) and the CBOR mode of
    /// [`with_cbor_mode`](Self::with_cbor_mode).
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_options(
        device: D,
        collector: impl ClientDataCollector + 'static,
        ui: impl UserInteraction + Send + Sync + 'static,
        extensions: Vec<Box<dyn ClientExtension>>,
        lenient_cbor: bool,
    ) -> Result<Self, Error> {
        let ui: Arc<dyn UserInteraction + Send + Sync> = Arc::new(ui);
        let backend = if device.capabilities().contains(CapabilityFlags::CBOR) {
            Backend::Ctap2(Box::new(Ctap2Backend::new(
                device,
                ui,
                extensions,
                lenient_cbor,
            )?))
        } else {
            Backend::U2f(U2fBackend::new(device, ui))
        };
        Ok(Fido2Client {
            backend,
            collector: Box::new(collector),
        })
    }

    /// Whether the device is driven with CTAP1/U2F.
    pub fn is_u2f(&self) -> bool {
        matches!(self.backend, Backend::U2f(_))
    }

    /// The cached getInfo (`None` for a U2F device).
    pub fn info(&self) -> Option<&Info> {
        match &self.backend {
            Backend::Ctap2(ctap2) => Some(ctap2.info()),
            Backend::U2f(_) => None,
        }
    }

    /// Waits for a touch, to let the user pick this authenticator (python-fido2
    /// `Fido2Client.selection`): authenticatorSelection on CTAP 2.1+, else a dummy
    /// makeCredential with an empty pinUvAuthParam, which any CTAP 2.0 authenticator
    /// answers after a touch with PIN_NOT_SET, PIN_INVALID or PIN_AUTH_INVALID (CTAP 2.1
    /// §6.1.2 step 1, "touch to select"); a dummy registration over U2F. Use it per device
    /// inside [`selection::select`](crate::selection::select) to race several.
    ///
    /// # Errors
    /// A cancellation ([`Error::is_cancelled`]) when `cancel` is triggered, or the
    /// device's error.
    pub fn selection(&mut self, cancel: &CancelToken) -> Result<(), Error> {
        match &mut self.backend {
            Backend::Ctap2(ctap2) => ctap2.selection(cancel),
            Backend::U2f(u2f) => u2f.selection(cancel),
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
        with_timeout(options.timeout, cancel, |cancel| {
            let (client_data, rp_id) = self.collector.collect_client_data(options.into())?;
            match &mut self.backend {
                Backend::Ctap2(ctap2) => {
                    ctap2.make_credential(options, client_data, &rp_id, cancel)
                }
                Backend::U2f(u2f) => u2f.make_credential(options, client_data, &rp_id, cancel),
            }
        })
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
        with_timeout(options.timeout, cancel, |cancel| {
            let (client_data, rp_id) = self.collector.collect_client_data(options.into())?;
            match &mut self.backend {
                Backend::Ctap2(ctap2) => ctap2.get_assertion(options, client_data, &rp_id, cancel),
                Backend::U2f(u2f) => u2f.get_assertion(options, client_data, &rp_id, cancel),
            }
        })
    }
}

#[cfg(test)]
mod tests;
