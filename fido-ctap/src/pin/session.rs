//! The session: ClientPin operations bound to one PIN/UV auth protocol.

use core::fmt;
use core::marker::PhantomData;

use fido_types::pin_protocol::{
    KeyAgreementPublicKey, Pin, PinError, PinProtocol, ProtocolOne, ProtocolTwo, SharedSecret,
    SupportedProtocol,
};

use super::permission::{DynPermissions, PermissionSet, WithoutRpId};
use super::token::{DynPinToken, PinToken};
use fido_types::generated::{ClientPinRequest, ClientPinSubCommand, InfoOption, Permissions};

use super::wire;
use crate::ctap2::{Ctap2, pin_protocols};
use crate::device::CtapDevice;
use crate::error::{Error, PermissionError, PinUvError, ResponseError, Result};

/// What getPINRetries reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinRetries {
    /// PIN attempts left before the PIN is blocked.
    pub retries: u32,
    /// `powerCycleState`: `Some(true)` when the authenticator must be power-cycled before
    /// the next PIN attempt (CTAP 2.1; absent on CTAP 2.0 authenticators).
    pub power_cycle_needed: Option<bool>,
}

/// What getUVRetries reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UvRetries {
    /// Built-in UV attempts left.
    pub retries: u32,
}

/// A CTAP2 authenticator bound to PIN/UV auth protocol `P`: python-fido2's `ClientPin`,
/// plus the typestate that hands out permission-typed tokens.
///
/// Acquiring a token and resetting take `&mut self`, and a token borrows the session, so
/// at most one token is alive and none survives a reset:
///
/// ```compile_fail
/// # use fido_ctap::{perms, pin::Session};
/// # use fido_types::pin_protocol::Pin;
/// # fn f(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
/// let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
/// session.reset()?; // cannot borrow `*session` as mutable more than once at a time
/// token.credentials_metadata()?;
/// # Ok(()) }
/// ```
pub struct Session<D: CtapDevice = Box<dyn CtapDevice>, P: PinProtocol = ProtocolTwo> {
    ctap: Ctap2<D>,
    _protocol: PhantomData<P>,
}

impl<D: CtapDevice, P: PinProtocol> fmt::Debug for Session<D, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("protocol", &P::VERSION)
            .field("ctap", &self.ctap)
            .finish()
    }
}

/// [`Session::new`] refused the authenticator: why, and the authenticator handed back.
pub struct NewSessionError<D: CtapDevice = Box<dyn CtapDevice>> {
    /// Why no session was made.
    pub error: Error,
    /// The authenticator, unchanged (boxed: it is large, and refusals are rare).
    pub ctap: Box<Ctap2<D>>,
}

impl<D: CtapDevice> fmt::Debug for NewSessionError<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSessionError")
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<D: CtapDevice> fmt::Display for NewSessionError<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<D: CtapDevice> std::error::Error for NewSessionError<D> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

impl<D: CtapDevice> From<NewSessionError<D>> for Error {
    fn from(refused: NewSessionError<D>) -> Self {
        refused.error
    }
}

impl<D: CtapDevice, P: PinProtocol> Session<D, P> {
    /// Binds `ctap` to protocol `P`.
    ///
    /// # Errors
    /// [`PinUvError::NoSupportedProtocol`] if the authenticator does not list `P`; the
    /// error hands `ctap` back ([`NewSessionError::ctap`]), so a refusal never loses the
    /// device.
    pub fn new(ctap: Ctap2<D>) -> core::result::Result<Self, NewSessionError<D>> {
        let offered = pin_protocols(ctap.info());
        if !offered.contains(&P::VERSION) {
            return Err(NewSessionError {
                error: PinUvError::NoSupportedProtocol { offered }.into(),
                ctap: Box::new(ctap),
            });
        }
        Ok(Session {
            ctap,
            _protocol: PhantomData,
        })
    }

    /// Whether the authenticator supports a client PIN (the `clientPin` option is present,
    /// python-fido2 `ClientPin.is_supported`).
    pub fn is_supported(ctap: &Ctap2<D>) -> bool {
        ctap.info().has_option(InfoOption::CLIENT_PIN)
    }

    /// Whether the authenticator issues pinUvAuthTokens with permissions (the
    /// `pinUvAuthToken` option, python-fido2 `ClientPin.is_token_supported`); otherwise
    /// tokens come from the CTAP 2.0 getPinToken subcommand and carry no permissions.
    pub fn is_token_supported(ctap: &Ctap2<D>) -> bool {
        ctap.info().supports_pin_uv_auth_token()
    }

    /// The CTAP2 authenticator.
    pub fn ctap(&self) -> &Ctap2<D> {
        &self.ctap
    }

    /// The CTAP2 authenticator, for commands that need no token.
    pub fn ctap_mut(&mut self) -> &mut Ctap2<D> {
        &mut self.ctap
    }

    /// Ends the session and returns the authenticator.
    pub fn into_ctap(self) -> Ctap2<D> {
        self.ctap
    }

    fn request(&self, sub_command: ClientPinSubCommand) -> ClientPinRequest {
        ClientPinRequest {
            pin_uv_auth_protocol: Some(P::VERSION),
            sub_command,
            ..ClientPinRequest::default()
        }
    }

    /// getKeyAgreement, then the platform half of ECDH: returns the platform key (to send)
    /// and the shared secret.
    fn shared_secret(&mut self) -> Result<(KeyAgreementPublicKey, SharedSecret<P>)> {
        let request = self.request(ClientPinSubCommand::GET_KEY_AGREEMENT);
        let response = self.ctap.client_pin(&request)?;
        let peer = response
            .key_agreement
            .as_ref()
            .ok_or(ResponseError::Missing("keyAgreement"))?;
        let peer = wire::parse_cose_key(peer)?;
        Ok(P::encapsulate(&peer.x, &peer.y)?)
    }

    /// getKeyAgreement and the platform half of ECDH, for an extension that encrypts its
    /// inputs under a shared secret (hmac-secret, hmac-secret-mc; CTAP 2.1 §12.5): the
    /// platform key to send as the extension's `keyAgreement`, and the shared secret.
    ///
    /// # Errors
    /// A transport or CTAP error; [`ResponseError::Missing`] without `keyAgreement`; an
    /// invalid authenticator key.
    pub fn key_agreement(&mut self) -> Result<(KeyAgreementPublicKey, SharedSecret<P>)> {
        self.shared_secret()
    }

    /// getPINRetries.
    ///
    /// # Errors
    /// A transport or CTAP error; [`ResponseError::Missing`] without `pinRetries`.
    pub fn get_pin_retries(&mut self) -> Result<PinRetries> {
        let response = self
            .ctap
            .client_pin(&self.request(ClientPinSubCommand::GET_PIN_RETRIES))?;
        Ok(PinRetries {
            retries: response
                .pin_retries
                .ok_or(ResponseError::Missing("pinRetries"))?,
            power_cycle_needed: response.power_cycle_state,
        })
    }

    /// getUVRetries.
    ///
    /// # Errors
    /// A transport or CTAP error; [`ResponseError::Missing`] without `uvRetries`.
    pub fn get_uv_retries(&mut self) -> Result<UvRetries> {
        let response = self
            .ctap
            .client_pin(&self.request(ClientPinSubCommand::GET_UV_RETRIES))?;
        Ok(UvRetries {
            retries: response
                .uv_retries
                .ok_or(ResponseError::Missing("uvRetries"))?,
        })
    }

    fn check_new_pin(&self, pin: &Pin) -> Result<()> {
        let min = usize::try_from(self.ctap.info().min_pin_length()).unwrap_or(usize::MAX);
        if pin.code_points() < min {
            return Err(PinError::TooShort {
                code_points: pin.code_points(),
                min,
            }
            .into());
        }
        Ok(())
    }

    /// setPIN: sets the first PIN.
    ///
    /// # Errors
    /// [`Error::PinRule`] before sending if the PIN is shorter than the authenticator's
    /// `minPINLength`; [`PinUvError::PolicyViolation`]; `NOT_ALLOWED` as
    /// [`PermissionError::NotAllowed`] when a PIN is already set.
    pub fn set_pin(&mut self, pin: &Pin) -> Result<()> {
        self.check_new_pin(pin)?;
        let (platform_key, shared) = self.shared_secret()?;
        let new_pin_enc = P::encrypt(&shared, pin.padded().as_slice())?;
        let param = P::authenticate(&shared, &new_pin_enc);
        let request = ClientPinRequest {
            key_agreement: Some(wire::cose_key(&platform_key)),
            new_pin_enc: Some(new_pin_enc),
            pin_uv_auth_param: Some(param),
            ..self.request(ClientPinSubCommand::SET_PIN)
        };
        self.ctap.client_pin(&request).map(drop)
    }

    /// changePIN.
    ///
    /// # Errors
    /// As [`set_pin`](Self::set_pin), and [`PinUvError::PinInvalid`] (with the retries
    /// left) for a wrong `old` PIN.
    pub fn change_pin(&mut self, old: &Pin, new: &Pin) -> Result<()> {
        self.check_new_pin(new)?;
        let (platform_key, shared) = self.shared_secret()?;
        let pin_hash_enc = P::encrypt(&shared, old.pin_hash().as_slice())?;
        let new_pin_enc = P::encrypt(&shared, new.padded().as_slice())?;
        let mut message = new_pin_enc.clone();
        message.extend_from_slice(&pin_hash_enc);
        let param = P::authenticate(&shared, &message);
        let request = ClientPinRequest {
            key_agreement: Some(wire::cose_key(&platform_key)),
            new_pin_enc: Some(new_pin_enc),
            pin_hash_enc: Some(pin_hash_enc),
            pin_uv_auth_param: Some(param),
            ..self.request(ClientPinSubCommand::CHANGE_PIN)
        };
        let result = self.ctap.client_pin(&request).map(drop);
        self.with_retries(result)
    }

    /// Fills in the retries left after a wrong PIN or failed UV.
    fn with_retries<T>(&mut self, result: Result<T>) -> Result<T> {
        match result {
            Err(Error::PinUv(PinUvError::PinInvalid { retries: None })) => {
                let retries = self.get_pin_retries().ok().map(|r| r.retries);
                Err(PinUvError::PinInvalid { retries }.into())
            }
            Err(Error::PinUv(PinUvError::UvInvalid { retries: None })) => {
                let retries = self.get_uv_retries().ok().map(|r| r.retries);
                Err(PinUvError::UvInvalid { retries }.into())
            }
            other => other,
        }
    }

    /// A token from the PIN (getPinUvAuthTokenUsingPinWithPermissions, or getPinToken on
    /// an authenticator without `pinUvAuthToken`).
    fn with_pin<S>(
        &mut self,
        pin: &Pin,
        permissions: DynPermissions,
        rp_id: Option<&str>,
    ) -> Result<PinToken<'_, S, P, D>> {
        if !Self::is_supported(&self.ctap) {
            return Err(PinUvError::PinUnsupported.into());
        }
        check_rp_id(permissions, rp_id)?;
        let (platform_key, shared) = self.shared_secret()?;
        let pin_hash_enc = P::encrypt(&shared, pin.pin_hash().as_slice())?;
        let mut request = ClientPinRequest {
            key_agreement: Some(wire::cose_key(&platform_key)),
            pin_hash_enc: Some(pin_hash_enc),
            ..self.request(ClientPinSubCommand::GET_PIN_TOKEN)
        };
        if Self::is_token_supported(&self.ctap) {
            request.sub_command =
                ClientPinSubCommand::GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS;
            request.permissions = Some(Permissions(permissions.bits()));
            request.rp_id = rp_id.map(str::to_owned);
        }
        self.token(&request, &shared, permissions, rp_id)
    }

    /// A token from built-in user verification (getPinUvAuthTokenUsingUvWithPermissions).
    fn with_uv<S>(
        &mut self,
        permissions: DynPermissions,
        rp_id: Option<&str>,
    ) -> Result<PinToken<'_, S, P, D>> {
        if !Self::is_token_supported(&self.ctap)
            || !self.ctap.info().supports_option(InfoOption::UV)
        {
            return Err(PinUvError::UvTokenUnsupported.into());
        }
        check_rp_id(permissions, rp_id)?;
        let (platform_key, shared) = self.shared_secret()?;
        let request = ClientPinRequest {
            key_agreement: Some(wire::cose_key(&platform_key)),
            permissions: Some(Permissions(permissions.bits())),
            rp_id: rp_id.map(str::to_owned),
            ..self.request(ClientPinSubCommand::GET_PIN_UV_AUTH_TOKEN_USING_UV_WITH_PERMISSIONS)
        };
        self.token(&request, &shared, permissions, rp_id)
    }

    /// Sends a token request (filling in the retries left after a wrong PIN or failed
    /// UV) and decrypts the token it answers with.
    fn token<S>(
        &mut self,
        request: &ClientPinRequest,
        shared: &SharedSecret<P>,
        permissions: DynPermissions,
        rp_id: Option<&str>,
    ) -> Result<PinToken<'_, S, P, D>> {
        let response = self.ctap.client_pin(request);
        let response = self.with_retries(response)?;
        let encrypted = response
            .pin_uv_auth_token
            .ok_or(ResponseError::Missing("pinUvAuthToken"))?;
        let token = P::decrypt_token(shared, &encrypted)?;
        Ok(PinToken::new(&mut self.ctap, token, rp_id, permissions))
    }

    /// Acquires a token with the permissions `S`, using the PIN
    /// (getPinUvAuthTokenUsingPinWithPermissions, or getPinToken on an authenticator
    /// without `pinUvAuthToken`).
    ///
    /// For sets with `MakeCredential` or `GetAssertion` use
    /// [`pin_token_for_rp`](Self::pin_token_for_rp): here such a set is a compile error.
    ///
    /// # Errors
    /// [`PinUvError::PinInvalid`] with the retries left, [`PinUvError::PinAuthBlocked`],
    /// [`PinUvError::PinBlocked`], [`PinUvError::PinNotSet`], a transport error.
    pub fn pin_token<S: WithoutRpId>(&mut self, pin: &Pin) -> Result<PinToken<'_, S, P, D>> {
        self.with_pin(pin, DynPermissions::of::<S>(), None)
    }

    /// Acquires a token with the permissions `S` bound to permissions RP ID `rp_id`.
    ///
    /// # Errors
    /// As [`pin_token`](Self::pin_token).
    pub fn pin_token_for_rp<S: PermissionSet>(
        &mut self,
        pin: &Pin,
        rp_id: &str,
    ) -> Result<PinToken<'_, S, P, D>> {
        self.with_pin(pin, DynPermissions::of::<S>(), Some(rp_id))
    }

    /// Acquires a token with the permissions `S` through built-in user verification
    /// (getPinUvAuthTokenUsingUvWithPermissions). Sets with `MakeCredential` or
    /// `GetAssertion` use [`uv_token_for_rp`](Self::uv_token_for_rp).
    ///
    /// # Errors
    /// [`PinUvError::UvTokenUnsupported`] before sending if the authenticator has no
    /// built-in UV with tokens; [`PinUvError::UvInvalid`] with the retries left;
    /// [`PinUvError::UvBlocked`] (fall back to the PIN).
    pub fn uv_token<S: WithoutRpId>(&mut self) -> Result<PinToken<'_, S, P, D>> {
        self.with_uv(DynPermissions::of::<S>(), None)
    }

    /// Acquires a token with the permissions `S` through built-in user verification, bound
    /// to permissions RP ID `rp_id`.
    ///
    /// # Errors
    /// As [`uv_token`](Self::uv_token).
    pub fn uv_token_for_rp<S: PermissionSet>(
        &mut self,
        rp_id: &str,
    ) -> Result<PinToken<'_, S, P, D>> {
        self.with_uv(DynPermissions::of::<S>(), Some(rp_id))
    }

    /// Acquires a token whose permissions are known only at run time, using the PIN. Its
    /// operations check the permission and return [`PermissionError::Missing`] instead of
    /// sending a doomed request.
    ///
    /// # Errors
    /// As [`pin_token`](Self::pin_token), and [`PermissionError::RpIdRequired`] before
    /// sending if `permissions` holds `mc` or `ga` and `rp_id` is `None`.
    pub fn pin_token_dyn(
        &mut self,
        pin: &Pin,
        permissions: DynPermissions,
        rp_id: Option<&str>,
    ) -> Result<DynPinToken<'_, P, D>> {
        self.with_pin(pin, permissions, rp_id)
    }

    /// Acquires a token whose permissions are known only at run time through built-in
    /// user verification (see [`pin_token_dyn`](Self::pin_token_dyn)).
    ///
    /// # Errors
    /// As [`uv_token`](Self::uv_token), and [`PermissionError::RpIdRequired`] before
    /// sending if `permissions` holds `mc` or `ga` and `rp_id` is `None`.
    pub fn uv_token_dyn(
        &mut self,
        permissions: DynPermissions,
        rp_id: Option<&str>,
    ) -> Result<DynPinToken<'_, P, D>> {
        self.with_uv(permissions, rp_id)
    }

    /// authenticatorReset. Takes `&mut self`, so no token outlives it.
    ///
    /// # Errors
    /// As [`Ctap2::reset`].
    pub fn reset(&mut self) -> Result<()> {
        self.ctap.reset()
    }
}

/// A token with `mc` or `ga` must be bound to a permissions RP ID; refused before sending.
fn check_rp_id(permissions: DynPermissions, rp_id: Option<&str>) -> Result<()> {
    if permissions.needs_rp_id() && rp_id.is_none() {
        return Err(PermissionError::RpIdRequired.into());
    }
    Ok(())
}

/// A session on the protocol the authenticator prefers among those this library speaks
/// (two, else one), for callers that do not fix the protocol at compile time
/// (python-fido2's `ClientPin(ctap)` without a protocol).
///
/// ```no_run
/// use fido_ctap::ctap2::Ctap2;
/// use fido_ctap::perms;
/// use fido_ctap::pin::AnySession;
/// use fido_types::pin_protocol::Pin;
/// # fn device() -> Box<dyn fido_ctap::device::CtapDevice> {
/// #     let uri = fido_ctap::device::DeviceUri::FirstHid;
/// #     fido_ctap::device::DeviceOpener::new().open(&uri).expect("a FIDO key")
/// # }
///
/// let pin = Pin::new("123456")?;
/// let existing = match AnySession::new(Ctap2::new(device())?)? {
///     AnySession::One(mut s) => s.pin_token::<perms![CredentialManagement]>(&pin)?.credentials_metadata()?.existing,
///     AnySession::Two(mut s) => s.pin_token::<perms![CredentialManagement]>(&pin)?.credentials_metadata()?.existing,
/// };
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub enum AnySession<D: CtapDevice = Box<dyn CtapDevice>> {
    /// PIN/UV auth protocol one.
    One(Session<D, ProtocolOne>),
    /// PIN/UV auth protocol two.
    Two(Session<D, ProtocolTwo>),
}

impl<D: CtapDevice> AnySession<D> {
    /// Binds `ctap` to its preferred protocol.
    ///
    /// # Errors
    /// [`PinUvError::NoSupportedProtocol`] if it offers neither.
    pub fn new(ctap: Ctap2<D>) -> Result<Self> {
        match ctap.preferred_protocol() {
            Some(SupportedProtocol::Two) => Ok(AnySession::Two(Session::new(ctap)?)),
            Some(SupportedProtocol::One) => Ok(AnySession::One(Session::new(ctap)?)),
            None => Err(PinUvError::NoSupportedProtocol {
                offered: pin_protocols(ctap.info()),
            }
            .into()),
        }
    }

    /// The protocol chosen.
    pub fn protocol(&self) -> SupportedProtocol {
        match self {
            AnySession::One(_) => SupportedProtocol::One,
            AnySession::Two(_) => SupportedProtocol::Two,
        }
    }

    /// Ends the session and returns the authenticator.
    pub fn into_ctap(self) -> Ctap2<D> {
        match self {
            AnySession::One(s) => s.into_ctap(),
            AnySession::Two(s) => s.into_ctap(),
        }
    }
}
