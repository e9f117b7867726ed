//! Where the client's response checks ([`crate::check`]) meet the ceremonies: the
//! expectations of a registration or an assertion request, and the answers checked
//! against them. Authenticator data is read here with the backend's decoder, so the CBOR
//! inside it (credential public key, extensions) is strict unless the client was made
//! lenient.

use fido_types::cbor::Decoder;
use fido_types::ctap2::GetAssertionResponse;
use fido_types::webauthn::{
    AuthenticatorData, PublicKeyCredentialCreationOptions, UserVerificationRequirement,
};

use crate::check::{self, Expected};
use crate::error::Error;

/// Reads authenticator data with `decoder`'s rules.
///
/// # Errors
/// [`Error::InvalidResponse`] for data that does not parse.
fn read(auth_data: &[u8], decoder: &Decoder) -> Result<AuthenticatorData, Error> {
    AuthenticatorData::decode(auth_data, decoder)
        .map_err(|e| Error::InvalidResponse(format!("authenticator data: {e}")))
}

/// Checks a registration's authenticator data against `options` for `rp_id`.
///
/// # Errors
/// [`Error::InvalidResponse`] for authenticator data that does not parse;
/// [`Error::Mismatch`] as [`check::registration`] finds.
pub(crate) fn registration(
    auth_data: &[u8],
    decoder: &Decoder,
    options: &PublicKeyCredentialCreationOptions,
    rp_id: &str,
) -> Result<(), Error> {
    let uv_required = options.authenticator_selection.as_ref().is_some_and(|s| {
        s.user_verification_requirement() == UserVerificationRequirement::REQUIRED
    });
    let expected = Expected::for_rp_id(rp_id, uv_required);
    Ok(check::registration(&read(auth_data, decoder)?, &expected)?)
}

/// Checks every assertion: `rp_id_hash` is the hash of the RP ID (or of the AppID the
/// `appid` extension used), `uv_required` whether the RP required verification, and
/// `allowed` the RP's allow list (what was sent is a subset of it; empty: none).
///
/// # Errors
/// [`Error::InvalidResponse`] for authenticator data that does not parse;
/// [`Error::Mismatch`] as [`check::assertion`] finds.
pub(crate) fn assertions(
    assertions: &[GetAssertionResponse],
    decoder: &Decoder,
    uv_required: bool,
    allowed: &[&[u8]],
    rp_id_hash: [u8; 32],
) -> Result<(), Error> {
    let expected = Expected {
        rp_id_hash,
        user_presence: true,
        user_verification: uv_required,
    };
    let allow_list = (!allowed.is_empty()).then_some(allowed);
    for assertion in assertions {
        let data = read(&assertion.auth_data, decoder)?;
        let credential = assertion.credential.as_ref().map(|c| c.id.as_slice());
        check::assertion(&data, credential, allow_list, &expected)?;
    }
    Ok(())
}
