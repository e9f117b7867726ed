//! `fido virtual --alg`: the offered credential algorithms (getInfo over UDP), and a
//! clear error for an unknown algorithm name.

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

/// `{"alg": <alg>, "type": "public-key"}` in CTAP2 canonical CBOR, `alg` pre-encoded.
fn param(alg: &[u8]) -> Vec<u8> {
    [
        &[0xa2, 0x63][..],
        b"alg",
        alg,
        &[0x64],
        b"type",
        &[0x6a],
        b"public-key",
    ]
    .concat()
}

#[test]
fn alg_options_choose_the_offered_algorithms_in_order() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fido"))
        .args(["virtual", "--udp", "127.0.0.1:0", "--seed", "1"])
        .args([
            "--alg",
            "ES384",
            "--alg",
            "-8",
            "--alg",
            "ml-dsa-44",
            "--alg",
            "ES384",
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
        .unwrap()
        .to_owned();
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    socket.connect(&addr).unwrap();
    let mut buf = [0u8; 64];
    socket.send(&report(0xFFFF_FFFF, 0x06, &[9; 8])).unwrap();
    socket.recv(&mut buf).unwrap();
    let cid = u32::from_be_bytes([buf[15], buf[16], buf[17], buf[18]]);
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
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(body[0], 0x00);
    // algorithms (0x0A): [ES384 (-35 = 0x38 0x22), EdDSA (-8 = 0x27), ML-DSA-44 (-48 =
    // 0x38 0x2f)], in the order given, each once.
    let needle = [
        &[0x0a, 0x83][..],
        &param(&[0x38, 0x22]),
        &param(&[0x27]),
        &param(&[0x38, 0x2f]),
    ]
    .concat();
    assert!(body.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn an_unknown_algorithm_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_fido"))
        .args(["virtual", "--udp", "127.0.0.1:0", "--alg", "ES1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown algorithm \"ES1\"") && stderr.contains("ML-DSA-87"),
        "{stderr}"
    );
}
