//! Tests of single-packet parsing and encoding.

use super::*;

fn hex_report(hex_prefix: &str) -> Report {
    let bytes = hex::decode(hex_prefix.replace(' ', "")).unwrap();
    let mut report = [0u8; REPORT_LEN];
    report[..bytes.len()].copy_from_slice(&bytes);
    report
}

#[test]
fn init_packet_layout() {
    // cid 0xFFFFFFFF | 0x86 INIT | BCNT 0x0008 | nonce 0102030405060708
    let report = hex_report("ffffffff 86 0008 0102030405060708");
    assert_eq!(
        encode_init(
            ChannelId::BROADCAST,
            CtaphidCommand::INIT,
            8,
            &[1, 2, 3, 4, 5, 6, 7, 8]
        ),
        report
    );
    match Packet::parse(&report) {
        Packet::Init {
            cid,
            cmd,
            total_len,
            data,
        } => {
            assert_eq!(cid, ChannelId::BROADCAST);
            assert_eq!(cmd, CtaphidCommand::INIT);
            assert_eq!(total_len, 8);
            assert_eq!(&data[..9], &[1, 2, 3, 4, 5, 6, 7, 8, 0]);
        }
        other => panic!("expected an init packet, got {other:?}"),
    }
}

#[test]
fn cont_packet_layout() {
    // cid 0x01020304 | SEQ 0x05 | data aabb
    let report = hex_report("01020304 05 aabb");
    assert_eq!(
        encode_cont(ChannelId(0x0102_0304), 5, &[0xAA, 0xBB]),
        report
    );
    assert_eq!(
        Packet::parse(&report),
        Packet::Cont {
            cid: ChannelId(0x0102_0304),
            seq: 5,
            data: report[5..].try_into().unwrap(),
        }
    );
    assert_eq!(Packet::parse(&report).cid(), ChannelId(0x0102_0304));
}

#[test]
fn encoders_truncate_and_mask() {
    let long = [0xEE; 100];
    let init = encode_init(ChannelId(1), CtaphidCommand::PING, 100, &long);
    assert!(init[7..].iter().all(|&b| b == 0xEE));
    let cont = encode_cont(ChannelId(1), 0xFF, &long);
    assert_eq!(cont[4], 0x7F);
    assert!(cont[5..].iter().all(|&b| b == 0xEE));
}
