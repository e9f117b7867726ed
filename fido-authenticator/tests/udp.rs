//! CTAPHID over UDP: each client gets its own channel and its own answers; while one
//! waits for the user (KEEPALIVE UPNEEDED), another is told CHANNEL_BUSY; CANCEL ends the
//! wait.

use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use fido_authenticator::presence::PresencePolicy;
use fido_authenticator::udp::UdpServer;
use fido_authenticator::{Authenticator, Config};

fn report(cid: u32, cmd: u8, data: &[u8]) -> [u8; 64] {
    let mut r = [0u8; 64];
    r[..4].copy_from_slice(&cid.to_be_bytes());
    r[4] = 0x80 | cmd;
    r[5..7].copy_from_slice(&(data.len() as u16).to_be_bytes());
    r[7..7 + data.len()].copy_from_slice(data);
    r
}

fn client(addr: &str) -> (UdpSocket, u32) {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.connect(addr).unwrap();
    let nonce: [u8; 8] = s
        .local_addr()
        .unwrap()
        .port()
        .to_be_bytes()
        .repeat(4)
        .try_into()
        .unwrap();
    s.send(&report(0xFFFF_FFFF, 0x06, &nonce)).unwrap();
    let mut buf = [0u8; 64];
    s.recv(&mut buf).unwrap();
    assert_eq!(
        &buf[7..15],
        &nonce,
        "the INIT answer goes to the client that asked"
    );
    (s, u32::from_be_bytes([buf[15], buf[16], buf[17], buf[18]]))
}

#[test]
fn two_clients_busy_keepalive_and_cancel() {
    let auth = Authenticator::new(Config {
        seed: Some(2),
        presence: PresencePolicy::Delay(Duration::from_secs(10)),
        ..Config::default()
    })
    .unwrap();
    let mut server = UdpServer::bind("127.0.0.1:0", auth).unwrap();
    let addr = server.local_addr().unwrap().to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    let thread = std::thread::spawn(move || {
        while !stop2.load(Ordering::Relaxed) {
            server.serve_one(Some(Duration::from_millis(50))).unwrap();
        }
    });

    let (a, cid_a) = client(&addr);
    let (b, cid_b) = client(&addr);
    assert_ne!(cid_a, cid_b);

    // A asks for selection, which waits for the user: KEEPALIVE UPNEEDED arrives.
    a.send(&report(cid_a, 0x10, &[0x0B])).unwrap();
    let mut buf = [0u8; 64];
    a.recv(&mut buf).unwrap();
    assert_eq!((buf[4], buf[7]), (0xBB, 2));
    // B is told the device is busy.
    b.send(&report(cid_b, 0x01, b"ping")).unwrap();
    b.recv(&mut buf).unwrap();
    assert_eq!((buf[4], buf[7]), (0xBF, 0x06));
    // A cancels: the answer is KEEPALIVE_CANCEL.
    a.send(&report(cid_a, 0x11, &[])).unwrap();
    loop {
        a.recv(&mut buf).unwrap();
        if buf[4] != 0xBB {
            break;
        }
    }
    assert_eq!((buf[4], buf[7]), (0x90, 0x2D));
    // Now B is served.
    b.send(&report(cid_b, 0x01, b"ping")).unwrap();
    b.recv(&mut buf).unwrap();
    assert_eq!((buf[4], &buf[7..11]), (0x81, &b"ping"[..]));

    stop.store(true, Ordering::Relaxed);
    thread.join().unwrap();
}
