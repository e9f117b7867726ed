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
            "--allow-power-cycle",
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

/// Starts `fido virtual` with `args`; its exit status (if it exited within `wait`) and
/// stderr.
fn run_virtual(args: &[&str], wait: Duration) -> (Option<std::process::ExitStatus>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fido"))
        .arg("virtual")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    // Either READY or end of output (it exited).
    stdout.read_line(&mut line).unwrap();
    std::thread::sleep(wait);
    let mut status = child.try_wait().unwrap();
    if wait.is_zero() {
        status = Some(child.wait().unwrap());
    }
    if status.is_none() {
        child.kill().unwrap();
    }
    child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    (status, err)
}

/// Issue 17 items 8 and 11: a non-loopback address needs `--listen-any` (which warns),
/// and `--seed` warns.
#[test]
fn listen_any_and_seed_warn_and_non_loopback_needs_listen_any() {
    let (status, err) = run_virtual(&["--udp", "0.0.0.0:0"], Duration::ZERO);
    assert!(status.is_some_and(|s| !s.success()), "{err}");
    assert!(err.contains("--listen-any"), "{err}");
    let (status, err) = run_virtual(
        &["--udp", "0.0.0.0:0", "--listen-any"],
        Duration::from_millis(200),
    );
    assert!(status.is_none(), "still serving: {err}");
    assert!(err.contains("warning") && err.contains("any"), "{err}");
    let (_, err) = run_virtual(
        &["--udp", "127.0.0.1:0", "--seed", "5"],
        Duration::from_millis(200),
    );
    assert!(err.contains("warning") && err.contains("--seed"), "{err}");
    let (_, err) = run_virtual(&["--udp", "127.0.0.1:0"], Duration::from_millis(200));
    assert!(!err.contains("warning"), "{err}");
}

/// Issue 17 item 9: without `--allow-power-cycle`, 0x7E is an unknown command.
#[test]
fn power_cycle_needs_the_flag() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fido"))
        .args(["virtual", "--udp", "127.0.0.1:0"])
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
    socket.send(&report(0xFFFF_FFFF, 0x06, &[1; 8])).unwrap();
    socket.recv(&mut buf).unwrap();
    let cid = u32::from_be_bytes([buf[15], buf[16], buf[17], buf[18]]);
    socket.send(&report(cid, 0x7E, &[])).unwrap();
    socket.recv(&mut buf).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    // ERR_INVALID_CMD.
    assert_eq!((buf[4], buf[5], buf[6], buf[7]), (0xBF, 0, 1, 0x01));
}
