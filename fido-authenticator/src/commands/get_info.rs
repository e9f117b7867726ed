//! authenticatorGetInfo (0x04).

use fido_types::cbor::StrMap;
use fido_types::generated::client_pin::PinUvAuthProtocol;
use fido_types::generated::get_info::{CtapVersion, InfoOption, UserVerificationMethods};
use fido_types::generated::webauthn::{
    AttestationFormat, AuthenticatorTransport, PublicKeyCredentialType,
};
use fido_types::status::CtapStatus;

use super::shared::{
    CredentialParameters, EXTENSIONS, FIRMWARE_VERSION, MAX_CRED_BLOB_LENGTH,
    MAX_CREDENTIAL_COUNT_IN_LIST, MAX_CREDENTIAL_ID_LENGTH, MAX_LARGE_BLOB_ARRAY, MAX_MSG_SIZE,
    MAX_RP_IDS_FOR_MIN_PIN_LENGTH, encode, ep_supported, sha256,
};
use crate::Authenticator;

pub use fido_types::generated::get_info::Info;

/// IV ‖ AES-128-CBC(HKDF-SHA-256(salt = 32 zero bytes, ikm = token, info), block): how
/// CTAP 2.2 encrypts encIdentifier and encCredStoreState under the persistent token.
fn encrypt_for_token(
    token: &crate::secret::Secret<32>,
    info: &[u8],
    iv: [u8; 16],
    block: [u8; 16],
) -> Vec<u8> {
    use aes::Aes128;
    use cbc::cipher::{BlockModeEncrypt, KeyIvInit};
    use ring::hkdf;
    struct Len16;
    impl hkdf::KeyType for Len16 {
        fn len(&self) -> usize {
            16
        }
    }
    let mut key = zeroize::Zeroizing::new([0u8; 16]);
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &[0; 32]).extract(token.expose_secret());
    let filled = prk
        .expand(&[info], Len16)
        .and_then(|okm| okm.fill(key.as_mut()));
    if filled.is_err() {
        return Vec::new();
    }
    let mut buf = [aes::Block::from(block)];
    let key_bytes: &[u8; 16] = &key;
    cbc::Encryptor::<Aes128>::new(key_bytes.into(), &iv.into()).encrypt_blocks(&mut buf);
    let mut out = iv.to_vec();
    out.extend_from_slice(&buf[0]);
    out
}

/// A digest of the discoverable credentials (IDs, RPs, users): changes whenever they do.
fn cred_store_state(auth: &Authenticator) -> [u8; 16] {
    let mut material = Vec::new();
    for c in auth.persistent.store.discoverable() {
        for part in [
            &c.id[..],
            c.rp_id.as_bytes(),
            &c.user_id,
            c.user_name.as_deref().unwrap_or("").as_bytes(),
            c.user_display_name.as_deref().unwrap_or("").as_bytes(),
        ] {
            material.extend_from_slice(&(part.len() as u32).to_be_bytes());
            material.extend_from_slice(part);
        }
    }
    let mut out = [0u8; 16];
    out.copy_from_slice(&sha256(&material)[..16]);
    out
}

/// Builds the getInfo response for the current state; `ivs` are the IVs for
/// encIdentifier and encCredStoreState.
pub fn info_with_ivs(auth: &Authenticator, ivs: [[u8; 16]; 2]) -> Info {
    let mut info = info(auth);
    if let (Some(token), Some(id)) = (
        &auth.persistent.persistent_token,
        &auth.persistent.identifier,
    ) {
        info.enc_identifier = Some(encrypt_for_token(
            token,
            b"encIdentifier",
            ivs[0],
            *id.expose_secret(),
        ));
        info.enc_cred_store_state = Some(encrypt_for_token(
            token,
            b"encCredStoreState",
            ivs[1],
            cred_store_state(auth),
        ));
    }
    info
}

/// The versions: U2F, CTAP 2.0 and 2.1. This authenticator implements CTAP 2.2, which
/// has no version string of its own: a 2.2 authenticator reports `FIDO_2_1`.
fn versions() -> Vec<CtapVersion> {
    vec![
        CtapVersion::U2F_V2,
        CtapVersion::FIDO_2_0,
        CtapVersion::FIDO_2_1,
    ]
}

/// The options map for the current state.
fn options(auth: &Authenticator) -> StrMap<bool> {
    let p = &auth.persistent;
    let mut options = StrMap::new();
    for (name, value) in [
        (InfoOption::RK, true),
        (InfoOption::UP, true),
        (InfoOption::PLAT, false),
        (InfoOption::CLIENT_PIN, p.pin.is_some()),
        (InfoOption::PIN_UV_AUTH_TOKEN, true),
        (InfoOption::CRED_MGMT, true),
        (InfoOption::LARGE_BLOBS, true),
        (InfoOption::AUTHNR_CFG, true),
        (InfoOption::ALWAYS_UV, p.always_uv),
        (InfoOption::MAKE_CRED_UV_NOT_RQD, true),
        (InfoOption::SET_MIN_PIN_LENGTH, true),
        (InfoOption::PER_CRED_MGMT_RO, true),
    ] {
        options.insert(name.0.into_owned(), value);
    }
    if auth.config.builtin_uv {
        let enrolled = !p.fingerprints.is_empty();
        options.insert(InfoOption::UV.0.into_owned(), enrolled);
        options.insert(InfoOption::BIO_ENROLL.0.into_owned(), enrolled);
    }
    if ep_supported(auth) {
        options.insert(InfoOption::EP.0.into_owned(), p.enterprise_attestation);
    }
    options
}

/// uvModality: the fingerprint sensor with built-in UV, else the clientPIN.
fn uv_modality(auth: &Authenticator) -> u64 {
    let methods = if auth.config.builtin_uv {
        UserVerificationMethods::FINGERPRINT_INTERNAL
    } else {
        UserVerificationMethods::PASSCODE_EXTERNAL
    };
    u64::from(methods.bits())
}

/// Builds the getInfo response for the current state (without the fields encrypted under
/// the persistent token).
pub fn info(auth: &Authenticator) -> Info {
    let p = &auth.persistent;
    Info {
        versions: versions(),
        extensions: Some(EXTENSIONS.iter().map(|e| e.0.to_string()).collect()),
        aaguid: auth.config.aaguid,
        options: Some(options(auth)),
        max_msg_size: Some(MAX_MSG_SIZE as u64),
        pin_uv_auth_protocols: Some(vec![PinUvAuthProtocol::TWO, PinUvAuthProtocol::ONE]),
        max_credential_count_in_list: Some(MAX_CREDENTIAL_COUNT_IN_LIST as u64),
        max_credential_id_length: Some(MAX_CREDENTIAL_ID_LENGTH as u64),
        transports: Some(vec![AuthenticatorTransport::USB]),
        algorithms: Some(
            auth.config
                .algorithms
                .iter()
                .map(|a| CredentialParameters {
                    alg: a.cose_algorithm(),
                    credential_type: PublicKeyCredentialType::PUBLIC_KEY,
                })
                .collect(),
        ),
        max_serialized_large_blob_array: Some(MAX_LARGE_BLOB_ARRAY as u64),
        force_pin_change: Some(p.force_pin_change),
        min_pin_length: Some(u64::from(p.min_pin_length)),
        firmware_version: Some(FIRMWARE_VERSION),
        max_cred_blob_length: Some(MAX_CRED_BLOB_LENGTH as u64),
        max_rpids_for_set_min_pin_length: Some(MAX_RP_IDS_FOR_MIN_PIN_LENGTH as u64),
        preferred_platform_uv_attempts: auth.config.builtin_uv.then_some(3),
        uv_modality: Some(uv_modality(auth)),
        remaining_discoverable_credentials: Some(p.store.remaining() as u64),
        attestation_formats: Some(vec![AttestationFormat::PACKED, AttestationFormat::NONE]),
        long_touch_for_reset: Some(false),
        enc_identifier: None,
        transports_for_reset: Some(vec![AuthenticatorTransport::USB]),
        max_pin_length: Some(fido_types::pin_protocol::MAX_PIN_BYTES as u64),
        enc_cred_store_state: None,
        ..Info::default()
    }
}

/// Handles authenticatorGetInfo.
pub fn handle(auth: &mut Authenticator, params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    if !params.is_empty() {
        return Err(CtapStatus::INVALID_LENGTH);
    }
    let mut ivs = [[0u8; 16]; 2];
    auth.rng.fill(&mut ivs[0]);
    auth.rng.fill(&mut ivs[1]);
    encode(&info_with_ivs(auth, ivs))
}
