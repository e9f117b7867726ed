//! The client's checks of an authenticator's answer against its request (issue 17
//! item 14): a hostile or broken authenticator must not make the client hand a relying
//! party a response for another RP, without the presence or verification asked for, for a
//! credential the RP did not allow, or a registration without a credential.
//!
//! Each check is a pure function of the parsed authenticator data and what was asked
//! ([`Expected`]); a mismatch is a [`Mismatch`], which the client reports as
//! [`Error::Mismatch`](crate::Error::Mismatch).

use fido_types::webauthn::AuthenticatorData;
use ring::digest;

/// What the request asked for, against which an answer is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// SHA-256 of the RP ID the request named (of the AppID, when the U2F `appid`
    /// extension was used).
    pub rp_id_hash: [u8; 32],
    /// Whether user presence was requested (the UP flag must then be set).
    pub user_presence: bool,
    /// Whether user verification was required (the UV flag must then be set).
    pub user_verification: bool,
}

impl Expected {
    /// Expectations for `rp_id`: presence requested, verification as `uv_required` says.
    pub fn for_rp_id(rp_id: &str, uv_required: bool) -> Self {
        Expected {
            rp_id_hash: rp_id_hash(rp_id),
            user_presence: true,
            user_verification: uv_required,
        }
    }
}

/// SHA-256 of an RP ID (or AppID), as authenticator data carries it.
pub fn rp_id_hash(rp_id: &str) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, rp_id.as_bytes()).as_ref());
    out
}

/// How an authenticator's answer contradicts its request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Mismatch {
    /// The authenticator data's rpIdHash is not SHA-256 of the RP ID asked for.
    #[error("the response is for another relying party (rpIdHash {found} instead of {expected})")]
    RpIdHash {
        /// The hash expected, hex.
        expected: String,
        /// The hash found, hex.
        found: String,
    },
    /// User presence was requested and the UP flag is clear.
    #[error("user presence was requested but the response does not say the user was present")]
    UserPresence,
    /// User verification was required and the UV flag is clear.
    #[error("user verification was required but the response does not say the user was verified")]
    UserVerification,
    /// An allow list was sent and the assertion names a credential not in it.
    #[error("the assertion is for credential {0}, which the allow list did not name")]
    CredentialNotAllowed(String),
    /// An assertion names no credential although several were allowed.
    #[error("the assertion names no credential")]
    CredentialMissing,
    /// A registration whose authenticator data has no attested credential data.
    #[error("the registration carries no attested credential data")]
    NoAttestedCredential,
}

/// Checks the flags and rpIdHash of any answer.
///
/// # Errors
/// [`Mismatch::RpIdHash`], [`Mismatch::UserPresence`] or [`Mismatch::UserVerification`].
pub fn auth_data(data: &AuthenticatorData, expected: &Expected) -> Result<(), Mismatch> {
    if data.rp_id_hash() != &expected.rp_id_hash {
        return Err(Mismatch::RpIdHash {
            expected: hex::encode(expected.rp_id_hash),
            found: hex::encode(data.rp_id_hash()),
        });
    }
    let flags = data.flags();
    if expected.user_presence && !flags.user_present() {
        return Err(Mismatch::UserPresence);
    }
    if expected.user_verification && !flags.user_verified() {
        return Err(Mismatch::UserVerification);
    }
    Ok(())
}

/// Checks a registration: [`auth_data`], and attested credential data present.
///
/// # Errors
/// As [`auth_data`], and [`Mismatch::NoAttestedCredential`].
pub fn registration(data: &AuthenticatorData, expected: &Expected) -> Result<(), Mismatch> {
    auth_data(data, expected)?;
    if data.attested_credential_data().is_none() {
        return Err(Mismatch::NoAttestedCredential);
    }
    Ok(())
}

/// Checks an assertion: [`auth_data`], and, when an allow list was sent, that the
/// credential the assertion names (`credential`, after the client filled in the only
/// allowed one where the authenticator may omit it) is in it.
///
/// # Errors
/// As [`auth_data`], and [`Mismatch::CredentialNotAllowed`] or
/// [`Mismatch::CredentialMissing`].
pub fn assertion(
    data: &AuthenticatorData,
    credential: Option<&[u8]>,
    allow_list: Option<&[&[u8]]>,
    expected: &Expected,
) -> Result<(), Mismatch> {
    auth_data(data, expected)?;
    let Some(allowed) = allow_list else {
        return Ok(());
    };
    match credential {
        Some(id) if allowed.contains(&id) => Ok(()),
        Some(id) => Err(Mismatch::CredentialNotAllowed(hex::encode(id))),
        None => Err(Mismatch::CredentialMissing),
    }
}

#[cfg(test)]
mod tests;
