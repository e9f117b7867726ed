//! Responses of the WebAuthn ceremonies (§5.2) and their Level 3 JSON forms (§5.1.8:
//! `RegistrationResponseJSON`, `AuthenticationResponseJSON`).
//!
//! In memory a response holds binary, typed values ([`CollectedClientData`],
//! [`AttestationObject`], [`AuthenticatorData`]); only the JSON form carries base64url.

use serde::{Deserialize, Serialize};

use crate::cose::{CoseAlgorithm, CoseKey};

use super::enums::lenient;
use super::{
    AttestationObject, AuthenticationExtensionsClientOutputs, AuthenticatorAttachment,
    AuthenticatorData, AuthenticatorTransport, Base64UrlBytes, CollectedClientData,
    PublicKeyCredentialType, WebAuthnError, base64url,
};

/// The authenticator's response to a registration (§5.2.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AttestationResponseJson", into = "AttestationResponseJson")]
pub struct AuthenticatorAttestationResponse {
    client_data: CollectedClientData,
    attestation_object: AttestationObject,
    transports: Vec<AuthenticatorTransport>,
    public_key: CoseKey,
    public_key_algorithm: CoseAlgorithm,
}

impl AuthenticatorAttestationResponse {
    /// A registration response. The attestation object must hold attested credential data
    /// whose key names its algorithm.
    pub fn new(
        client_data: CollectedClientData,
        attestation_object: AttestationObject,
        transports: Vec<AuthenticatorTransport>,
    ) -> Result<Self, WebAuthnError> {
        let acd = attestation_object
            .auth_data()
            .attested_credential_data()
            .ok_or(WebAuthnError::MissingField("attested credential data"))?;
        let public_key_algorithm = acd.public_key().alg().ok_or(WebAuthnError::invalid(
            "credential public key",
            "no algorithm",
        ))?;
        let public_key = acd.public_key().clone();
        Ok(Self {
            client_data,
            attestation_object,
            transports,
            public_key,
            public_key_algorithm,
        })
    }

    /// The client data.
    pub fn client_data(&self) -> &CollectedClientData {
        &self.client_data
    }

    /// The attestation object.
    pub fn attestation_object(&self) -> &AttestationObject {
        &self.attestation_object
    }

    /// The authenticator's transports.
    pub fn transports(&self) -> &[AuthenticatorTransport] {
        &self.transports
    }

    /// The authenticator data (`getAuthenticatorData()`).
    pub fn authenticator_data(&self) -> &AuthenticatorData {
        self.attestation_object.auth_data()
    }

    /// The credential public key.
    pub fn public_key(&self) -> &CoseKey {
        &self.public_key
    }

    /// The credential public key as SubjectPublicKeyInfo DER (`getPublicKey()`), or `None`
    /// for an algorithm this crate cannot express as SPKI.
    pub fn public_key_spki(&self) -> Option<Vec<u8>> {
        self.public_key().to_spki_der().ok()
    }

    /// The credential's algorithm (`getPublicKeyAlgorithm()`).
    pub fn public_key_algorithm(&self) -> CoseAlgorithm {
        self.public_key_algorithm
    }

    /// Checks the attestation signature against this response's client data (see
    /// [`AttestationObject::verify_signature`]).
    pub fn verify_attestation_signature(&self) -> Result<super::AttestationSigner, WebAuthnError> {
        self.attestation_object
            .verify_signature(&self.client_data.hash())
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AttestationResponseJson {
    #[serde(rename = "clientDataJSON")]
    client_data_json: Base64UrlBytes,
    // The members below repeat what the attestation object holds. python-fido2 and older
    // browsers omit them: read absent ones from the attestation object, and refuse present
    // ones that disagree with it.
    #[serde(default)]
    authenticator_data: Option<Base64UrlBytes>,
    #[serde(default, deserialize_with = "lenient::list")]
    transports: Vec<AuthenticatorTransport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    public_key: Option<Base64UrlBytes>,
    #[serde(default)]
    public_key_algorithm: Option<CoseAlgorithm>,
    attestation_object: Base64UrlBytes,
}

impl From<AuthenticatorAttestationResponse> for AttestationResponseJson {
    fn from(r: AuthenticatorAttestationResponse) -> Self {
        Self {
            client_data_json: r.client_data.as_bytes().into(),
            authenticator_data: Some(r.authenticator_data().as_bytes().into()),
            transports: r.transports.clone(),
            public_key: r.public_key_spki().map(Base64UrlBytes::from),
            public_key_algorithm: Some(r.public_key_algorithm),
            attestation_object: r.attestation_object.as_bytes().into(),
        }
    }
}

impl TryFrom<AttestationResponseJson> for AuthenticatorAttestationResponse {
    type Error = WebAuthnError;
    fn try_from(j: AttestationResponseJson) -> Result<Self, WebAuthnError> {
        let client_data = CollectedClientData::from_bytes(&j.client_data_json)?;
        let attestation_object = AttestationObject::from_cbor(&j.attestation_object)?;
        if let Some(auth_data) = &j.authenticator_data
            && attestation_object.auth_data().as_bytes() != auth_data.as_bytes()
        {
            return Err(WebAuthnError::invalid(
                "authenticatorData",
                "differs from the attestation object's authData",
            ));
        }
        let r = Self::new(client_data, attestation_object, j.transports)?;
        if j.public_key_algorithm
            .is_some_and(|alg| alg != r.public_key_algorithm)
        {
            return Err(WebAuthnError::invalid(
                "publicKeyAlgorithm",
                "differs from the credential public key's algorithm",
            ));
        }
        // `publicKey` is absent for algorithms without an SPKI form; where both exist they
        // must be the same key.
        if let (Some(given), Some(derived)) = (&j.public_key, r.public_key_spki())
            && given.as_bytes() != derived.as_slice()
        {
            return Err(WebAuthnError::invalid(
                "publicKey",
                "differs from the credential public key",
            ));
        }
        Ok(r)
    }
}

/// The authenticator's response to an authentication (§5.2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AssertionResponseJson", into = "AssertionResponseJson")]
pub struct AuthenticatorAssertionResponse {
    client_data: CollectedClientData,
    authenticator_data: AuthenticatorData,
    signature: Vec<u8>,
    user_handle: Option<Vec<u8>>,
}

impl AuthenticatorAssertionResponse {
    /// An authentication response.
    pub fn new(
        client_data: CollectedClientData,
        authenticator_data: AuthenticatorData,
        signature: Vec<u8>,
        user_handle: Option<Vec<u8>>,
    ) -> Self {
        Self {
            client_data,
            authenticator_data,
            signature,
            user_handle,
        }
    }

    /// The client data.
    pub fn client_data(&self) -> &CollectedClientData {
        &self.client_data
    }

    /// The authenticator data.
    pub fn authenticator_data(&self) -> &AuthenticatorData {
        &self.authenticator_data
    }

    /// The assertion signature.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The user handle, if the authenticator returned one.
    pub fn user_handle(&self) -> Option<&[u8]> {
        self.user_handle.as_deref()
    }

    /// Checks the signature over the authenticator data and the hash of this response's
    /// client data with the credential's `public_key` (WebAuthn §7.2 step 21). Nothing
    /// else (challenge, origin, RP ID hash, flags) is checked.
    pub fn verify(&self, public_key: &CoseKey) -> Result<(), WebAuthnError> {
        self.verify_with_client_data_hash(public_key, &self.client_data.hash())
    }

    /// Checks the signature against a client data hash given by the caller.
    pub fn verify_with_client_data_hash(
        &self,
        public_key: &CoseKey,
        client_data_hash: &[u8; 32],
    ) -> Result<(), WebAuthnError> {
        self.authenticator_data
            .verify_signature(client_data_hash, &self.signature, public_key)
            .map_err(WebAuthnError::from)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssertionResponseJson {
    #[serde(rename = "clientDataJSON")]
    client_data_json: Base64UrlBytes,
    authenticator_data: Base64UrlBytes,
    signature: Base64UrlBytes,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user_handle: Option<Base64UrlBytes>,
}

impl From<AuthenticatorAssertionResponse> for AssertionResponseJson {
    fn from(r: AuthenticatorAssertionResponse) -> Self {
        Self {
            client_data_json: r.client_data.as_bytes().into(),
            authenticator_data: r.authenticator_data.as_bytes().into(),
            signature: r.signature.into(),
            user_handle: r.user_handle.map(Base64UrlBytes::from),
        }
    }
}

impl TryFrom<AssertionResponseJson> for AuthenticatorAssertionResponse {
    type Error = WebAuthnError;
    fn try_from(j: AssertionResponseJson) -> Result<Self, WebAuthnError> {
        Ok(Self {
            client_data: CollectedClientData::from_bytes(&j.client_data_json)?,
            authenticator_data: AuthenticatorData::from_bytes(&j.authenticator_data)?,
            signature: j.signature.into_vec(),
            user_handle: j.user_handle.map(Base64UrlBytes::into_vec),
        })
    }
}

/// A public key credential returned by a ceremony: `R` is
/// [`AuthenticatorAttestationResponse`] ([`RegistrationResponse`]) or
/// [`AuthenticatorAssertionResponse`] ([`AuthenticationResponse`]).
///
/// Its JSON form is what `PublicKeyCredential.toJSON()` gives: `id` (base64url of the raw
/// ID, checked on reading), `rawId`, `response`, `authenticatorAttachment` (unknown reads
/// as absent), `clientExtensionResults` and `type` (`public-key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "CredentialJson<R>",
    into = "CredentialJson<R>",
    bound(
        serialize = "R: Serialize + Clone",
        deserialize = "R: Deserialize<'de>"
    )
)]
pub struct PublicKeyCredential<R> {
    raw_id: Vec<u8>,
    response: R,
    authenticator_attachment: Option<AuthenticatorAttachment>,
    client_extension_results: AuthenticationExtensionsClientOutputs,
}

/// The result of a registration ceremony (`RegistrationResponseJSON`).
pub type RegistrationResponse = PublicKeyCredential<AuthenticatorAttestationResponse>;
/// The result of an authentication ceremony (`AuthenticationResponseJSON`).
pub type AuthenticationResponse = PublicKeyCredential<AuthenticatorAssertionResponse>;

impl<R> PublicKeyCredential<R> {
    /// A credential with raw ID `raw_id`.
    pub fn new(
        raw_id: Vec<u8>,
        response: R,
        authenticator_attachment: Option<AuthenticatorAttachment>,
        client_extension_results: AuthenticationExtensionsClientOutputs,
    ) -> Self {
        Self {
            raw_id,
            response,
            authenticator_attachment,
            client_extension_results,
        }
    }

    /// `id`: the raw ID as base64url.
    pub fn id(&self) -> String {
        base64url::encode(&self.raw_id)
    }

    /// The credential ID.
    pub fn raw_id(&self) -> &[u8] {
        &self.raw_id
    }

    /// The authenticator's response.
    pub fn response(&self) -> &R {
        &self.response
    }

    /// The authenticator attachment, if the client reported one.
    pub fn authenticator_attachment(&self) -> Option<AuthenticatorAttachment> {
        self.authenticator_attachment.clone()
    }

    /// The client extension outputs.
    pub fn client_extension_results(&self) -> &AuthenticationExtensionsClientOutputs {
        &self.client_extension_results
    }

    /// The JSON form.
    pub fn to_json(&self) -> String
    where
        R: Serialize + Clone,
    {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the JSON form.
    pub fn from_json(json: &str) -> Result<Self, WebAuthnError>
    where
        R: serde::de::DeserializeOwned,
    {
        Ok(serde_json::from_str(json)?)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialJson<R> {
    id: String,
    raw_id: Base64UrlBytes,
    response: R,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::option"
    )]
    authenticator_attachment: Option<AuthenticatorAttachment>,
    client_extension_results: AuthenticationExtensionsClientOutputs,
    #[serde(rename = "type")]
    type_: String,
}

impl<R> From<PublicKeyCredential<R>> for CredentialJson<R> {
    fn from(c: PublicKeyCredential<R>) -> Self {
        Self {
            id: c.id(),
            raw_id: c.raw_id.into(),
            response: c.response,
            authenticator_attachment: c.authenticator_attachment,
            client_extension_results: c.client_extension_results,
            type_: PublicKeyCredentialType::PUBLIC_KEY.as_str().to_owned(),
        }
    }
}

impl<R> TryFrom<CredentialJson<R>> for PublicKeyCredential<R> {
    type Error = WebAuthnError;
    fn try_from(j: CredentialJson<R>) -> Result<Self, WebAuthnError> {
        if j.type_.parse::<PublicKeyCredentialType>().is_err() {
            return Err(WebAuthnError::invalid(
                "type",
                format!("{:?} is not public-key", j.type_),
            ));
        }
        if base64url::decode(&j.id)? != j.raw_id.as_bytes() {
            return Err(WebAuthnError::invalid(
                "id",
                "is not the base64url of rawId",
            ));
        }
        Ok(Self {
            raw_id: j.raw_id.into_vec(),
            response: j.response,
            authenticator_attachment: j.authenticator_attachment,
            client_extension_results: j.client_extension_results,
        })
    }
}
