//! Tokens: a pinUvAuthToken bound to its session, protocol and permission set.
//!
//! There is one token type, [`PinToken<'s, S, P, D>`](PinToken), and each operation is
//! written once, bounded by [`S: Permits<R>`](Permits) for what it needs. `S` is a typed
//! set (`perms![...]`, checked at compile time) or [`DynPermissions`] ([`DynPinToken`],
//! checked at run time before anything is sent).

use core::fmt;
use core::marker::PhantomData;

use fido_types::cbor;
use fido_types::generated::{
    BioEnrollmentParams, BioEnrollmentRequest, BioEnrollmentResponse, BioEnrollmentSubCommand,
    BioModality, CommandCode, ConfigParams, ConfigRequest, ConfigSubCommand,
    CredentialManagementParams, CredentialManagementRequest, CredentialManagementResponse,
    CredentialManagementSubCommand, GetAssertionRequest, GetAssertionResponse, LargeBlobsRequest,
    MakeCredentialRequest, MakeCredentialResponse, PublicKeyCredentialDescriptor,
};
use fido_types::pin_protocol::{PinProtocol, PinUvAuthProtocol, PinUvAuthToken, ProtocolTwo};
use fido_types::status::CtapStatus;
use ring::digest;

use super::handle::TokenCtap;
use super::permission::{
    AuthenticatorConfig, BioEnrollment, CredentialManagement, CredentialRead, DynPermissions,
    GetAssertion, LargeBlobWrite, MakeCredential, Permits, ReadsCredentials,
};
use crate::ctap2::Ctap2;
use crate::device::CtapDevice;
use crate::error::{Error, PermissionError, ResponseError, Result};

/// The most RPs or credentials an enumeration collects; the totals come from the
/// authenticator and are not trusted to bound the loop.
pub const MAX_ENUMERATED: u32 = 1024;

/// A `pinUvAuthParam` computed with a token of protocol `P`, with the protocol number
/// that must travel next to it. A MAC, not a secret.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthParam<P: PinProtocol> {
    param: Vec<u8>,
    _protocol: PhantomData<P>,
}

impl<P: PinProtocol> AuthParam<P> {
    fn new(param: Vec<u8>) -> Self {
        AuthParam {
            param,
            _protocol: PhantomData,
        }
    }

    /// The `pinUvAuthParam` bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.param
    }

    /// The `pinUvAuthProtocol` to send with it.
    pub fn protocol(&self) -> PinUvAuthProtocol {
        P::VERSION
    }
}

impl<P: PinProtocol> fmt::Debug for AuthParam<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthParam")
            .field("protocol", &P::VERSION)
            .field("param", &hex::encode(&self.param))
            .finish()
    }
}

/// What getCredsMetadata (credential management subcommand 0x01) reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialsMetadata {
    /// `existingResidentCredentialsCount` (0x01).
    pub existing: u32,
    /// `maxPossibleRemainingResidentCredentialsCount` (0x02).
    pub max_remaining: u32,
}

/// What a token holds whatever its permissions: the borrowed authenticator, the key, the
/// permissions RP ID and the bits it was requested with.
pub(super) struct TokenCore<'s, P: PinProtocol, D: CtapDevice> {
    ctap: &'s mut Ctap2<D>,
    token: PinUvAuthToken<P>,
    rp_id: Option<String>,
    permissions: DynPermissions,
}

/// A pinUvAuthToken with permissions `S`, for protocol `P`, borrowing its session's
/// authenticator for `'s`.
///
/// `S` is a typed set named with [`perms!`](crate::perms): each operation then exists only
/// where `S` grants its permission, and a missing one is a compile error naming it. Or `S`
/// is [`DynPermissions`] ([`DynPinToken`]) for sets known only at run time: every
/// operation exists and first checks the permission, failing with
/// [`PermissionError::Missing`] without sending anything. Either way the bits the token
/// was requested with are [`permissions`](Self::permissions).
///
/// The token is not `Clone`, its key is zeroized on drop, and `Debug` shows its
/// permissions and RP ID, never the key.
pub struct PinToken<'s, S, P: PinProtocol = ProtocolTwo, D: CtapDevice = Box<dyn CtapDevice>> {
    core: TokenCore<'s, P, D>,
    _permissions: PhantomData<fn() -> S>,
}

/// A token whose permissions are known only at run time: every operation first checks
/// the permission and fails with [`PermissionError::Missing`] without sending anything.
pub type DynPinToken<'s, P = ProtocolTwo, D = Box<dyn CtapDevice>> =
    PinToken<'s, DynPermissions, P, D>;

impl<S, P: PinProtocol, D: CtapDevice> fmt::Debug for PinToken<'_, S, P, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinToken")
            .field("permissions", &self.core.permissions)
            .field("protocol", &P::VERSION)
            .field("rp_id", &self.core.rp_id)
            .finish_non_exhaustive()
    }
}

impl<'s, S, P: PinProtocol, D: CtapDevice> PinToken<'s, S, P, D> {
    pub(super) fn new(
        ctap: &'s mut Ctap2<D>,
        token: PinUvAuthToken<P>,
        rp_id: Option<&str>,
        permissions: DynPermissions,
    ) -> Self {
        let rp_id = rp_id.map(str::to_owned);
        let core = TokenCore {
            ctap,
            token,
            rp_id,
            permissions,
        };
        PinToken {
            core,
            _permissions: PhantomData,
        }
    }

    /// The permissions the token was requested with.
    pub fn permissions(&self) -> DynPermissions {
        self.core.permissions
    }

    /// The permissions RP ID the token is bound to.
    pub fn rp_id(&self) -> Option<&str> {
        self.core.rp_id.as_deref()
    }

    /// The authenticator, for commands that need no token and cannot end this one: a
    /// [`TokenCtap`] without reset or ClientPIN (drop the token and use the session for
    /// those).
    pub fn ctap(&mut self) -> TokenCtap<'_, D> {
        TokenCtap::new(self.core.ctap)
    }

    /// The token's key, taken out of the token (for the persistent token, which outlives
    /// its session).
    pub(super) fn into_key(self) -> PinUvAuthToken<P> {
        self.core.token
    }

    /// Gives up the typed permissions: a token whose operations are checked at run time.
    pub fn into_dyn(self) -> DynPinToken<'s, P, D> {
        PinToken {
            core: self.core,
            _permissions: PhantomData,
        }
    }

    /// Checks that the token may be used for an operation that needs `R`: always `Ok` for
    /// a typed set (the bound is the check), a test of the bits for [`DynPermissions`].
    ///
    /// # Errors
    /// [`PermissionError::Missing`] naming the missing permission.
    pub fn require<R>(&self) -> Result<()>
    where
        S: Permits<R>,
    {
        Ok(S::check(self.core.permissions)?)
    }

    fn mac(&self, message: &[u8]) -> AuthParam<P> {
        AuthParam::new(P::authenticate(&self.core.token, message))
    }

    /// The MAC over the client data hash, refused for another RP ID than the token's.
    fn client_data_auth(&self, rp_id: &str, client_data_hash: &[u8]) -> Result<AuthParam<P>> {
        match &self.core.rp_id {
            Some(bound) if bound != rp_id => Err(PermissionError::RpIdMismatch {
                token: bound.clone(),
                request: rp_id.to_owned(),
            }
            .into()),
            _ => Ok(self.mac(client_data_hash)),
        }
    }

    /// The `pinUvAuthParam` of an authenticatorMakeCredential for `rp_id` with
    /// `client_data_hash`, for callers that build the request themselves.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] (run-time sets) without `MakeCredential`;
    /// [`PermissionError::RpIdMismatch`] if the token is bound to another RP ID.
    pub fn make_credential_auth(
        &self,
        rp_id: &str,
        client_data_hash: &[u8; 32],
    ) -> Result<AuthParam<P>>
    where
        S: Permits<MakeCredential>,
    {
        self.require::<MakeCredential>()?;
        self.client_data_auth(rp_id, client_data_hash)
    }

    /// authenticatorMakeCredential authenticated with this token: fills in
    /// `pinUvAuthParam` (over the client data hash) and `pinUvAuthProtocol`.
    ///
    /// # Errors
    /// Before sending: [`PermissionError::Missing`] (run-time sets) without
    /// `MakeCredential`, [`PermissionError::RpIdMismatch`] if the request's RP ID is not
    /// the token's. Otherwise as [`Ctap2::make_credential`].
    pub fn make_credential(
        &mut self,
        mut request: MakeCredentialRequest,
    ) -> Result<MakeCredentialResponse>
    where
        S: Permits<MakeCredential>,
    {
        self.require::<MakeCredential>()?;
        let param = self.client_data_auth(&request.rp.id, &request.client_data_hash)?;
        request.pin_uv_auth_param = Some(param.param);
        request.pin_uv_auth_protocol = Some(P::VERSION);
        self.core.ctap.make_credential(&request)
    }

    /// The `pinUvAuthParam` of an authenticatorGetAssertion for `rp_id` with
    /// `client_data_hash`.
    ///
    /// # Errors
    /// As [`make_credential_auth`](Self::make_credential_auth), for `GetAssertion`.
    pub fn get_assertion_auth(
        &self,
        rp_id: &str,
        client_data_hash: &[u8; 32],
    ) -> Result<AuthParam<P>>
    where
        S: Permits<GetAssertion>,
    {
        self.require::<GetAssertion>()?;
        self.client_data_auth(rp_id, client_data_hash)
    }

    fn authenticated_assertion(
        &self,
        mut request: GetAssertionRequest,
    ) -> Result<GetAssertionRequest>
    where
        S: Permits<GetAssertion>,
    {
        self.require::<GetAssertion>()?;
        let param = self.client_data_auth(&request.rp_id, &request.client_data_hash)?;
        request.pin_uv_auth_param = Some(param.param);
        request.pin_uv_auth_protocol = Some(P::VERSION);
        Ok(request)
    }

    /// authenticatorGetAssertion authenticated with this token.
    ///
    /// # Errors
    /// As [`make_credential`](Self::make_credential), for `GetAssertion`.
    pub fn get_assertion(&mut self, request: GetAssertionRequest) -> Result<GetAssertionResponse>
    where
        S: Permits<GetAssertion>,
    {
        let request = self.authenticated_assertion(request)?;
        self.core.ctap.get_assertion(&request)
    }

    /// getAssertion and every getNextAssertion, authenticated with this token.
    ///
    /// # Errors
    /// As [`get_assertion`](Self::get_assertion) and [`Ctap2::get_assertions`].
    pub fn get_assertions(
        &mut self,
        request: GetAssertionRequest,
    ) -> Result<Vec<GetAssertionResponse>>
    where
        S: Permits<GetAssertion>,
    {
        let request = self.authenticated_assertion(request)?;
        self.core.ctap.get_assertions(&request)
    }

    /// An authenticated authenticatorCredentialManagement subcommand.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] (run-time sets) without `CredentialManagement`;
    /// otherwise as [`Ctap2::credential_mgmt`].
    pub fn credential_management(
        &mut self,
        sub_command: CredentialManagementSubCommand,
        params: Option<CredentialManagementParams>,
    ) -> Result<CredentialManagementResponse>
    where
        S: Permits<CredentialManagement>,
    {
        self.require::<CredentialManagement>()?;
        self.send_credential_management(sub_command, params)
    }

    /// A credential management subcommand, authenticated, without a permission check (the
    /// public callers check `CredentialManagement` or [`CredentialRead`]).
    fn send_credential_management(
        &mut self,
        sub_command: CredentialManagementSubCommand,
        params: Option<CredentialManagementParams>,
    ) -> Result<CredentialManagementResponse> {
        // pinUvAuthParam = authenticate(token, subCommand || subCommandParams)
        // (CTAP 2.1 §6.8; python-fido2 `CredentialManagement._call`).
        let mut message = vec![sub_command.0];
        if let Some(params) = &params {
            message.extend(cbor::to_vec(params)?);
        }
        let request = CredentialManagementRequest {
            sub_command,
            sub_command_params: params,
            pin_uv_auth_protocol: Some(P::VERSION),
            pin_uv_auth_param: Some(self.mac(&message).param),
        };
        self.core.ctap.credential_mgmt(&request)
    }

    /// Credential management getCredsMetadata: how many discoverable credentials exist and
    /// how many more fit.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] (run-time sets) without `CredentialManagement` or
    /// `PersistentCredentialManagementReadOnly`; otherwise as [`Ctap2::credential_mgmt`];
    /// [`ResponseError::Missing`] if a count is absent.
    pub fn credentials_metadata(&mut self) -> Result<CredentialsMetadata>
    where
        S: ReadsCredentials,
    {
        self.require::<CredentialRead>()?;
        let response = self
            .send_credential_management(CredentialManagementSubCommand::GET_CREDS_METADATA, None)?;
        Ok(CredentialsMetadata {
            existing: response
                .existing_resident_credentials_count
                .ok_or(ResponseError::Missing("existingResidentCredentialsCount"))?,
            max_remaining: response
                .max_possible_remaining_resident_credentials_count
                .ok_or(ResponseError::Missing(
                    "maxPossibleRemainingResidentCredentialsCount",
                ))?,
        })
    }

    /// Every RP with discoverable credentials (enumerateRPsBegin and GetNextRP); each
    /// answer holds `rp` and `rp_id_hash`. Empty when there are none.
    ///
    /// # Errors
    /// As [`credentials_metadata`](Self::credentials_metadata);
    /// [`ResponseError::Invalid`] for a `totalRPs` above [`MAX_ENUMERATED`].
    pub fn enumerate_rps(&mut self) -> Result<Vec<CredentialManagementResponse>>
    where
        S: ReadsCredentials,
    {
        self.require::<CredentialRead>()?;
        self.enumerate(
            CredentialManagementSubCommand::ENUMERATE_RPS_BEGIN,
            None,
            CredentialManagementSubCommand::ENUMERATE_RPS_GET_NEXT_RP,
            |first| first.total_rps,
        )
    }

    /// Every discoverable credential of the RP with `rp_id_hash`
    /// (enumerateCredentialsBegin and GetNextCredential); each answer holds `user`,
    /// `credential_id` and `public_key`. Empty when there are none.
    ///
    /// # Errors
    /// As [`enumerate_rps`](Self::enumerate_rps).
    pub fn enumerate_credentials(
        &mut self,
        rp_id_hash: [u8; 32],
    ) -> Result<Vec<CredentialManagementResponse>>
    where
        S: ReadsCredentials,
    {
        self.require::<CredentialRead>()?;
        let params = CredentialManagementParams {
            rp_id_hash: Some(rp_id_hash.to_vec()),
            ..CredentialManagementParams::default()
        };
        self.enumerate(
            CredentialManagementSubCommand::ENUMERATE_CREDENTIALS_BEGIN,
            Some(params),
            CredentialManagementSubCommand::ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL,
            |first| first.total_credentials,
        )
    }

    /// An enumeration: the authenticated `begin` subcommand (nothing when the
    /// authenticator has `NO_CREDENTIALS`), then `total - 1` unauthenticated `next`
    /// subcommands. `total` comes from the authenticator (absent means one), so it is
    /// bounded by [`MAX_ENUMERATED`].
    fn enumerate(
        &mut self,
        begin: CredentialManagementSubCommand,
        params: Option<CredentialManagementParams>,
        next: CredentialManagementSubCommand,
        total: fn(&CredentialManagementResponse) -> Option<u32>,
    ) -> Result<Vec<CredentialManagementResponse>> {
        let first = match self.send_credential_management(begin, params) {
            Err(Error::Ctap(e)) if e.status() == CtapStatus::NO_CREDENTIALS => {
                return Ok(Vec::new());
            }
            other => other?,
        };
        let total = total(&first).unwrap_or(1);
        if total == 0 || total > MAX_ENUMERATED {
            return Err(ResponseError::Invalid {
                what: "totalRPs or totalCredentials",
                reason: "zero or above MAX_ENUMERATED",
            }
            .into());
        }
        let mut all = vec![first];
        let request = CredentialManagementRequest {
            sub_command: next,
            ..CredentialManagementRequest::default()
        };
        for _ in 1..total {
            all.push(self.core.ctap.credential_mgmt(&request)?);
        }
        Ok(all)
    }

    /// Deletes a discoverable credential.
    ///
    /// # Errors
    /// As [`credential_management`](Self::credential_management); `NO_CREDENTIALS` as
    /// [`Error::Ctap`].
    pub fn delete_credential(&mut self, credential_id: PublicKeyCredentialDescriptor) -> Result<()>
    where
        S: Permits<CredentialManagement>,
    {
        let params = CredentialManagementParams {
            credential_id: Some(credential_id),
            ..CredentialManagementParams::default()
        };
        self.credential_management(
            CredentialManagementSubCommand::DELETE_CREDENTIAL,
            Some(params),
        )
        .map(drop)
    }

    /// The `pinUvAuthParam` of an authenticatorConfig subcommand.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] (run-time sets) without `AuthenticatorConfig`;
    /// [`Error::Encode`](crate::error::Error::Encode) if the parameters do not encode.
    pub fn config_auth(
        &self,
        sub_command: ConfigSubCommand,
        params: Option<&ConfigParams>,
    ) -> Result<AuthParam<P>>
    where
        S: Permits<AuthenticatorConfig>,
    {
        self.require::<AuthenticatorConfig>()?;
        // authenticate(token, 32×0xff || 0x0d || subCommand || subCommandParams)
        // (CTAP 2.1 §6.11; python-fido2 `Config._call`).
        let mut message = vec![0xff; 32];
        message.extend([CommandCode::CONFIG.0, sub_command.0]);
        if let Some(params) = params {
            message.extend(cbor::to_vec(params)?);
        }
        Ok(self.mac(&message))
    }

    /// An authenticated authenticatorConfig subcommand (enableEnterpriseAttestation,
    /// toggleAlwaysUv, setMinPINLength, …).
    ///
    /// # Errors
    /// As [`config_auth`](Self::config_auth), then as [`Ctap2::config`].
    pub fn config(
        &mut self,
        sub_command: ConfigSubCommand,
        params: Option<ConfigParams>,
    ) -> Result<()>
    where
        S: Permits<AuthenticatorConfig>,
    {
        let param = self.config_auth(sub_command, params.as_ref())?;
        let request = ConfigRequest {
            sub_command,
            sub_command_params: params,
            pin_uv_auth_protocol: Some(P::VERSION),
            pin_uv_auth_param: Some(param.param),
        };
        self.core.ctap.config(&request)
    }

    /// authenticatorConfig toggleAlwaysUv.
    ///
    /// # Errors
    /// As [`config`](Self::config).
    pub fn toggle_always_uv(&mut self) -> Result<()>
    where
        S: Permits<AuthenticatorConfig>,
    {
        self.config(ConfigSubCommand::TOGGLE_ALWAYS_UV, None)
    }

    /// The `pinUvAuthParam` of an authenticatorLargeBlobs write of `fragment` at `offset`.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] (run-time sets) without `LargeBlobWrite`.
    pub fn large_blob_write_auth(&self, offset: u32, fragment: &[u8]) -> Result<AuthParam<P>>
    where
        S: Permits<LargeBlobWrite>,
    {
        self.require::<LargeBlobWrite>()?;
        // authenticate(token, 32×0xff || h'0c00' || uint32LittleEndian(offset) ||
        // SHA-256(set)) (CTAP 2.1 §6.10.2; python-fido2 `LargeBlobs.write_blob_array`).
        let mut message = vec![0xff; 32];
        message.extend([CommandCode::LARGE_BLOBS.0, 0x00]);
        message.extend(offset.to_le_bytes());
        message.extend(digest::digest(&digest::SHA256, fragment).as_ref());
        Ok(self.mac(&message))
    }

    /// Writes one fragment of the serialized large-blob array; `total_length` goes with
    /// the first fragment (offset 0).
    ///
    /// # Errors
    /// As [`large_blob_write_auth`](Self::large_blob_write_auth), then as
    /// [`Ctap2::large_blobs`].
    pub fn large_blob_write(
        &mut self,
        offset: u32,
        fragment: Vec<u8>,
        total_length: Option<u32>,
    ) -> Result<()>
    where
        S: Permits<LargeBlobWrite>,
    {
        let param = self.large_blob_write_auth(offset, &fragment)?;
        let request = LargeBlobsRequest {
            set: Some(fragment),
            offset,
            length: total_length,
            pin_uv_auth_param: Some(param.param),
            pin_uv_auth_protocol: Some(P::VERSION),
            ..LargeBlobsRequest::default()
        };
        self.core.ctap.large_blobs(&request).map(drop)
    }

    /// An authenticated authenticatorBioEnrollment subcommand.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] (run-time sets) without `BioEnrollment`; otherwise as
    /// [`Ctap2::bio_enrollment`].
    pub fn bio_enrollment(
        &mut self,
        modality: BioModality,
        sub_command: BioEnrollmentSubCommand,
        params: Option<BioEnrollmentParams>,
    ) -> Result<BioEnrollmentResponse>
    where
        S: Permits<BioEnrollment>,
    {
        self.require::<BioEnrollment>()?;
        // authenticate(token, modality || subCommand || subCommandParams)
        // (CTAP 2.1 §6.7; python-fido2 `BioEnrollment._call`).
        let mut message = vec![u8::try_from(modality.0).unwrap_or(u8::MAX), sub_command.0];
        if let Some(params) = &params {
            message.extend(cbor::to_vec(params)?);
        }
        let request = BioEnrollmentRequest {
            modality: Some(modality),
            sub_command: Some(sub_command),
            sub_command_params: params,
            pin_uv_auth_protocol: Some(P::VERSION),
            pin_uv_auth_param: Some(self.mac(&message).param),
            get_modality: None,
        };
        self.core.ctap.bio_enrollment(&request)
    }
}
