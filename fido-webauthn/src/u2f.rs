//! Can a CTAP1/U2F authenticator serve this request? The checks python-fido2's
//! `_Ctap1ClientBackend` makes before it falls back to U2F, and the U2F application
//! parameter.
//!
//! U2F has no discoverable credentials, no user verification, only ES256 keys and no
//! enterprise attestation, and it can only sign with a credential the RP names. A request
//! needing any of these fails with CONFIGURATION_UNSUPPORTED (python-fido2 raises
//! `CtapError(UNSUPPORTED_OPTION)`, which maps to the same code).
//!
//! ```
//! use fido_types::cose::CoseAlgorithm;
//! use fido_types::webauthn::*;
//! use fido_webauthn::u2f;
//!
//! let options = PublicKeyCredentialCreationOptions::new(
//!     PublicKeyCredentialRpEntity::new(Some("example.com".into()), "Example"),
//!     PublicKeyCredentialUserEntity::new(b"user_id", "a.user", "A. User"),
//!     b"challenge",
//!     vec![PublicKeyCredentialParameters::public_key(CoseAlgorithm::ES256)],
//! );
//! assert!(u2f::check_make_credential(&options).is_ok());
//! let get = PublicKeyCredentialRequestOptions::new(b"challenge");
//! assert!(u2f::check_get_assertion(&get).is_err()); // no allow list
//! ```

use fido_types::cose::CoseAlgorithm;
use fido_types::webauthn::{
    AttestationConveyancePreference, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialRequestOptions, ResidentKeyRequirement, UserVerificationRequirement,
};
use ring::digest;

use crate::error::Error;

/// Checks that a registration can be done with U2F.
///
/// Differences from python-fido2: the effective resident-key requirement is read as
/// WebAuthn §5.4.4 defines it (`residentKey`, else `requireResidentKey`), and an empty
/// `pubKeyCredParams` counts as ES256 and RS256 (WebAuthn §5.1.3 step 10 fills them in),
/// where python-fido2 refuses it.
///
/// # Errors
/// [`Error::Unsupported`] naming the first feature U2F lacks.
pub fn check_make_credential(options: &PublicKeyCredentialCreationOptions) -> Result<(), Error> {
    let selection = options.authenticator_selection.clone().unwrap_or_default();
    if selection.resident_key_requirement() == ResidentKeyRequirement::REQUIRED {
        return Err(unsupported("discoverable credentials"));
    }
    if selection.user_verification_requirement() == UserVerificationRequirement::REQUIRED {
        return Err(unsupported("user verification"));
    }
    let es256 = options.pub_key_cred_params.is_empty()
        || options
            .pub_key_cred_params
            .iter()
            .any(|p| p.alg == CoseAlgorithm::ES256);
    if !es256 {
        return Err(unsupported("algorithms other than ES256"));
    }
    if options.attestation == Some(AttestationConveyancePreference::ENTERPRISE) {
        return Err(unsupported("enterprise attestation"));
    }
    Ok(())
}

/// Checks that an authentication can be done with U2F: no required user
/// verification, and a non-empty allow list.
///
/// # Errors
/// [`Error::Unsupported`] naming what U2F lacks.
pub fn check_get_assertion(options: &PublicKeyCredentialRequestOptions) -> Result<(), Error> {
    if options.user_verification_requirement() == UserVerificationRequirement::REQUIRED {
        return Err(unsupported("user verification"));
    }
    if options.allow_credentials.is_empty() {
        return Err(unsupported("discoverable credentials (empty allow list)"));
    }
    Ok(())
}

/// The U2F application parameter for an RP ID: SHA-256 of its UTF-8 bytes (FIDO U2F Raw
/// Message Formats §4.1; WebAuthn's `rpIdHash` is the same value).
pub fn app_param(rp_id: &str) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, rp_id.as_bytes()).as_ref());
    out
}

fn unsupported(what: &str) -> Error {
    Error::Unsupported(format!("{what} (CTAP1/U2F authenticator)"))
}

#[cfg(test)]
mod tests;
