//! The two WebAuthn ceremonies, through `fido_webauthn::Fido2Client`: the CLI supplies
//! the origin (a `DefaultClientDataCollector` with the WebAuthn RP ID rules), the user
//! interaction (touch prompt, PIN from `--pin` or a no-echo prompt) and the Ctrl-C
//! cancel token; the client makes the UV/PIN decision, acquires tokens and builds the
//! L3 responses.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use fido_ctap::device::{CancelToken, CtapDevice};
use fido_types::generated::Permissions;
use fido_types::pin_protocol::Pin;
use fido_types::webauthn::{
    AuthenticationResponse, PublicKeyCredentialCreationOptions, PublicKeyCredentialRequestOptions,
    RegistrationResponse,
};
use fido_webauthn::Fido2Client;
use fido_webauthn::collector::DefaultClientDataCollector;
use fido_webauthn::interaction::UserInteraction;

use crate::device::{in_flight, touch_prompt};
use crate::error::CliError;
use crate::prompt::PinSource;

/// The terminal side of a ceremony.
struct Terminal {
    pin: PinSource,
    pin_requested: Arc<AtomicBool>,
    pin_error: Arc<Mutex<Option<String>>>,
}

impl UserInteraction for Terminal {
    fn prompt_up(&self) {
        touch_prompt();
    }

    fn request_pin(&self, _permissions: Permissions, rp_id: Option<&str>) -> Option<Pin> {
        self.pin_requested.store(true, Ordering::SeqCst);
        let prompt = match rp_id {
            Some(rp_id) => format!("PIN (for {rp_id})"),
            None => "PIN".to_owned(),
        };
        match self.pin.get(&prompt) {
            Ok(pin) => Some(pin),
            Err(e) => {
                // Reported instead of the client's "PIN required" (see `Client::explain`).
                if let Ok(mut slot) = self.pin_error.lock() {
                    *slot = Some(e.to_string());
                }
                None
            }
        }
    }

    /// Built-in verification unless a PIN was given on the command line.
    fn request_uv(&self, _permissions: Permissions, _rp_id: Option<&str>) -> bool {
        !self.pin.is_given()
    }
}

/// A WebAuthn client for one origin on one authenticator.
pub struct Client {
    inner: Fido2Client,
    cancel: CancelToken,
    pin_requested: Arc<AtomicBool>,
    pin_error: Arc<Mutex<Option<String>>>,
}

impl Client {
    /// A client for `origin` on `device` (CTAP2, or CTAP1/U2F without the CBOR
    /// capability), decoding answers leniently with `lenient_cbor` (`--lenient-cbor`).
    pub fn new(
        device: Box<dyn CtapDevice>,
        origin: &str,
        pin: PinSource,
        cancel: &CancelToken,
        lenient_cbor: bool,
    ) -> Result<Self, CliError> {
        let pin_requested = Arc::new(AtomicBool::new(false));
        let pin_error = Arc::new(Mutex::new(None));
        let inner = Fido2Client::with_cbor_mode(
            device,
            DefaultClientDataCollector::from_origin(origin),
            Terminal {
                pin,
                pin_requested: Arc::clone(&pin_requested),
                pin_error: Arc::clone(&pin_error),
            },
            lenient_cbor,
        )?;
        Ok(Client {
            inner,
            cancel: cancel.clone(),
            pin_requested,
            pin_error,
        })
    }

    /// Whether the client asked for the PIN since the last call (and forgets it).
    pub fn take_pin_requested(&self) -> bool {
        self.pin_requested.swap(false, Ordering::SeqCst)
    }

    /// navigator.credentials.create().
    pub fn register(
        &mut self,
        options: &PublicKeyCredentialCreationOptions,
    ) -> Result<RegistrationResponse, CliError> {
        let result = in_flight(|| self.inner.make_credential(options, &self.cancel));
        result.map_err(|e| self.explain(e.into(), options.timeout))
    }

    /// Fido2Client ends a call whose options' timeout passed the way it ends a cancelled
    /// one; if Ctrl-C did not trigger our token, it was the timeout.
    ///
    /// A "PIN required" failure after the PIN could not be read (no terminal, a PIN the
    /// rules refuse) is reported as that reason.
    fn explain(&self, e: CliError, timeout: Option<u32>) -> CliError {
        if let CliError::Client(fido_webauthn::Error::PinRequired(_)) = &e {
            let reason = self.pin_error.lock().ok().and_then(|mut slot| slot.take());
            if let Some(reason) = reason {
                return CliError::msg(reason);
            }
        }
        match timeout {
            Some(ms) if e.is_cancelled() && !self.cancel.is_cancelled() => CliError::msg(format!(
                "timed out: the authenticator was not touched within {ms} ms"
            )),
            _ => e,
        }
    }

    /// navigator.credentials.get(): the first assertion (the one for the allowed
    /// credential, or the first discoverable one; the number found is on stderr when
    /// there are several).
    pub fn authenticate(
        &mut self,
        options: &PublicKeyCredentialRequestOptions,
    ) -> Result<AuthenticationResponse, CliError> {
        let selection = in_flight(|| self.inner.get_assertion(options, &self.cancel))
            .map_err(|e| self.explain(e.into(), options.timeout))?;
        if selection.len() > 1 {
            eprintln!(
                "fido: {} credentials matched; using the first (the most recent)",
                selection.len()
            );
        }
        Ok(selection.response(0)?)
    }
}

/// The host of an origin, the default RP ID (WebAuthn rules: https, or http://localhost).
pub fn origin_host(origin: &str) -> Result<String, CliError> {
    fido_webauthn::rp_id::effective_rp_id(None, origin).map_err(|e| CliError::msg(e.to_string()))
}
