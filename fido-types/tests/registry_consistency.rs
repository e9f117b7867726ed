//! Hand-written registries that have a generated twin must agree with it, value for value.
//!
//! A few wire registries were written by hand next to the code that uses them (the CTAPHID
//! packet codec, the PIN/UV protocol number, authenticator-data flags) before the spec tables
//! existed; `spec/` generates the same registries in `fido_types::generated`. Until each
//! hand-written one becomes a re-export of its generated twin (as `CtapStatus` and
//! `CoseAlgorithm` already are), this test pins them together, so a value fixed in one
//! place and not the other fails here rather than on the wire.

use fido_types::ctaphid;
use fido_types::generated::{auth_data, client_pin, ctaphid as gen_hid};
use fido_types::pin_protocol;
use fido_types::webauthn::AuthenticatorDataFlags;

#[test]
fn ctaphid_commands() {
    let pairs = [
        (ctaphid::Command::PING.0, gen_hid::CtaphidCommand::PING.0),
        (ctaphid::Command::MSG.0, gen_hid::CtaphidCommand::MSG.0),
        (ctaphid::Command::LOCK.0, gen_hid::CtaphidCommand::LOCK.0),
        (ctaphid::Command::INIT.0, gen_hid::CtaphidCommand::INIT.0),
        (ctaphid::Command::WINK.0, gen_hid::CtaphidCommand::WINK.0),
        (ctaphid::Command::CBOR.0, gen_hid::CtaphidCommand::CBOR.0),
        (
            ctaphid::Command::CANCEL.0,
            gen_hid::CtaphidCommand::CANCEL.0,
        ),
        (
            ctaphid::Command::KEEPALIVE.0,
            gen_hid::CtaphidCommand::KEEPALIVE.0,
        ),
        (ctaphid::Command::ERROR.0, gen_hid::CtaphidCommand::ERROR.0),
        (
            ctaphid::Command::VENDOR_FIRST.0,
            gen_hid::CtaphidCommand::VENDOR_FIRST.0,
        ),
        (
            ctaphid::Command::VENDOR_LAST.0,
            gen_hid::CtaphidCommand::VENDOR_LAST.0,
        ),
    ];
    for (hand, generated) in pairs {
        assert_eq!(hand, generated);
    }
}

#[test]
fn ctaphid_errors_keepalive_and_capabilities() {
    let errors = [
        (
            ctaphid::ErrorCode::INVALID_CMD.0,
            gen_hid::CtaphidError::INVALID_CMD.0,
        ),
        (
            ctaphid::ErrorCode::INVALID_PAR.0,
            gen_hid::CtaphidError::INVALID_PAR.0,
        ),
        (
            ctaphid::ErrorCode::INVALID_LEN.0,
            gen_hid::CtaphidError::INVALID_LEN.0,
        ),
        (
            ctaphid::ErrorCode::INVALID_SEQ.0,
            gen_hid::CtaphidError::INVALID_SEQ.0,
        ),
        (
            ctaphid::ErrorCode::MSG_TIMEOUT.0,
            gen_hid::CtaphidError::MSG_TIMEOUT.0,
        ),
        (
            ctaphid::ErrorCode::CHANNEL_BUSY.0,
            gen_hid::CtaphidError::CHANNEL_BUSY.0,
        ),
        (
            ctaphid::ErrorCode::LOCK_REQUIRED.0,
            gen_hid::CtaphidError::LOCK_REQUIRED.0,
        ),
        (
            ctaphid::ErrorCode::INVALID_CHANNEL.0,
            gen_hid::CtaphidError::INVALID_CHANNEL.0,
        ),
        (ctaphid::ErrorCode::OTHER.0, gen_hid::CtaphidError::OTHER.0),
    ];
    for (hand, generated) in errors {
        assert_eq!(hand, generated);
    }
    // Every generated error code has a hand-written twin (none missing on either side).
    assert_eq!(gen_hid::CtaphidError::KNOWN.len(), errors.len());

    assert_eq!(
        ctaphid::KeepaliveStatus::PROCESSING.0,
        gen_hid::KeepaliveStatus::PROCESSING.0
    );
    assert_eq!(
        ctaphid::KeepaliveStatus::UPNEEDED.0,
        gen_hid::KeepaliveStatus::UP_NEEDED.0
    );
    assert_eq!(gen_hid::KeepaliveStatus::KNOWN.len(), 2);

    let caps = [
        (
            ctaphid::Capabilities::WINK.0,
            gen_hid::CapabilityFlags::WINK.0,
        ),
        (
            ctaphid::Capabilities::LOCK.0,
            gen_hid::CapabilityFlags::LOCK.0,
        ),
        (
            ctaphid::Capabilities::CBOR.0,
            gen_hid::CapabilityFlags::CBOR.0,
        ),
        (
            ctaphid::Capabilities::NMSG.0,
            gen_hid::CapabilityFlags::NMSG.0,
        ),
    ];
    let mut all = 0;
    for (hand, generated) in caps {
        assert_eq!(hand, generated);
        all |= hand;
    }
    assert_eq!(all, gen_hid::CapabilityFlags::ALL_KNOWN.0);
}

#[test]
fn authenticator_data_flags() {
    let pairs = [
        (
            AuthenticatorDataFlags::UP.0,
            auth_data::AuthDataFlags::USER_PRESENT.0,
        ),
        (
            AuthenticatorDataFlags::UV.0,
            auth_data::AuthDataFlags::USER_VERIFIED.0,
        ),
        (
            AuthenticatorDataFlags::BE.0,
            auth_data::AuthDataFlags::BACKUP_ELIGIBLE.0,
        ),
        (
            AuthenticatorDataFlags::BS.0,
            auth_data::AuthDataFlags::BACKED_UP.0,
        ),
        (
            AuthenticatorDataFlags::AT.0,
            auth_data::AuthDataFlags::ATTESTED.0,
        ),
        (
            AuthenticatorDataFlags::ED.0,
            auth_data::AuthDataFlags::EXTENSION_DATA.0,
        ),
    ];
    let mut all = 0;
    for (hand, generated) in pairs {
        assert_eq!(hand, generated);
        all |= hand;
    }
    assert_eq!(all, auth_data::AuthDataFlags::ALL_KNOWN.0);
}

#[test]
fn pin_uv_auth_protocol_numbers() {
    assert_eq!(
        pin_protocol::PinUvAuthProtocol::ONE.0,
        u64::from(client_pin::PinUvAuthProtocol::ONE.0)
    );
    assert_eq!(
        pin_protocol::PinUvAuthProtocol::TWO.0,
        u64::from(client_pin::PinUvAuthProtocol::TWO.0)
    );
    assert_eq!(client_pin::PinUvAuthProtocol::KNOWN.len(), 2);
}
