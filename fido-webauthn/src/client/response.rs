//! WebAuthn registration responses from an authenticator's answer, the same for both
//! backends: the attestation conveyance preference applied (WebAuthn L3 §5.1.3, see
//! [`crate::conveyance`]) and the client extension outputs.

use fido_types::cbor;
use fido_types::ctap2::MakeCredentialResponse;
use fido_types::webauthn::{
    AttestationConveyancePreference, AttestationObject, AuthenticationExtensionsClientOutputs,
    AuthenticatorAttachment, AuthenticatorAttestationResponse, CollectedClientData,
    CredentialPropertiesOutput, PublicKeyCredentialCreationOptions, RegistrationResponse,
};

use crate::conveyance::convey;
use crate::error::Error;

/// The client extension outputs of a registration: `credProps` (WebAuthn L3 §10.1.3) when
/// asked for, with `rk` whether the credential was made discoverable (the `rk` option
/// sent; always false over U2F).
pub(crate) fn cred_props(
    options: &PublicKeyCredentialCreationOptions,
    rk: bool,
) -> AuthenticationExtensionsClientOutputs {
    let mut outputs = AuthenticationExtensionsClientOutputs::default();
    let asked = options
        .extensions
        .as_ref()
        .is_some_and(|e| e.cred_props == Some(true));
    if asked {
        outputs.cred_props = Some(CredentialPropertiesOutput::new(Some(rk)));
    }
    outputs
}

/// The attestation object of an authenticatorMakeCredential answer.
///
/// # Errors
/// [`Error::InvalidResponse`] when its parts do not make one.
pub(crate) fn ctap2_attestation(
    response: &MakeCredentialResponse,
) -> Result<AttestationObject, Error> {
    let att_stmt = cbor::to_vec(&response.att_stmt)
        .map_err(|e| Error::InvalidResponse(format!("attStmt: {e}")))?;
    AttestationObject::from_ctap2_parts(&response.fmt, &response.auth_data, &att_stmt)
        .map_err(|e| Error::InvalidResponse(format!("attestation object: {e}")))
}

/// The registration response for `attestation_object`, conveyed as `preference` asks;
/// the credential ID is the one in its attested credential data.
///
/// # Errors
/// [`Error::InvalidResponse`] without attested credential data, or when the parts do not
/// make a response.
pub(crate) fn registration(
    client_data: CollectedClientData,
    attestation_object: AttestationObject,
    preference: Option<AttestationConveyancePreference>,
    outputs: AuthenticationExtensionsClientOutputs,
) -> Result<RegistrationResponse, Error> {
    let attestation_object = convey(preference, attestation_object);
    let credential_id = attestation_object
        .auth_data()
        .attested_credential_data()
        .ok_or_else(|| Error::InvalidResponse("no attested credential data".into()))?
        .credential_id()
        .to_vec();
    let response =
        AuthenticatorAttestationResponse::new(client_data, attestation_object, Vec::new())
            .map_err(|e| Error::InvalidResponse(format!("attestation response: {e}")))?;
    Ok(RegistrationResponse::new(
        credential_id,
        response,
        Some(AuthenticatorAttachment::CROSS_PLATFORM),
        outputs,
    ))
}
