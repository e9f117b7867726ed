//! What a live token lends out of its authenticator: the commands that cannot end it.

use fido_types::cbor::Decoder;
use fido_types::generated::{
    BioEnrollmentRequest, BioEnrollmentResponse, CredentialManagementRequest,
    CredentialManagementResponse, GetAssertionRequest, GetAssertionResponse, Info,
    LargeBlobsRequest, LargeBlobsResponse, MakeCredentialRequest, MakeCredentialResponse,
};

use crate::ctap2::Ctap2;
use crate::device::{CancelToken, CtapDevice};
use crate::error::Result;

/// The authenticator as a live [`PinToken`](super::PinToken) lends it
/// ([`PinToken::ctap`](super::PinToken::ctap)): only commands that leave the token valid.
///
/// authenticatorReset and authenticatorClientPIN (a new token, setPIN, changePIN) end
/// every token, so they are not here, nor are the generic senders
/// ([`Ctap2::call`], [`Ctap2::send_cbor`]) or the raw device through which either could be
/// sent. To reset or to acquire another token, drop the token and use the
/// [`Session`](super::Session): the borrow checker then proves the old token is gone.
///
/// ```compile_fail
/// # use fido_ctap::{perms, pin::Session};
/// # use fido_types::pin_protocol::Pin;
/// # fn f(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
/// let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
/// token.ctap().reset()?; // no method named `reset` on the lent handle
/// token.credentials_metadata()?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct TokenCtap<'a, D: CtapDevice> {
    ctap: &'a mut Ctap2<D>,
}

impl<'a, D: CtapDevice> TokenCtap<'a, D> {
    pub(super) fn new(ctap: &'a mut Ctap2<D>) -> Self {
        TokenCtap { ctap }
    }

    /// The cached getInfo answer.
    pub fn info(&self) -> &Info {
        self.ctap.info()
    }

    /// The decoder answers go through (strict unless the `Ctap2` was made lenient).
    pub fn decoder(&self) -> &Decoder {
        self.ctap.decoder()
    }

    /// authenticatorGetInfo, refreshing the cache.
    ///
    /// # Errors
    /// As [`Ctap2::get_info`].
    pub fn get_info(&mut self) -> Result<Info> {
        self.ctap.get_info()
    }

    /// The cancel token of the following requests.
    pub fn cancel_token(&self) -> CancelToken {
        self.ctap.cancel_token()
    }

    /// authenticatorSelection.
    ///
    /// # Errors
    /// As [`Ctap2::selection`].
    pub fn selection(&mut self) -> Result<()> {
        self.ctap.selection()
    }

    /// authenticatorMakeCredential as given (no token MAC added).
    ///
    /// # Errors
    /// As [`Ctap2::make_credential`].
    pub fn make_credential(
        &mut self,
        request: &MakeCredentialRequest,
    ) -> Result<MakeCredentialResponse> {
        self.ctap.make_credential(request)
    }

    /// authenticatorGetAssertion as given (no token MAC added).
    ///
    /// # Errors
    /// As [`Ctap2::get_assertion`].
    pub fn get_assertion(&mut self, request: &GetAssertionRequest) -> Result<GetAssertionResponse> {
        self.ctap.get_assertion(request)
    }

    /// authenticatorGetNextAssertion (it carries no token and leaves the token valid).
    ///
    /// # Errors
    /// As [`Ctap2::get_next_assertion`].
    pub fn get_next_assertion(&mut self) -> Result<GetAssertionResponse> {
        self.ctap.get_next_assertion()
    }

    /// authenticatorCredentialManagement as given (e.g. the unauthenticated GetNext
    /// subcommands).
    ///
    /// # Errors
    /// As [`Ctap2::credential_mgmt`].
    pub fn credential_mgmt(
        &mut self,
        request: &CredentialManagementRequest,
    ) -> Result<CredentialManagementResponse> {
        self.ctap.credential_mgmt(request)
    }

    /// authenticatorBioEnrollment as given (e.g. getFingerprintSensorInfo, which needs no
    /// token).
    ///
    /// # Errors
    /// As [`Ctap2::bio_enrollment`].
    pub fn bio_enrollment(
        &mut self,
        request: &BioEnrollmentRequest,
    ) -> Result<BioEnrollmentResponse> {
        self.ctap.bio_enrollment(request)
    }

    /// authenticatorLargeBlobs as given (reads need no token).
    ///
    /// # Errors
    /// As [`Ctap2::large_blobs`].
    pub fn large_blobs(&mut self, request: &LargeBlobsRequest) -> Result<LargeBlobsResponse> {
        self.ctap.large_blobs(request)
    }
}
