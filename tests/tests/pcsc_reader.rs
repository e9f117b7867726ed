//! The PC/SC scenarios through the real stack: the authenticator is a card in pcscd's
//! vsmartcard reader (`fido_authenticator::vpcd`, connected to vpcd at `$FIDO_VPCD_ADDR`,
//! default 127.0.0.1:35963), the client opens it with the `pcsc` crate. Needs the
//! `pcsc` feature and a running pcscd with vsmartcard-vpcd (`.ci/run` starts one); when
//! vpcd does not answer the test fails saying so.
#![cfg(feature = "pcsc")]

mod pcsc_common;

use std::net::{Shutdown, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use fido_authenticator::nfc::NfcCard;
use fido_authenticator::vpcd::VpcdCard;
use fido_authenticator::{Authenticator, Config};
use fido_ctap::device::{CtapDevice, DeviceUri, TransportError, list_pcsc_devices};
use pcsc_common::*;

/// A card in the vpcd reader until dropped (then taken out of the reader).
struct InsertedCard {
    stream: TcpStream,
    thread: Option<JoinHandle<()>>,
    reader: String,
}

impl Drop for InsertedCard {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        // Wait until pcscd noticed the card is gone.
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && reader_with_card(&self.reader) {
            thread::sleep(Duration::from_millis(50));
        }
    }
}

fn reader_with_card(name: &str) -> bool {
    list_pcsc_devices().is_ok_and(|l| l.iter().any(|d| d.uri == DeviceUri::Pcsc(name.to_owned())))
}

fn insert(config: Config) -> InsertedCard {
    let addr = std::env::var("FIDO_VPCD_ADDR").unwrap_or_else(|_| "127.0.0.1:35963".into());
    let stream = TcpStream::connect(&addr).unwrap_or_else(|e| {
        panic!("vpcd does not answer at {addr} ({e}): start pcscd with vsmartcard-vpcd installed (apt-get install pcscd vsmartcard-vpcd)")
    });
    let before: Vec<_> = list_pcsc_devices()
        .expect("PC/SC works")
        .into_iter()
        .map(|d| d.uri)
        .collect();
    let card = NfcCard::new(Authenticator::new(config).unwrap());
    let mut vicc = VpcdCard::new(stream.try_clone().unwrap(), card).unwrap();
    let thread = thread::spawn(move || {
        let _ = vicc.serve();
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now: Vec<_> = list_pcsc_devices()
            .expect("PC/SC works")
            .into_iter()
            .map(|d| d.uri)
            .collect();
        if let Some(DeviceUri::Pcsc(reader)) = now.into_iter().find(|u| !before.contains(u)) {
            return InsertedCard {
                stream,
                thread: Some(thread),
                reader,
            };
        }
        assert!(
            Instant::now() < deadline,
            "the card did not show up in any PC/SC reader"
        );
        thread::sleep(Duration::from_millis(100));
    }
}

fn open(card: &InsertedCard) -> (Box<dyn CtapDevice>, ApduLog) {
    let (link, descriptor) = fido_ctap::pcsc::open_link(&card.reader).expect("connect to the card");
    assert_eq!(descriptor.uri, DeviceUri::Pcsc(card.reader.clone()));
    open_tapped(link, &descriptor.uri.to_string())
}

/// One test: the scenarios share vpcd's one card slot, one card at a time.
#[test]
fn scenarios_through_pcscd_and_vpcd() {
    let card = insert(with_pin());
    let (device, log) = open(&card);
    register_and_authenticate_with_pin(device, &log);
    let (device, log) = open(&card);
    chained_response(device, &log);
    // The opener and a part of the reader name reach the same card.
    let part = &card.reader[card.reader.len() - 5..];
    let uri: DeviceUri = format!("pcsc:{part}").parse().unwrap();
    let device = fido_ctap::device::DeviceOpener::new()
        .open(&uri)
        .expect("open by a part of the name");
    assert!(
        device
            .capabilities()
            .contains(fido_ctap::device::CapabilityFlags::CBOR)
    );
    drop(device);
    drop(card);

    let card = insert(u2f_only());
    let (device, log) = open(&card);
    u2f_card(device, &log);
    drop(card);

    let card = insert(slow_touch());
    let (device, log) = open(&card);
    cancel_during_touch(device, &log);
    drop(card);

    assert!(matches!(
        fido_ctap::device::DeviceOpener::new().open(&"pcsc:no such reader".parse().unwrap()),
        Err(TransportError::NoDevice)
    ));
}
