//! The registration ceremony: creation options out, the response verified
//! (WebAuthn L3 §7.1).

use fido_types::cose::{CoseAlgorithm, CoseKey};
use fido_types::generated::webauthn::ClientDataType;
use fido_types::webauthn::{
    Aaguid, AuthDataFlags, AuthenticationExtensionsClientOutputs, AuthenticatorSelectionCriteria,
    AuthenticatorTransport, PublicKeyCredentialCreationOptions, PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters, PublicKeyCredentialUserEntity, RegistrationResponse,
    UserVerificationRequirement,
};

use crate::attestation::{self, VerifiedAttestation};
use crate::checks;
use crate::error::{AuthenticatorDataError, Error};
use crate::server::Fido2Server;
use crate::state::RegistrationState;

/// The longest credential ID a relying party accepts (§7.1 step 25).
const MAX_CREDENTIAL_ID_LEN: usize = 1023;

/// A credential that passed registration: what the relying party stores, and what it
/// learnt about the authenticator.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RegisteredCredential {
    /// The credential ID.
    pub credential_id: Vec<u8>,
    /// The credential public key.
    pub public_key: CoseKey,
    /// Its algorithm.
    pub algorithm: CoseAlgorithm,
    /// The signature counter at registration.
    pub sign_count: u32,
    /// The authenticator's AAGUID.
    pub aaguid: Aaguid,
    /// Whether the user was verified (UV).
    pub user_verified: bool,
    /// Whether the credential may be backed up (BE).
    pub backup_eligible: bool,
    /// Whether it is backed up (BS).
    pub backed_up: bool,
    /// The transports the client reported.
    pub transports: Vec<AuthenticatorTransport>,
    /// The verified attestation: format, type, trust path.
    pub attestation: VerifiedAttestation,
    /// Whether the trust path was validated up to a root of the trust store.
    pub trusted: bool,
    /// The client extension outputs.
    pub client_extension_results: AuthenticationExtensionsClientOutputs,
    /// The authenticator extension outputs (CBOR), if any.
    pub authenticator_extensions: Option<Vec<u8>>,
}

impl Fido2Server {
    /// Creation options for `user` (excluding the credentials given) and the state to keep
    /// until [`register_complete`](Self::register_complete).
    pub fn register_begin(
        &self,
        user: PublicKeyCredentialUserEntity,
        exclude_credentials: Vec<PublicKeyCredentialDescriptor>,
        selection: Option<AuthenticatorSelectionCriteria>,
    ) -> Result<(PublicKeyCredentialCreationOptions, RegistrationState), Error> {
        let challenge = checks::random_challenge()?;
        let user_verification = selection
            .as_ref()
            .map(AuthenticatorSelectionCriteria::user_verification_requirement)
            .unwrap_or(UserVerificationRequirement::PREFERRED);
        let params = self
            .algorithms
            .iter()
            .map(|alg| PublicKeyCredentialParameters::public_key(*alg))
            .collect();
        let mut options = PublicKeyCredentialCreationOptions::new(
            self.rp.clone(),
            user,
            challenge.clone(),
            params,
        )
        .with_exclude_credentials(exclude_credentials)
        .with_attestation(self.attestation.clone());
        if let Some(selection) = selection {
            options = options.with_authenticator_selection(selection);
        }
        if let Some(timeout) = self.timeout {
            options = options.with_timeout(timeout);
        }
        Ok((
            options,
            RegistrationState::new(challenge, user_verification),
        ))
    }

    /// Verifies a registration response (as `RegistrationResponseJSON`) against `state`.
    pub fn register_complete_json(
        &self,
        state: &RegistrationState,
        response_json: &str,
    ) -> Result<RegisteredCredential, Error> {
        self.register_complete(state, &RegistrationResponse::from_json(response_json)?)
    }

    /// Verifies a registration response against `state` (WebAuthn L3 §7.1): client data,
    /// authenticator data, the algorithm, the attestation statement and, when a trust
    /// store is set, its trust path.
    pub fn register_complete(
        &self,
        state: &RegistrationState,
        response: &RegistrationResponse,
    ) -> Result<RegisteredCredential, Error> {
        let r = response.response();
        let client_data = r.client_data();
        checks::client_data(
            self,
            client_data,
            &ClientDataType::CREATE,
            state.challenge.as_bytes(),
        )?;
        let auth_data = r.authenticator_data();
        checks::authenticator_data(self, auth_data, &state.user_verification)?;
        let acd = auth_data
            .attested_credential_data()
            .ok_or(AuthenticatorDataError::MissingCredentialData)?;
        let algorithm = r.public_key_algorithm();
        if !self.algorithms.contains(&algorithm) {
            return Err(AuthenticatorDataError::AlgorithmNotAllowed(algorithm).into());
        }
        let attestation = attestation::verify(r.attestation_object(), &client_data.hash())?;
        let trusted = match &self.trust {
            Some(trust) => {
                trust.verify(&attestation, self.now())?;
                true
            }
            None => false,
        };
        if acd.credential_id().len() > MAX_CREDENTIAL_ID_LEN {
            return Err(
                AuthenticatorDataError::CredentialIdTooLong(acd.credential_id().len()).into(),
            );
        }
        if acd.credential_id() != response.raw_id() {
            return Err(AuthenticatorDataError::CredentialIdMismatch.into());
        }
        let flags = auth_data.flags();
        Ok(RegisteredCredential {
            credential_id: acd.credential_id().to_vec(),
            public_key: acd.public_key().clone(),
            algorithm,
            sign_count: auth_data.sign_count(),
            aaguid: acd.aaguid(),
            user_verified: flags.contains(AuthDataFlags::USER_VERIFIED),
            backup_eligible: flags.contains(AuthDataFlags::BACKUP_ELIGIBLE),
            backed_up: flags.contains(AuthDataFlags::BACKED_UP),
            transports: r.transports().to_vec(),
            attestation,
            trusted,
            client_extension_results: response.client_extension_results().clone(),
            authenticator_extensions: auth_data.extensions_cbor().map(<[u8]>::to_vec),
        })
    }
}
