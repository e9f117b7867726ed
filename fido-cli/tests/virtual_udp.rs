//! `fido virtual --udp 127.0.0.1:0`: prints exactly one READY line, then answers CTAPHID
//! over UDP (INIT, CBOR getInfo, the 0x7E power cycle) to the sender's address.

use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::process::{Command, Stdio};
use std::time::Duration;

fn report(cid: u32, cmd: u8, data: &[u8]) -> [u8; 64] {
    let mut r = [0u8; 64];
    r[..4].copy_from_slice(&cid.to_be_bytes());
    r[4] = 0x80 | cmd;
    r[5..7].copy_from_slice(&(data.len() as u16).to_be_bytes());
    r[7..7 + data.len()].copy_from_slice(data);
    r
}

#[test]
fn serves_ctaphid_over_udp() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fido"))
        .args([
            "virtual",
            "--udp",
            "127.0.0.1:0",
            "--seed",
            "1",
            "--pin",
            "1234",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("READY udp:")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .to_owned();
    assert!(
        addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
        "{addr}"
    );

    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    socket.connect(&addr).unwrap();
    let mut buf = [0u8; 64];

    socket.send(&report(0xFFFF_FFFF, 0x06, &[9; 8])).unwrap();
    assert_eq!(socket.recv(&mut buf).unwrap(), 64);
    assert_eq!(buf[4], 0x86);
    assert_eq!(&buf[7..15], &[9; 8]);
    let cid = u32::from_be_bytes([buf[15], buf[16], buf[17], buf[18]]);

    // getInfo: status OK, and the PIN given on the command line is set (clientPin true).
    socket.send(&report(cid, 0x10, &[0x04])).unwrap();
    socket.recv(&mut buf).unwrap();
    assert_eq!(buf[4], 0x90);
    let len = usize::from(u16::from_be_bytes([buf[5], buf[6]]));
    let mut body = buf[7..].to_vec();
    while body.len() < len {
        socket.recv(&mut buf).unwrap();
        body.extend_from_slice(&buf[5..]);
    }
    body.truncate(len);
    assert_eq!(body[0], 0x00);
    let needle = b"iclientPin\xf5";
    assert!(body.windows(needle.len()).any(|w| w == needle));

    // The simulated power cycle: an empty 0x7E response.
    socket.send(&report(cid, 0x7E, &[])).unwrap();
    socket.recv(&mut buf).unwrap();
    assert_eq!((buf[4], buf[5], buf[6]), (0xFE, 0, 0));

    child.kill().unwrap();
    child.wait().unwrap();
}
