//! Tests of the hand-written `Info` helpers.

use crate::cbor::StrMap;
use crate::generated::{
    AttestationFormat, CommandCode, ConfigSubCommand, CtapVersion, Info, InfoOption,
    PinUvAuthProtocol,
};

fn with_options(pairs: &[(&str, bool)]) -> Info {
    let options: StrMap<bool> = pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    Info {
        options: Some(options),
        ..Info::new(vec![CtapVersion::FIDO_2_1], [7; 16])
    }
}

#[test]
fn absent_members_take_python_fido2_defaults() {
    let info = Info::new(vec![CtapVersion::FIDO_2_0], [0; 16]);
    assert_eq!(info.max_msg_size(), 1024);
    assert_eq!(info.min_pin_length(), 4);
    assert_eq!(info.max_pin_length(), 63);
    assert_eq!(info.attestation_formats(), &[AttestationFormat::PACKED]);
    assert!(info.extensions().is_empty());
    assert!(info.pin_uv_auth_protocols().is_empty());
    assert!(info.transports().is_empty());
    assert!(info.algorithms().is_empty());
    assert!(info.transports_for_reset().is_empty());
    assert!(info.vendor_prototype_config_commands().is_empty());
    assert_eq!(info.max_credential_count_in_list(), 0);
    assert_eq!(info.max_credential_id_length(), 0);
    assert_eq!(info.max_serialized_large_blob_array(), 0);
    assert_eq!(info.firmware_version(), 0);
    assert_eq!(info.max_cred_blob_length(), 0);
    assert_eq!(info.max_rpids_for_set_min_pin_length(), 0);
    assert_eq!(info.preferred_platform_uv_attempts(), 0);
    assert_eq!(info.uv_modality(), 0);
    assert!(!info.force_pin_change());
    assert!(!info.long_touch_for_reset());
    assert_eq!(info.remaining_discoverable_credentials, None);
    assert_eq!(info.uv_count_since_last_pin_entry, None);
}

#[test]
fn present_members_override_the_defaults() {
    let info = Info {
        max_msg_size: Some(2048),
        min_pin_length: Some(6),
        max_pin_length: Some(32),
        attestation_formats: Some(vec![AttestationFormat::NONE]),
        ..Info::new(vec![CtapVersion::FIDO_2_2], [0; 16])
    };
    assert_eq!(info.max_msg_size(), 2048);
    assert_eq!(info.min_pin_length(), 6);
    assert_eq!(info.max_pin_length(), 32);
    assert_eq!(info.attestation_formats(), &[AttestationFormat::NONE]);
}

#[test]
fn options_use_listed_values_then_spec_defaults() {
    let info = with_options(&[("clientPin", false), ("rk", true), ("up", false)]);
    assert!(info.has_option(InfoOption::CLIENT_PIN));
    assert!(!info.supports_option(InfoOption::CLIENT_PIN));
    assert!(info.supports_option(InfoOption::RK));
    assert!(
        !info.supports_option(InfoOption::UP),
        "listed false overrides default true"
    );
    assert!(!info.has_option(InfoOption::UV));
    assert_eq!(info.option("rk"), Some(true));
    assert_eq!(info.option("uv"), None);
    let bare = Info::new(vec![CtapVersion::FIDO_2_0], [0; 16]);
    assert!(bare.supports_option("up"), "up defaults to true");
    assert!(!bare.supports_option("plat"));
}

#[test]
fn credential_management_and_bio_pick_the_right_command_byte() {
    assert_eq!(
        with_options(&[("credMgmt", true)]).credential_management_command(),
        Some(CommandCode::CREDENTIAL_MANAGEMENT)
    );
    assert_eq!(
        with_options(&[("credentialMgmtPreview", true)]).credential_management_command(),
        Some(CommandCode::CREDENTIAL_MANAGEMENT_PREVIEW)
    );
    assert_eq!(
        with_options(&[("rk", true)]).credential_management_command(),
        None
    );
    assert_eq!(
        with_options(&[("bioEnroll", false)]).bio_enrollment_command(),
        Some(CommandCode::BIO_ENROLLMENT)
    );
    assert_eq!(
        with_options(&[("userVerificationMgmtPreview", false)]).bio_enrollment_command(),
        Some(CommandCode::BIO_ENROLLMENT_PREVIEW)
    );
    assert_eq!(with_options(&[]).bio_enrollment_command(), None);
}

#[test]
fn config_commands_are_filtered_by_the_2_3_list() {
    let mut info = with_options(&[("authnrCfg", true)]);
    assert!(info.supports_config_command(ConfigSubCommand::TOGGLE_ALWAYS_UV));
    info.authenticator_config_commands = Some(vec![ConfigSubCommand::SET_MIN_PIN_LENGTH]);
    assert!(!info.supports_config_command(ConfigSubCommand::TOGGLE_ALWAYS_UV));
    assert!(info.supports_config_command(ConfigSubCommand::SET_MIN_PIN_LENGTH));
    assert!(!with_options(&[]).supports_config_command(ConfigSubCommand::SET_MIN_PIN_LENGTH));
}

#[test]
fn protocol_preference_follows_the_authenticator_order() {
    let info = Info {
        pin_uv_auth_protocols: Some(vec![PinUvAuthProtocol::TWO, PinUvAuthProtocol::ONE]),
        ..Info::new(vec![CtapVersion::FIDO_2_1], [0; 16])
    };
    let both = [PinUvAuthProtocol::ONE, PinUvAuthProtocol::TWO];
    assert_eq!(
        info.preferred_pin_uv_auth_protocol(&both),
        Some(PinUvAuthProtocol::TWO)
    );
    assert_eq!(
        info.preferred_pin_uv_auth_protocol(&[PinUvAuthProtocol::ONE]),
        Some(PinUvAuthProtocol::ONE)
    );
    assert_eq!(
        info.preferred_pin_uv_auth_protocol(&[PinUvAuthProtocol(3)]),
        None
    );
    assert!(info.supports_pin_uv_auth_protocol(PinUvAuthProtocol::ONE));
}

#[test]
fn versions_and_extensions_are_looked_up() {
    let info = Info {
        extensions: Some(vec!["credProtect".into()]),
        ..Info::new(vec![CtapVersion::FIDO_2_0, CtapVersion::FIDO_2_1], [0; 16])
    };
    assert!(info.supports_version(&CtapVersion::FIDO_2_1));
    assert!(!info.supports_version(&CtapVersion::FIDO_2_2));
    assert!(info.supports_extension("credProtect"));
    assert!(!info.supports_extension("hmac-secret"));
}
