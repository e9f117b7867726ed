//! The verification steps registration and authentication share (WebAuthn L3 §7.1 and
//! §7.2): client data type, challenge, origin and cross-origin rules; RP ID hash and
//! flags.

use fido_types::generated::webauthn::ClientDataType;
use fido_types::webauthn::{
    AuthDataFlags, AuthenticatorData, CollectedClientData, UserVerificationRequirement,
};
use ring::digest;
use ring::rand::{SecureRandom, SystemRandom};
use subtle::ConstantTimeEq;

use crate::error::{AuthenticatorDataError, ClientDataError, Error};
use crate::server::Fido2Server;

/// A fresh 32-byte challenge from the system generator.
pub(crate) fn random_challenge() -> Result<Vec<u8>, Error> {
    let mut challenge = vec![0u8; 32];
    SystemRandom::new()
        .fill(&mut challenge)
        .map_err(|_| Error::State("the system random generator failed".into()))?;
    Ok(challenge)
}

/// §7.1 steps 7–11 / §7.2 steps 11–14: type, challenge, origin, crossOrigin, topOrigin.
pub(crate) fn client_data(
    server: &Fido2Server,
    client_data: &CollectedClientData,
    expected: &ClientDataType,
    challenge: &[u8],
) -> Result<(), ClientDataError> {
    if client_data.type_() != expected.as_str() {
        return Err(ClientDataError::WrongType {
            expected: if *expected == ClientDataType::CREATE {
                "webauthn.create"
            } else {
                "webauthn.get"
            },
            found: client_data.type_().to_owned(),
        });
    }
    let given = client_data.challenge();
    if given.len() != challenge.len() || !bool::from(given.ct_eq(challenge)) {
        return Err(ClientDataError::ChallengeMismatch);
    }
    if !server.origins.iter().any(|o| o == client_data.origin()) {
        return Err(ClientDataError::OriginNotAllowed(
            client_data.origin().to_owned(),
        ));
    }
    match (&server.top_origins, client_data.cross_origin()) {
        (None, true) => return Err(ClientDataError::CrossOriginNotAllowed),
        (Some(top), true) => match client_data.top_origin() {
            Some(t) if top.iter().any(|o| o == t) => {}
            Some(t) => return Err(ClientDataError::TopOriginNotAllowed(t.to_owned())),
            None => return Err(ClientDataError::TopOriginNotAllowed(String::new())),
        },
        (_, false) => {}
    }
    Ok(())
}

/// §7.1 steps 13–16 / §7.2 steps 15–18: RP ID hash, UP, UV when required, BS only with BE.
pub(crate) fn authenticator_data(
    server: &Fido2Server,
    auth_data: &AuthenticatorData,
    user_verification: &UserVerificationRequirement,
) -> Result<(), AuthenticatorDataError> {
    let expected = digest::digest(&digest::SHA256, server.rp_id.as_bytes());
    if auth_data.rp_id_hash().as_slice() != expected.as_ref() {
        return Err(AuthenticatorDataError::RpIdHashMismatch);
    }
    let flags = auth_data.flags();
    if !flags.contains(AuthDataFlags::USER_PRESENT) {
        return Err(AuthenticatorDataError::UserNotPresent);
    }
    if *user_verification == UserVerificationRequirement::REQUIRED
        && !flags.contains(AuthDataFlags::USER_VERIFIED)
    {
        return Err(AuthenticatorDataError::UserNotVerified);
    }
    if flags.contains(AuthDataFlags::BACKED_UP) && !flags.contains(AuthDataFlags::BACKUP_ELIGIBLE) {
        return Err(AuthenticatorDataError::BackupStateWithoutEligibility);
    }
    Ok(())
}
