//! Issue 17, `fido virtual` as a service: loopback-only listening and peer-bound
//! channels over real sockets (item 8), a failed save fails the command and the state
//! is on disk before the reply (item 10), and an authenticator killed with SIGKILL in the
//! middle of its saves always leaves a state file that loads (item 21).

mod support;

use std::net::UdpSocket;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use fido_authenticator::presence::NoTransport;
use fido_authenticator::udp::UdpServer;
use fido_authenticator::{Authenticator, Config, Error};
use fido_types::status::CtapStatus;
use support::*;

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "fido-hardening-{name}-{}-{:?}",
        std::process::id(),
        std::time::SystemTime::now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn seeded(state: Option<PathBuf>) -> Config {
    Config {
        seed: Some(21),
        state_file: state,
        ..Config::default()
    }
}

fn report(cid: u32, cmd: u8, data: &[u8]) -> [u8; 64] {
    let mut r = [0u8; 64];
    r[..4].copy_from_slice(&cid.to_be_bytes());
    r[4] = 0x80 | cmd;
    r[5..7].copy_from_slice(&(data.len() as u16).to_be_bytes());
    r[7..7 + data.len()].copy_from_slice(data);
    r
}

/// Item 8: the server refuses a non-loopback address unless asked explicitly.
#[test]
fn item8_udp_listens_on_loopback_only_unless_told_otherwise() {
    let auth = || Authenticator::new(seeded(None)).unwrap();
    let refused = UdpServer::bind("0.0.0.0:0", auth()).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::InvalidInput);
    assert!(UdpServer::bind("127.0.0.1:0", auth()).is_ok());
    assert!(UdpServer::bind("[::1]:0", auth()).is_ok() || !ipv6_loopback_available());
    assert!(UdpServer::bind_any("0.0.0.0:0", auth()).is_ok());
}

fn ipv6_loopback_available() -> bool {
    UdpSocket::bind("[::1]:0").is_ok()
}

/// Item 8: another socket cannot use a channel it did not allocate.
#[test]
fn item8_a_foreign_channel_is_invalid_over_udp() {
    let mut server =
        UdpServer::bind("127.0.0.1:0", Authenticator::new(seeded(None)).unwrap()).unwrap();
    let addr = server.local_addr().unwrap();
    let alice = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mallory = UdpSocket::bind("127.0.0.1:0").unwrap();
    for s in [&alice, &mallory] {
        s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        s.connect(addr).unwrap();
    }
    let mut buf = [0u8; 64];
    alice.send(&report(0xFFFF_FFFF, 0x06, &[7; 8])).unwrap();
    server.serve_one(Some(Duration::from_secs(2))).unwrap();
    alice.recv(&mut buf).unwrap();
    let cid = u32::from_be_bytes(buf[15..19].try_into().unwrap());
    // getInfo on Alice's channel from Mallory: one ERR_INVALID_CHANNEL, no getInfo.
    mallory.send(&report(cid, 0x10, &[0x04])).unwrap();
    server.serve_one(Some(Duration::from_secs(2))).unwrap();
    mallory.recv(&mut buf).unwrap();
    assert_eq!(
        &buf[..7],
        &[&cid.to_be_bytes()[..], &[0xBF, 0, 1]].concat()[..]
    );
    assert_eq!(buf[7], 0x0B, "ERR_INVALID_CHANNEL");
    mallory
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    assert!(mallory.recv(&mut buf).is_err(), "exactly one reply");
    // Alice still gets hers.
    alice.send(&report(cid, 0x10, &[0x04])).unwrap();
    server.serve_one(Some(Duration::from_secs(2))).unwrap();
    alice.recv(&mut buf).unwrap();
    assert_eq!((buf[4], buf[7]), (0x90, 0x00));
}

/// Item 10: PIN retries are on disk before the reply, and a save that fails fails the
/// command.
#[test]
fn item10_state_is_saved_before_the_reply_and_a_failed_save_fails_the_command() {
    let dir = tempdir("save");
    let path = dir.join("state.json");
    let mut auth = Authenticator::new(seeded(Some(path.clone()))).unwrap();
    assert_eq!(set_pin(&mut auth, "1234"), CtapStatus::SUCCESS);
    assert_eq!(
        token(&mut auth, "0000", 0x01, None).0,
        CtapStatus::PIN_INVALID
    );
    // Another process reading the file now sees the spent retry.
    let copy = dir.join("copy.json");
    std::fs::copy(&path, &copy).unwrap();
    let mut other = Authenticator::new(seeded(Some(copy))).unwrap();
    assert_eq!(other.pin_retries(), 7);
    assert_eq!(pin_retries(&mut other), 7);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Make saving impossible: a non-empty directory where the temporary file goes.
    let tmp = PathBuf::from(format!("{}.tmp", path.display()));
    std::fs::create_dir(&tmp).unwrap();
    std::fs::write(tmp.join("x"), b"").unwrap();
    let before = std::fs::read(&path).unwrap();
    let (status, _) = token(&mut auth, "0000", 0x01, None);
    assert_eq!(
        status,
        CtapStatus::OTHER,
        "the wrong PIN could not be recorded"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // U2F too: an internal-error status word alone.
    let mut register = vec![0, 1, 0, 0, 0, 0, 64];
    register.extend_from_slice(&[5; 64]);
    register.extend_from_slice(&[0, 0]);
    assert_eq!(auth.handle_apdu(&register, &mut NoTransport), [0x6F, 0x00]);
    // Nothing changed in memory either way is saved once the file can be written again.
    std::fs::remove_dir_all(&tmp).unwrap();
    assert_eq!(pin_retries(&mut auth), 6);
    let reloaded = Authenticator::new(seeded(Some(path))).unwrap();
    assert_eq!(reloaded.pin_retries(), 6);
}

/// Item 10: a state file of a newer format is refused with a typed error.
#[test]
fn item10_a_newer_format_is_a_typed_error() {
    let dir = tempdir("format");
    let path = dir.join("state.json");
    drop(Authenticator::new(seeded(Some(path.clone()))).unwrap());
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(json["format"], 2);
    json["format"] = serde_json::json!(99);
    std::fs::write(&path, json.to_string()).unwrap();
    assert!(matches!(
        Authenticator::new(seeded(Some(path))),
        Err(Error::StateVersion { found: 99, .. })
    ));
}

const CHILD_ENV: &str = "FIDO_HARDENING_CRASH_CHILD";

/// The child of the SIGKILL test: asserts with one credential forever, each assertion
/// saving a new counter to the state file. Does nothing when run as an ordinary test.
#[test]
fn item21_child_asserting_forever() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let mut auth = Authenticator::new(seeded(Some(PathBuf::from(path)))).unwrap();
    let req = map(vec![
        (int(1), text("example.com")),
        (int(2), bytes(&[1; 32])),
    ]);
    loop {
        let (status, body) = call(&mut auth, 0x02, Some(&req));
        assert_eq!(status, CtapStatus::SUCCESS, "{body:?}");
    }
}

/// Item 21: kill the authenticator with SIGKILL at random moments of its saves, many
/// times; the state file always loads, and the credential's counter never goes back.
#[test]
fn item21_sigkill_during_saves_leaves_a_loadable_state() {
    let dir = tempdir("sigkill");
    let path = dir.join("state.json");
    let mut auth = Authenticator::new(seeded(Some(path.clone()))).unwrap();
    let req = make_credential_request("example.com", b"u", true, vec![]);
    assert_eq!(call(&mut auth, 0x01, Some(&req)).0, CtapStatus::SUCCESS);
    let id = auth.store().discoverable()[0].id.clone();
    drop(auth);
    let exe = std::env::current_exe().unwrap();
    let mut last = 0;
    let mut advanced = 0;
    let mut seed = 0x2117_u64;
    for _ in 0..40 {
        let mut child = Command::new(&exe)
            .args(["--exact", "item21_child_asserting_forever", "--nocapture"])
            .env(CHILD_ENV, &path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis(30 + (seed >> 33) % 200));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let loaded = Authenticator::new(seeded(Some(path.clone())))
            .unwrap_or_else(|e| panic!("state damaged by SIGKILL: {e}"));
        let count = loaded.sign_count(&id);
        assert!(count >= last, "counter went back: {count} < {last}");
        if count > last {
            advanced += 1;
        }
        last = count;
    }
    assert!(
        advanced > 0,
        "the child never saved: the test tested nothing"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(leftovers.len() <= 2, "{leftovers:?}");
    eprintln!("40 kills; the counter advanced in {advanced} runs, to {last}");
}
