//! Client data and RP ID for a request: python-fido2's `ClientDataCollector` and
//! `DefaultClientDataCollector`.
//!
//! A collector turns the request options into the [`CollectedClientData`] the
//! authenticator signs over (through its hash) and the RP ID the credential is scoped
//! to. [`DefaultClientDataCollector`] has a fixed origin: it takes the RP ID from the
//! options (or, when absent, the origin's host), checks it against the origin with a
//! verifier ([`verify_rp_id`] by default) and builds `webauthn.create` / `webauthn.get`
//! client data with `crossOrigin: false`.
//!
//! ```
//! use fido_types::webauthn::PublicKeyCredentialRequestOptions;
//! use fido_webauthn::collector::{ClientDataCollector, DefaultClientDataCollector};
//!
//! let collector = DefaultClientDataCollector::from_origin("https://login.example.com");
//! let options = PublicKeyCredentialRequestOptions::new(b"challenge".to_vec()).with_rp_id("example.com");
//! let (client_data, rp_id) = collector.collect_client_data((&options).into())?;
//! assert_eq!(rp_id, "example.com");
//! assert_eq!(client_data.type_(), "webauthn.get");
//! assert_eq!(client_data.origin(), "https://login.example.com");
//! # Ok::<(), fido_webauthn::Error>(())
//! ```

use fido_types::webauthn::{
    ClientDataType, CollectedClientData, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialRequestOptions,
};

use crate::error::Error;
use crate::rp_id::{RpIdError, canonical_rp_id, effective_rp_id, verify_rp_id};

/// The options of a registration or an authentication, as a collector sees them.
#[derive(Debug, Clone, Copy)]
pub enum ClientRequest<'a> {
    /// `navigator.credentials.create()`.
    Create(&'a PublicKeyCredentialCreationOptions),
    /// `navigator.credentials.get()`.
    Get(&'a PublicKeyCredentialRequestOptions),
}

impl<'a> ClientRequest<'a> {
    /// The RP ID the options name, if any (`rp.id` or `rpId`).
    pub fn rp_id(&self) -> Option<&'a str> {
        match self {
            ClientRequest::Create(options) => options.rp.id.as_deref(),
            ClientRequest::Get(options) => options.rp_id.as_deref(),
        }
    }

    /// The challenge.
    pub fn challenge(&self) -> &'a [u8] {
        match self {
            ClientRequest::Create(options) => options.challenge.as_bytes(),
            ClientRequest::Get(options) => options.challenge.as_bytes(),
        }
    }

    /// The client data `type`: `webauthn.create` or `webauthn.get` (python-fido2
    /// `get_request_type`).
    pub fn client_data_type(&self) -> ClientDataType {
        match self {
            ClientRequest::Create(_) => ClientDataType::CREATE,
            ClientRequest::Get(_) => ClientDataType::GET,
        }
    }
}

impl<'a> From<&'a PublicKeyCredentialCreationOptions> for ClientRequest<'a> {
    fn from(options: &'a PublicKeyCredentialCreationOptions) -> Self {
        ClientRequest::Create(options)
    }
}

impl<'a> From<&'a PublicKeyCredentialRequestOptions> for ClientRequest<'a> {
    fn from(options: &'a PublicKeyCredentialRequestOptions) -> Self {
        ClientRequest::Get(options)
    }
}

/// Provides the client data and the RP ID for each request (python-fido2
/// `ClientDataCollector.collect_client_data`).
pub trait ClientDataCollector {
    /// The client data for `request`, and the RP ID to scope the credential to.
    ///
    /// # Errors
    /// Whatever makes the request unacceptable, typically [`Error::RpId`] or
    /// [`Error::BadRequest`] (both BAD_REQUEST).
    fn collect_client_data(
        &self,
        request: ClientRequest<'_>,
    ) -> Result<(CollectedClientData, String), Error>;
}

impl<T: ClientDataCollector + ?Sized> ClientDataCollector for &T {
    fn collect_client_data(
        &self,
        request: ClientRequest<'_>,
    ) -> Result<(CollectedClientData, String), Error> {
        (**self).collect_client_data(request)
    }
}

impl<T: ClientDataCollector + ?Sized> ClientDataCollector for Box<T> {
    fn collect_client_data(
        &self,
        request: ClientRequest<'_>,
    ) -> Result<(CollectedClientData, String), Error> {
        (**self).collect_client_data(request)
    }
}

/// What an RP ID verifier may answer: `bool` (python-fido2's shape) or
/// `Result<(), RpIdError>` (this crate's [`verify_rp_id`]).
pub trait VerifyOutcome {
    /// `Ok` if the RP ID may be used.
    ///
    /// # Errors
    /// [`Error::RpId`] with the reason, or [`Error::BadRequest`] for a plain `false`.
    fn into_result(self, rp_id: &str, origin: &str) -> Result<(), Error>;
}

impl VerifyOutcome for bool {
    fn into_result(self, rp_id: &str, origin: &str) -> Result<(), Error> {
        if self {
            Ok(())
        } else {
            Err(Error::BadRequest(format!(
                "the RP ID {rp_id:?} is not allowed for the origin {origin:?}"
            )))
        }
    }
}

impl VerifyOutcome for Result<(), RpIdError> {
    fn into_result(self, _rp_id: &str, _origin: &str) -> Result<(), Error> {
        self.map_err(Error::RpId)
    }
}

type Verifier = dyn Fn(&str, &str) -> Result<(), Error> + Send + Sync;

/// python-fido2's `DefaultClientDataCollector(origin, verify=verify_rp_id)`: a fixed
/// origin and an RP ID verifier.
///
/// The RP ID is the options' one, or the origin's host when absent (WebAuthn: the
/// origin's effective domain; python-fido2 uses the `netloc`, port included). After the
/// verifier accepts it, an RP ID that is a valid domain is returned in canonical form
/// (ASCII lower case, A-labels), since the authenticator scopes credentials by the
/// exact string; anything else a custom verifier accepts is returned as given.
pub struct DefaultClientDataCollector {
    origin: String,
    verify: Box<Verifier>,
}

impl std::fmt::Debug for DefaultClientDataCollector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DefaultClientDataCollector")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl DefaultClientDataCollector {
    /// A collector for `origin` that checks RP IDs with `verify`, a function of
    /// `(rp_id, origin)` answering `bool` or `Result<(), RpIdError>`; pass
    /// [`verify_rp_id`] for the WebAuthn rules.
    ///
    /// ```
    /// use fido_webauthn::collector::DefaultClientDataCollector;
    /// use fido_webauthn::rp_id::verify_rp_id;
    ///
    /// let strict = DefaultClientDataCollector::new("https://example.com", verify_rp_id);
    /// // An app with its own binding rules, e.g. a native app's origin:
    /// let app = DefaultClientDataCollector::new("android:apk-key-hash:abc", |rp_id: &str, _origin: &str| {
    ///     rp_id == "example.com"
    /// });
    /// # let _ = (strict, app);
    /// ```
    pub fn new<F, R>(origin: impl Into<String>, verify: F) -> Self
    where
        F: Fn(&str, &str) -> R + Send + Sync + 'static,
        R: VerifyOutcome,
    {
        DefaultClientDataCollector {
            origin: origin.into(),
            verify: Box::new(move |rp_id, origin| verify(rp_id, origin).into_result(rp_id, origin)),
        }
    }

    /// A collector for `origin` with the WebAuthn rules ([`verify_rp_id`]).
    pub fn from_origin(origin: impl Into<String>) -> Self {
        Self::new(origin, verify_rp_id)
    }

    /// The origin every request comes from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The RP ID named by `request`, or the origin's host (python-fido2 `get_rp_id`).
    ///
    /// # Errors
    /// [`Error::BadRequest`] when the options name none and the origin has no secure
    /// host to default to (python-fido2 "RP ID required for non-https origin").
    pub fn get_rp_id(&self, request: ClientRequest<'_>) -> Result<String, Error> {
        match request.rp_id() {
            Some(rp_id) => Ok(rp_id.to_owned()),
            None => effective_rp_id(None, &self.origin).map_err(|e| {
                Error::BadRequest(format!("an RP ID is required for this origin ({e})"))
            }),
        }
    }

    /// Checks `rp_id` against the origin with the verifier (python-fido2 `verify_rp_id`).
    ///
    /// # Errors
    /// What the verifier says, as a BAD_REQUEST error.
    pub fn verify_rp_id(&self, rp_id: &str) -> Result<(), Error> {
        (self.verify)(rp_id, &self.origin)
    }
}

impl ClientDataCollector for DefaultClientDataCollector {
    fn collect_client_data(
        &self,
        request: ClientRequest<'_>,
    ) -> Result<(CollectedClientData, String), Error> {
        let rp_id = self.get_rp_id(request)?;
        self.verify_rp_id(&rp_id)?;
        let rp_id = canonical_rp_id(&rp_id).unwrap_or(rp_id);
        let client_data = CollectedClientData::create(
            request.client_data_type().as_str(),
            request.challenge(),
            &self.origin,
            false,
            Default::default(),
        );
        Ok((client_data, rp_id))
    }
}

#[cfg(test)]
mod tests;
