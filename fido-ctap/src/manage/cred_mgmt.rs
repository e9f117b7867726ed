//! Credential management: python-fido2's `CredentialManagement` with typed answers.

use core::fmt;

use fido_types::cose::CoseKey;
use fido_types::generated::{
    CredProtectPolicy, CredentialManagementParams, CredentialManagementResponse,
    CredentialManagementSubCommand, PublicKeyCredentialDescriptor, PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
};
use fido_types::pin_protocol::PinProtocol;
use ring::digest;
use zeroize::Zeroizing;

use crate::capability::{CredMgmtSupport, ProvesCredMgmt};
use crate::device::CtapDevice;
use crate::error::{RequestError, ResponseError, Result};
use crate::pin::{CredentialManagement, CredentialsMetadata, Permits, PinToken, ReadsCredentials};

/// An RP with discoverable credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct Rp {
    /// The RP entity as stored (at least its ID).
    pub rp: PublicKeyCredentialRpEntity,
    /// SHA-256 of the RP ID, the key of enumerateCredentials.
    pub rp_id_hash: [u8; 32],
}

/// A credential's largeBlobKey: a secret, zeroized on drop, not printed by `Debug`, and
/// not comparable (no `PartialEq`, so no comparison that is not constant-time).
#[derive(Clone)]
pub struct LargeBlobKey(Zeroizing<Vec<u8>>);

impl LargeBlobKey {
    /// The key bytes (32 for a conforming authenticator).
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for LargeBlobKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LargeBlobKey(..)")
    }
}

/// A discoverable credential as enumerateCredentials reports it.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The user entity.
    pub user: PublicKeyCredentialUserEntity,
    /// The credential's descriptor (type and ID).
    pub credential_id: PublicKeyCredentialDescriptor,
    /// The credential public key.
    pub public_key: CoseKey,
    /// Its credProtect policy, when reported.
    pub cred_protect: Option<CredProtectPolicy>,
    /// Its largeBlobKey, when it has one.
    pub large_blob_key: Option<LargeBlobKey>,
}

impl Credential {
    fn from_response(r: CredentialManagementResponse) -> Result<Self> {
        Ok(Credential {
            user: r.user.ok_or(ResponseError::Missing("user"))?,
            credential_id: r
                .credential_id
                .ok_or(ResponseError::Missing("credentialID"))?,
            public_key: r.public_key.ok_or(ResponseError::Missing("publicKey"))?,
            cred_protect: r.cred_protect,
            large_blob_key: r.large_blob_key.map(|k| LargeBlobKey(Zeroizing::new(k))),
        })
    }
}

/// Credential management through a token, with the proof that the authenticator has it.
#[derive(Debug)]
pub struct CredentialManager<'t, 's, S, P: PinProtocol, D: CtapDevice> {
    token: &'t mut PinToken<'s, S, P, D>,
    support: CredMgmtSupport,
}

impl<'t, 's, S, P: PinProtocol, D: CtapDevice> CredentialManager<'t, 's, S, P, D> {
    /// A manager using `token`, given the proof from
    /// [`CredMgmtSupport::check`](crate::capability::CredMgmtSupport::check).
    pub fn new(token: &'t mut PinToken<'s, S, P, D>, proof: impl ProvesCredMgmt) -> Self {
        CredentialManager {
            token,
            support: proof.proof(),
        }
    }

    /// The proof the manager was built with.
    pub fn support(&self) -> CredMgmtSupport {
        self.support
    }

    /// getCredsMetadata: how many discoverable credentials exist and how many more fit.
    ///
    /// # Errors
    /// As [`PinToken::credentials_metadata`].
    pub fn metadata(&mut self) -> Result<CredentialsMetadata>
    where
        S: ReadsCredentials,
    {
        self.token.credentials_metadata()
    }

    /// Every RP with discoverable credentials.
    ///
    /// # Errors
    /// As [`PinToken::enumerate_rps`]; [`ResponseError::Missing`] or
    /// [`ResponseError::Invalid`] for an answer without its RP or a hash that is not 32
    /// bytes.
    pub fn rps(&mut self) -> Result<Vec<Rp>>
    where
        S: ReadsCredentials,
    {
        self.token
            .enumerate_rps()?
            .into_iter()
            .map(|r| {
                let rp = r.rp.ok_or(ResponseError::Missing("rp"))?;
                let hash = r.rp_id_hash.ok_or(ResponseError::Missing("rpIDHash"))?;
                let rp_id_hash = hash.try_into().map_err(|_| ResponseError::Invalid {
                    what: "rpIDHash",
                    reason: "not 32 bytes",
                })?;
                Ok(Rp { rp, rp_id_hash })
            })
            .collect()
    }

    /// Every discoverable credential of the RP whose ID hashes to `rp_id_hash`.
    ///
    /// # Errors
    /// As [`PinToken::enumerate_credentials`]; [`ResponseError::Missing`] for an answer
    /// without user, credential ID or public key.
    pub fn credentials(&mut self, rp_id_hash: [u8; 32]) -> Result<Vec<Credential>>
    where
        S: ReadsCredentials,
    {
        self.token
            .enumerate_credentials(rp_id_hash)?
            .into_iter()
            .map(Credential::from_response)
            .collect()
    }

    /// Every discoverable credential of `rp_id`.
    ///
    /// # Errors
    /// As [`credentials`](Self::credentials).
    pub fn credentials_for(&mut self, rp_id: &str) -> Result<Vec<Credential>>
    where
        S: ReadsCredentials,
    {
        self.credentials(rp_id_hash(rp_id))
    }

    /// Deletes a discoverable credential.
    ///
    /// # Errors
    /// As [`PinToken::delete_credential`].
    pub fn delete(&mut self, credential_id: PublicKeyCredentialDescriptor) -> Result<()>
    where
        S: Permits<CredentialManagement>,
    {
        self.token.delete_credential(credential_id)
    }

    /// updateUserInformation: replaces the user's name and display name (the user ID must
    /// be the credential's).
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] before sending on the prototype variant, which has no
    /// such subcommand; otherwise as [`PinToken::credential_management`].
    pub fn update_user(
        &mut self,
        credential_id: PublicKeyCredentialDescriptor,
        user: PublicKeyCredentialUserEntity,
    ) -> Result<()>
    where
        S: Permits<CredentialManagement>,
    {
        if !self.support.can_update_user() {
            return Err(RequestError::Unsupported(
                "updateUserInformation (not in the credentialMgmtPreview prototype)",
            )
            .into());
        }
        let params = CredentialManagementParams {
            credential_id: Some(credential_id),
            user: Some(user),
            ..CredentialManagementParams::default()
        };
        self.token
            .credential_management(
                CredentialManagementSubCommand::UPDATE_USER_INFORMATION,
                Some(params),
            )
            .map(drop)
    }
}

/// SHA-256 of an RP ID, as enumerateCredentials takes it.
fn rp_id_hash(rp_id: &str) -> [u8; 32] {
    let mut hash = [0u8; 32];
    hash.copy_from_slice(digest::digest(&digest::SHA256, rp_id.as_bytes()).as_ref());
    hash
}
