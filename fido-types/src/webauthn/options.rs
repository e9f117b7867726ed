//! WebAuthn request dictionaries (§5.4, §5.5, §5.8) in the shape of their Level 3 `*JSON`
//! forms (§5.1.8, §5.1.9): camelCase members, binary members as base64url, optional
//! members omitted when absent.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::cose::CoseAlgorithm;

use super::enums::lenient;
use super::{
    AttestationConveyancePreference, AuthenticationExtensionsClientInputs, AuthenticatorAttachment,
    AuthenticatorTransport, Base64UrlBytes, PublicKeyCredentialHint, PublicKeyCredentialType,
    ResidentKeyRequirement, UserVerificationRequirement,
};

/// Reads a list of dictionaries with a `type` member, dropping those whose type is not a
/// known [`PublicKeyCredentialType`] (WebAuthn §5.1.3 step 10 and §5.1.4.1: such entries
/// are skipped).
fn known_type_list<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    let items: Vec<serde_json::Value> = Vec::deserialize(d)?;
    items
        .into_iter()
        .filter(|item| {
            item.get("type")
                .and_then(|t| t.as_str())
                .is_some_and(|t| t.parse::<PublicKeyCredentialType>().is_ok())
        })
        .map(|item| serde_json::from_value(item).map_err(serde::de::Error::custom))
        .collect()
}

/// The relying party (§5.4.2). In JSON: `{"name": ..., "id": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PublicKeyCredentialRpEntity {
    /// A human-palatable name (deprecated in L3, still required).
    pub name: String,
    /// The RP ID; the caller's effective domain when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl PublicKeyCredentialRpEntity {
    /// An RP entity with a name and an RP ID.
    pub fn new(id: Option<String>, name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            id,
        }
    }
}

/// The user account (§5.4.3), as `PublicKeyCredentialUserEntityJSON`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublicKeyCredentialUserEntity {
    /// The user handle (at most 64 bytes).
    pub id: Base64UrlBytes,
    /// A human-palatable account identifier.
    pub name: String,
    /// A human-palatable display name.
    pub display_name: String,
}

impl PublicKeyCredentialUserEntity {
    /// A user entity.
    pub fn new(
        id: impl Into<Base64UrlBytes>,
        name: impl Into<String>,
        display_name: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            display_name: display_name.into(),
        }
    }
}

/// A credential type and algorithm the relying party accepts (§5.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PublicKeyCredentialParameters {
    /// The credential type.
    #[serde(rename = "type")]
    pub type_: PublicKeyCredentialType,
    /// The COSE algorithm.
    pub alg: CoseAlgorithm,
}

impl PublicKeyCredentialParameters {
    /// A `public-key` credential with algorithm `alg`.
    pub fn public_key(alg: CoseAlgorithm) -> Self {
        Self {
            type_: PublicKeyCredentialType::PUBLIC_KEY,
            alg,
        }
    }
}

/// A credential to exclude or allow (§5.8.3), as `PublicKeyCredentialDescriptorJSON`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PublicKeyCredentialDescriptor {
    /// The credential type.
    #[serde(rename = "type")]
    pub type_: PublicKeyCredentialType,
    /// The credential ID.
    pub id: Base64UrlBytes,
    /// Transports the client may use; unknown values are dropped when read.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::option_list"
    )]
    pub transports: Option<Vec<AuthenticatorTransport>>,
}

impl PublicKeyCredentialDescriptor {
    /// A `public-key` descriptor for credential `id`.
    pub fn public_key(id: impl Into<Base64UrlBytes>) -> Self {
        Self {
            type_: PublicKeyCredentialType::PUBLIC_KEY,
            id: id.into(),
            transports: None,
        }
    }

    /// The descriptor with `transports`.
    pub fn with_transports(mut self, transports: Vec<AuthenticatorTransport>) -> Self {
        self.transports = Some(transports);
        self
    }
}

/// Requirements on the authenticator for a registration (§5.4.4). Unknown enumeration
/// values read as absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuthenticatorSelectionCriteria {
    /// The wanted attachment.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::option"
    )]
    pub authenticator_attachment: Option<AuthenticatorAttachment>,
    /// Whether a discoverable credential is wanted.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::option"
    )]
    pub resident_key: Option<ResidentKeyRequirement>,
    /// The Level 1 form of `residentKey` (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_resident_key: Option<bool>,
    /// The user verification requirement (default `preferred`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::option"
    )]
    pub user_verification: Option<UserVerificationRequirement>,
}

impl AuthenticatorSelectionCriteria {
    /// The effective resident key requirement (§5.4.4): `residentKey` if known, else
    /// `required` if `requireResidentKey` is true, else `discouraged`.
    pub fn resident_key_requirement(&self) -> ResidentKeyRequirement {
        match (self.resident_key.clone(), self.require_resident_key) {
            (Some(rk), _) => rk,
            (None, Some(true)) => ResidentKeyRequirement::REQUIRED,
            _ => ResidentKeyRequirement::DISCOURAGED,
        }
    }

    /// The effective user verification requirement (absent means `preferred`).
    pub fn user_verification_requirement(&self) -> UserVerificationRequirement {
        self.user_verification
            .clone()
            .unwrap_or(UserVerificationRequirement::PREFERRED)
    }
}

/// Options for creating a credential (§5.4), in the shape of
/// `PublicKeyCredentialCreationOptionsJSON`.
///
/// The required members are [`new`](Self::new)'s arguments, so a missing one does not
/// compile; the optional ones are set with the `with_*` methods. The struct is
/// `#[non_exhaustive]`, so it cannot be built as a literal outside this crate.
///
/// A base64url string is not a challenge:
///
/// ```compile_fail,E0277
/// use fido_types::webauthn::PublicKeyCredentialRequestOptions;
/// let options = PublicKeyCredentialRequestOptions::new("cmVxdWVzdF9jaGFsbGVuZ2U");
/// ```
///
/// ```
/// use fido_types::cose::CoseAlgorithm;
/// use fido_types::webauthn::*;
/// let options = PublicKeyCredentialCreationOptions::new(
///     PublicKeyCredentialRpEntity::new(Some("example.com".into()), "Example"),
///     PublicKeyCredentialUserEntity::new(b"user_id", "a.user", "A. User"),
///     b"request_challenge",
///     vec![PublicKeyCredentialParameters::public_key(CoseAlgorithm::ES256)],
/// )
/// .with_timeout(60_000)
/// .with_attestation(AttestationConveyancePreference::DIRECT);
/// let json = serde_json::to_value(&options).unwrap();
/// assert_eq!(json["challenge"], "cmVxdWVzdF9jaGFsbGVuZ2U");
/// assert_eq!(json["user"]["displayName"], "A. User");
/// assert!(json.get("excludeCredentials").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublicKeyCredentialCreationOptions {
    /// The relying party.
    pub rp: PublicKeyCredentialRpEntity,
    /// The user account.
    pub user: PublicKeyCredentialUserEntity,
    /// The challenge.
    pub challenge: Base64UrlBytes,
    /// Acceptable credential types and algorithms, most preferred first; entries of an
    /// unknown type are dropped when read.
    #[serde(deserialize_with = "known_type_list")]
    pub pub_key_cred_params: Vec<PublicKeyCredentialParameters>,
    /// Timeout in milliseconds (a hint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    /// Credentials the authenticator must not already hold.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "known_type_list"
    )]
    pub exclude_credentials: Vec<PublicKeyCredentialDescriptor>,
    /// Authenticator requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_selection: Option<AuthenticatorSelectionCriteria>,
    /// Hints, most preferred first; unknown values are dropped when read.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient::list"
    )]
    pub hints: Vec<PublicKeyCredentialHint>,
    /// The attestation preference; absent (or unknown) means `none`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::option"
    )]
    pub attestation: Option<AttestationConveyancePreference>,
    /// Preferred attestation statement formats, most preferred first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attestation_formats: Vec<String>,
    /// Client extension inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<AuthenticationExtensionsClientInputs>,
}

impl PublicKeyCredentialCreationOptions {
    /// Options with the required members; everything optional absent.
    pub fn new(
        rp: PublicKeyCredentialRpEntity,
        user: PublicKeyCredentialUserEntity,
        challenge: impl Into<Base64UrlBytes>,
        pub_key_cred_params: Vec<PublicKeyCredentialParameters>,
    ) -> Self {
        Self {
            rp,
            user,
            challenge: challenge.into(),
            pub_key_cred_params,
            timeout: None,
            exclude_credentials: Vec::new(),
            authenticator_selection: None,
            hints: Vec::new(),
            attestation: None,
            attestation_formats: Vec::new(),
            extensions: None,
        }
    }

    /// Sets `timeout` (milliseconds).
    pub fn with_timeout(mut self, timeout: u32) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets `excludeCredentials`.
    pub fn with_exclude_credentials(mut self, list: Vec<PublicKeyCredentialDescriptor>) -> Self {
        self.exclude_credentials = list;
        self
    }

    /// Sets `authenticatorSelection`.
    pub fn with_authenticator_selection(mut self, s: AuthenticatorSelectionCriteria) -> Self {
        self.authenticator_selection = Some(s);
        self
    }

    /// Sets `hints`.
    pub fn with_hints(mut self, hints: Vec<PublicKeyCredentialHint>) -> Self {
        self.hints = hints;
        self
    }

    /// Sets `attestation`.
    pub fn with_attestation(mut self, a: AttestationConveyancePreference) -> Self {
        self.attestation = Some(a);
        self
    }

    /// Sets `attestationFormats`.
    pub fn with_attestation_formats(mut self, formats: Vec<String>) -> Self {
        self.attestation_formats = formats;
        self
    }

    /// Sets `extensions`.
    pub fn with_extensions(mut self, e: AuthenticationExtensionsClientInputs) -> Self {
        self.extensions = Some(e);
        self
    }

    /// Reads the JSON form (as `PublicKeyCredential.parseCreationOptionsFromJSON` does).
    pub fn from_json(json: &str) -> Result<Self, super::WebAuthnError> {
        Ok(serde_json::from_str(json)?)
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Options for getting an assertion (§5.5), in the shape of
/// `PublicKeyCredentialRequestOptionsJSON`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublicKeyCredentialRequestOptions {
    /// The challenge.
    pub challenge: Base64UrlBytes,
    /// Timeout in milliseconds (a hint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    /// The RP ID; the caller's effective domain when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rp_id: Option<String>,
    /// Acceptable credentials; empty for discoverable credentials.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "known_type_list"
    )]
    pub allow_credentials: Vec<PublicKeyCredentialDescriptor>,
    /// The user verification requirement; absent (or unknown) means `preferred`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::option"
    )]
    pub user_verification: Option<UserVerificationRequirement>,
    /// Hints, most preferred first; unknown values are dropped when read.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient::list"
    )]
    pub hints: Vec<PublicKeyCredentialHint>,
    /// Client extension inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<AuthenticationExtensionsClientInputs>,
}

impl PublicKeyCredentialRequestOptions {
    /// Options with the required challenge; everything optional absent.
    pub fn new(challenge: impl Into<Base64UrlBytes>) -> Self {
        Self {
            challenge: challenge.into(),
            timeout: None,
            rp_id: None,
            allow_credentials: Vec::new(),
            user_verification: None,
            hints: Vec::new(),
            extensions: None,
        }
    }

    /// Sets `timeout` (milliseconds).
    pub fn with_timeout(mut self, timeout: u32) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets `rpId`.
    pub fn with_rp_id(mut self, rp_id: impl Into<String>) -> Self {
        self.rp_id = Some(rp_id.into());
        self
    }

    /// Sets `allowCredentials`.
    pub fn with_allow_credentials(mut self, list: Vec<PublicKeyCredentialDescriptor>) -> Self {
        self.allow_credentials = list;
        self
    }

    /// Sets `userVerification`.
    pub fn with_user_verification(mut self, uv: UserVerificationRequirement) -> Self {
        self.user_verification = Some(uv);
        self
    }

    /// Sets `hints`.
    pub fn with_hints(mut self, hints: Vec<PublicKeyCredentialHint>) -> Self {
        self.hints = hints;
        self
    }

    /// Sets `extensions`.
    pub fn with_extensions(mut self, e: AuthenticationExtensionsClientInputs) -> Self {
        self.extensions = Some(e);
        self
    }

    /// The effective user verification requirement (absent means `preferred`).
    pub fn user_verification_requirement(&self) -> UserVerificationRequirement {
        self.user_verification
            .clone()
            .unwrap_or(UserVerificationRequirement::PREFERRED)
    }

    /// Reads the JSON form (as `PublicKeyCredential.parseRequestOptionsFromJSON` does).
    pub fn from_json(json: &str) -> Result<Self, super::WebAuthnError> {
        Ok(serde_json::from_str(json)?)
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
