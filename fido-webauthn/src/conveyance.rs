//! Attestation conveyance (WebAuthn L3 §5.1.3 createCredential, step "constructCredentialAlg",
//! and §5.4.7 `AttestationConveyancePreference`): what the client hands the relying party
//! of the authenticator's attestation.
//!
//! - `none` (the default, also for an absent or unknown preference): a self attestation
//!   (AAGUID all zeros, `packed`, no `x5c`) is kept; anything else becomes
//!   `fmt: "none"` with an empty `attStmt`. L3 (w3c/webauthn index.bs) no longer replaces
//!   the AAGUID (Level 2 did), so the authenticator data and its AAGUID are kept as they
//!   are — which also keeps the authenticator data's bytes, and so the credential, intact.
//! - `indirect`: the client MAY anonymize; this client does not, so it is treated as
//!   `direct`.
//! - `direct` and `enterprise`: conveyed unaltered.
//!
//! python-fido2 2.2.1's `Fido2Client` does not apply the `none` rule (it returns the
//! authenticator's attestation as is); browsers do.

use fido_types::generated::webauthn::AttestationFormat;
use fido_types::webauthn::{
    AttestationConveyancePreference, AttestationObject, AttestationStatement,
};

/// Whether `object` is a self attestation as §5.1.3 recognises it: the attested credential
/// data's AAGUID is 16 zero bytes, the format is `packed` and `x5c` is absent.
pub fn is_self_attestation(object: &AttestationObject) -> bool {
    let zero_aaguid = object
        .auth_data()
        .attested_credential_data()
        .is_some_and(|acd| acd.aaguid().is_none());
    zero_aaguid
        && object.fmt() == AttestationFormat::PACKED.as_str()
        && object.att_stmt().x5c().is_none()
}

/// Applies the relying party's attestation preference to the authenticator's attestation
/// object (`None` is the WebAuthn default, `none`).
pub fn convey(
    preference: Option<AttestationConveyancePreference>,
    object: AttestationObject,
) -> AttestationObject {
    match preference {
        p if p
            .as_ref()
            .is_none_or(|p| *p == AttestationConveyancePreference::NONE) =>
        {
            if is_self_attestation(&object) {
                object
            } else {
                AttestationObject::create(
                    AttestationFormat::NONE.as_str(),
                    object.auth_data().clone(),
                    AttestationStatement::none(),
                )
            }
        }
        // Indirect: the client may anonymize but need not (§5.4.7); kept like direct.
        _ => object,
    }
}

#[cfg(test)]
mod tests;
