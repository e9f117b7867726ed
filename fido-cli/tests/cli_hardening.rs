//! Issue 17 items 13, 18 and 19 through the `fido` binary: `--origin` is required,
//! every device command takes `--timeout`, and the PIN may come from `--pin-file` or
//! `FIDO_PIN`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const FIDO: &str = env!("CARGO_BIN_EXE_fido");

fn fido(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(FIDO)
        .args(args)
        .env_remove("FIDO_PIN")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run fido")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn temp_path(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("fido-hardening-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// `fido virtual --udp 127.0.0.1:0` with `extra`, killed on drop.
struct Udp {
    child: Child,
    uri: String,
}

impl Udp {
    fn spawn(extra: &[&str]) -> Self {
        let mut child = Command::new(FIDO)
            .args(["virtual", "--udp", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn fido virtual");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let uri = line.trim_end().strip_prefix("READY ").unwrap().to_owned();
        Udp { child, uri }
    }
}

impl Drop for Udp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn register_and_authenticate_require_origin() {
    // Item 13: the origin is never derived from the relying party's own options.
    let options = temp_path("options.json");
    std::fs::write(
        &options,
        r#"{"rpId": "example.com", "challenge": "AAAAAAAAAAAAAAAAAAAAAA"}"#,
    )
    .unwrap();
    for args in [
        &["register", "--device", "virtual", "--rp-id", "example.com"][..],
        &[
            "authenticate",
            "--device",
            "virtual",
            "--options",
            options.to_str().unwrap(),
        ][..],
    ] {
        let out = fido(args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("--origin"), "{}", stderr(&out));
    }
    std::fs::remove_file(options).unwrap();
}

#[test]
fn help_warns_that_a_command_line_pin_is_visible() {
    for command in [
        &["register"][..],
        &["authenticate"],
        &["demo"],
        &["pin", "change"],
    ] {
        let out = fido(&[command, &["--help"]].concat(), &[]);
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("--pin-file"), "{command:?}: {help}");
        assert!(
            help.contains("visible to other users"),
            "{command:?}: {help}"
        );
    }
}

#[test]
fn pin_comes_from_a_file_or_the_environment() {
    // Item 19.
    let state = temp_path("state.json");
    let dev = ["--device", "virtual", "--state", state.to_str().unwrap()];
    let set = fido(
        &[&["pin", "set", "--new-pin", "1234"][..], &dev].concat(),
        &[],
    );
    assert!(set.status.success(), "{}", stderr(&set));
    let register = [
        "register",
        "--origin",
        "https://example.com",
        "--user-verification",
        "required",
        "--json",
    ];

    let pin_file = temp_path("pin");
    std::fs::write(&pin_file, "1234\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pin_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let from_file = fido(
        &[
            &register[..],
            &dev,
            &["--pin-file", pin_file.to_str().unwrap()],
        ]
        .concat(),
        &[],
    );
    assert!(from_file.status.success(), "{}", stderr(&from_file));

    let from_env = fido(&[&register[..], &dev].concat(), &[("FIDO_PIN", "1234")]);
    assert!(from_env.status.success(), "{}", stderr(&from_env));

    let wrong_env = fido(&[&register[..], &dev].concat(), &[("FIDO_PIN", "9999")]);
    assert_eq!(wrong_env.status.code(), Some(1));
    assert!(
        stderr(&wrong_env).contains("wrong PIN"),
        "{}",
        stderr(&wrong_env)
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pin_file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let shared = fido(
            &[
                &register[..],
                &dev,
                &["--pin-file", pin_file.to_str().unwrap()],
            ]
            .concat(),
            &[],
        );
        assert_eq!(shared.status.code(), Some(1));
        assert!(stderr(&shared).contains("chmod 600"), "{}", stderr(&shared));
    }
    let _ = std::fs::remove_file(pin_file);
    let _ = std::fs::remove_file(state);
}

#[test]
fn every_device_command_takes_timeout() {
    // Item 18: --timeout everywhere (help), and it bounds a request nobody touches.
    for command in [
        &["info"][..],
        &["wink"],
        &["reset"],
        &["pin", "set"],
        &["pin", "change"],
        &["pin", "retries"],
        &["register"],
        &["authenticate"],
        &["demo"],
    ] {
        let out = fido(&[command, &["--help"]].concat(), &[]);
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("--timeout <MS>"), "{command:?}: {help}");
    }
    let udp = Udp::spawn(&["--up-delay-ms", "20000"]);
    let started = Instant::now();
    let out = fido(
        &["reset", "--yes", "--device", &udp.uri, "--timeout", "300"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("did not answer in time"),
        "{}",
        stderr(&out)
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // (That authenticator stays busy waiting for the touch; ask a fresh one.)
    let fresh = Udp::spawn(&[]);
    let info = fido(&["info", "--device", &fresh.uri, "--timeout", "2000"], &[]);
    assert!(info.status.success(), "{}", stderr(&info));
}

/// A replay transcript of python-fido2's YubiKey getInfo (fido-ctap/tests/data/
/// python_fido2_yubikey.transcript, its INIT and getInfo exchange), with `edit` applied
/// to the hex of the getInfo answer's two reports.
fn info_transcript(name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let source = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fido-ctap/tests/data/python_fido2_yubikey.transcript"
    );
    let text = std::fs::read_to_string(source).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .take(5)
        .collect();
    let answer = edit(&[lines[3], lines[4]].join("\n"));
    let out = format!(
        "# fido-rs CTAPHID transcript v1\n{}\n{}\n{}\n{answer}\n",
        lines[0], lines[1], lines[2]
    );
    let path = temp_path(name);
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn lenient_cbor_accepts_keys_sorted_another_way() {
    // Item 16: "up" before "rk" in the options map is not canonical.
    let path = info_transcript("unsorted.transcript", |hex| {
        assert!(hex.contains("a462726bf5627570f5"));
        hex.replace("a462726bf5627570f5", "a4627570f562726bf5")
    });
    let uri = format!("replay:{}", path.display());
    let strict = fido(&["info", "--device", &uri], &[]);
    assert_eq!(strict.status.code(), Some(1));
    let err = stderr(&strict);
    assert!(err.contains("Info: member \"rk\""), "{err}");
    assert!(err.contains("--lenient-cbor"), "{err}");
    let lenient = fido(&["info", "--device", &uri, "--lenient-cbor", "--json"], &[]);
    assert!(lenient.status.success(), "{}", stderr(&lenient));
    let json: serde_json::Value = serde_json::from_slice(&lenient.stdout).unwrap();
    assert_eq!(json["options"]["rk"], true);
    std::fs::remove_file(path).unwrap();
}

#[test]
fn device_strings_are_escaped_outside_json() {
    // Item 17: a version string carrying ESC (0x1b) where "_" was: "U2F\x1bV2".
    let path = info_transcript("escape.transcript", |hex| {
        assert!(hex.contains("5532465f5632"));
        hex.replacen("5532465f5632", "5532461b5632", 1)
    });
    let uri = format!("replay:{}", path.display());
    let out = fido(&["info", "--device", &uri], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("U2F\\u{001b}V2"), "{text}");
    // JSON output keeps the string, escaped by JSON itself.
    let json = fido(&["info", "--device", &uri, "--json"], &[]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["versions"][0], "U2F\u{1b}V2");
    std::fs::remove_file(path).unwrap();
}
