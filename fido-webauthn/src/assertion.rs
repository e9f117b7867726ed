//! The result of a getAssertion: python-fido2's `AssertionSelection`.
//!
//! An authenticator may return several assertions (discoverable credentials, one per
//! account: getAssertion then getNextAssertion). [`AssertionSelection`] holds them all
//! with the client data they sign, so the caller (or the user) can look at them and
//! pick one; [`AssertionSelection::response`] turns the chosen one into the WebAuthn
//! [`AuthenticationResponse`].

use fido_types::ctap2::GetAssertionResponse;
use fido_types::webauthn::{
    AuthenticationExtensionsClientOutputs, AuthenticationResponse, AuthenticatorAssertionResponse,
    AuthenticatorAttachment, AuthenticatorData, CollectedClientData,
};

use crate::error::Error;

/// One or more assertions from one getAssertion, and the client data they sign.
#[derive(Debug, Clone, PartialEq)]
pub struct AssertionSelection {
    client_data: CollectedClientData,
    assertions: Vec<GetAssertionResponse>,
    /// One per assertion (hmac-secret and largeBlob outputs differ per credential).
    extension_results: Vec<AuthenticationExtensionsClientOutputs>,
}

impl AssertionSelection {
    /// The assertions in the order the authenticator gave them, with the client data of
    /// the request and the client extension outputs that apply to every assertion.
    pub fn new(
        client_data: CollectedClientData,
        assertions: Vec<GetAssertionResponse>,
        extension_results: AuthenticationExtensionsClientOutputs,
    ) -> Self {
        let extension_results = vec![extension_results; assertions.len()];
        AssertionSelection {
            client_data,
            assertions,
            extension_results,
        }
    }

    /// The assertions with the client extension outputs of each (`extension_results[i]`
    /// belongs to `assertions[i]`; missing ones are empty).
    pub fn with_extension_results(
        client_data: CollectedClientData,
        assertions: Vec<GetAssertionResponse>,
        mut extension_results: Vec<AuthenticationExtensionsClientOutputs>,
    ) -> Self {
        extension_results.resize_with(assertions.len(), Default::default);
        AssertionSelection {
            client_data,
            assertions,
            extension_results,
        }
    }

    /// The client extension outputs of the assertion at `index`.
    pub fn extension_results(
        &self,
        index: usize,
    ) -> Option<&AuthenticationExtensionsClientOutputs> {
        self.extension_results.get(index)
    }

    /// The raw assertions, to inspect before choosing (python-fido2 `get_assertions`).
    pub fn assertions(&self) -> &[GetAssertionResponse] {
        &self.assertions
    }

    /// The client data every assertion signs.
    pub fn client_data(&self) -> &CollectedClientData {
        &self.client_data
    }

    /// Number of assertions.
    pub fn len(&self) -> usize {
        self.assertions.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.assertions.is_empty()
    }

    /// The assertion at `index` as a WebAuthn response (python-fido2 `get_response`):
    /// credential ID, parsed authenticator data, signature, user handle, attachment
    /// `cross-platform`.
    ///
    /// # Errors
    /// [`Error::BadRequest`] for an index out of range; [`Error::InvalidResponse`] when
    /// the assertion has no credential (the client fills it in when the allow list had
    /// one entry, CTAP 2.1 §6.2.2) or its authenticator data does not parse.
    pub fn response(&self, index: usize) -> Result<AuthenticationResponse, Error> {
        let assertion = self.assertions.get(index).ok_or_else(|| {
            Error::BadRequest(format!(
                "assertion {index} requested, {} available",
                self.assertions.len()
            ))
        })?;
        let credential = assertion
            .credential
            .as_ref()
            .ok_or_else(|| Error::InvalidResponse("the assertion names no credential".into()))?;
        let authenticator_data = AuthenticatorData::from_bytes(&assertion.auth_data)
            .map_err(|e| Error::InvalidResponse(format!("authenticator data: {e}")))?;
        let response = AuthenticatorAssertionResponse::new(
            self.client_data.clone(),
            authenticator_data,
            assertion.signature.clone(),
            assertion.user.as_ref().map(|user| user.id.clone()),
        );
        Ok(AuthenticationResponse::new(
            credential.id.clone(),
            response,
            Some(AuthenticatorAttachment::CROSS_PLATFORM),
            self.extension_results
                .get(index)
                .cloned()
                .unwrap_or_default(),
        ))
    }
}

#[cfg(test)]
mod tests;
