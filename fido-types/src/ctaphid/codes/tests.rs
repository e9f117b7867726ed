//! Tests of the CTAPHID wire registries.

use super::*;

#[test]
fn command_bytes_match_the_spec_table() {
    // CTAP 2.1 §11.2.9; python-fido2 `CTAPHID`.
    let table = [
        (CtaphidCommand::PING, 0x01, 0x81),
        (CtaphidCommand::MSG, 0x03, 0x83),
        (CtaphidCommand::LOCK, 0x04, 0x84),
        (CtaphidCommand::INIT, 0x06, 0x86),
        (CtaphidCommand::WINK, 0x08, 0x88),
        (CtaphidCommand::CBOR, 0x10, 0x90),
        (CtaphidCommand::CANCEL, 0x11, 0x91),
        (CtaphidCommand::KEEPALIVE, 0x3B, 0xBB),
        (CtaphidCommand::ERROR, 0x3F, 0xBF),
    ];
    for (cmd, value, init) in table {
        assert_eq!(cmd.0, value);
        assert_eq!(cmd.init_byte(), init);
        assert_eq!(CtaphidCommand::from_init_byte(init), cmd);
        assert!(!cmd.is_vendor());
    }
    assert!(CtaphidCommand(0x40).is_vendor());
    assert!(CtaphidCommand(0x7E).is_vendor());
    assert!(!CtaphidCommand(0x3F).is_vendor());
}

#[test]
fn unknown_codes_survive_and_print() {
    assert_eq!(
        // 0x7D: a vendor command without a name (0x7E is fido-rs' POWER_CYCLE).
        format!("{:?}", CtaphidCommand(0x7D)),
        "CtaphidCommand(0x7d)"
    );
    assert_eq!(format!("{}", CtaphidCommand::CBOR), "CBOR");
    assert_eq!(
        format!("{}", CtaphidError::CHANNEL_BUSY),
        "ERR_CHANNEL_BUSY (0x06)"
    );
    assert_eq!(
        format!("{}", CtaphidError(0x42)),
        "unknown CTAPHID error 0x42"
    );
    assert_eq!(format!("{:?}", KeepaliveStatus(9)), "KeepaliveStatus(0x09)");
    assert_eq!(format!("{}", ChannelId(0x0102_0304)), "0x01020304");
}

#[test]
fn error_codes_match_the_spec_table() {
    // CTAP 2.1 §11.2.9.1.6; libfido2 `src/fido/param.h` CTAP_ERR_*.
    let table = [
        (CtaphidError::INVALID_CMD, 0x01),
        (CtaphidError::INVALID_PAR, 0x02),
        (CtaphidError::INVALID_LEN, 0x03),
        (CtaphidError::INVALID_SEQ, 0x04),
        (CtaphidError::MSG_TIMEOUT, 0x05),
        (CtaphidError::CHANNEL_BUSY, 0x06),
        (CtaphidError::LOCK_REQUIRED, 0x0A),
        (CtaphidError::INVALID_CHANNEL, 0x0B),
        (CtaphidError::OTHER, 0x7F),
    ];
    for (code, value) in table {
        assert_eq!(code.0, value);
        assert!(code.name().is_some());
    }
}

#[test]
fn capabilities_flags() {
    // python-fido2 `CAPABILITY`: WINK 0x01, LOCK 0x02, CBOR 0x04, NMSG 0x08.
    let caps = CapabilityFlags(0x05);
    assert!(caps.contains(CapabilityFlags::WINK));
    assert!(caps.contains(CapabilityFlags::CBOR));
    assert!(!caps.contains(CapabilityFlags::NMSG));
    assert_eq!(
        CapabilityFlags::WINK | CapabilityFlags::NMSG,
        CapabilityFlags(0x09)
    );
    assert_eq!(
        format!("{:?}", CapabilityFlags(0x35)),
        "CapabilityFlags(WINK | CBOR | 0x30)"
    );
}

#[test]
fn channel_ids() {
    assert_eq!(ChannelId::BROADCAST.to_bytes(), [0xFF; 4]);
    assert_eq!(ChannelId::from_bytes([0, 0, 1, 2]), ChannelId(0x0102));
    assert!(!ChannelId::BROADCAST.is_allocatable());
    assert!(!ChannelId::RESERVED.is_allocatable());
    assert!(ChannelId(1).is_allocatable());
}
