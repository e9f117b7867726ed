//! The hmac-secret and hmac-secret-mc extensions (CTAP 2.1 §12.5): the platform's salts,
//! encrypted under the shared secret of a key agreement, in; HMAC(CredRandom, salt) out.

use fido_types::cbor::{self, DecodeErrorKind, Value};
use fido_types::generated::PinUvAuthProtocol;
use fido_types::generated::extensions::HmacSecretInput;
use fido_types::pin_protocol::PinProtocol;
use fido_types::status::CtapStatus;
use ring::hmac;

use super::pin_uv::{platform_key, request_protocol, with_protocol};
use crate::Authenticator;
use crate::store::Credential;

/// The hmac-secret input as the generated map: a missing member is `MISSING_PARAMETER`,
/// anything else malformed `INVALID_PARAMETER`.
fn hmac_secret_input(input: &Value) -> Result<HmacSecretInput, CtapStatus> {
    let bytes = cbor::to_vec(input).map_err(|_| CtapStatus::INVALID_PARAMETER)?;
    cbor::from_slice(&bytes).map_err(|e| match e.kind() {
        DecodeErrorKind::MissingField => CtapStatus::MISSING_PARAMETER,
        _ => CtapStatus::INVALID_PARAMETER,
    })
}

/// The hmac-secret (or hmac-secret-mc) output: `{1: keyAgreement, 2: saltEnc, 3:
/// saltAuth, 4: pinUvAuthProtocol}` in, the encrypted HMAC(CredRandom, salt) outputs out.
pub(crate) fn hmac_secret_output(
    auth: &Authenticator,
    cred: &Credential,
    input: &Value,
    uv: bool,
) -> Result<Vec<u8>, CtapStatus> {
    let input = hmac_secret_input(input)?;
    let proto = request_protocol(Some(
        input.pin_uv_auth_protocol.unwrap_or(PinUvAuthProtocol::ONE),
    ))?;
    let peer = platform_key(&input.key_agreement)?;
    let random = if uv {
        &cred.cred_random_uv
    } else {
        &cred.cred_random_no_uv
    };
    let hkey = hmac::Key::new(hmac::HMAC_SHA256, random.expose_secret());
    with_protocol!(proto, P => {
        let shared = auth.volatile.key_agreement.decapsulate::<P>(&peer.x, &peer.y)
            .map_err(|_| CtapStatus::INVALID_PARAMETER)?;
        P::verify(&shared, &input.salt_enc, &input.salt_auth)
            .map_err(|_| CtapStatus::PIN_AUTH_INVALID)?;
        let salts = zeroize::Zeroizing::new(
            P::decrypt(&shared, &input.salt_enc).map_err(|_| CtapStatus::INVALID_LENGTH)?,
        );
        if salts.len() != 32 && salts.len() != 64 {
            return Err(CtapStatus::INVALID_LENGTH);
        }
        let mut out = zeroize::Zeroizing::new(Vec::with_capacity(64));
        for salt in salts.chunks(32) {
            out.extend_from_slice(hmac::sign(&hkey, salt).as_ref());
        }
        P::encrypt(&shared, &out).map_err(|_| CtapStatus::OTHER)
    })
}
