//! Tests of splitting messages into reports.

use super::*;
use crate::ctaphid::{MAX_CONT_PACKETS, Packet};

#[test]
fn packet_counts_at_the_boundaries() {
    // (payload length, reports): 57 fit in the init packet, each continuation adds 59.
    let table = [
        (0, 1),
        (1, 1),
        (57, 1),
        (58, 2),
        (116, 2),
        (117, 3),
        (1024, 18),
        (7550, 128),
        (7609, 129),
    ];
    for (len, count) in table {
        let payload = vec![0x11; len];
        let fragments = split(ChannelId(9), CtaphidCommand::CBOR, &payload).unwrap();
        assert_eq!(fragments.packet_count(), count, "length {len}");
        assert_eq!(fragments.len(), count, "length {len}");
        assert_eq!(fragments.count(), count, "length {len}");
    }
}

#[test]
fn too_long_is_refused() {
    assert_eq!(
        split(ChannelId(9), CtaphidCommand::CBOR, &[0; 7610]).unwrap_err(),
        MessageTooLong { len: 7610 }
    );
}

#[test]
fn largest_message_uses_every_sequence_number() {
    let payload: Vec<u8> = (0..MAX_MESSAGE_LEN).map(|i| i as u8).collect();
    let reports: Vec<_> = split(ChannelId(3), CtaphidCommand::MSG, &payload)
        .unwrap()
        .collect();
    assert_eq!(reports.len(), 1 + MAX_CONT_PACKETS);
    // Header of the init packet: cid 00000003, 0x83, BCNT 0x1db9 (7609).
    assert_eq!(&reports[0][..7], &[0, 0, 0, 3, 0x83, 0x1D, 0xB9]);
    for (i, report) in reports[1..].iter().enumerate() {
        match Packet::parse(report) {
            Packet::Cont { seq, .. } => assert_eq!(usize::from(seq), i),
            other => panic!("report {i} is not a continuation: {other:?}"),
        }
    }
    // The last continuation is full: 7609 − 57 = 128 × 59.
    assert_eq!(reports[128][63], ((MAX_MESSAGE_LEN - 1) % 256) as u8);
}

#[test]
fn padding_is_zero() {
    let reports: Vec<_> = split(ChannelId(3), CtaphidCommand::PING, &[0xFF; 60])
        .unwrap()
        .collect();
    assert!(reports[1][5..8].iter().all(|&b| b == 0xFF));
    assert!(reports[1][8..].iter().all(|&b| b == 0));
}
