//! Tests of assembling reports into messages, including property tests.

use super::*;
use crate::ctaphid::{INIT_DATA_LEN, encode_cont, encode_init};
use proptest::prelude::*;

fn reports(cid: ChannelId, cmd: CtaphidCommand, payload: &[u8]) -> Vec<Report> {
    split(cid, cmd, payload).unwrap().collect()
}

/// Feeds reports until one completes a message or fails; `None` if it never ends.
fn feed(assembler: &mut Assembler, reports: &[Report]) -> Option<Result<Message, AssembleError>> {
    for report in reports {
        match assembler.push(report) {
            Ok(Progress::Complete(message)) => return Some(Ok(message)),
            Ok(_) => {}
            Err(e) => return Some(Err(e)),
        }
    }
    None
}

#[test]
fn single_packet_message() {
    let mut a = Assembler::for_channel(ChannelId(5));
    let report = encode_init(ChannelId(5), CtaphidCommand::KEEPALIVE, 1, &[2]);
    assert_eq!(
        a.push(&report).unwrap(),
        Progress::Complete(Message {
            cid: ChannelId(5),
            cmd: CtaphidCommand::KEEPALIVE,
            data: vec![2],
        })
    );
    assert_eq!(a.in_progress(), None);
}

#[test]
fn foreign_and_stray_packets_are_ignored() {
    let mut a = Assembler::for_channel(ChannelId(5));
    let foreign = encode_init(ChannelId(6), CtaphidCommand::CBOR, 1, &[0]);
    assert_eq!(
        a.push(&foreign).unwrap(),
        Progress::Ignored(Ignored::ForeignChannel(ChannelId(6)))
    );
    let stray = encode_cont(ChannelId(5), 0, &[1]);
    assert_eq!(
        a.push(&stray).unwrap(),
        Progress::Ignored(Ignored::StrayContinuation)
    );
}

#[test]
fn any_channel_follows_the_first_message() {
    let mut a = Assembler::any_channel();
    let first = reports(ChannelId(1), CtaphidCommand::CBOR, &[7; 100]);
    assert_eq!(a.push(&first[0]).unwrap(), Progress::Incomplete);
    assert_eq!(a.in_progress(), Some((ChannelId(1), CtaphidCommand::CBOR)));
    let other = encode_init(ChannelId(2), CtaphidCommand::PING, 0, &[]);
    assert_eq!(
        a.push(&other).unwrap(),
        Progress::Ignored(Ignored::ForeignChannel(ChannelId(2)))
    );
    let Progress::Complete(m) = a.push(&first[1]).unwrap() else {
        panic!("message should be complete");
    };
    assert_eq!(m.data, vec![7; 100]);
    // Idle again: a message on another channel is accepted.
    assert!(matches!(a.push(&other).unwrap(), Progress::Complete(m) if m.cid == ChannelId(2)));
}

#[test]
fn framing_errors() {
    let cid = ChannelId(5);
    let mut a = Assembler::for_channel(cid);
    // BCNT 0x1dba = 7610.
    let too_long = encode_init(cid, CtaphidCommand::CBOR, 7610, &[]);
    assert_eq!(
        a.push(&too_long).unwrap_err(),
        AssembleError::TooLong {
            cid,
            announced: 7610
        }
    );
    assert_eq!(
        AssembleError::TooLong {
            cid,
            announced: 7610
        }
        .error_code(),
        CtaphidError::INVALID_LEN
    );

    let msg = reports(cid, CtaphidCommand::CBOR, &[1; 200]); // init + 3 continuations
    let err = feed(&mut a, &[msg[0], msg[2]]).unwrap().unwrap_err();
    assert_eq!(
        err,
        AssembleError::UnexpectedSeq {
            cid,
            expected: 0,
            got: 1
        }
    );
    assert_eq!(err.error_code(), CtaphidError::INVALID_SEQ);
    assert_eq!(a.in_progress(), None, "an error leaves the assembler idle");

    let err = feed(&mut a, &[msg[0], msg[1], msg[0]])
        .unwrap()
        .unwrap_err();
    assert_eq!(
        err,
        AssembleError::UnexpectedInit {
            cid,
            cmd: CtaphidCommand::CBOR,
            expected_seq: 1
        }
    );
    assert_eq!(err.cid(), cid);
}

#[test]
fn data_past_the_announced_length_is_padding() {
    let cid = ChannelId(5);
    let mut init = encode_init(cid, CtaphidCommand::PING, 60, &[0xAB; INIT_DATA_LEN]);
    let cont = encode_cont(cid, 0, &[0xCD; 59]);
    let mut a = Assembler::for_channel(cid);
    assert_eq!(a.push(&init).unwrap(), Progress::Incomplete);
    let Progress::Complete(m) = a.push(&cont).unwrap() else {
        panic!("should complete");
    };
    assert_eq!(m.data.len(), 60);
    assert_eq!(&m.data[55..], &[0xAB, 0xAB, 0xCD, 0xCD, 0xCD]);
    // A short message ignores the padding of its init packet.
    init[5..7].copy_from_slice(&2u16.to_be_bytes());
    let Progress::Complete(m) = a.push(&init).unwrap() else {
        panic!("should complete");
    };
    assert_eq!(m.data, vec![0xAB, 0xAB]);
}

/// A damage done to a message's reports.
#[derive(Debug, Clone)]
enum Damage {
    Swap(usize, usize),
    Duplicate(usize),
    Drop(usize),
    ForeignNoise(usize, u32, Vec<u8>),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Damage::Swap(a, b)),
        any::<usize>().prop_map(Damage::Duplicate),
        any::<usize>().prop_map(Damage::Drop),
        (
            any::<usize>(),
            any::<u32>(),
            proptest::collection::vec(any::<u8>(), 64)
        )
            .prop_map(|(i, c, r)| Damage::ForeignNoise(i, c, r)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn split_then_assemble_is_identity(
        cid in any::<u32>(),
        cmd in 0u8..0x80,
        payload in proptest::collection::vec(any::<u8>(), 0..=MAX_MESSAGE_LEN),
    ) {
        let cid = ChannelId(cid);
        let cmd = CtaphidCommand(cmd);
        let reports = reports(cid, cmd, &payload);
        let mut a = Assembler::for_channel(cid);
        let (last, rest) = reports.split_last().unwrap();
        for r in rest {
            prop_assert_eq!(a.push(r).unwrap(), Progress::Incomplete);
        }
        let done = a.push(last).unwrap();
        prop_assert_eq!(done, Progress::Complete(Message { cid, cmd, data: payload }));
    }

    #[test]
    fn damaged_messages_give_typed_errors(
        cid in 1u32..u32::MAX,
        payload in proptest::collection::vec(any::<u8>(), 0..=2000),
        damage in damage(),
    ) {
        let cid = ChannelId(cid);
        let original = reports(cid, CtaphidCommand::CBOR, &payload);
        let n = original.len();
        let mut damaged = original.clone();
        // What the assembler must make of the damage.
        enum Expect { Same, Error, Incomplete, SameThenMore }
        let expect = match damage {
            Damage::Swap(a, b) => {
                let (a, b) = (a % n, b % n);
                damaged.swap(a, b);
                if a == b {
                    Expect::Same
                } else if a.min(b) == 0 && a.max(b) == n - 1 {
                    // The init packet comes last: everything before it is a stray continuation.
                    Expect::Incomplete
                } else {
                    Expect::Error
                }
            }
            Damage::Duplicate(i) => {
                let i = i % n;
                damaged.insert(i, original[i]);
                // Duplicating the last packet completes the message before the copy arrives.
                if i + 1 == n { Expect::SameThenMore } else { Expect::Error }
            }
            Damage::Drop(i) => {
                let i = i % n;
                damaged.remove(i);
                // Without its last packet a message never completes; without its init
                // packet its continuations are all strays. A gap in between breaks the sequence.
                if i + 1 == n || i == 0 { Expect::Incomplete } else { Expect::Error }
            }
            Damage::ForeignNoise(i, other, noise) => {
                let other = if other == cid.0 { other.wrapping_add(1) } else { other };
                let mut report: Report = noise.try_into().unwrap();
                report[..4].copy_from_slice(&other.to_be_bytes());
                damaged.insert(i % (n + 1), report);
                Expect::Same
            }
        };
        let mut a = Assembler::for_channel(cid);
        let outcome = feed(&mut a, &damaged);
        match expect {
            Expect::Same | Expect::SameThenMore => {
                let m = outcome.unwrap().unwrap();
                prop_assert_eq!(m.data, payload);
            }
            Expect::Error => {
                let err = outcome.unwrap().unwrap_err();
                prop_assert!(matches!(
                    err,
                    AssembleError::UnexpectedSeq { .. } | AssembleError::UnexpectedInit { .. }
                ), "{:?}", err);
                prop_assert_eq!(err.cid(), cid);
            }
            Expect::Incomplete => prop_assert!(outcome.is_none(), "{:?}", outcome),
        }
    }

    #[test]
    fn arbitrary_reports_never_panic_and_stay_bounded(
        raw in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 64), 0..40),
        cid in prop_oneof![Just(0u32), Just(1u32), any::<u32>()],
    ) {
        let mut a = Assembler::any_channel();
        let mut b = Assembler::for_channel(ChannelId(cid));
        for r in raw {
            let mut report: Report = r.try_into().unwrap();
            // Concentrate on two channels so messages actually form.
            let channel = u32::from(report[0] & 1);
            report[..4].copy_from_slice(&channel.to_be_bytes());
            for asm in [&mut a, &mut b] {
                if let Ok(Progress::Complete(m)) = asm.push(&report) {
                    prop_assert!(m.data.len() <= MAX_MESSAGE_LEN);
                }
            }
        }
    }
}
