//! `Ctap2`: the CTAP2 authenticator API over any [`CtapDevice`].
//!
//! python-fido2's `Ctap2` made typed. [`Ctap2::new`] sends authenticatorGetInfo once and
//! keeps the answer ([`Ctap2::info`]). A request is sent through its generated
//! [`CommandRequest`] impl ([`Ctap2::call`]): the request's type decides the command byte
//! and the response type ([`ResponseBody`] says whether its map may be absent). Every
//! message, typed or raw ([`Ctap2::send_cbor`]), goes through one exchange, which
//!
//! - refuses a request longer than the authenticator's `maxMsgSize` before sending it
//!   ([`RequestError::TooLarge`]),
//! - turns a status byte other than success into the typed [`Error`]
//!   ([`Error::from_status`]),
//! - decodes the response strictly (canonical CBOR only) unless
//!   [`lenient`](Ctap2::set_lenient) decoding was chosen,
//! - gives a command that needs no user action ([`needs_user_action`]) at most
//!   [`QUICK_DEADLINE`] (or the device's call deadline, if shorter), so a device that only
//!   sends KEEPALIVE cannot hold getInfo or getKeyAgreement for the whole call deadline.
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

use core::fmt;

use fido_types::cbor::{self, Decoder, Value};
use fido_types::generated::{
    BioEnrollmentRequest, BioEnrollmentResponse, ClientPinRequest, ClientPinResponse, CommandCode,
    CommandRequest, ConfigRequest, CredentialManagementRequest, CredentialManagementResponse,
    CtapVersion, GetAssertionRequest, GetAssertionResponse, InfoOption, LargeBlobsRequest,
    LargeBlobsResponse, MakeCredentialRequest, MakeCredentialResponse,
};
use fido_types::pin_protocol::{PinUvAuthProtocol, SupportedProtocol};
use fido_types::status::CtapStatus;
use serde::Serialize;

pub use fido_types::generated::Info;

mod quick;

pub use quick::{QUICK_DEADLINE, needs_user_action};

use crate::device::{CancelToken, CtapDevice, CtaphidCommand, KeepaliveStatus, Timeouts};
use crate::error::{Error, RequestError, ResponseError, Result};

/// The most assertions [`Ctap2::get_assertions`] collects. `numberOfCredentials` comes
/// from the authenticator, so it is not trusted to bound the loop.
pub const MAX_ASSERTIONS: u32 = 1024;

/// The PIN/UV auth protocols an authenticator offers: its `pinUvAuthProtocols`, or
/// protocol one for a CTAP 2.0 authenticator that supports a PIN but lists none.
pub fn pin_protocols(info: &Info) -> Vec<PinUvAuthProtocol> {
    match &info.pin_uv_auth_protocols {
        Some(list) => list.clone(),
        None if info.has_option(InfoOption::CLIENT_PIN) => vec![PinUvAuthProtocol::ONE],
        None => Vec::new(),
    }
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
        Self::connect(device, Decoder::new())
    }

    /// As [`new`](Self::new), decoding every response leniently from the first
    /// (getInfo) on: for authenticators whose CBOR is not canonical, e.g. text map keys
    /// sorted bytewise rather than shorter first.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn new_lenient(device: D) -> Result<Self> {
        Self::connect(device, Decoder::new().lenient())
    }

    /// Sends getInfo through `decoder` and keeps the answer.
    fn connect(device: D, decoder: Decoder) -> Result<Self> {
        let mut ctap = Ctap2 {
            device,
            info: Info::default(),
            decoder,
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
        let info: Info = self.call_bare(CommandCode::GET_INFO)?;
        self.info = info.clone();
        Ok(info)
    }

    /// The PIN/UV auth protocol to use: two if offered, else one.
    pub fn preferred_protocol(&self) -> Option<SupportedProtocol> {
        SupportedProtocol::preferred(&pin_protocols(&self.info))
    }

    /// Decode responses leniently (non-canonical CBOR accepted) or, the default, strictly.
    pub fn set_lenient(&mut self, lenient: bool) {
        self.decoder = if lenient {
            Decoder::new().lenient()
        } else {
            Decoder::new()
        };
    }

    /// The decoder responses go through (strict unless [`set_lenient`](Self::set_lenient)),
    /// for decoding the body of a raw [`send_cbor`](Self::send_cbor) the same way.
    pub fn decoder(&self) -> &Decoder {
        &self.decoder
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

    /// Sends a request through its [`CommandRequest`] impl: the request's type decides the
    /// command byte ([`CommandRequest::COMMAND`]) and the type its response decodes to
    /// ([`CommandRequest::Response`], strictly by default).
    ///
    /// # Errors
    /// As [`send_cbor`](Self::send_cbor), and [`Error::Decode`] or
    /// [`ResponseError::Missing`] for a response that is not the expected map.
    pub fn call<R: CommandRequest>(&mut self, request: &R) -> Result<R::Response>
    where
        R::Response: ResponseBody,
    {
        self.call_on(R::COMMAND, request)
    }

    /// As [`call`](Self::call), on another command byte of the same command (the CTAP 2.1
    /// prototype bytes of credential management and bio enrollment that getInfo may name).
    fn call_on<R: CommandRequest>(&mut self, cmd: CommandCode, request: &R) -> Result<R::Response>
    where
        R::Response: ResponseBody,
    {
        let response = self.exchange(cmd, Some(request))?;
        R::Response::from_body(&self.decoder, &response[1..])
    }

    /// Sends a command that takes no parameters (the command byte alone).
    fn call_bare<T: ResponseBody>(&mut self, cmd: CommandCode) -> Result<T> {
        let response = self.exchange(cmd, None::<&()>)?;
        T::from_body(&self.decoder, &response[1..])
    }

    /// Sends command `cmd` with `request` as its CBOR parameters and returns the response
    /// body (the bytes after the status byte). For vendor commands and raw access;
    /// [`call`](Self::call) is the typed path.
    ///
    /// # Errors
    /// [`RequestError::TooLarge`] before sending if the message exceeds `maxMsgSize`;
    /// the typed error of a non-success status; a transport error;
    /// [`ResponseError::Empty`] for an empty response.
    pub fn send_cbor<T: Serialize>(
        &mut self,
        cmd: CommandCode,
        request: Option<&T>,
    ) -> Result<Vec<u8>> {
        let mut response = self.exchange(cmd, request)?;
        Ok(response.split_off(1))
    }

    /// Sends one CTAP2 message and returns the whole response, whose first byte is the
    /// success status.
    fn exchange<T: Serialize>(&mut self, cmd: CommandCode, request: Option<&T>) -> Result<Vec<u8>> {
        let mut message = vec![cmd.0];
        if let Some(request) = request {
            message.extend(cbor::to_vec(request)?);
        }
        // getInfo is what tells us maxMsgSize, so it is never refused.
        let max = usize::try_from(self.info.max_msg_size()).unwrap_or(usize::MAX);
        if cmd != CommandCode::GET_INFO && message.len() > max {
            return Err(RequestError::TooLarge {
                len: message.len(),
                max,
            }
            .into());
        }
        let timeouts = self.device.timeouts();
        let quick = !needs_user_action(cmd, &message) && QUICK_DEADLINE < timeouts.call;
        if quick {
            self.device.set_timeouts(Timeouts {
                call: QUICK_DEADLINE,
                ..timeouts
            });
        }
        let on_keepalive = &mut self.on_keepalive;
        let response = self
            .device
            .call(CtaphidCommand::CBOR, &message, &self.cancel, &mut |s| {
                on_keepalive(s)
            });
        if quick {
            self.device.set_timeouts(timeouts);
        }
        let response = response?;
        let Some(&status) = response.first() else {
            return Err(ResponseError::Empty.into());
        };
        let status = CtapStatus(status);
        if !status.is_success() {
            return Err(Error::from_status(status));
        }
        Ok(response)
    }

    /// Sends an authenticatorClientPIN request. Most callers use
    /// [`Session`](crate::pin::Session) instead.
    ///
    /// # Errors
    /// As [`call`](Self::call).
    pub fn client_pin(&mut self, request: &ClientPinRequest) -> Result<ClientPinResponse> {
        self.call(request)
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
        self.call_bare(CommandCode::RESET)
    }

    /// authenticatorSelection: waits for a touch (to pick among several authenticators).
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] on a CTAP 2.0 authenticator; otherwise as
    /// [`send_cbor`](Self::send_cbor).
    pub fn selection(&mut self) -> Result<()> {
        if !self.is_ctap21() {
            return Err(RequestError::Unsupported("authenticatorSelection (CTAP 2.1)").into());
        }
        self.call_bare(CommandCode::SELECTION)
    }

    fn is_ctap21(&self) -> bool {
        [
            CtapVersion::FIDO_2_1,
            CtapVersion::FIDO_2_2,
            CtapVersion::FIDO_2_3,
        ]
        .iter()
        .any(|v| self.info.supports_version(v))
    }

    /// authenticatorMakeCredential. For a request authenticated with a PIN/UV token, use
    /// [`PinToken::make_credential`](crate::pin::PinToken::make_credential).
    ///
    /// # Errors
    /// As [`call`](Self::call); e.g. `CTAP2_ERR_CREDENTIAL_EXCLUDED` as [`Error::Ctap`],
    /// [`PinUvError::TokenRequired`](crate::error::PinUvError::TokenRequired).
    pub fn make_credential(
        &mut self,
        request: &MakeCredentialRequest,
    ) -> Result<MakeCredentialResponse> {
        self.call(request)
    }

    /// authenticatorGetAssertion: the first assertion.
    ///
    /// # Errors
    /// As [`call`](Self::call); `CTAP2_ERR_NO_CREDENTIALS` as [`Error::Ctap`].
    pub fn get_assertion(&mut self, request: &GetAssertionRequest) -> Result<GetAssertionResponse> {
        self.call(request)
    }

    /// authenticatorGetNextAssertion.
    ///
    /// # Errors
    /// [`PermissionError::NotAllowed`](crate::error::PermissionError::NotAllowed) without a
    /// preceding getAssertion.
    pub fn get_next_assertion(&mut self) -> Result<GetAssertionResponse> {
        self.call_bare(CommandCode::GET_NEXT_ASSERTION)
    }

    /// getAssertion followed by getNextAssertion until every credential has answered
    /// (python-fido2 `Ctap2.get_assertions`).
    ///
    /// # Errors
    /// As [`get_assertion`](Self::get_assertion); [`ResponseError::Invalid`] if
    /// `numberOfCredentials` is 0 or above [`MAX_ASSERTIONS`].
    pub fn get_assertions(
        &mut self,
        request: &GetAssertionRequest,
    ) -> Result<Vec<GetAssertionResponse>> {
        let first = self.get_assertion(request)?;
        let count = first.number_of_credentials.unwrap_or(1);
        if count == 0 || count > MAX_ASSERTIONS {
            return Err(ResponseError::Invalid {
                what: "numberOfCredentials",
                reason: "zero or above MAX_ASSERTIONS",
            }
            .into());
        }
        let mut all = vec![first];
        for _ in 1..count {
            all.push(self.get_next_assertion()?);
        }
        Ok(all)
    }

    /// authenticatorCredentialManagement, on 0x0A or the prototype 0x41 as getInfo says.
    /// For authenticated subcommands use a token with the `CredentialManagement`
    /// permission.
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] before sending without `credMgmt` or
    /// `credentialMgmtPreview`; otherwise as [`call`](Self::call).
    pub fn credential_mgmt(
        &mut self,
        request: &CredentialManagementRequest,
    ) -> Result<CredentialManagementResponse> {
        let cmd = self
            .info
            .credential_management_command()
            .ok_or(RequestError::Unsupported("credential management"))?;
        self.call_on(cmd, request)
    }

    /// authenticatorBioEnrollment, on 0x09 or the prototype 0x40 as getInfo says.
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] before sending without `bioEnroll` or
    /// `userVerificationMgmtPreview`; otherwise as [`call`](Self::call).
    pub fn bio_enrollment(
        &mut self,
        request: &BioEnrollmentRequest,
    ) -> Result<BioEnrollmentResponse> {
        let cmd = self
            .info
            .bio_enrollment_command()
            .ok_or(RequestError::Unsupported("bio enrollment"))?;
        self.call_on(cmd, request)
    }

    /// authenticatorLargeBlobs.
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] before sending without the `largeBlobs` option;
    /// otherwise as [`call`](Self::call).
    pub fn large_blobs(&mut self, request: &LargeBlobsRequest) -> Result<LargeBlobsResponse> {
        if !self.info.supports_option(InfoOption::LARGE_BLOBS) {
            return Err(RequestError::Unsupported("large blobs").into());
        }
        self.call(request)
    }

    /// authenticatorConfig.
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] before sending if getInfo rules the subcommand out;
    /// otherwise as [`send_cbor`](Self::send_cbor).
    pub fn config(&mut self, request: &ConfigRequest) -> Result<()> {
        if !self.info.supports_config_command(request.sub_command) {
            return Err(RequestError::Unsupported("this authenticatorConfig subcommand").into());
        }
        self.call(request)
    }
}

/// How the body of a successful response (the bytes after the status byte) becomes a
/// command's response type: each [`CommandRequest::Response`] says whether an empty body is
/// allowed.
pub trait ResponseBody: Sized {
    /// Decodes `body` with `decoder` (strict or lenient).
    ///
    /// # Errors
    /// [`Error::Decode`], or [`ResponseError::Missing`] for an empty body where a map is
    /// required.
    fn from_body(decoder: &Decoder, body: &[u8]) -> Result<Self>;
}

/// Decodes a response map; a key out of canonical order (strict mode) becomes
/// [`ResponseError::NotCanonical`], naming the response and the member, and pointing at
/// the lenient mode.
fn decode_body<T: serde::de::DeserializeOwned>(decoder: &Decoder, body: &[u8]) -> Result<T> {
    decoder.decode(body).map_err(|error| {
        let Some(member) = cbor::out_of_order_member(body, &error) else {
            return Error::from(error);
        };
        let map = core::any::type_name::<T>()
            .rsplit("::")
            .next()
            .unwrap_or("response");
        ResponseError::NotCanonical { map, member, error }.into()
    })
}

/// Responses that always carry a map.
macro_rules! required_map {
    ($($response:ty),* $(,)?) => {$(
        impl ResponseBody for $response {
            fn from_body(decoder: &Decoder, body: &[u8]) -> Result<Self> {
                if body.is_empty() {
                    return Err(ResponseError::Missing("the response map").into());
                }
                decode_body(decoder, body)
            }
        }
    )*};
}

/// Responses whose map some subcommands leave out (the status byte alone): the default.
macro_rules! map_or_default {
    ($($response:ty),* $(,)?) => {$(
        impl ResponseBody for $response {
            fn from_body(decoder: &Decoder, body: &[u8]) -> Result<Self> {
                if body.is_empty() {
                    return Ok(Self::default());
                }
                decode_body(decoder, body)
            }
        }
    )*};
}

required_map!(MakeCredentialResponse, GetAssertionResponse, Info);
map_or_default!(
    ClientPinResponse,
    CredentialManagementResponse,
    BioEnrollmentResponse,
    LargeBlobsResponse,
);

impl ResponseBody for () {
    /// Commands that answer with the status byte alone. A map the spec does not define is
    /// tolerated, but it must be valid CBOR.
    fn from_body(decoder: &Decoder, body: &[u8]) -> Result<Self> {
        if !body.is_empty() {
            decoder.decode::<Value>(body)?;
        }
        Ok(())
    }
}
