//! What the authenticator advertises in getInfo and enforces elsewhere: message and list
//! sizes, the extensions it implements, and the policies several commands read.

use fido_types::generated::extensions::ExtensionId;

use crate::{Attestation, Authenticator};

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
/// The largest large-blob fragment read or written at once: maxMsgSize - 64 (CTAP 2.1
/// §6.10).
pub const MAX_FRAGMENT_LENGTH: usize = MAX_MSG_SIZE - 64;

/// The extensions this authenticator supports, as getInfo lists them.
pub const EXTENSIONS: &[ExtensionId] = &[
    ExtensionId::CRED_BLOB,
    ExtensionId::CRED_PROTECT,
    ExtensionId::HMAC_SECRET,
    ExtensionId::HMAC_SECRET_MC,
    ExtensionId::LARGE_BLOB_KEY,
    ExtensionId::MIN_PIN_LENGTH,
    ExtensionId::THIRD_PARTY_PAYMENT,
];

/// Whether built-in UV is available (configured and a finger enrolled).
pub(crate) fn uv_configured(auth: &Authenticator) -> bool {
    auth.config.builtin_uv && !auth.persistent.fingerprints.is_empty()
}

/// Whether enterprise attestation can be offered (it needs an attestation certificate).
pub(crate) fn ep_supported(auth: &Authenticator) -> bool {
    matches!(
        auth.config.attestation,
        Attestation::Basic | Attestation::Certificate { .. }
    )
}
