//! The CTAP2 authenticator of a client, bound once to the PIN/UV auth protocol it prefers,
//! and the [`Channel`]s a ceremony is sent through: bare (optionally with the CTAP 2.0 `uv`
//! option) or authenticated by a pinUvAuthToken from that session.
//!
//! The binding is made when the client is built and never undone: a [`Session`] owns the
//! authenticator for the client's whole life, so no attempt moves the device and no
//! failure can lose it. (The protocols an authenticator offers do not change with its
//! configuration, so a getInfo refreshed later never asks for another binding.)

use core::fmt;

use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::CtapDevice;
use fido_ctap::pin::{DynPermissions, DynPinToken, Session};
use fido_types::cbor::{Decoder, StrMap};
use fido_types::ctap2::{
    GetAssertionRequest, GetAssertionResponse, MakeCredentialRequest, MakeCredentialResponse,
};
use fido_types::generated::InfoOption;
use fido_types::pin_protocol::{PinProtocol, ProtocolOne, ProtocolTwo, SupportedProtocol};

use super::ceremony::{Ceremony, Channel};
use crate::error::Error;
use crate::extensions::{ExtensionError, ExtensionSecret, LargeBlobAccess};
use crate::uv::Verification;

/// A result of the CTAP layer.
type CtapResult<T> = fido_ctap::error::Result<T>;

/// A CTAP2 authenticator, in a PIN/UV session on its preferred protocol when it offers one
/// this library speaks (two, else one).
pub(crate) enum Authenticator<D: CtapDevice> {
    /// No PIN/UV auth protocol: requests go without a token.
    Bare(Ctap2<D>),
    /// PIN/UV auth protocol one.
    One(Session<D, ProtocolOne>),
    /// PIN/UV auth protocol two.
    Two(Session<D, ProtocolTwo>),
}

impl<D: CtapDevice> fmt::Debug for Authenticator<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Authenticator::Bare(ctap) => f.debug_tuple("Bare").field(ctap).finish(),
            Authenticator::One(session) => f.debug_tuple("One").field(session).finish(),
            Authenticator::Two(session) => f.debug_tuple("Two").field(session).finish(),
        }
    }
}

impl<D: CtapDevice> Authenticator<D> {
    /// Binds `ctap` to the protocol its getInfo prefers; a refused binding keeps it bare.
    pub fn new(ctap: Ctap2<D>) -> Self {
        match ctap.preferred_protocol() {
            Some(SupportedProtocol::Two) => {
                Session::new(ctap).map_or_else(|refused| Self::Bare(*refused.ctap), Self::Two)
            }
            Some(SupportedProtocol::One) => {
                Session::new(ctap).map_or_else(|refused| Self::Bare(*refused.ctap), Self::One)
            }
            None => Self::Bare(ctap),
        }
    }

    /// The authenticator.
    pub fn ctap(&self) -> &Ctap2<D> {
        match self {
            Authenticator::Bare(ctap) => ctap,
            Authenticator::One(session) => session.ctap(),
            Authenticator::Two(session) => session.ctap(),
        }
    }

    /// The authenticator, for commands that need no token.
    pub fn ctap_mut(&mut self) -> &mut Ctap2<D> {
        match self {
            Authenticator::Bare(ctap) => ctap,
            Authenticator::One(session) => session.ctap_mut(),
            Authenticator::Two(session) => session.ctap_mut(),
        }
    }

    /// Sends `ceremony` verified as `verification` says: without a token (with the `uv`
    /// option for [`Verification::UvOption`]), or with a token from the PIN or built-in UV.
    ///
    /// # Errors
    /// [`Error::UvNotConfigured`] for a token from an authenticator without a PIN/UV auth
    /// protocol; the ceremony's errors.
    pub fn send<C: Ceremony>(
        &mut self,
        ceremony: &C,
        verification: Verification,
    ) -> Result<C::Response, Error> {
        let secret = match ceremony.needs_shared_secret() {
            true => Some(self.extension_secret()?),
            false => None,
        };
        let secret = secret.as_ref();
        match (verification, self) {
            (Verification::None, this) => bare(this.ctap_mut(), ceremony, false, secret),
            (Verification::UvOption, this) => bare(this.ctap_mut(), ceremony, true, secret),
            (_, Authenticator::Bare(_)) => Err(Error::UvNotConfigured),
            (token, Authenticator::One(session)) => authenticated(session, ceremony, token, secret),
            (token, Authenticator::Two(session)) => authenticated(session, ceremony, token, secret),
        }
    }

    /// A key agreement for the extensions (hmac-secret), on the session's protocol.
    ///
    /// # Errors
    /// [`ExtensionError::NoSharedSecret`] without a PIN/UV auth protocol; the
    /// authenticator's.
    fn extension_secret(&mut self) -> Result<ExtensionSecret, Error> {
        match self {
            Authenticator::Bare(_) => Err(ExtensionError::NoSharedSecret {
                extension: "hmac-secret".into(),
            }
            .into()),
            Authenticator::One(session) => secret_of(session),
            Authenticator::Two(session) => secret_of(session),
        }
    }
}

/// getKeyAgreement on `session`, as an [`ExtensionSecret`].
fn secret_of<D: CtapDevice, P: PinProtocol>(
    session: &mut Session<D, P>,
) -> Result<ExtensionSecret, Error> {
    let (platform_key, shared) = session.key_agreement()?;
    Ok(ExtensionSecret::new(&platform_key, &shared)?)
}

/// Requests without a token; the ceremony's own request (not a probe) carries
/// `uv: true` when `uv_option` is set (CTAP 2.0 built-in UV).
struct Bare<'a, D: CtapDevice> {
    ctap: &'a mut Ctap2<D>,
    uv_option: bool,
}

impl<D: CtapDevice> Bare<'_, D> {
    fn mark(&self, options: &mut Option<StrMap<bool>>) {
        if self.uv_option {
            options
                .get_or_insert_with(StrMap::new)
                .insert(InfoOption::UV.as_str().to_owned(), true);
        }
    }
}

impl<D: CtapDevice> Channel for Bare<'_, D> {
    fn probe(&mut self, request: GetAssertionRequest) -> CtapResult<GetAssertionResponse> {
        self.ctap.get_assertion(&request)
    }

    fn make_credential(
        &mut self,
        mut request: MakeCredentialRequest,
    ) -> CtapResult<MakeCredentialResponse> {
        self.mark(&mut request.options);
        self.ctap.make_credential(&request)
    }

    fn get_assertion(
        &mut self,
        mut request: GetAssertionRequest,
    ) -> CtapResult<GetAssertionResponse> {
        self.mark(&mut request.options);
        self.ctap.get_assertion(&request)
    }

    fn get_next_assertion(&mut self) -> CtapResult<GetAssertionResponse> {
        self.ctap.get_next_assertion()
    }

    fn blobs(&mut self) -> &mut dyn LargeBlobAccess {
        self.ctap
    }

    fn decoder(&mut self) -> Decoder {
        *self.ctap.decoder()
    }
}

/// Requests authenticated by a pinUvAuthToken.
struct Token<'s, P: PinProtocol, D: CtapDevice>(DynPinToken<'s, P, D>);

impl<P: PinProtocol, D: CtapDevice> Channel for Token<'_, P, D> {
    fn probe(&mut self, request: GetAssertionRequest) -> CtapResult<GetAssertionResponse> {
        self.0.get_assertion(request)
    }

    fn make_credential(
        &mut self,
        request: MakeCredentialRequest,
    ) -> CtapResult<MakeCredentialResponse> {
        self.0.make_credential(request)
    }

    fn get_assertion(&mut self, request: GetAssertionRequest) -> CtapResult<GetAssertionResponse> {
        self.0.get_assertion(request)
    }

    fn get_next_assertion(&mut self) -> CtapResult<GetAssertionResponse> {
        self.0.ctap().get_next_assertion()
    }

    fn blobs(&mut self) -> &mut dyn LargeBlobAccess {
        &mut self.0
    }

    fn decoder(&mut self) -> Decoder {
        *self.0.ctap().decoder()
    }
}

/// Sends `ceremony` without a token.
fn bare<D: CtapDevice, C: Ceremony>(
    ctap: &mut Ctap2<D>,
    ceremony: &C,
    uv_option: bool,
    secret: Option<&ExtensionSecret>,
) -> Result<C::Response, Error> {
    let mut channel = Bare { ctap, uv_option };
    let sent = ceremony.send(&mut channel, secret)?;
    ceremony.complete(sent, &mut channel, secret)
}

/// Acquires a token (with the PIN, or built-in UV) with the ceremony's permissions and
/// sends `ceremony` with it; the answer is completed while the token lives (large-blob
/// writes need it).
fn authenticated<D: CtapDevice, P: PinProtocol, C: Ceremony>(
    session: &mut Session<D, P>,
    ceremony: &C,
    verification: Verification,
    secret: Option<&ExtensionSecret>,
) -> Result<C::Response, Error> {
    let plan = ceremony.plan();
    let permissions = DynPermissions::from_bits(plan.permissions.bits());
    let token = match verification {
        Verification::Pin { pin, .. } => {
            session.pin_token_dyn(&pin, permissions, Some(&plan.rp_id))?
        }
        _ => session.uv_token_dyn(permissions, Some(&plan.rp_id))?,
    };
    let mut channel = Token(token);
    let sent = ceremony.send(&mut channel, secret)?;
    ceremony.complete(sent, &mut channel, secret)
}
