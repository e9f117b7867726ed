//! [`Info`] defaults (python-fido2's `fido2.ctap2.Info` semantics) and capability questions.

use crate::generated::{
    AttestationFormat, AuthenticatorTransport, CommandCode, ConfigSubCommand, CtapVersion, Info,
    InfoOption, PinUvAuthProtocol, PublicKeyCredentialParameters,
};

/// maxMsgSize when getInfo does not say (python-fido2 `Info.max_msg_size` default).
pub const DEFAULT_MAX_MSG_SIZE: u64 = 1024;
/// minPINLength when getInfo does not say (python-fido2 `Info.min_pin_length` default).
pub const DEFAULT_MIN_PIN_LENGTH: u64 = 4;
/// maxPINLength when getInfo does not say (python-fido2 `Info.max_pin_length` default).
pub const DEFAULT_MAX_PIN_LENGTH: u64 = 63;

/// The default of an absent attestationFormats member.
static DEFAULT_ATTESTATION_FORMATS: [AttestationFormat; 1] = [AttestationFormat::PACKED];

impl Info {
    /// A getInfo with only the required members.
    pub fn new(versions: Vec<CtapVersion>, aaguid: [u8; 16]) -> Info {
        Info {
            versions,
            aaguid,
            ..Info::default()
        }
    }

    /// Supported extension identifiers; empty when absent.
    pub fn extensions(&self) -> &[String] {
        self.extensions.as_deref().unwrap_or_default()
    }

    /// maxMsgSize, or [`DEFAULT_MAX_MSG_SIZE`] when absent.
    pub fn max_msg_size(&self) -> u64 {
        self.max_msg_size.unwrap_or(DEFAULT_MAX_MSG_SIZE)
    }

    /// Supported PIN/UV auth protocols, most preferred first; empty when absent.
    pub fn pin_uv_auth_protocols(&self) -> &[PinUvAuthProtocol] {
        self.pin_uv_auth_protocols.as_deref().unwrap_or_default()
    }

    /// maxCredentialCountInList, 0 when absent.
    pub fn max_credential_count_in_list(&self) -> u64 {
        self.max_credential_count_in_list.unwrap_or(0)
    }

    /// maxCredentialIdLength, 0 when absent.
    pub fn max_credential_id_length(&self) -> u64 {
        self.max_credential_id_length.unwrap_or(0)
    }

    /// Supported transports; empty when absent.
    pub fn transports(&self) -> &[AuthenticatorTransport] {
        self.transports.as_deref().unwrap_or_default()
    }

    /// Supported algorithms; empty when absent.
    pub fn algorithms(&self) -> &[PublicKeyCredentialParameters] {
        self.algorithms.as_deref().unwrap_or_default()
    }

    /// maxSerializedLargeBlobArray, 0 (no large blobs) when absent.
    pub fn max_serialized_large_blob_array(&self) -> u64 {
        self.max_serialized_large_blob_array.unwrap_or(0)
    }

    /// forcePINChange, false when absent.
    pub fn force_pin_change(&self) -> bool {
        self.force_pin_change.unwrap_or(false)
    }

    /// minPINLength, or [`DEFAULT_MIN_PIN_LENGTH`] when absent.
    pub fn min_pin_length(&self) -> u64 {
        self.min_pin_length.unwrap_or(DEFAULT_MIN_PIN_LENGTH)
    }

    /// firmwareVersion, 0 when absent.
    pub fn firmware_version(&self) -> u64 {
        self.firmware_version.unwrap_or(0)
    }

    /// maxCredBlobLength, 0 when absent.
    pub fn max_cred_blob_length(&self) -> u64 {
        self.max_cred_blob_length.unwrap_or(0)
    }

    /// maxRPIDsForSetMinPINLength, 0 when absent.
    pub fn max_rpids_for_set_min_pin_length(&self) -> u64 {
        self.max_rpids_for_set_min_pin_length.unwrap_or(0)
    }

    /// preferredPlatformUvAttempts, 0 when absent.
    pub fn preferred_platform_uv_attempts(&self) -> u64 {
        self.preferred_platform_uv_attempts.unwrap_or(0)
    }

    /// uvModality, 0 when absent.
    pub fn uv_modality(&self) -> u64 {
        self.uv_modality.unwrap_or(0)
    }

    /// vendorPrototypeConfigCommands; empty when absent.
    pub fn vendor_prototype_config_commands(&self) -> &[u64] {
        self.vendor_prototype_config_commands
            .as_deref()
            .unwrap_or_default()
    }

    /// attestationFormats, or `["packed"]` when absent.
    pub fn attestation_formats(&self) -> &[AttestationFormat] {
        self.attestation_formats
            .as_deref()
            .unwrap_or(&DEFAULT_ATTESTATION_FORMATS)
    }

    /// longTouchForReset, false when absent.
    pub fn long_touch_for_reset(&self) -> bool {
        self.long_touch_for_reset.unwrap_or(false)
    }

    /// transportsForReset; empty when absent.
    pub fn transports_for_reset(&self) -> &[AuthenticatorTransport] {
        self.transports_for_reset.as_deref().unwrap_or_default()
    }

    /// maxPINLength, or [`DEFAULT_MAX_PIN_LENGTH`] when absent.
    pub fn max_pin_length(&self) -> u64 {
        self.max_pin_length.unwrap_or(DEFAULT_MAX_PIN_LENGTH)
    }

    /// Whether `versions` lists `version`.
    pub fn supports_version(&self, version: &CtapVersion) -> bool {
        self.versions.contains(version)
    }

    /// Whether `extensions` lists `id`.
    pub fn supports_extension(&self, id: impl AsRef<str>) -> bool {
        let id = id.as_ref();
        self.extensions().iter().any(|e| e == id)
    }

    /// The raw value of an option: `None` when the authenticator does not list it.
    pub fn option(&self, name: impl AsRef<str>) -> Option<bool> {
        self.options.as_ref()?.get(name.as_ref()).copied()
    }

    /// Whether the option is listed at all (true or false). For `clientPin`, `uv`,
    /// `bioEnroll`, `ep` and `alwaysUv` that means the feature exists, configured or not.
    pub fn has_option(&self, name: impl AsRef<str>) -> bool {
        self.option(name).is_some()
    }

    /// The option's effective value: its listed value, or the spec default when absent
    /// (`up` defaults to true, every other option to false).
    ///
    /// ```
    /// use fido_types::generated::{CtapVersion, Info, InfoOption};
    ///
    /// let info = Info::new(vec![CtapVersion::FIDO_2_0], [0; 16]);
    /// assert!(info.supports_option(InfoOption::UP));
    /// assert!(!info.supports_option(InfoOption::RK));
    /// ```
    pub fn supports_option(&self, name: impl AsRef<str>) -> bool {
        let name = name.as_ref();
        self.option(name).unwrap_or(name == InfoOption::UP.as_str())
    }

    /// Whether a PIN/UV auth protocol is listed.
    pub fn supports_pin_uv_auth_protocol(&self, protocol: PinUvAuthProtocol) -> bool {
        self.pin_uv_auth_protocols().contains(&protocol)
    }

    /// The authenticator's most preferred protocol that the caller also supports.
    pub fn preferred_pin_uv_auth_protocol(
        &self,
        ours: &[PinUvAuthProtocol],
    ) -> Option<PinUvAuthProtocol> {
        self.pin_uv_auth_protocols()
            .iter()
            .copied()
            .find(|p| ours.contains(p))
    }

    /// Whether pinUvAuthToken (getPinUvAuthTokenUsing*WithPermissions) is supported.
    pub fn supports_pin_uv_auth_token(&self) -> bool {
        self.supports_option(InfoOption::PIN_UV_AUTH_TOKEN)
    }

    /// The command byte for credential management: 0x0A with `credMgmt`, the prototype
    /// 0x41 with `credentialMgmtPreview` (as python-fido2 `Ctap2.credential_mgmt`), else
    /// `None`.
    pub fn credential_management_command(&self) -> Option<CommandCode> {
        if self.supports_option(InfoOption::CRED_MGMT) {
            Some(CommandCode::CREDENTIAL_MANAGEMENT)
        } else if self.has_option(InfoOption::CREDENTIAL_MGMT_PREVIEW) {
            Some(CommandCode::CREDENTIAL_MANAGEMENT_PREVIEW)
        } else {
            None
        }
    }

    /// The command byte for bio enrollment: 0x09 with `bioEnroll` listed, the prototype
    /// 0x40 with `userVerificationMgmtPreview` listed (as python-fido2
    /// `Ctap2.bio_enrollment`), else `None`.
    pub fn bio_enrollment_command(&self) -> Option<CommandCode> {
        if self.has_option(InfoOption::BIO_ENROLL) {
            Some(CommandCode::BIO_ENROLLMENT)
        } else if self.has_option(InfoOption::USER_VERIFICATION_MGMT_PREVIEW) {
            Some(CommandCode::BIO_ENROLLMENT_PREVIEW)
        } else {
            None
        }
    }

    /// Whether an authenticatorConfig subcommand may be sent: `authnrCfg` must be true,
    /// and when the authenticator lists authenticatorConfigCommands (CTAP 2.3) the
    /// subcommand must be among them (python-fido2 `Config._call`).
    pub fn supports_config_command(&self, sub_command: ConfigSubCommand) -> bool {
        self.supports_option(InfoOption::AUTHNR_CFG)
            && self
                .authenticator_config_commands
                .as_ref()
                .is_none_or(|cmds| cmds.contains(&sub_command))
    }
}
