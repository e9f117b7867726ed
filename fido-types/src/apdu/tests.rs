use super::ApduStatus;

#[test]
fn named_words() {
    // Values from FIDO U2F Raw Message Formats v1.2 §3.3 and python-fido2's APDU enum.
    let table: &[(u16, &str)] = &[
        (0x9000, "OK"),
        (0x6985, "USE_NOT_SATISFIED"),
        (0x6A80, "WRONG_DATA"),
        (0x6700, "WRONG_LENGTH"),
        (0x6E00, "CLA_NOT_SUPPORTED"),
        (0x6D00, "INS_NOT_SUPPORTED"),
    ];
    for &(word, name) in table {
        assert_eq!(ApduStatus(word).name(), Some(name));
    }
    assert_eq!(ApduStatus(0x6F00).name(), None);
}

#[test]
fn display_and_debug() {
    assert_eq!(ApduStatus::OK.to_string(), "OK (0x9000)");
    assert_eq!(ApduStatus(0x6A80).to_string(), "WRONG_DATA (0x6A80)");
    assert_eq!(ApduStatus(0x6F00).to_string(), "status word 0x6F00");
    assert_eq!(
        format!("{:?}", ApduStatus(0x6F01)),
        "ApduStatus(status word 0x6F01)"
    );
}

#[test]
fn split_response() {
    assert_eq!(ApduStatus::split_response(&[]), None);
    assert_eq!(ApduStatus::split_response(&[0x90]), None);
    assert_eq!(
        ApduStatus::split_response(&[0x90, 0x00]),
        Some((&[][..], ApduStatus::OK))
    );
    let (body, sw) = ApduStatus::split_response(&[0xAA, 0x69, 0x85]).unwrap();
    assert_eq!(body, &[0xAA]);
    assert_eq!(sw, ApduStatus::USE_NOT_SATISFIED);
    assert!(!sw.is_ok());
    assert_eq!(sw.to_bytes(), [0x69, 0x85]);
}

mod codec {
    use crate::apdu::*;
    use proptest::prelude::*;

    fn header() -> impl Strategy<Value = Header> {
        // Class bytes without the chaining bit: the chain adds it.
        (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(cla, ins, p1, p2)| Header::new(cla & !0x10, ins, p1, p2))
    }

    fn assemble(apdus: &[Vec<u8>]) -> (CommandApdu, Form) {
        let mut assembler = CommandAssembler::new(EXTENDED_MAX_DATA * 2);
        let (last, parts) = apdus.split_last().unwrap();
        for part in parts {
            assert_eq!(assembler.push(part).unwrap(), Assembled::Partial);
        }
        match assembler.push(last).unwrap() {
            Assembled::Complete(command, form) => (command, form),
            Assembled::Partial => panic!("the last APDU did not end the chain"),
        }
    }

    proptest! {
        #[test]
        fn chained_short_apdus_round_trip(
            header in header(),
            data in proptest::collection::vec(any::<u8>(), 0..2000),
            chunk in 1usize..=255,
            le in proptest::option::of(1usize..=256),
        ) {
            let command = CommandApdu::new(header, data, le);
            let apdus = command.chain_short(chunk).unwrap();
            prop_assert_eq!(apdus.len(), command.data.len().div_ceil(chunk).max(1));
            prop_assert_eq!(assemble(&apdus), (command, Form::Short));
        }

        #[test]
        fn any_split_into_chained_apdus_round_trips(
            header in header(),
            data in proptest::collection::vec(any::<u8>(), 1..1500),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
        ) {
            // Cut the data at arbitrary points, each piece at most 255 bytes.
            let mut points: Vec<usize> = cuts.iter().map(|i| i.index(data.len())).collect();
            points.extend((255..data.len()).step_by(255));
            points.push(0);
            points.push(data.len());
            points.sort_unstable();
            points.dedup();
            let pieces: Vec<&[u8]> = points.windows(2).map(|w| &data[w[0]..w[1]]).collect();
            let (last, rest) = pieces.split_last().unwrap();
            let mut apdus: Vec<Vec<u8>> = rest
                .iter()
                .map(|p| CommandApdu::new(header.chained(true), p.to_vec(), None).encode(Form::Short).unwrap())
                .collect();
            apdus.push(CommandApdu::new(header, last.to_vec(), Some(256)).encode(Form::Short).unwrap());
            let (command, _) = assemble(&apdus);
            prop_assert_eq!(command, CommandApdu::new(header, data, Some(256)));
        }

        #[test]
        fn extended_and_short_encodings_round_trip(
            header in header(),
            data in proptest::collection::vec(any::<u8>(), 0..600),
            le in proptest::option::of(1usize..=65536),
        ) {
            let command = CommandApdu::new(header, data, le);
            let extended = command.encode(Form::Extended).unwrap();
            prop_assert_eq!(CommandApdu::parse(&extended).unwrap().0, command.clone());
            match command.encode(Form::Short) {
                Ok(short) => prop_assert_eq!(CommandApdu::parse(&short).unwrap().0, command),
                Err(e) => prop_assert!(command.data.len() > 255 || command.le.is_some_and(|l| l > 256), "{e}"),
            }
        }

        #[test]
        fn chunked_responses_reassemble(
            body in proptest::collection::vec(any::<u8>(), 0..3000),
            first in 1usize..=256,
            sizes in proptest::collection::vec(1usize..=256, 1..40),
            status in any::<u16>().prop_filter("a final word", |w| *w >> 8 != 0x61),
        ) {
            let mut chunks = ResponseChunks::new(body.clone(), ApduStatus(status));
            let mut got = Vec::new();
            let mut max = first;
            let mut sizes = sizes.into_iter().cycle();
            loop {
                let apdu = chunks.next_apdu(max);
                let response = ResponseApdu::parse(&apdu).unwrap();
                got.extend_from_slice(response.body);
                if let ResponseKind::MoreData(n) = response.kind() {
                    prop_assert_eq!(n, (body.len() - got.len()).min(256));
                    max = sizes.next().unwrap();
                } else {
                    prop_assert_eq!(response.status, ApduStatus(status));
                    break;
                }
            }
            prop_assert!(chunks.is_finished());
            prop_assert_eq!(got, body);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = CommandApdu::parse(&bytes);
            let _ = ResponseApdu::parse(&bytes).map(|r| r.kind());
            let _ = CommandAssembler::new(1024).push(&bytes);
        }

        #[test]
        fn truncated_responses_are_typed_errors(bytes in proptest::collection::vec(any::<u8>(), 0..2)) {
            prop_assert_eq!(
                ResponseApdu::parse(&bytes),
                Err(ApduFormatError::TruncatedResponse { len: bytes.len() })
            );
        }

        #[test]
        fn unknown_status_words_are_failures(
            body in proptest::collection::vec(any::<u8>(), 0..10),
            sw in any::<u16>().prop_filter("not 9000, 9100, 61XX", |w| *w != 0x9000 && *w != 0x9100 && *w >> 8 != 0x61),
        ) {
            let bytes = encode_response(&body, ApduStatus(sw));
            let response = ResponseApdu::parse(&bytes).unwrap();
            prop_assert_eq!(response.kind(), ResponseKind::Failed);
            prop_assert_eq!(response.body, &body[..]);
        }
    }

    #[test]
    fn length_fields_that_do_not_match_are_errors() {
        for bad in [
            &[0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0][..],
            &[0x80, 0x10, 0x00, 0x00, 0x00, 0x00],
            &[0x80, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01],
            &[0x80, 0x10, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01],
        ] {
            assert_eq!(
                CommandApdu::parse(bad),
                Err(ApduFormatError::BadLength { len: bad.len() }),
                "{bad:02x?}"
            );
        }
        assert_eq!(
            CommandApdu::parse(&[0x00, 0xA4]),
            Err(ApduFormatError::ShortHeader { len: 2 })
        );
    }

    #[test]
    fn a_chain_that_changes_its_header_is_broken() {
        let mut assembler = CommandAssembler::new(100);
        assert_eq!(
            assembler.push(&[0x90, 0x10, 0, 0, 1, 7]).unwrap(),
            Assembled::Partial
        );
        assert_eq!(
            assembler.push(&[0x80, 0x11, 0, 0, 1, 7]),
            Err(ApduFormatError::ChainBroken)
        );
        assert!(!assembler.in_chain());
        assert_eq!(
            CommandAssembler::new(4).push(&[0x80, 0x10, 0, 0, 5, 1, 2, 3, 4, 5]),
            Err(ApduFormatError::TooLong { max: 4 })
        );
    }

    /// The select APDU and AID: python-fido2 fido2/pcsc.py AID_FIDO and libfido2 src/nfc.c
    /// `aid` both give A0000006472F0001.
    #[test]
    fn fido_aid_and_versions() {
        assert_eq!(hex::encode(FIDO_AID), "a0000006472f0001");
        assert_eq!(
            parse_version(b"U2F_V2"),
            Some(crate::generated::nfc::AppletVersion::U2F_V2)
        );
        assert_eq!(
            parse_version(b"FIDO_2_0"),
            Some(crate::generated::nfc::AppletVersion::FIDO_2_0)
        );
        assert_eq!(parse_version(b"FIDO_2_1"), None);
    }

    #[test]
    fn more_data_words() {
        assert_eq!(more_data(1), ApduStatus(0x6101));
        assert_eq!(more_data(255), ApduStatus(0x61FF));
        assert_eq!(more_data(256), ApduStatus(0x6100));
        assert_eq!(more_data(9000), ApduStatus(0x6100));
        let word = encode_response(&[], ApduStatus(0x6100));
        assert_eq!(
            ResponseApdu::parse(&word).unwrap().kind(),
            ResponseKind::MoreData(256)
        );
    }
}
