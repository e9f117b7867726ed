//! Borrowed views of the three responses a client decodes on every ceremony: getInfo,
//! makeCredential and getAssertion. Text and byte strings are `&str` and
//! [`ByteView`]/[`ArrayView`] into the received message instead of owned copies; decoding
//! is the same strict (or lenient) decoding as for the owned types, with the same errors.
//! Maps of dynamic values (`attStmt`, extension outputs, certifications) and unknown
//! members stay owned (`Value`), as they are rare or small. `into_owned` gives the owned
//! type, equal to decoding the message into it directly.
//!
//! ```
//! use fido_types::cbor;
//! use fido_types::ctap2::views::GetAssertionView;
//!
//! // {2: h'0102', 3: h'03'}
//! let message = [0xa2, 0x02, 0x42, 1, 2, 0x03, 0x41, 3];
//! let view: GetAssertionView<'_> = cbor::from_slice(&message).unwrap();
//! assert_eq!(&*view.auth_data, &message[3..5]);
//! assert_eq!(view.into_owned(), cbor::from_slice(&message).unwrap());
//! ```

use std::borrow::Cow;

use crate::cbor::{ArrayView, ByteView, CanonicalMap, CborMap, StrMap, UnknownFields, Value};
use crate::generated::{
    AttestationFormat, AuthenticatorTransport, ConfigSubCommand, CoseAlgorithm, CtapVersion,
    GetAssertionResponse, Info, MakeCredentialResponse, PinUvAuthProtocol,
    PublicKeyCredentialDescriptor, PublicKeyCredentialParameters, PublicKeyCredentialType,
    PublicKeyCredentialUserEntity,
};

/// A `PublicKeyCredentialDescriptor`, borrowed.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct DescriptorView<'a> {
    /// `id`: the credential ID.
    #[cbor(key = "id")]
    pub id: ByteView<'a>,
    /// `type`: `public-key`.
    #[cbor(key = "type")]
    pub credential_type: &'a str,
    /// `transports`.
    #[cbor(key = "transports")]
    pub transports: Option<Vec<&'a str>>,
}

impl DescriptorView<'_> {
    /// The owned descriptor.
    pub fn into_owned(self) -> PublicKeyCredentialDescriptor {
        PublicKeyCredentialDescriptor {
            id: self.id.0.to_vec(),
            credential_type: PublicKeyCredentialType(Cow::Owned(self.credential_type.to_owned())),
            transports: self.transports.map(|t| {
                t.into_iter()
                    .map(|s| AuthenticatorTransport(Cow::Owned(s.to_owned())))
                    .collect()
            }),
        }
    }
}

/// A `PublicKeyCredentialUserEntity`, borrowed.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct UserView<'a> {
    /// `id`: the user handle.
    #[cbor(key = "id")]
    pub id: ByteView<'a>,
    /// `name`.
    #[cbor(key = "name")]
    pub name: Option<&'a str>,
    /// `displayName`.
    #[cbor(key = "displayName")]
    pub display_name: Option<&'a str>,
}

impl UserView<'_> {
    /// The owned user entity.
    pub fn into_owned(self) -> PublicKeyCredentialUserEntity {
        PublicKeyCredentialUserEntity {
            id: self.id.0.to_vec(),
            name: self.name.map(str::to_owned),
            display_name: self.display_name.map(str::to_owned),
        }
    }
}

/// A `PublicKeyCredentialParameters`, borrowed.
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct ParametersView<'a> {
    /// `alg`.
    #[cbor(key = "alg")]
    pub alg: CoseAlgorithm,
    /// `type`: `public-key`.
    #[cbor(key = "type")]
    pub credential_type: &'a str,
}

impl ParametersView<'_> {
    /// The owned parameters.
    pub fn into_owned(self) -> PublicKeyCredentialParameters {
        PublicKeyCredentialParameters {
            alg: self.alg,
            credential_type: PublicKeyCredentialType(Cow::Owned(self.credential_type.to_owned())),
        }
    }
}

/// The authenticatorGetAssertion response, borrowed ([`GetAssertionResponse`]).
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct GetAssertionView<'a> {
    /// `credential` (key 0x01).
    #[cbor(key = 0x01)]
    pub credential: Option<DescriptorView<'a>>,
    /// `authData` (key 0x02).
    #[cbor(key = 0x02)]
    pub auth_data: ByteView<'a>,
    /// `signature` (key 0x03).
    #[cbor(key = 0x03)]
    pub signature: ByteView<'a>,
    /// `user` (key 0x04).
    #[cbor(key = 0x04)]
    pub user: Option<UserView<'a>>,
    /// `numberOfCredentials` (key 0x05).
    #[cbor(key = 0x05)]
    pub number_of_credentials: Option<u32>,
    /// `userSelected` (key 0x06).
    #[cbor(key = 0x06)]
    pub user_selected: Option<bool>,
    /// `largeBlobKey` (key 0x07).
    #[cbor(key = 0x07)]
    pub large_blob_key: Option<ByteView<'a>>,
    /// `unsignedExtensionOutputs` (key 0x08), owned.
    #[cbor(key = 0x08)]
    pub unsigned_extension_outputs: Option<StrMap<Value>>,
    /// Members this view does not name.
    #[cbor(unknown)]
    pub unknown: UnknownFields,
}

impl GetAssertionView<'_> {
    /// The owned response.
    pub fn into_owned(self) -> GetAssertionResponse {
        GetAssertionResponse {
            credential: self.credential.map(DescriptorView::into_owned),
            auth_data: self.auth_data.0.to_vec(),
            signature: self.signature.0.to_vec(),
            user: self.user.map(UserView::into_owned),
            number_of_credentials: self.number_of_credentials,
            user_selected: self.user_selected,
            large_blob_key: self.large_blob_key.map(|k| k.0.to_vec()),
            unsigned_extension_outputs: self.unsigned_extension_outputs,
            unknown: self.unknown,
        }
    }
}

/// The authenticatorMakeCredential response, borrowed ([`MakeCredentialResponse`]).
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct MakeCredentialView<'a> {
    /// `fmt` (key 0x01).
    #[cbor(key = 0x01)]
    pub fmt: &'a str,
    /// `authData` (key 0x02).
    #[cbor(key = 0x02)]
    pub auth_data: ByteView<'a>,
    /// `attStmt` (key 0x03), owned.
    #[cbor(key = 0x03)]
    pub att_stmt: StrMap<Value>,
    /// `epAtt` (key 0x04).
    #[cbor(key = 0x04)]
    pub ep_att: Option<bool>,
    /// `largeBlobKey` (key 0x05).
    #[cbor(key = 0x05)]
    pub large_blob_key: Option<ByteView<'a>>,
    /// `unsignedExtensionOutputs` (key 0x06), owned.
    #[cbor(key = 0x06)]
    pub unsigned_extension_outputs: Option<StrMap<Value>>,
    /// Members this view does not name.
    #[cbor(unknown)]
    pub unknown: UnknownFields,
}

impl MakeCredentialView<'_> {
    /// The owned response.
    pub fn into_owned(self) -> MakeCredentialResponse {
        MakeCredentialResponse {
            fmt: self.fmt.to_owned(),
            auth_data: self.auth_data.0.to_vec(),
            att_stmt: self.att_stmt,
            ep_att: self.ep_att,
            large_blob_key: self.large_blob_key.map(|k| k.0.to_vec()),
            unsigned_extension_outputs: self.unsigned_extension_outputs,
            unknown: self.unknown,
        }
    }
}

/// The authenticatorGetInfo response, borrowed ([`Info`]).
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct InfoView<'a> {
    /// `versions` (key 0x01), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x01)]
    pub versions: Vec<&'a str>,
    /// `extensions` (key 0x02), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x02)]
    pub extensions: Option<Vec<&'a str>>,
    /// `aaguid` (key 0x03), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x03)]
    pub aaguid: ArrayView<'a, 16>,
    /// `options` (key 0x04), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x04)]
    pub options: Option<CanonicalMap<&'a str, bool>>,
    /// `max_msg_size` (key 0x05), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x05)]
    pub max_msg_size: Option<u64>,
    /// `pin_uv_auth_protocols` (key 0x06), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x06)]
    pub pin_uv_auth_protocols: Option<Vec<PinUvAuthProtocol>>,
    /// `max_credential_count_in_list` (key 0x07), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x07)]
    pub max_credential_count_in_list: Option<u64>,
    /// `max_credential_id_length` (key 0x08), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x08)]
    pub max_credential_id_length: Option<u64>,
    /// `transports` (key 0x09), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x09)]
    pub transports: Option<Vec<&'a str>>,
    /// `algorithms` (key 0x0A), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x0A)]
    pub algorithms: Option<Vec<ParametersView<'a>>>,
    /// `max_serialized_large_blob_array` (key 0x0B), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x0B)]
    pub max_serialized_large_blob_array: Option<u64>,
    /// `force_pin_change` (key 0x0C), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x0C)]
    pub force_pin_change: Option<bool>,
    /// `min_pin_length` (key 0x0D), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x0D)]
    pub min_pin_length: Option<u64>,
    /// `firmware_version` (key 0x0E), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x0E)]
    pub firmware_version: Option<u64>,
    /// `max_cred_blob_length` (key 0x0F), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x0F)]
    pub max_cred_blob_length: Option<u64>,
    /// `max_rpids_for_set_min_pin_length` (key 0x10), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x10)]
    pub max_rpids_for_set_min_pin_length: Option<u64>,
    /// `preferred_platform_uv_attempts` (key 0x11), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x11)]
    pub preferred_platform_uv_attempts: Option<u64>,
    /// `uv_modality` (key 0x12), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x12)]
    pub uv_modality: Option<u64>,
    /// `certifications` (key 0x13), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x13)]
    pub certifications: Option<StrMap<Value>>,
    /// `remaining_discoverable_credentials` (key 0x14), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x14)]
    pub remaining_discoverable_credentials: Option<u64>,
    /// `vendor_prototype_config_commands` (key 0x15), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x15)]
    pub vendor_prototype_config_commands: Option<Vec<u64>>,
    /// `attestation_formats` (key 0x16), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x16)]
    pub attestation_formats: Option<Vec<&'a str>>,
    /// `uv_count_since_last_pin_entry` (key 0x17), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x17)]
    pub uv_count_since_last_pin_entry: Option<u64>,
    /// `long_touch_for_reset` (key 0x18), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x18)]
    pub long_touch_for_reset: Option<bool>,
    /// `enc_identifier` (key 0x19), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x19)]
    pub enc_identifier: Option<ByteView<'a>>,
    /// `transports_for_reset` (key 0x1A), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x1A)]
    pub transports_for_reset: Option<Vec<&'a str>>,
    /// `pin_complexity_policy` (key 0x1B), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x1B)]
    pub pin_complexity_policy: Option<bool>,
    /// `pin_complexity_policy_url` (key 0x1C), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x1C)]
    pub pin_complexity_policy_url: Option<ByteView<'a>>,
    /// `max_pin_length` (key 0x1D), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x1D)]
    pub max_pin_length: Option<u64>,
    /// `enc_cred_store_state` (key 0x1E), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x1E)]
    pub enc_cred_store_state: Option<ByteView<'a>>,
    /// `authenticator_config_commands` (key 0x1F), borrowed where the owned member is text or bytes.
    #[cbor(key = 0x1F)]
    pub authenticator_config_commands: Option<Vec<ConfigSubCommand>>,
    /// Members this view does not name.
    #[cbor(unknown)]
    pub unknown: UnknownFields,
}

impl InfoView<'_> {
    /// The owned response.
    pub fn into_owned(self) -> Info {
        Info {
            versions: self
                .versions
                .into_iter()
                .map(|s| CtapVersion(Cow::Owned(s.to_owned())))
                .collect(),
            extensions: self
                .extensions
                .map(|v| v.into_iter().map(str::to_owned).collect()),
            aaguid: *self.aaguid.0,
            options: self
                .options
                .map(|v| v.into_iter().map(|(k, b)| (k.to_owned(), b)).collect()),
            max_msg_size: self.max_msg_size,
            pin_uv_auth_protocols: self.pin_uv_auth_protocols,
            max_credential_count_in_list: self.max_credential_count_in_list,
            max_credential_id_length: self.max_credential_id_length,
            transports: self.transports.map(|v| {
                v.into_iter()
                    .map(|s| AuthenticatorTransport(Cow::Owned(s.to_owned())))
                    .collect()
            }),
            algorithms: self
                .algorithms
                .map(|v| v.into_iter().map(ParametersView::into_owned).collect()),
            max_serialized_large_blob_array: self.max_serialized_large_blob_array,
            force_pin_change: self.force_pin_change,
            min_pin_length: self.min_pin_length,
            firmware_version: self.firmware_version,
            max_cred_blob_length: self.max_cred_blob_length,
            max_rpids_for_set_min_pin_length: self.max_rpids_for_set_min_pin_length,
            preferred_platform_uv_attempts: self.preferred_platform_uv_attempts,
            uv_modality: self.uv_modality,
            certifications: self.certifications,
            remaining_discoverable_credentials: self.remaining_discoverable_credentials,
            vendor_prototype_config_commands: self.vendor_prototype_config_commands,
            attestation_formats: self.attestation_formats.map(|v| {
                v.into_iter()
                    .map(|s| AttestationFormat(Cow::Owned(s.to_owned())))
                    .collect()
            }),
            uv_count_since_last_pin_entry: self.uv_count_since_last_pin_entry,
            long_touch_for_reset: self.long_touch_for_reset,
            enc_identifier: self.enc_identifier.map(|v| v.0.to_vec()),
            transports_for_reset: self.transports_for_reset.map(|v| {
                v.into_iter()
                    .map(|s| AuthenticatorTransport(Cow::Owned(s.to_owned())))
                    .collect()
            }),
            pin_complexity_policy: self.pin_complexity_policy,
            pin_complexity_policy_url: self.pin_complexity_policy_url.map(|v| v.0.to_vec()),
            max_pin_length: self.max_pin_length,
            enc_cred_store_state: self.enc_cred_store_state.map(|v| v.0.to_vec()),
            authenticator_config_commands: self.authenticator_config_commands,
            unknown: self.unknown,
        }
    }
}
