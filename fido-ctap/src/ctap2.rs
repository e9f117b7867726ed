//! `Ctap2`: the CTAP2 authenticator API over any [`CtapDevice`].
//!
//! python-fido2's `Ctap2` made typed. [`Ctap2::new`] sends authenticatorGetInfo once and
//! keeps the answer ([`Ctap2::info`]). Every command goes through [`Ctap2::send_cbor`],
//! which
//!
//! - refuses a request longer than the authenticator's `maxMsgSize` before sending it
//!   ([`RequestError::TooLarge`]),
//! - turns a status byte other than success into the typed [`Error`]
//!   ([`Error::from_status`]),
//! - decodes the response strictly (canonical CBOR only) unless
//!   [`lenient`](Ctap2::set_lenient) decoding was chosen.
//!
//! Commands that need a pinUvAuthToken are reached through a token from a
//! [`Session`](crate::pin::Session), whose type says which permissions it holds.
//!
//! ```no_run
//! use fido_ctap::ctap2::Ctap2;
//! use fido_ctap::device::{DeviceOpener, DeviceUri};
//!
//! let device = DeviceOpener::new().open(&"udp:127.0.0.1:8111".parse::<DeviceUri>()?)?;
//! let ctap = Ctap2::new(device)?;
//! println!("versions: {:?}", ctap.info().versions);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod info;

use core::fmt;

use fido_types::cbor::{self, Decoder, Value};
use fido_types::pin_protocol::SupportedProtocol;
use fido_types::status::CtapStatus;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use info::{DEFAULT_MAX_MSG_SIZE, Info};

use crate::device::{CancelToken, Command, CtapDevice, KeepaliveStatus};
use crate::error::{Error, RequestError, ResponseError, Result};
use crate::pin::wire::{ClientPinRequest, ClientPinResponse};

/// Authenticator API command bytes (CTAP 2.1 §6; python-fido2 `Ctap2.CMD`).
pub mod command {
    /// authenticatorMakeCredential.
    pub const MAKE_CREDENTIAL: u8 = 0x01;
    /// authenticatorGetAssertion.
    pub const GET_ASSERTION: u8 = 0x02;
    /// authenticatorGetInfo.
    pub const GET_INFO: u8 = 0x04;
    /// authenticatorClientPIN.
    pub const CLIENT_PIN: u8 = 0x06;
    /// authenticatorReset.
    pub const RESET: u8 = 0x07;
    /// authenticatorGetNextAssertion.
    pub const GET_NEXT_ASSERTION: u8 = 0x08;
    /// authenticatorBioEnrollment.
    pub const BIO_ENROLLMENT: u8 = 0x09;
    /// authenticatorCredentialManagement.
    pub const CREDENTIAL_MANAGEMENT: u8 = 0x0A;
    /// authenticatorSelection.
    pub const SELECTION: u8 = 0x0B;
    /// authenticatorLargeBlobs.
    pub const LARGE_BLOBS: u8 = 0x0C;
    /// authenticatorConfig.
    pub const CONFIG: u8 = 0x0D;
}

/// A CTAP2 authenticator, with its getInfo answer cached.
pub struct Ctap2<D: CtapDevice = Box<dyn CtapDevice>> {
    device: D,
    info: Info,
    decoder: Decoder,
    cancel: CancelToken,
    on_keepalive: Box<dyn FnMut(KeepaliveStatus) + Send>,
}

impl<D: CtapDevice> fmt::Debug for Ctap2<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctap2")
            .field("info", &self.info)
            .field("strict", &self.decoder.is_strict())
            .finish_non_exhaustive()
    }
}

impl<D: CtapDevice> Ctap2<D> {
    /// Connects: sends authenticatorGetInfo and keeps the answer.
    ///
    /// # Errors
    /// A transport error, an error status, or a getInfo response that does not decode.
    pub fn new(device: D) -> Result<Self> {
        let mut ctap = Ctap2 {
            device,
            info: Info {
                versions: Vec::new(),
                extensions: None,
                aaguid: [0; 16],
                options: None,
                max_msg_size: None,
                pin_uv_auth_protocols: None,
                force_pin_change: None,
                min_pin_length: None,
            },
            decoder: Decoder::new(),
            cancel: CancelToken::new(),
            on_keepalive: Box::new(|_| {}),
        };
        ctap.info = ctap.get_info()?;
        Ok(ctap)
    }

    /// The cached getInfo answer.
    pub fn info(&self) -> &Info {
        &self.info
    }

    /// Sends authenticatorGetInfo again and returns the answer, also caching it (after a
    /// PIN change or a config command the answer changes).
    ///
    /// # Errors
    /// As [`send_cbor`](Self::send_cbor).
    pub fn get_info(&mut self) -> Result<Info> {
        let info: Info = self.call(command::GET_INFO, None::<&()>)?;
        self.info = info.clone();
        Ok(info)
    }

    /// The PIN/UV auth protocol to use: two if offered, else one.
    pub fn preferred_protocol(&self) -> Option<SupportedProtocol> {
        SupportedProtocol::preferred(&self.info.pin_protocols())
    }

    /// Decode responses leniently (non-canonical CBOR accepted) or, the default, strictly.
    pub fn set_lenient(&mut self, lenient: bool) {
        self.decoder = if lenient {
            Decoder::new().lenient()
        } else {
            Decoder::new()
        };
    }

    /// The token that cancels the request in flight, from another thread.
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    /// Uses `cancel` for the following requests.
    pub fn set_cancel_token(&mut self, cancel: CancelToken) {
        self.cancel = cancel;
    }

    /// Calls `callback` on every keepalive status change (e.g. to prompt for a touch).
    pub fn set_keepalive_callback(
        &mut self,
        callback: impl FnMut(KeepaliveStatus) + Send + 'static,
    ) {
        self.on_keepalive = Box::new(callback);
    }

    /// The underlying device.
    pub fn device(&self) -> &D {
        &self.device
    }

    /// The underlying device, mutably.
    pub fn device_mut(&mut self) -> &mut D {
        &mut self.device
    }

    /// Gives the device back.
    pub fn into_device(self) -> D {
        self.device
    }

    /// Sends command `cmd` with `request` as its CBOR parameters and returns the response
    /// body (the bytes after the status byte).
    ///
    /// # Errors
    /// [`RequestError::TooLarge`] before sending if the message exceeds `maxMsgSize`;
    /// the typed error of a non-success status; a transport error;
    /// [`ResponseError::Empty`] for an empty response.
    pub fn send_cbor<T: Serialize>(&mut self, cmd: u8, request: Option<&T>) -> Result<Vec<u8>> {
        let mut message = vec![cmd];
        if let Some(request) = request {
            message.extend(cbor::to_vec(request)?);
        }
        // getInfo is what tells us maxMsgSize, so it is never refused.
        if cmd != command::GET_INFO && message.len() > self.info.max_msg_size() {
            return Err(RequestError::TooLarge {
                len: message.len(),
                max: self.info.max_msg_size(),
            }
            .into());
        }
        let on_keepalive = &mut self.on_keepalive;
        let mut response = self
            .device
            .call(Command::CBOR, &message, &self.cancel, &mut |s| {
                on_keepalive(s)
            })?;
        let Some(&status) = response.first() else {
            return Err(ResponseError::Empty.into());
        };
        let status = CtapStatus(status);
        if !status.is_success() {
            return Err(Error::from_status(status));
        }
        response.remove(0);
        Ok(response)
    }

    /// Sends command `cmd` and decodes the response as `R` (strictly by default).
    ///
    /// # Errors
    /// As [`send_cbor`](Self::send_cbor), and [`Error::Decode`].
    pub fn call<T: Serialize, R: DeserializeOwned>(
        &mut self,
        cmd: u8,
        request: Option<&T>,
    ) -> Result<R> {
        let body = self.send_cbor(cmd, request)?;
        if body.is_empty() {
            return Err(ResponseError::Missing("the response map").into());
        }
        Ok(self.decoder.decode(&body)?)
    }

    /// Sends a command whose success response is empty.
    fn call_empty<T: Serialize>(&mut self, cmd: u8, request: Option<&T>) -> Result<()> {
        let body = self.send_cbor(cmd, request)?;
        if body.is_empty() {
            Ok(())
        } else {
            // Be tolerant of a map the spec does not define, but it must be valid CBOR.
            self.decoder.decode::<Value>(&body)?;
            Ok(())
        }
    }

    /// Sends an authenticatorClientPIN request. Most callers use
    /// [`Session`](crate::pin::Session) instead.
    ///
    /// # Errors
    /// As [`call`](Self::call).
    pub fn client_pin(&mut self, request: &ClientPinRequest) -> Result<ClientPinResponse> {
        let body = self.send_cbor(command::CLIENT_PIN, Some(request))?;
        if body.is_empty() {
            // setPIN and changePIN answer with the status byte alone.
            return Ok(ClientPinResponse::default());
        }
        Ok(self.decoder.decode(&body)?)
    }

    /// authenticatorReset: erases every credential and the PIN. Real authenticators allow
    /// it only within seconds of power-up, after a touch.
    ///
    /// Prefer [`Session::reset`](crate::pin::Session::reset), which also ends any token.
    ///
    /// # Errors
    /// [`PermissionError::NotAllowed`](crate::error::PermissionError::NotAllowed) outside
    /// the reset window; [`PermissionError::OperationDenied`](crate::error::PermissionError::OperationDenied)
    /// if the user refused.
    pub fn reset(&mut self) -> Result<()> {
        self.call_empty(command::RESET, None::<&()>)
    }

    /// authenticatorSelection: waits for a touch (to pick among several authenticators).
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] on a CTAP 2.0 authenticator; otherwise as
    /// [`send_cbor`](Self::send_cbor).
    pub fn selection(&mut self) -> Result<()> {
        if !self.info.supports_version("FIDO_2_1") && !self.info.supports_version("FIDO_2_2") {
            return Err(RequestError::Unsupported("authenticatorSelection (CTAP 2.1)").into());
        }
        self.call_empty(command::SELECTION, None::<&()>)
    }

    /// authenticatorGetNextAssertion, decoded as CBOR.
    ///
    /// # Errors
    /// [`PermissionError::NotAllowed`](crate::error::PermissionError::NotAllowed) without a
    /// preceding getAssertion.
    pub fn get_next_assertion_value(&mut self) -> Result<Value> {
        self.call(command::GET_NEXT_ASSERTION, None::<&()>)
    }
}
