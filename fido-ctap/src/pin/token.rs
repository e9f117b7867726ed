//! Tokens: a pinUvAuthToken bound to its session, protocol and permission set.

use core::fmt;
use core::marker::PhantomData;

use fido_types::cbor::{CborMap, Value};
use fido_types::pin_protocol::{PinProtocol, PinUvAuthProtocol, PinUvAuthToken, ProtocolTwo};
use ring::digest;

use super::permission::{
    AuthenticatorConfig, BioEnrollment, CredentialManagement, DynPermissions, GetAssertion, Grants,
    LargeBlobWrite, MakeCredential, Permission, PermissionSet,
};
use crate::ctap2::{Ctap2, command};
use crate::device::CtapDevice;
use crate::error::{PermissionError, Result};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, CborMap)]
pub struct CredentialsMetadata {
    /// `existingResidentCredentialsCount` (0x01).
    #[cbor(key = 0x01)]
    pub existing: u64,
    /// `maxPossibleRemainingResidentCredentialsCount` (0x02).
    #[cbor(key = 0x02)]
    pub max_remaining: u64,
}

/// A request map of the subcommand-style commands (credential management, config):
/// `subCommand` (0x01), `subCommandParams` (0x02), `pinUvAuthProtocol` (0x03),
/// `pinUvAuthParam` (0x04). CTAP 2.1 §6.8 and §6.11.
#[derive(Debug, Clone, PartialEq, CborMap)]
struct SubCommandRequest {
    #[cbor(key = 0x01)]
    sub_command: u8,
    #[cbor(key = 0x02)]
    params: Option<Value>,
    #[cbor(key = 0x03)]
    pin_uv_auth_protocol: Option<PinUvAuthProtocol>,
    #[cbor(key = 0x04)]
    pin_uv_auth_param: Option<Vec<u8>>,
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

    fn client_data_auth(&self, rp_id: &str, client_data_hash: &[u8; 32]) -> Result<AuthParam<P>> {
        self.check_rp_id(rp_id)?;
        Ok(self.mac(client_data_hash))
    }

    fn credentials_metadata(&mut self) -> Result<CredentialsMetadata> {
        // pinUvAuthParam = authenticate(token, subCommand) for a subcommand without
        // parameters (CTAP 2.1 §6.8.2; python-fido2 `CredentialManagement._call`).
        const GET_CREDS_METADATA: u8 = 0x01;
        let request = SubCommandRequest {
            sub_command: GET_CREDS_METADATA,
            params: None,
            pin_uv_auth_protocol: Some(P::VERSION),
            pin_uv_auth_param: Some(self.mac(&[GET_CREDS_METADATA]).param),
        };
        self.ctap
            .call(command::CREDENTIAL_MANAGEMENT, Some(&request))
    }

    fn config_auth(&self, sub_command: u8, params: Option<&[u8]>) -> AuthParam<P> {
        // authenticate(token, 32×0xff || 0x0d || subCommand || subCommandParams)
        // (CTAP 2.1 §6.11; python-fido2 `Config._call`).
        let mut message = vec![0xff; 32];
        message.extend([command::CONFIG, sub_command]);
        message.extend(params.unwrap_or_default());
        self.mac(&message)
    }

    fn toggle_always_uv(&mut self) -> Result<()> {
        const TOGGLE_ALWAYS_UV: u8 = 0x02;
        let request = SubCommandRequest {
            sub_command: TOGGLE_ALWAYS_UV,
            params: None,
            pin_uv_auth_protocol: Some(P::VERSION),
            pin_uv_auth_param: Some(self.config_auth(TOGGLE_ALWAYS_UV, None).param),
        };
        self.ctap
            .send_cbor(command::CONFIG, Some(&request))
            .map(drop)
    }

    fn large_blob_write_auth(&self, offset: u32, fragment: &[u8]) -> AuthParam<P> {
        // authenticate(token, 32×0xff || h'0c00' || uint32LittleEndian(offset) ||
        // SHA-256(set)) (CTAP 2.1 §6.10.2; python-fido2 `LargeBlobs.write_blob_array`).
        let mut message = vec![0xff; 32];
        message.extend([command::LARGE_BLOBS, 0x00]);
        message.extend(offset.to_le_bytes());
        message.extend(digest::digest(&digest::SHA256, fragment).as_ref());
        self.mac(&message)
    }

    fn bio_enrollment_auth(
        &self,
        modality: u8,
        sub_command: u8,
        params: Option<&[u8]>,
    ) -> AuthParam<P> {
        // authenticate(token, modality || subCommand || subCommandParams)
        // (CTAP 2.1 §6.7; python-fido2 `BioEnrollment._call`).
        let mut message = vec![modality, sub_command];
        message.extend(params.unwrap_or_default());
        self.mac(&message)
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
    /// `client_data_hash`.
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

    /// Credential management getCredsMetadata: how many discoverable credentials exist and
    /// how many more fit.
    ///
    /// # Errors
    /// A transport or CTAP error.
    pub fn credentials_metadata(&mut self) -> Result<CredentialsMetadata>
    where
        S: Grants<CredentialManagement>,
    {
        self.core.credentials_metadata()
    }

    /// The `pinUvAuthParam` of an authenticatorConfig subcommand with its encoded
    /// parameters.
    pub fn config_auth(&self, sub_command: u8, params: Option<&[u8]>) -> AuthParam<P>
    where
        S: Grants<AuthenticatorConfig>,
    {
        self.core.config_auth(sub_command, params)
    }

    /// authenticatorConfig toggleAlwaysUv.
    ///
    /// # Errors
    /// A transport or CTAP error.
    pub fn toggle_always_uv(&mut self) -> Result<()>
    where
        S: Grants<AuthenticatorConfig>,
    {
        self.core.toggle_always_uv()
    }

    /// The `pinUvAuthParam` of an authenticatorLargeBlobs write of `fragment` at `offset`.
    pub fn large_blob_write_auth(&self, offset: u32, fragment: &[u8]) -> AuthParam<P>
    where
        S: Grants<LargeBlobWrite>,
    {
        self.core.large_blob_write_auth(offset, fragment)
    }

    /// The `pinUvAuthParam` of an authenticatorBioEnrollment subcommand.
    pub fn bio_enrollment_auth(
        &self,
        modality: u8,
        sub_command: u8,
        params: Option<&[u8]>,
    ) -> AuthParam<P>
    where
        S: Grants<BioEnrollment>,
    {
        self.core.bio_enrollment_auth(modality, sub_command, params)
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

    /// As [`PinToken::get_assertion_auth`], checked.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `GetAssertion`; [`PermissionError::RpIdMismatch`].
    pub fn get_assertion_auth(
        &self,
        rp_id: &str,
        client_data_hash: &[u8; 32],
    ) -> Result<AuthParam<P>> {
        self.require::<GetAssertion>()?;
        self.core.client_data_auth(rp_id, client_data_hash)
    }

    /// As [`PinToken::credentials_metadata`], checked before sending.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `CredentialManagement`; otherwise a transport
    /// or CTAP error.
    pub fn credentials_metadata(&mut self) -> Result<CredentialsMetadata> {
        self.require::<CredentialManagement>()?;
        self.core.credentials_metadata()
    }

    /// As [`PinToken::toggle_always_uv`], checked before sending.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `AuthenticatorConfig`; otherwise a transport
    /// or CTAP error.
    pub fn toggle_always_uv(&mut self) -> Result<()> {
        self.require::<AuthenticatorConfig>()?;
        self.core.toggle_always_uv()
    }

    /// As [`PinToken::large_blob_write_auth`], checked.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without `LargeBlobWrite`.
    pub fn large_blob_write_auth(&self, offset: u32, fragment: &[u8]) -> Result<AuthParam<P>> {
        self.require::<LargeBlobWrite>()?;
        Ok(self.core.large_blob_write_auth(offset, fragment))
    }
}
