//! What the relying party keeps between `*_begin` and `*_complete`: small, serializable
//! (JSON) values the caller stores, e.g. in its session.

use fido_types::webauthn::{Base64UrlBytes, UserVerificationRequirement};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The state of a registration ceremony.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationState {
    /// The challenge issued.
    pub challenge: Base64UrlBytes,
    /// The user verification requirement of the options.
    pub user_verification: UserVerificationRequirement,
}

/// The state of an authentication ceremony.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationState {
    /// The challenge issued.
    pub challenge: Base64UrlBytes,
    /// The user verification requirement of the options.
    pub user_verification: UserVerificationRequirement,
    /// The credential IDs of the allow list; empty when any discoverable credential may
    /// answer.
    #[serde(default)]
    pub allowed_credentials: Vec<Base64UrlBytes>,
}

impl RegistrationState {
    /// A state for `challenge` (for a verifier that issued the options itself).
    pub fn new(challenge: Vec<u8>, user_verification: UserVerificationRequirement) -> Self {
        Self {
            challenge: challenge.into(),
            user_verification,
        }
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the JSON form.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        serde_json::from_str(json).map_err(|e| Error::State(e.to_string()))
    }
}

impl AuthenticationState {
    /// A state for `challenge` (for a verifier that issued the options itself).
    pub fn new(
        challenge: Vec<u8>,
        user_verification: UserVerificationRequirement,
        allowed_credentials: Vec<Vec<u8>>,
    ) -> Self {
        Self {
            challenge: challenge.into(),
            user_verification,
            allowed_credentials: allowed_credentials.into_iter().map(Into::into).collect(),
        }
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the JSON form.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        serde_json::from_str(json).map_err(|e| Error::State(e.to_string()))
    }
}
