//! Property tests: U2F response parsing and CTAP2 response handling on arbitrary bytes
//! either fail with a typed error or account for every input byte.

mod fake_ctap;

use fido_ctap::ctap1::{RegistrationData, SignatureData};
use fido_ctap::ctap2::Ctap2;
use fido_ctap::error::Error;
use fido_types::generated::CommandCode;
use proptest::prelude::*;

// A real registration (python-fido2 tests/test_ctap1.py `test_register`), mutated below.
const REG: &str = "0504b174bc49c7ca254b70d2e5c207cee9cf174820ebd77ea3c65508c26da51b657c1cc6b952f8621697936482da0a6d3d3826a59095daf6cd7c03e2e60385d2f6d9402a552dfdb7477ed65fd84133f86196010b2215b57da75d315b7b9e8fe2e3925a6019551bab61d16591659cbaf00b4950f7abfe6660e2e006f76868b772d70c253082013c3081e4a003020102020a47901280001155957352300a06082a8648ce3d0403023017311530130603550403130c476e756262792050696c6f74301e170d3132303831343138323933325a170d3133303831343138323933325a3031312f302d0603550403132650696c6f74476e756262792d302e342e312d34373930313238303030313135353935373335323059301306072a8648ce3d020106082a8648ce3d030107034200048d617e65c9508e64bcc5673ac82a6799da3c1446682c258c463fffdf58dfd2fa3e6c378b53d795c4a4dffb4199edd7862f23abaf0203b4b8911ba0569994e101300a06082a8648ce3d0403020347003044022060cdb6061e9c22262d1aac1d96d8c70829b2366531dda268832cb836bcd30dfa0220631b1459f09e6330055722c8d89b7f48883b9089b88d60d1d9795902b30410df304502201471899bcc3987e62e8202c9b39c33c19033f7340352dba80fcab017db9230e402210082677d673d891933ade6f617e5dbde2e247e70423fd5ad7804a6d3d3961ef871";

fn reassembled(reg: &RegistrationData) -> Vec<u8> {
    let mut out = vec![0x05];
    out.extend(reg.public_key());
    out.push(reg.key_handle().len() as u8);
    out.extend(reg.key_handle());
    out.extend(reg.certificate());
    out.extend(reg.signature());
    out
}

proptest! {
    #[test]
    fn registration_parse_accounts_for_every_byte(
        cut in 0usize..800,
        flips in proptest::collection::vec((0usize..800, any::<u8>()), 0..4),
    ) {
        let mut data = hex::decode(REG).unwrap();
        for (at, value) in flips {
            if at < data.len() {
                data[at] = value;
            }
        }
        data.truncate(cut);
        match RegistrationData::parse(&data) {
            Ok(reg) => prop_assert_eq!(reassembled(&reg), data),
            Err(e) => prop_assert!(matches!(e, Error::Response(_)), "{e:?}"),
        }
    }

    #[test]
    fn signature_parse_accounts_for_every_byte(data in proptest::collection::vec(any::<u8>(), 0..100)) {
        match SignatureData::parse(&data) {
            Ok(sig) => {
                let mut out = vec![sig.user_presence()];
                out.extend(sig.counter().to_be_bytes());
                out.extend(sig.signature());
                prop_assert_eq!(out, data);
            }
            Err(e) => prop_assert!(data.len() < 6 && matches!(e, Error::Response(_))),
        }
    }

    #[test]
    fn any_ctap2_response_is_a_value_or_a_typed_error(response in proptest::collection::vec(any::<u8>(), 0..64)) {
        // getInfo is well formed; the second answer is arbitrary.
        let info = {
            let fake = fake_ctap::FakeAuthenticator::default();
            fake_ctap::ok(&fake.info())
        };
        let device = fake_ctap::scripted(vec![info, response.clone()]);
        let mut ctap = Ctap2::new(device).unwrap();
        let result = ctap
            .send_cbor(CommandCode(0x41), None::<&()>)
            .and_then(|body| Ok(ctap.decoder().decode::<fido_types::cbor::Value>(&body)?));
        match (response.first(), result) {
            (None, Err(Error::Response(_))) => {}
            (Some(0), Ok(_)) => {}
            (Some(0), Err(Error::Decode(_) | Error::Response(_))) => {}
            (Some(&status), Err(e)) if status != 0 => {
                prop_assert!(e.ctap_status().is_some() || matches!(e, Error::Transport(_)), "{e:?}");
            }
            (first, other) => prop_assert!(false, "{first:?} -> {other:?}"),
        }
    }
}
