//! The authentication ceremony: request options out, the assertion verified
//! (WebAuthn L3 §7.2).

use fido_types::cose::CoseKey;
use fido_types::generated::webauthn::ClientDataType;
use fido_types::webauthn::{
    AuthDataFlags, AuthenticationExtensionsClientOutputs, AuthenticationResponse,
    PublicKeyCredentialDescriptor, PublicKeyCredentialRequestOptions, UserVerificationRequirement,
};

use crate::checks;
use crate::error::{AuthenticatorDataError, CredentialError, Error};
use crate::server::Fido2Server;
use crate::signature::{self, SignatureError};
use crate::state::AuthenticationState;

/// A credential the relying party stored at registration.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCredential {
    /// The credential ID.
    pub id: Vec<u8>,
    /// The credential public key.
    pub public_key: CoseKey,
    /// The signature counter last seen.
    pub sign_count: u32,
    /// The user handle the credential belongs to, if known.
    pub user_handle: Option<Vec<u8>>,
    /// The BE flag seen at registration, if known (BE never changes, §7.2 step 18).
    pub backup_eligible: Option<bool>,
}

impl StoredCredential {
    /// A stored credential with only its ID and public key known (counter 0).
    pub fn new(id: Vec<u8>, public_key: CoseKey) -> Self {
        Self {
            id,
            public_key,
            sign_count: 0,
            user_handle: None,
            backup_eligible: None,
        }
    }
}

/// A verified assertion.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AuthenticationResult {
    /// The credential that signed.
    pub credential_id: Vec<u8>,
    /// The authenticator's new signature counter (store it).
    pub sign_count: u32,
    /// Whether the counter did not increase although one of the counters is non-zero
    /// (§7.2 step 22: a sign of a cloned authenticator; the relying party decides).
    pub sign_count_regressed: bool,
    /// Whether the user was verified (UV).
    pub user_verified: bool,
    /// Whether the credential is backed up (BS).
    pub backed_up: bool,
    /// The user handle the authenticator returned.
    pub user_handle: Option<Vec<u8>>,
    /// The client extension outputs.
    pub client_extension_results: AuthenticationExtensionsClientOutputs,
    /// The authenticator extension outputs (CBOR), if any.
    pub authenticator_extensions: Option<Vec<u8>>,
}

impl Fido2Server {
    /// Request options allowing `credentials` (empty: any discoverable credential) and the
    /// state to keep until [`authenticate_complete`](Self::authenticate_complete).
    pub fn authenticate_begin(
        &self,
        credentials: Vec<PublicKeyCredentialDescriptor>,
        user_verification: Option<UserVerificationRequirement>,
    ) -> Result<(PublicKeyCredentialRequestOptions, AuthenticationState), Error> {
        let challenge = checks::random_challenge()?;
        let allowed = credentials
            .iter()
            .map(|c| c.id.as_bytes().to_vec())
            .collect();
        let mut options = PublicKeyCredentialRequestOptions::new(challenge.clone())
            .with_rp_id(self.rp_id.clone())
            .with_allow_credentials(credentials);
        if let Some(uv) = &user_verification {
            options = options.with_user_verification(uv.clone());
        }
        if let Some(timeout) = self.timeout {
            options = options.with_timeout(timeout);
        }
        let uv = user_verification.unwrap_or(UserVerificationRequirement::PREFERRED);
        Ok((options, AuthenticationState::new(challenge, uv, allowed)))
    }

    /// Verifies an authentication response (as `AuthenticationResponseJSON`).
    pub fn authenticate_complete_json(
        &self,
        state: &AuthenticationState,
        credentials: &[StoredCredential],
        response_json: &str,
    ) -> Result<AuthenticationResult, Error> {
        self.authenticate_complete(
            state,
            credentials,
            &AuthenticationResponse::from_json(response_json)?,
        )
    }

    /// Verifies an authentication response against `state` and the user's stored
    /// `credentials` (WebAuthn L3 §7.2).
    pub fn authenticate_complete(
        &self,
        state: &AuthenticationState,
        credentials: &[StoredCredential],
        response: &AuthenticationResponse,
    ) -> Result<AuthenticationResult, Error> {
        let credential = find_credential(state, credentials, response)?;
        let r = response.response();
        let client_data = r.client_data();
        checks::client_data(
            self,
            client_data,
            &ClientDataType::GET,
            state.challenge.as_bytes(),
        )?;
        let auth_data = r.authenticator_data();
        checks::authenticator_data(self, auth_data, &state.user_verification)?;
        let flags = auth_data.flags();
        if credential
            .backup_eligible
            .is_some_and(|be| be != flags.contains(AuthDataFlags::BACKUP_ELIGIBLE))
        {
            return Err(AuthenticatorDataError::BackupEligibilityChanged.into());
        }
        let message = auth_data.signed_message(&client_data.hash());
        signature::verify(&credential.public_key, &message, r.signature()).map_err(
            |e| match e {
                SignatureError::Invalid => CredentialError::InvalidSignature,
                SignatureError::Unsupported(alg) => CredentialError::UnsupportedAlgorithm(alg),
            },
        )?;
        let sign_count = auth_data.sign_count();
        let sign_count_regressed =
            (sign_count != 0 || credential.sign_count != 0) && sign_count <= credential.sign_count;
        Ok(AuthenticationResult {
            credential_id: credential.id.clone(),
            sign_count,
            sign_count_regressed,
            user_verified: flags.contains(AuthDataFlags::USER_VERIFIED),
            backed_up: flags.contains(AuthDataFlags::BACKED_UP),
            user_handle: r.user_handle().map(<[u8]>::to_vec),
            client_extension_results: response.client_extension_results().clone(),
            authenticator_extensions: auth_data.extensions_cbor().map(<[u8]>::to_vec),
        })
    }
}

/// §7.2 steps 5–6: the credential is allowed, known, and belongs to the user handle.
fn find_credential<'a>(
    state: &AuthenticationState,
    credentials: &'a [StoredCredential],
    response: &AuthenticationResponse,
) -> Result<&'a StoredCredential, CredentialError> {
    let id = response.raw_id();
    if !state.allowed_credentials.is_empty()
        && !state.allowed_credentials.iter().any(|c| c.as_bytes() == id)
    {
        return Err(CredentialError::NotAllowed);
    }
    let credential = credentials
        .iter()
        .find(|c| c.id == id)
        .ok_or(CredentialError::Unknown)?;
    match (response.response().user_handle(), &credential.user_handle) {
        (Some(given), Some(stored)) if given != stored.as_slice() => {
            Err(CredentialError::UserHandleMismatch)
        }
        (None, _) if state.allowed_credentials.is_empty() => {
            Err(CredentialError::UserHandleMissing)
        }
        _ => Ok(credential),
    }
}
