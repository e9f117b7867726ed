//! Tokens: a pinUvAuthToken bound to its session, protocol and permission set.

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

use super::permission::{
    AuthenticatorConfig, BioEnrollment, CredentialManagement, DynPermissions, GetAssertion, Grants,
    LargeBlobWrite, MakeCredential, Permission, PermissionSet,
    PersistentCredentialManagementReadOnly, ReadsCredentials,
};
use super::session::wire_protocol;
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

/// What every token holds; the typed and the run-time-checked token wrap it.
pub(super) struct TokenCore<'s, P: PinProtocol, D: CtapDevice> {
    ctap: &'s mut Ctap2<D>,
    token: PinUvAuthToken<P>,
    rp_id: Option<String>,
}

impl<'s, P: PinProtocol, D: CtapDevice> TokenCore<'s, P, D> {
    pub(super) fn new(
        ctap: &'s mut Ctap2<D>,
        token: PinUvAuthToken<P>,
        rp_id: Option<String>,
    ) -> Self {
        TokenCore { ctap, token, rp_id }
    }

    fn mac(&self, message: &[u8]) -> AuthParam<P> {
        AuthParam::new(P::authenticate(&self.token, message))
    }

    fn check_rp_id(&self, rp_id: &str) -> Result<()> {
        match &self.rp_id {
            Some(bound) if bound != rp_id => Err(PermissionError::RpIdMismatch {
                token: bound.clone(),
                request: rp_id.to_owned(),
            }
            .into()),
            _ => Ok(()),
        }
    }

    fn client_data_auth(&self, rp_id: &str, client_data_hash: &[u8]) -> Result<AuthParam<P>> {
        self.check_rp_id(rp_id)?;
        Ok(self.mac(client_data_hash))
    }

    fn make_credential(
        &mut self,
        mut request: MakeCredentialRequest,
    ) -> Result<MakeCredentialResponse> {
        let param = self.client_data_auth(&request.rp.id, &request.client_data_hash)?;
        request.pin_uv_auth_param = Some(param.param);
        request.pin_uv_auth_protocol = Some(wire_protocol::<P>());
        self.ctap.make_credential(&request)
    }

    fn authenticated_assertion(
        &self,
        mut request: GetAssertionRequest,
    ) -> Result<GetAssertionRequest> {
        let param = self.client_data_auth(&request.rp_id, &request.client_data_hash)?;
        request.pin_uv_auth_param = Some(param.param);
        request.pin_uv_auth_protocol = Some(wire_protocol::<P>());
        Ok(request)
    }

    fn get_assertion(&mut self, request: GetAssertionRequest) -> Result<GetAssertionResponse> {
        let request = self.authenticated_assertion(request)?;
        self.ctap.get_assertion(&request)
    }

    fn get_assertions(
        &mut self,
        request: GetAssertionRequest,
    ) -> Result<Vec<GetAssertionResponse>> {
        let request = self.authenticated_assertion(request)?;
        self.ctap.get_assertions(&request)
    }

    fn credential_management(
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
            pin_uv_auth_protocol: Some(wire_protocol::<P>()),
            pin_uv_auth_param: Some(self.mac(&message).param),
        };
        self.ctap.credential_mgmt(&request)
    }

    fn credentials_metadata(&mut self) -> Result<CredentialsMetadata> {
        let response =
            self.credential_management(CredentialManagementSubCommand::GET_CREDS_METADATA, None)?;
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

    /// enumerateRPsBegin, then enumerateRPsGetNextRP until `totalRPs` have answered.
    fn enumerate_rps(&mut self) -> Result<Vec<CredentialManagementResponse>> {
        let first = match self
            .credential_management(CredentialManagementSubCommand::ENUMERATE_RPS_BEGIN, None)
        {
            // No discoverable credentials at all.
            Err(Error::Ctap(e)) if e.status() == CtapStatus::NO_CREDENTIALS => {
                return Ok(Vec::new());
            }
            other => other?,
        };
        let total = first.total_rps.unwrap_or(1);
        self.collect(
            first,
            total,
            CredentialManagementSubCommand::ENUMERATE_RPS_GET_NEXT_RP,
        )
    }

    /// enumerateCredentialsBegin for an RP, then enumerateCredentialsGetNextCredential.
    fn enumerate_credentials(
        &mut self,
        rp_id_hash: [u8; 32],
    ) -> Result<Vec<CredentialManagementResponse>> {
        let params = CredentialManagementParams {
            rp_id_hash: Some(rp_id_hash.to_vec()),
            ..CredentialManagementParams::default()
        };
        let first = match self.credential_management(
            CredentialManagementSubCommand::ENUMERATE_CREDENTIALS_BEGIN,
            Some(params),
        ) {
            Err(Error::Ctap(e)) if e.status() == CtapStatus::NO_CREDENTIALS => {
                return Ok(Vec::new());
            }
            other => other?,
        };
        let total = first.total_credentials.unwrap_or(1);
        self.collect(
            first,
            total,
            CredentialManagementSubCommand::ENUMERATE_CREDENTIALS_GET_NEXT_CREDENTIAL,
        )
    }

    /// The first answer plus `total - 1` unauthenticated `next` subcommands; `total` comes
    /// from the authenticator, so it is bounded by [`MAX_ENUMERATED`].
    fn collect(
        &mut self,
        first: CredentialManagementResponse,
        total: u32,
        next: CredentialManagementSubCommand,
    ) -> Result<Vec<CredentialManagementResponse>> {
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
            all.push(self.ctap.credential_mgmt(&request)?);
        }
        Ok(all)
    }

    fn delete_credential(&mut self, credential_id: PublicKeyCredentialDescriptor) -> Result<()> {
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

    fn config_auth(
        &self,
        sub_command: ConfigSubCommand,
        params: Option<&ConfigParams>,
    ) -> Result<AuthParam<P>> {
        // authenticate(token, 32×0xff || 0x0d || subCommand || subCommandParams)
        // (CTAP 2.1 §6.11; python-fido2 `Config._call`).
        let mut message = vec![0xff; 32];
        message.extend([CommandCode::CONFIG.0, sub_command.0]);
        if let Some(params) = params {
            message.extend(cbor::to_vec(params)?);
        }
        Ok(self.mac(&message))
    }

    fn config(
        &mut self,
        sub_command: ConfigSubCommand,
        params: Option<ConfigParams>,
    ) -> Result<()> {
        let param = self.config_auth(sub_command, params.as_ref())?;
        let request = ConfigRequest {
            sub_command,
            sub_command_params: params,
            pin_uv_auth_protocol: Some(wire_protocol::<P>()),
            pin_uv_auth_param: Some(param.param),
        };
        self.ctap.config(&request)
    }

    fn large_blob_write_auth(&self, offset: u32, fragment: &[u8]) -> AuthParam<P> {
        // authenticate(token, 32×0xff || h'0c00' || uint32LittleEndian(offset) ||
        // SHA-256(set)) (CTAP 2.1 §6.10.2; python-fido2 `LargeBlobs.write_blob_array`).
        let mut message = vec![0xff; 32];
        message.extend([CommandCode::LARGE_BLOBS.0, 0x00]);
        message.extend(offset.to_le_bytes());
        message.extend(digest::digest(&digest::SHA256, fragment).as_ref());
        self.mac(&message)
    }

    fn large_blob_write(
        &mut self,
        offset: u32,
        fragment: Vec<u8>,
        total_length: Option<u32>,
    ) -> Result<()> {
        let param = self.large_blob_write_auth(offset, &fragment);
        let request = LargeBlobsRequest {
            set: Some(fragment),
            offset,
            length: total_length,
            pin_uv_auth_param: Some(param.param),
            pin_uv_auth_protocol: Some(wire_protocol::<P>()),
            ..LargeBlobsRequest::default()
        };
        self.ctap.large_blobs(&request).map(drop)
    }

    fn bio_enrollment(
        &mut self,
        modality: BioModality,
        sub_command: BioEnrollmentSubCommand,
        params: Option<BioEnrollmentParams>,
    ) -> Result<BioEnrollmentResponse> {
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
            pin_uv_auth_protocol: Some(wire_protocol::<P>()),
            pin_uv_auth_param: Some(self.mac(&message).param),
            get_modality: None,
        };
        self.ctap.bio_enrollment(&request)
    }
}

/// A pinUvAuthToken with permission set `S` (see [`perms!`](crate::perms)), for protocol
/// `P`, borrowing its session's authenticator for `'s`.
///
/// Each operation exists only where `S` grants its permission; the bits the token was
/// requested with are `S::BITS`. The token is not `Clone`, its key is zeroized on drop,
/// and `Debug` shows its permissions and RP ID, never the key.
pub struct PinToken<
    's,
    S: PermissionSet,
    P: PinProtocol = ProtocolTwo,
    D: CtapDevice = Box<dyn CtapDevice>,
> {
    core: TokenCore<'s, P, D>,
    _permissions: PhantomData<fn() -> S>,
}

impl<S: PermissionSet, P: PinProtocol, D: CtapDevice> fmt::Debug for PinToken<'_, S, P, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinToken")
            .field("permissions", &S::names())
            .field("protocol", &P::VERSION)
            .field("rp_id", &self.core.rp_id)
            .finish_non_exhaustive()
    }
}

impl<'s, S: PermissionSet, P: PinProtocol, D: CtapDevice> PinToken<'s, S, P, D> {
    pub(super) fn new(core: TokenCore<'s, P, D>) -> Self {
        PinToken {
            core,
            _permissions: PhantomData,
        }
    }

    /// The permissions the token was requested with.
    pub fn permissions(&self) -> DynPermissions {
        DynPermissions::of::<S>()
    }

    /// The permissions RP ID the token is bound to.
    pub fn rp_id(&self) -> Option<&str> {
        self.core.rp_id.as_deref()
    }

    /// The authenticator, for commands that need no token.
    pub fn ctap(&mut self) -> &mut Ctap2<D> {
        self.core.ctap
    }

    /// Gives up the typed permissions: a token whose operations are checked at run time.
    pub fn into_dyn(self) -> DynPinToken<'s, P, D> {
        DynPinToken::new(self.core, DynPermissions::of::<S>())
    }

    /// The `pinUvAuthParam` of an authenticatorMakeCredential for `rp_id` with
    /// `client_data_hash`, for callers that build the request themselves.
    ///
    /// # Errors
    /// [`PermissionError::RpIdMismatch`] if the token is bound to another RP ID.
    pub fn make_credential_auth(
        &self,
        rp_id: &str,
        client_data_hash: &[u8; 32],
    ) -> Result<AuthParam<P>>
    where
        S: Grants<MakeCredential>,
    {
        self.core.client_data_auth(rp_id, client_data_hash)
    }

    /// authenticatorMakeCredential authenticated with this token: fills in
    /// `pinUvAuthParam` (over the client data hash) and `pinUvAuthProtocol`.
    ///
    /// # Errors
    /// [`PermissionError::RpIdMismatch`] before sending if the request's RP ID is not the
    /// token's; otherwise as [`Ctap2::make_credential`].
    pub fn make_credential(
        &mut self,
        request: MakeCredentialRequest,
    ) -> Result<MakeCredentialResponse>
    where
        S: Grants<MakeCredential>,
    {
        self.core.make_credential(request)
    }

    /// The `pinUvAuthParam` of an authenticatorGetAssertion for `rp_id` with
    /// `client_data_hash`.
    ///
    /// # Errors
    /// [`PermissionError::RpIdMismatch`] if the token is bound to another RP ID.
    pub fn get_assertion_auth(
        &self,
        rp_id: &str,
        client_data_hash: &[u8; 32],
    ) -> Result<AuthParam<P>>
    where
        S: Grants<GetAssertion>,
    {
        self.core.client_data_auth(rp_id, client_data_hash)
    }

    /// authenticatorGetAssertion authenticated with this token.
    ///
    /// # Errors
    /// As [`make_credential`](Self::make_credential).
    pub fn get_assertion(&mut self, request: GetAssertionRequest) -> Result<GetAssertionResponse>
    where
        S: Grants<GetAssertion>,
    {
        self.core.get_assertion(request)
    }

    /// getAssertion and every getNextAssertion, authenticated with this token.
    ///
    /// # Errors
    /// As [`Ctap2::get_assertions`].
    pub fn get_assertions(
        &mut self,
        request: GetAssertionRequest,
    ) -> Result<Vec<GetAssertionResponse>>
    where
        S: Grants<GetAssertion>,
    {
        self.core.get_assertions(request)
    }

    /// An authenticated authenticatorCredentialManagement subcommand.
    ///
    /// # Errors
    /// As [`Ctap2::credential_mgmt`].
    pub fn credential_management(
        &mut self,
        sub_command: CredentialManagementSubCommand,
        params: Option<CredentialManagementParams>,
    ) -> Result<CredentialManagementResponse>
    where
        S: Grants<CredentialManagement>,
    {
        self.core.credential_management(sub_command, params)
    }

    /// Credential management getCredsMetadata: how many discoverable credentials exist and
    /// how many more fit.
    ///
    /// # Errors
    /// As [`Ctap2::credential_mgmt`]; [`ResponseError::Missing`] if a count is absent.
    pub fn credentials_metadata(&mut self) -> Result<CredentialsMetadata>
    where
        S: ReadsCredentials,
    {
        self.core.credentials_metadata()
    }

    /// Every RP with discoverable credentials (enumerateRPsBegin and GetNextRP); each
    /// answer holds `rp` and `rp_id_hash`. Empty when there are none.
    ///
    /// # Errors
    /// As [`Ctap2::credential_mgmt`]; [`ResponseError::Invalid`] for a `totalRPs` above
    /// [`MAX_ENUMERATED`].
    pub fn enumerate_rps(&mut self) -> Result<Vec<CredentialManagementResponse>>
    where
        S: ReadsCredentials,
    {
        self.core.enumerate_rps()
    }

    /// Every discoverable credential of the RP with `rp_id_hash`; each answer holds
    /// `user`, `credential_id` and `public_key`. Empty when there are none.
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
        self.core.enumerate_credentials(rp_id_hash)
    }

    /// Deletes a discoverable credential.
    ///
    /// # Errors
    /// As [`Ctap2::credential_mgmt`]; `NO_CREDENTIALS` as [`Error::Ctap`].
    pub fn delete_credential(&mut self, credential_id: PublicKeyCredentialDescriptor) -> Result<()>
    where
        S: Grants<CredentialManagement>,
    {
        self.core.delete_credential(credential_id)
    }

    /// The `pinUvAuthParam` of an authenticatorConfig subcommand.
    ///
    /// # Errors
    /// [`Error::Encode`](crate::error::Error::Encode) if the parameters do not encode.
    pub fn config_auth(
        &self,
        sub_command: ConfigSubCommand,
        params: Option<&ConfigParams>,
    ) -> Result<AuthParam<P>>
    where
        S: Grants<AuthenticatorConfig>,
    {
        self.core.config_auth(sub_command, params)
    }

    /// An authenticated authenticatorConfig subcommand (enableEnterpriseAttestation,
    /// toggleAlwaysUv, setMinPINLength, …).
    ///
    /// # Errors
    /// As [`Ctap2::config`].
    pub fn config(
        &mut self,
        sub_command: ConfigSubCommand,
        params: Option<ConfigParams>,
    ) -> Result<()>
    where
        S: Grants<AuthenticatorConfig>,
    {
        self.core.config(sub_command, params)
    }

    /// authenticatorConfig toggleAlwaysUv.
    ///
    /// # Errors
    /// As [`Ctap2::config`].
    pub fn toggle_always_uv(&mut self) -> Result<()>
    where
        S: Grants<AuthenticatorConfig>,
    {
        self.core.config(ConfigSubCommand::TOGGLE_ALWAYS_UV, None)
    }

    /// The `pinUvAuthParam` of an authenticatorLargeBlobs write of `fragment` at `offset`.
    pub fn large_blob_write_auth(&self, offset: u32, fragment: &[u8]) -> AuthParam<P>
    where
        S: Grants<LargeBlobWrite>,
    {
        self.core.large_blob_write_auth(offset, fragment)
    }

    /// Writes one fragment of the serialized large-blob array; `total_length` goes with
    /// the first fragment (offset 0).
    ///
    /// # Errors
    /// As [`Ctap2::large_blobs`].
    pub fn large_blob_write(
        &mut self,
        offset: u32,
        fragment: Vec<u8>,
        total_length: Option<u32>,
    ) -> Result<()>
    where
        S: Grants<LargeBlobWrite>,
    {
        self.core.large_blob_write(offset, fragment, total_length)
    }

    /// An authenticated authenticatorBioEnrollment subcommand.
    ///
    /// # Errors
    /// As [`Ctap2::bio_enrollment`].
    pub fn bio_enrollment(
        &mut self,
        modality: BioModality,
        sub_command: BioEnrollmentSubCommand,
        params: Option<BioEnrollmentParams>,
    ) -> Result<BioEnrollmentResponse>
    where
        S: Grants<BioEnrollment>,
    {
        self.core.bio_enrollment(modality, sub_command, params)
    }
}

/// A token whose permissions are known only at run time: every operation first checks
/// the permission and fails with [`PermissionError::Missing`] without sending anything.
pub struct DynPinToken<'s, P: PinProtocol = ProtocolTwo, D: CtapDevice = Box<dyn CtapDevice>> {
    core: TokenCore<'s, P, D>,
    permissions: DynPermissions,
}

impl<P: PinProtocol, D: CtapDevice> fmt::Debug for DynPinToken<'_, P, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynPinToken")
            .field("permissions", &self.permissions)
            .field("protocol", &P::VERSION)
            .field("rp_id", &self.core.rp_id)
            .finish_non_exhaustive()
    }
}

impl<'s, P: PinProtocol, D: CtapDevice> DynPinToken<'s, P, D> {
    pub(super) fn new(core: TokenCore<'s, P, D>, permissions: DynPermissions) -> Self {
        DynPinToken { core, permissions }
    }

    /// The permissions the token was requested with.
    pub fn permissions(&self) -> DynPermissions {
        self.permissions
    }

    /// The permissions RP ID the token is bound to.
    pub fn rp_id(&self) -> Option<&str> {
        self.core.rp_id.as_deref()
    }

    /// Checks that the token holds permission `Q`.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] naming `Q`.
    pub fn require<Q: Permission>(&self) -> Result<()> {
        if self.permissions.contains::<Q>() {
            Ok(())
        } else {
            Err(PermissionError::Missing {
                missing: Q::NAME,
                granted: self.permissions.bits(),
            }
            .into())
        }
    }

    /// As [`PinToken::make_credential_auth`], checked.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `MakeCredential`; [`PermissionError::RpIdMismatch`].
    pub fn make_credential_auth(
        &self,
        rp_id: &str,
        client_data_hash: &[u8; 32],
    ) -> Result<AuthParam<P>> {
        self.require::<MakeCredential>()?;
        self.core.client_data_auth(rp_id, client_data_hash)
    }

    /// As [`PinToken::make_credential`], checked before sending.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `MakeCredential`; otherwise as
    /// [`PinToken::make_credential`].
    pub fn make_credential(
        &mut self,
        request: MakeCredentialRequest,
    ) -> Result<MakeCredentialResponse> {
        self.require::<MakeCredential>()?;
        self.core.make_credential(request)
    }

    /// As [`PinToken::get_assertion`], checked before sending.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `GetAssertion`; otherwise as
    /// [`PinToken::get_assertion`].
    pub fn get_assertion(&mut self, request: GetAssertionRequest) -> Result<GetAssertionResponse> {
        self.require::<GetAssertion>()?;
        self.core.get_assertion(request)
    }

    /// As [`PinToken::credential_management`], checked before sending.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `CredentialManagement`.
    pub fn credential_management(
        &mut self,
        sub_command: CredentialManagementSubCommand,
        params: Option<CredentialManagementParams>,
    ) -> Result<CredentialManagementResponse> {
        self.require::<CredentialManagement>()?;
        self.core.credential_management(sub_command, params)
    }

    /// As [`PinToken::credentials_metadata`], checked before sending.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `CredentialManagement`; otherwise a transport
    /// or CTAP error.
    pub fn credentials_metadata(&mut self) -> Result<CredentialsMetadata> {
        if !self
            .permissions
            .contains::<PersistentCredentialManagementReadOnly>()
        {
            self.require::<CredentialManagement>()?;
        }
        self.core.credentials_metadata()
    }

    /// As [`PinToken::config`], checked before sending.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `AuthenticatorConfig`.
    pub fn config(
        &mut self,
        sub_command: ConfigSubCommand,
        params: Option<ConfigParams>,
    ) -> Result<()> {
        self.require::<AuthenticatorConfig>()?;
        self.core.config(sub_command, params)
    }

    /// As [`PinToken::toggle_always_uv`], checked before sending.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `AuthenticatorConfig`; otherwise a transport
    /// or CTAP error.
    pub fn toggle_always_uv(&mut self) -> Result<()> {
        self.config(ConfigSubCommand::TOGGLE_ALWAYS_UV, None)
    }

    /// As [`PinToken::large_blob_write_auth`], checked.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `LargeBlobWrite`.
    pub fn large_blob_write_auth(&self, offset: u32, fragment: &[u8]) -> Result<AuthParam<P>> {
        self.require::<LargeBlobWrite>()?;
        Ok(self.core.large_blob_write_auth(offset, fragment))
    }

    /// As [`PinToken::bio_enrollment`], checked before sending.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `BioEnrollment`.
    pub fn bio_enrollment(
        &mut self,
        modality: BioModality,
        sub_command: BioEnrollmentSubCommand,
        params: Option<BioEnrollmentParams>,
    ) -> Result<BioEnrollmentResponse> {
        self.require::<BioEnrollment>()?;
        self.core.bio_enrollment(modality, sub_command, params)
    }
}
