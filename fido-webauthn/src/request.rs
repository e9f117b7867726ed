//! The remaining pure choices of a makeCredential request (python-fido2
//! `_Ctap2ClientBackend.do_make_credential`): the `rk` option, enterprise attestation,
//! and the token's permissions.
//!
//! ```
//! use fido_types::generated::{CtapVersion, Info, Permissions};
//! use fido_types::webauthn::AuthenticatorSelectionCriteria;
//! use fido_webauthn::request::{make_credential_permissions, resident_key};
//!
//! let info = Info::new(vec![CtapVersion::FIDO_2_1], [0; 16]);
//! assert!(!resident_key(&AuthenticatorSelectionCriteria::default(), &info).unwrap());
//! assert_eq!(make_credential_permissions(true), Permissions(0x03));
//! ```

use fido_types::generated::{Info, InfoOption, Permissions};
use fido_types::webauthn::{
    AttestationConveyancePreference, AuthenticatorSelectionCriteria, ResidentKeyRequirement,
};

use crate::error::Error;

/// Whether to ask for a discoverable credential (`rk: true`): `residentKey` required, or
/// preferred and the authenticator supports it (getInfo `rk`).
///
/// # Errors
/// [`Error::Unsupported`] (CONFIGURATION_UNSUPPORTED) when required but not supported.
pub fn resident_key(
    selection: &AuthenticatorSelectionCriteria,
    info: &Info,
) -> Result<bool, Error> {
    let can_rk = info.supports_option(InfoOption::RK);
    match selection.resident_key_requirement() {
        rk if rk == ResidentKeyRequirement::REQUIRED && can_rk => Ok(true),
        rk if rk == ResidentKeyRequirement::REQUIRED => {
            Err(Error::Unsupported("resident keys".into()))
        }
        rk if rk == ResidentKeyRequirement::PREFERRED => Ok(can_rk),
        _ => Ok(false),
    }
}

/// The makeCredential `enterpriseAttestation` value (CTAP 2.1 §7.1): `None` unless the
/// RP asked for `enterprise` attestation and the authenticator has `ep` enabled; then 2
/// (platform-managed) if the platform keeps a list of enterprise RP IDs and `rp_id` is
/// on it, `None` if it keeps one and `rp_id` is not, and 1 (vendor-facilitated) if it
/// keeps none (python-fido2 `enterprise_rpid_list`).
pub fn enterprise_attestation(
    attestation: Option<AttestationConveyancePreference>,
    info: &Info,
    rp_id: &str,
    enterprise_rp_ids: Option<&[String]>,
) -> Option<u32> {
    if attestation != Some(AttestationConveyancePreference::ENTERPRISE)
        || !info.supports_option(InfoOption::EP)
    {
        return None;
    }
    match enterprise_rp_ids {
        Some(list) if list.iter().any(|id| id == rp_id) => Some(2),
        Some(_) => None,
        None => Some(1),
    }
}

/// The token permissions of a makeCredential: `mc`, plus `ga` when an exclude list must be
/// pre-flighted with silent getAssertions (python-fido2).
pub fn make_credential_permissions(has_exclude_list: bool) -> Permissions {
    if has_exclude_list {
        Permissions::MAKE_CREDENTIAL.union(Permissions::GET_ASSERTION)
    } else {
        Permissions::MAKE_CREDENTIAL
    }
}

#[cfg(test)]
mod tests;
