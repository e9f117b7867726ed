//! The vicc protocol over a real TCP connection, with this test as vpcd.

use std::net::TcpListener;

use fido_types::apdu::{Form, select_fido};

use super::*;
use crate::{Authenticator, Config};

#[test]
fn frames_round_trip_and_a_truncated_frame_is_an_error() {
    let mut buf = Vec::new();
    write_frame(&mut buf, &[1, 2, 3]).unwrap();
    assert_eq!(buf, [0, 3, 1, 2, 3]);
    assert_eq!(read_frame(&mut &buf[..]).unwrap(), Some(vec![1, 2, 3]));
    assert_eq!(read_frame(&mut &[][..]).unwrap(), None);
    assert!(read_frame(&mut &[0, 9, 1][..]).is_err());
    assert!(write_frame(&mut Vec::new(), &vec![0; 70_000]).is_err());
}

#[test]
fn vpcd_session_atr_power_and_apdus() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let card = NfcCard::new(Authenticator::new(Config::default()).unwrap());
    let server = std::thread::spawn(move || {
        let mut vicc = VpcdCard::connect(addr, card).unwrap();
        vicc.serve().unwrap();
    });
    let (mut vpcd, _) = listener.accept().unwrap();
    write_frame(&mut vpcd, &[VpcdControl::POWER_ON.0]).unwrap();
    write_frame(&mut vpcd, &[VpcdControl::GET_ATR.0]).unwrap();
    assert_eq!(read_frame(&mut vpcd).unwrap().unwrap(), ATR);
    write_frame(&mut vpcd, &select_fido().encode(Form::Short).unwrap()).unwrap();
    assert_eq!(read_frame(&mut vpcd).unwrap().unwrap(), b"U2F_V2\x90\x00");
    // Power off then on: the selection is gone.
    write_frame(&mut vpcd, &[VpcdControl::POWER_OFF.0]).unwrap();
    write_frame(&mut vpcd, &[VpcdControl::POWER_ON.0]).unwrap();
    write_frame(&mut vpcd, &[0x80, 0x10, 0x80, 0x00, 0x01, 0x04, 0x00]).unwrap();
    assert_eq!(read_frame(&mut vpcd).unwrap().unwrap(), [0x69, 0x85]);
    drop(vpcd);
    server.join().unwrap();
}
