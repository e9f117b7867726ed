//! What every command shares, so that commands import this module and never each other:
//! request decoding and response encoding, the PIN/UV auth checks, authenticator data and
//! extension outputs, hmac-secret, and the authenticator's advertised limits.

mod auth_data;
mod codec;
mod hmac_secret;
mod limits;
mod pin_uv;

pub(crate) use auth_data::{
    ExtensionOutputs, auth_data, extension_flag, extension_input, presence_flags,
};
pub(crate) use codec::{
    CredentialParameters, RequestOptions, RpEntity, UserEntity, bio_sub_command_params, decode,
    descriptor, encode, sha256, sub_command_params,
};
pub(crate) use hmac_secret::hmac_secret_output;
pub(crate) use limits::{
    EXTENSIONS, FIRMWARE_VERSION, MAX_CRED_BLOB_LENGTH, MAX_CREDENTIAL_COUNT_IN_LIST,
    MAX_CREDENTIAL_ID_LENGTH, MAX_FRAGMENT_LENGTH, MAX_LARGE_BLOB_ARRAY, MAX_MSG_SIZE,
    MAX_RP_IDS_FOR_MIN_PIN_LENGTH, ep_supported, uv_configured,
};
pub(crate) use pin_uv::{
    UvRequest, check_token, collect_presence, cose_key_agreement, empty_param_probe, pin_protocol,
    platform_key, request_protocol, required_auth_param, token_verifies, uv_request, verify_user,
    with_protocol,
};
