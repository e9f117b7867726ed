//! The WebAuthn data model: authenticator data, attestation objects, client data and the Level 3 JSON dictionaries.
//!
//! Binary structures ([`AuthenticatorData`], [`AttestationObject`],
//! [`CollectedClientData`], [`Aaguid`]) keep the exact bytes they were read from, since
//! signatures cover those bytes. The WebAuthn dictionaries (options, responses,
//! extensions) serialize with serde to exactly the shape of the Level 3 `*JSON` IDL
//! (camelCase, base64url without padding, optional members omitted), so browser
//! `toJSON()` output parses and relying-party libraries accept ours. Binary members of
//! JSON dictionaries are [`Base64UrlBytes`], which is built from bytes only: text where
//! bytes are expected does not compile.
//!
//! Unknown enumeration values in JSON are treated as absent, as WebAuthn §2.1.1 asks; see
//! [`lenient`].

mod aaguid;
mod attestation_object;
mod authenticator_data;
pub mod base64url;
mod client_data;
mod enums;
mod error;
mod extensions;
mod options;
mod response;

/// The credProtect level a client extension input asks for (its JSON form is the level's
/// spec name, e.g. `"userVerificationRequired"`).
pub use crate::generated::extensions::CredProtectPolicy;
pub use aaguid::Aaguid;
pub use attestation_object::{
    AttestationObject, AttestationSigner, AttestationStatement, CompoundMember,
    MAX_COMPOUND_MEMBERS,
};
pub use authenticator_data::{AttestedCredentialData, AuthDataFlags, AuthenticatorData};
pub use base64url::Base64UrlBytes;
pub use client_data::CollectedClientData;
pub use enums::{
    AttestationConveyancePreference, AuthenticatorAttachment, AuthenticatorTransport,
    ClientDataType, LargeBlobSupport, PublicKeyCredentialHint, PublicKeyCredentialType,
    ResidentKeyRequirement, UnknownValue, UserVerificationRequirement, lenient,
};
pub use error::WebAuthnError;
pub use extensions::{
    AuthenticationExtensionsClientInputs, AuthenticationExtensionsClientOutputs,
    CredentialPropertiesOutput, HmacGetSecretInputs, HmacGetSecretOutputs, LargeBlobInputs,
    LargeBlobOutputs, PrfInputs, PrfOutputs, PrfValues,
};
pub use options::{
    AuthenticatorSelectionCriteria, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor, PublicKeyCredentialParameters,
    PublicKeyCredentialRequestOptions, PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity,
};
pub use response::{
    AuthenticationResponse, AuthenticatorAssertionResponse, AuthenticatorAttestationResponse,
    PublicKeyCredential, RegistrationResponse,
};
