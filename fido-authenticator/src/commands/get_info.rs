//! authenticatorGetInfo (0x04).

use fido_types::cbor::StrMap;
use fido_types::generated::client_pin::PinUvAuthProtocol;
use fido_types::generated::webauthn::{
    AttestationFormat, AuthenticatorTransport, PublicKeyCredentialType,
};
use fido_types::status::CtapStatus;

use super::{CredentialParameters, encode};
use crate::Authenticator;
use fido_types::cose::CoseAlgorithm;
use fido_types::generated::get_info::CtapVersion;

/// maxMsgSize: the largest CTAP2 request accepted.
pub const MAX_MSG_SIZE: usize = 2048;
/// maxCredentialCountInList.
pub const MAX_CREDENTIAL_COUNT_IN_LIST: usize = 8;
/// maxCredentialIdLength (discoverable IDs are 32 bytes, sealed non-discoverable ones 66
/// to 98).
pub const MAX_CREDENTIAL_ID_LENGTH: usize = 128;
/// maxSerializedLargeBlobArray.
pub const MAX_LARGE_BLOB_ARRAY: usize = 4096;
/// maxCredBlobLength.
pub const MAX_CRED_BLOB_LENGTH: usize = 32;
/// maxRPIDsForSetMinPINLength.
pub const MAX_RP_IDS_FOR_MIN_PIN_LENGTH: usize = 8;
/// firmwareVersion.
pub const FIRMWARE_VERSION: u64 = 1;

pub use fido_types::generated::get_info::Info;

/// The extensions this authenticator supports.
pub const EXTENSIONS: &[&str] = &[
    "credBlob",
    "credProtect",
    "hmac-secret",
    "hmac-secret-mc",
    "largeBlobKey",
    "minPinLength",
    "thirdPartyPayment",
];

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
    out.copy_from_slice(&super::sha256(&material)[..16]);
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

/// Builds the getInfo response for the current state (without the fields encrypted under
/// the persistent token).
pub fn info(auth: &Authenticator) -> Info {
    let p = &auth.persistent;
    let mut versions: Vec<CtapVersion> =
        vec!["U2F_V2".into(), "FIDO_2_0".into(), "FIDO_2_1".into()];
    if auth.config.ctap_2_2 {
        versions.push("FIDO_2_2".into());
    }
    let mut options = StrMap::new();
    for (name, value) in [
        ("rk", true),
        ("up", true),
        ("plat", false),
        ("clientPin", p.pin.is_some()),
        ("pinUvAuthToken", true),
        ("credMgmt", true),
        ("largeBlobs", true),
        ("authnrCfg", true),
        ("alwaysUv", p.always_uv),
        ("makeCredUvNotRqd", true),
        ("setMinPINLength", true),
        ("perCredMgmtRO", true),
    ] {
        options.insert(name.to_owned(), value);
    }
    if auth.config.builtin_uv {
        options.insert("uv".into(), !p.fingerprints.is_empty());
        options.insert("bioEnroll".into(), !p.fingerprints.is_empty());
    }
    if super::make_credential::ep_supported(auth) {
        options.insert("ep".into(), p.enterprise_attestation);
    }
    Info {
        versions,
        extensions: Some(EXTENSIONS.iter().map(|e| (*e).to_owned()).collect()),
        aaguid: auth.config.aaguid,
        options: Some(options),
        max_msg_size: Some(MAX_MSG_SIZE as u64),
        pin_uv_auth_protocols: Some(vec![PinUvAuthProtocol(2), PinUvAuthProtocol(1)]),
        max_credential_count_in_list: Some(MAX_CREDENTIAL_COUNT_IN_LIST as u64),
        max_credential_id_length: Some(MAX_CREDENTIAL_ID_LENGTH as u64),
        transports: Some(vec![AuthenticatorTransport::from("usb")]),
        algorithms: Some(
            auth.config
                .algorithms
                .iter()
                .map(|a| CredentialParameters {
                    alg: CoseAlgorithm(a.cose()),
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
        // FIDO registry: USER_VERIFY_FINGERPRINT_INTERNAL = 0x02, PASSCODE_EXTERNAL = 0x800.
        uv_modality: Some(if auth.config.builtin_uv { 0x02 } else { 0x800 }),
        remaining_discoverable_credentials: Some(p.store.remaining() as u64),
        attestation_formats: Some(vec![AttestationFormat::from("packed"), "none".into()]),
        long_touch_for_reset: Some(false),
        enc_identifier: None,
        transports_for_reset: Some(vec![AuthenticatorTransport::from("usb")]),
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
