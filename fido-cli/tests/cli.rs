//! The `fido` binary end to end, against the in-process `virtual` device and against
//! `fido virtual --udp 127.0.0.1:0` (spawned, its READY line parsed): the demo, info
//! --json, the PIN commands, reset, wrong-PIN errors, and register/authenticate --json
//! output read back as WebAuthn L3 JSON and verified.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use fido_types::webauthn::{
    AttestationSigner, AuthenticationResponse, ClientDataType, RegistrationResponse, base64url,
};

const FIDO: &str = env!("CARGO_BIN_EXE_fido");

fn fido(args: &[&str]) -> Output {
    Command::new(FIDO)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run fido")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs fido and insists on success.
fn ok(args: &[&str]) -> String {
    let out = fido(args);
    assert!(
        out.status.success(),
        "fido {args:?} failed: {}\n{}",
        stderr(&out),
        stdout(&out)
    );
    stdout(&out)
}

/// A fresh path for a virtual authenticator's state file.
fn state_file() -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let path = std::env::temp_dir().join(format!(
        "fido-cli-test-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_file(&path);
    path
}

/// `fido virtual --udp 127.0.0.1:0`, killed on drop.
struct UdpAuthenticator {
    child: Child,
    uri: String,
}

impl UdpAuthenticator {
    fn spawn(extra: &[&str]) -> Self {
        let mut child = Command::new(FIDO)
            .args(["virtual", "--udp", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn fido virtual");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("READY line");
        let uri = line
            .trim_end()
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("unexpected line {line:?}"))
            .to_owned();
        assert!(uri.starts_with("udp:127.0.0.1:"), "{uri}");
        UdpAuthenticator { child, uri }
    }
}

impl Drop for UdpAuthenticator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const STEPS: [&str; 6] = [
    "Step 1/6  Open the authenticator",
    "Step 2/6  Set a PIN",
    "Step 3/6  Register a credential for example.com (user verification required)",
    "Step 4/6  Verify the registration (as the relying party)",
    "Step 5/6  Authenticate with the credential (user verification required)",
    "Step 6/6  Verify the authentication (as the relying party)",
];

fn assert_demo(out: &str) {
    for step in STEPS {
        assert!(out.contains(step), "missing {step:?} in:\n{out}");
    }
    for check in [
        "ok  PIN set to 1234",
        "ok  user verified (UV flag)",
        "ok  attestation signature verifies (self attestation",
        "ok  signature verifies with the registered public key",
        "the client asked for the PIN and used a pinUvAuthToken",
    ] {
        assert!(out.contains(check), "missing {check:?} in:\n{out}");
    }
    assert!(out.trim_end().ends_with("every check passed."), "{out}");
}

#[test]
fn demo_on_the_virtual_device() {
    let out = ok(&["demo", "--device", "virtual"]);
    assert_demo(&out);
    assert!(out.contains("device virtual (as asked)"), "{out}");
}

#[test]
fn demo_without_a_device_uses_the_virtual_authenticator_when_no_key_is_plugged_in() {
    // Only meaningful where no security key is attached (CI); with one, the demo would
    // wait for its touch.
    let list = fido(&["list"]);
    if !stdout(&list).starts_with("No FIDO security key found") {
        // A key is plugged in, or HID enumeration is unavailable here: then `list`
        // fails, and says so.
        assert!(list.status.success() || stderr(&list).starts_with("fido: "));
        return;
    }
    let out = ok(&["demo"]);
    assert_demo(&out);
    assert!(
        out.contains(
            "device virtual (no FIDO security key found, so the built-in virtual authenticator)"
        ),
        "{out}"
    );
}

#[test]
fn demo_over_udp_with_the_pin_the_authenticator_already_has() {
    let udp = UdpAuthenticator::spawn(&["--pin", "2468"]);
    let out = ok(&["demo", "--device", &udp.uri, "--pin", "2468"]);
    for step in STEPS {
        assert!(out.contains(step), "missing {step:?} in:\n{out}");
    }
    assert!(out.contains("a PIN is already set; using it"), "{out}");
    assert!(out.contains(&format!("device {}", udp.uri)), "{out}");
}

#[test]
fn info_json_names_the_members() {
    let out = ok(&["info", "--device", "virtual", "--json"]);
    let info: serde_json::Value = serde_json::from_str(&out).expect("info --json is JSON");
    let versions: Vec<&str> = info["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(versions.contains(&"FIDO_2_1"), "{versions:?}");
    // The software authenticator's AAGUID is "fido-rs-soft-aut" in ASCII.
    assert_eq!(info["aaguid"], "6669646f-2d72-732d-736f-66742d617574");
    assert_eq!(info["options"]["clientPin"], false);
    assert_eq!(info["pinUvAuthProtocols"], serde_json::json!([2, 1]));

    let table = ok(&["info", "--device", "virtual"]);
    assert!(table.contains("clientPin"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("maxMsgSize") && l.ends_with("2048"))
    );
}

fn concat<'a>(args: &[&'a str], device: &[&'a str]) -> Vec<&'a str> {
    [args, device].concat()
}

fn pin_commands(device: &[&str]) {
    let with = |args: &[&'static str]| concat(args, device);
    assert_eq!(
        ok(&with(&["pin", "retries"])).lines().next(),
        Some("No PIN is set.")
    );
    assert_eq!(
        ok(&with(&["pin", "set", "--new-pin", "1234"])),
        "PIN set.\n"
    );
    assert!(ok(&with(&["pin", "retries"])).starts_with("PIN retries: 8\n"));

    // A PIN that is set cannot be set again.
    let again = fido(&with(&["pin", "set", "--new-pin", "5555"]));
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("a PIN is already set: use `fido pin change`"));

    // Wrong PIN: non-zero exit, a sentence, and one attempt fewer.
    let wrong = fido(&with(&[
        "pin",
        "change",
        "--pin",
        "9999",
        "--new-pin",
        "5678",
    ]));
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(
        stderr(&wrong).trim_end(),
        "fido: wrong PIN (7 attempts left); check the PIN and try again"
    );
    assert!(ok(&with(&["pin", "retries"])).starts_with("PIN retries: 7\n"));

    assert_eq!(
        ok(&with(&[
            "pin",
            "change",
            "--pin",
            "1234",
            "--new-pin",
            "5678"
        ])),
        "PIN changed.\n"
    );
    // The right PIN restores the counter; the old PIN no longer works.
    assert!(ok(&with(&["pin", "retries"])).starts_with("PIN retries: 8\n"));
    let old = fido(&with(&[
        "pin",
        "change",
        "--pin",
        "1234",
        "--new-pin",
        "1111",
    ]));
    assert!(
        stderr(&old).contains("wrong PIN (7 attempts left)"),
        "{}",
        stderr(&old)
    );

    // A PIN shorter than minPINLength is refused before anything is sent.
    let short = fido(&with(&[
        "pin",
        "change",
        "--pin",
        "5678",
        "--new-pin",
        "12",
    ]));
    assert_eq!(short.status.code(), Some(1));
    assert!(stderr(&short).starts_with("fido: "), "{}", stderr(&short));

    // Reset erases the PIN.
    assert!(ok(&with(&["reset", "--yes"])).contains("was reset"));
    assert_eq!(
        ok(&with(&["pin", "retries"])).lines().next(),
        Some("No PIN is set.")
    );
}

#[test]
fn pin_set_change_retries_and_reset_on_virtual_with_a_state_file() {
    let state = state_file();
    let state_arg = state.to_str().unwrap();
    pin_commands(&["--device", "virtual", "--state", state_arg]);
    let _ = std::fs::remove_file(&state);
}

#[test]
fn pin_set_change_retries_and_reset_over_udp() {
    let udp = UdpAuthenticator::spawn(&[]);
    pin_commands(&["--device", &udp.uri]);
}

#[test]
fn reset_refuses_without_confirmation() {
    let out = fido(&["reset", "--device", "virtual"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not confirmed; nothing was reset"));
}

#[test]
fn plain_word_errors_and_exit_status() {
    let bad_uri = fido(&["info", "--device", "tcp:1.2.3.4"]);
    assert_eq!(bad_uri.status.code(), Some(1));
    assert!(stderr(&bad_uri).starts_with("fido: bad --device \"tcp:1.2.3.4\""));

    let origin = fido(&[
        "register",
        "--device",
        "virtual",
        "--origin",
        "https://evil.test",
        "--rp-id",
        "example.com",
    ]);
    assert_eq!(origin.status.code(), Some(1));
    assert!(
        stderr(&origin).trim_end()
            == "fido: the RP ID \"example.com\" is not \"evil.test\" or a parent domain of it",
        "{}",
        stderr(&origin)
    );

    let uv = fido(&[
        "register",
        "--device",
        "virtual",
        "--origin",
        "https://example.com",
        "--user-verification",
        "required",
    ]);
    assert_eq!(uv.status.code(), Some(1));
    assert!(
        stderr(&uv).starts_with(
            "fido: the request asks for user verification, but the authenticator has none set up"
        ),
        "{}",
        stderr(&uv)
    );

    // Nothing to authenticate with: the CTAP status in words.
    let none = fido(&[
        "authenticate",
        "--device",
        "virtual",
        "--origin",
        "https://example.com",
        "--user-verification",
        "discouraged",
    ]);
    assert_eq!(none.status.code(), Some(1));
    assert_eq!(
        stderr(&none).trim_end(),
        "fido: the authenticator refused: no matching credential was found (NO_CREDENTIALS (0x2E))",
        "{}",
        stderr(&none)
    );
}

#[test]
fn register_and_authenticate_json_is_l3_json_that_verifies() {
    let state = state_file();
    let dev = ["--device", "virtual", "--state", state.to_str().unwrap()];
    ok(&[&["pin", "set", "--new-pin", "1234"][..], &dev].concat());
    // A wrong PIN: exit status 1, the retries left in words, and no JSON on stdout.
    let wrong = fido(
        &[
            &[
                "register",
                "--origin",
                "https://example.com",
                "--pin",
                "9999",
                "--json",
            ][..],
            &dev,
        ]
        .concat(),
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(
        stderr(&wrong).trim_end(),
        "fido: wrong PIN (7 attempts left); check the PIN and try again"
    );
    assert_eq!(stdout(&wrong), "");
    // A PIN the rules refuse is reported as such, before anything is sent.
    let short = fido(
        &[
            &["register", "--origin", "https://example.com", "--pin", "12"][..],
            &dev,
        ]
        .concat(),
    );
    assert_eq!(short.status.code(), Some(1));
    assert_eq!(
        stderr(&short),
        "fido: unusable PIN: PIN has 2 code points, at least 4 are needed\n"
    );

    let challenge = base64url::encode(b"registration challenge 32 bytes!");
    let out = ok(&[
        &[
            "register",
            "--origin",
            "https://login.example.com",
            "--rp-id",
            "example.com",
            "--challenge",
            &challenge,
            "--user-name",
            "alice",
            "--user-verification",
            "required",
            "--attestation",
            "direct",
            "--cred-props",
            "--pin",
            "1234",
            "--json",
        ][..],
        &dev,
    ]
    .concat());
    assert_eq!(out.lines().count(), 1, "exactly one JSON line: {out}");
    let registration = RegistrationResponse::from_json(&out).expect("RegistrationResponseJSON");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["type"], "public-key");
    assert_eq!(json["authenticatorAttachment"], "cross-platform");
    assert_eq!(
        json["clientExtensionResults"],
        serde_json::json!({"credProps": {"rk": false}})
    );
    let response = registration.response();
    let client_data = response.client_data();
    assert_eq!(client_data.type_(), ClientDataType::CREATE.as_str());
    assert_eq!(client_data.challenge(), b"registration challenge 32 bytes!");
    assert_eq!(client_data.origin(), "https://login.example.com");
    let auth_data = response.authenticator_data();
    assert!(auth_data.flags().user_present() && auth_data.flags().user_verified());
    assert_eq!(
        response.verify_attestation_signature().unwrap(),
        AttestationSigner::Credential
    );
    let public_key = response.public_key().clone();

    let challenge = base64url::encode(b"authentication challenge");
    let out = ok(&[
        &[
            "authenticate",
            "--origin",
            "https://login.example.com",
            "--rp-id",
            "example.com",
            "--challenge",
            &challenge,
            "--credential",
            &registration.id(),
            "--user-verification",
            "required",
            "--pin",
            "1234",
            "--json",
        ][..],
        &dev,
    ]
    .concat());
    let assertion = AuthenticationResponse::from_json(&out).expect("AuthenticationResponseJSON");
    assert_eq!(assertion.raw_id(), registration.raw_id());
    let response = assertion.response();
    assert_eq!(response.client_data().type_(), ClientDataType::GET.as_str());
    assert_eq!(
        response.client_data().challenge(),
        b"authentication challenge"
    );
    assert_eq!(
        response.authenticator_data().rp_id_hash(),
        auth_data.rp_id_hash()
    );
    assert!(response.authenticator_data().flags().user_verified());
    response
        .verify(&public_key)
        .expect("the assertion verifies");

    // The same JSON with one signature byte flipped does not.
    let mut json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut sig = base64url::decode(json["response"]["signature"].as_str().unwrap()).unwrap();
    let last = sig.len() - 1;
    sig[last] ^= 1;
    json["response"]["signature"] = base64url::encode(&sig).into();
    let tampered = AuthenticationResponse::from_json(&json.to_string()).unwrap();
    assert!(tampered.response().verify(&public_key).is_err());
    let _ = std::fs::remove_file(&state);
}

#[test]
fn register_and_authenticate_from_options_files_over_udp() {
    let udp = UdpAuthenticator::spawn(&[]);
    let dir = state_file();
    std::fs::create_dir_all(&dir).unwrap();
    let create = dir.join("create.json");
    // The shape python-fido2's `dict(CredentialCreationOptions)` writes.
    std::fs::write(
        &create,
        r#"{"publicKey": {"rp": {"name": "Example", "id": "example.com"},
            "user": {"name": "bob", "id": "Ym9i", "displayName": "Bob"},
            "challenge": "AAECAwQFBgcICQoLDA0ODw", "pubKeyCredParams": [
              {"type": "public-key", "alg": -8}, {"type": "unknown", "alg": -7}],
            "authenticatorSelection": {"residentKey": "required", "userVerification": "discouraged"}}}"#,
    )
    .unwrap();
    let out = ok(&[
        "register",
        "--device",
        &udp.uri,
        "--origin",
        "https://example.com",
        "--options",
        create.to_str().unwrap(),
        "--json",
    ]);
    let registration = RegistrationResponse::from_json(&out).unwrap();
    let response = registration.response();
    assert_eq!(
        response.client_data().challenge(),
        (0u8..16).collect::<Vec<_>>()
    );
    // Only the known type's algorithm was asked for: EdDSA.
    assert_eq!(response.public_key_algorithm().0, -8);
    assert!(!response.authenticator_data().flags().user_verified());

    // A discoverable credential: no allow list, and the user handle comes back.
    let get = dir.join("get.json");
    std::fs::write(
        &get,
        r#"{"publicKey": {"challenge": "c2lnbiB0aGlz", "rpId": "example.com", "userVerification": "discouraged"}}"#,
    )
    .unwrap();
    let out = ok(&[
        "authenticate",
        "--device",
        &udp.uri,
        "--origin",
        "https://example.com",
        "--options",
        get.to_str().unwrap(),
        "--json",
    ]);
    let assertion = AuthenticationResponse::from_json(&out).unwrap();
    assert_eq!(assertion.raw_id(), registration.raw_id());
    assert_eq!(assertion.response().user_handle(), Some(&b"bob"[..]));
    assert_eq!(assertion.response().client_data().challenge(), b"sign this");
    assertion.response().verify(response.public_key()).unwrap();

    // The readable form names the credential.
    let text = ok(&[
        "authenticate",
        "--device",
        &udp.uri,
        "--origin",
        "https://example.com",
        "--options",
        get.to_str().unwrap(),
    ]);
    assert!(
        text.contains(&format!("Credential ID:   {}", registration.id())),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_command_has_help() {
    for command in [
        &["demo"][..],
        &["list"],
        &["info"],
        &["pin", "set"],
        &["pin", "change"],
        &["pin", "retries"],
        &["reset"],
        &["wink"],
        &["register"],
        &["authenticate"],
        &["virtual"],
    ] {
        let out = ok(&[command, &["--help"][..]].concat());
        assert!(out.contains("Usage: fido "), "{command:?}: {out}");
        if command != ["list"] {
            assert!(
                out.contains("--device") || command == ["virtual"],
                "{command:?}: {out}"
            );
        }
    }
    let top = ok(&["--help"]);
    for name in [
        "demo",
        "list",
        "info",
        "pin",
        "reset",
        "wink",
        "register",
        "authenticate",
        "virtual",
    ] {
        assert!(top.contains(&format!("  {name} ")), "{name}: {top}");
    }
}

#[test]
fn wink_on_the_virtual_device() {
    assert_eq!(ok(&["wink", "--device", "virtual"]), "Winked.\n");
}

#[test]
fn touch_prompt_and_ctrl_c_cancels_the_pending_request() {
    // The authenticator waits 20 s for "touch", sending KEEPALIVE UPNEEDED meanwhile.
    let udp = UdpAuthenticator::spawn(&["--up-delay-ms", "20000"]);
    let started = std::time::Instant::now();
    let mut child = Command::new(FIDO)
        .args([
            "register",
            "--device",
            &udp.uri,
            "--origin",
            "https://example.com",
        ])
        .args(["--user-verification", "discouraged"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert_eq!(
        line,
        "Touch your authenticator to continue (Ctrl-C cancels)...\n"
    );
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    assert_eq!(rest, "fido: cancelled\n");
    assert_eq!(status.code(), Some(130));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn info_of_a_real_yubikey_from_a_replayed_transcript() {
    // fido-ctap's transcript of a real YubiKey session (libfido2 fuzz wiredata; see
    // fido-ctap/tests/data/README.md).
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fido-ctap/tests/data/libfido2_yubikey_wiredata.transcript"
    );
    let uri = format!("replay:{path}");
    let info: serde_json::Value =
        serde_json::from_str(&ok(&["info", "--device", &uri, "--json"])).unwrap();
    assert_eq!(info["aaguid"], "1956e5bd-a374-45f1-a814-356403fdbc18");
    assert_eq!(
        info["versions"],
        serde_json::json!(["U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE"])
    );
    assert_eq!(info["maxMsgSize"], 1200);
    assert_eq!(info["options"]["credentialMgmtPreview"], true);

    let table = ok(&["info", "--device", &uri]);
    assert!(
        table
            .lines()
            .any(|l| l == "device version                    5.2.1 (CTAPHID protocol 2)"),
        "{table}"
    );
    assert_eq!(
        ok(&["pin", "retries", "--device", &uri]),
        "No PIN is set.\n"
    );
}

#[test]
fn register_and_authenticate_on_a_u2f_only_authenticator() {
    let udp = UdpAuthenticator::spawn(&["--u2f-only"]);
    let common = [
        "--device",
        &udp.uri,
        "--origin",
        "https://example.com",
        "--user-verification",
        "discouraged",
        "--json",
    ];
    // The WebAuthn default, "none", replaces the U2F attestation.
    let out = ok(&[&["register"][..], &common].concat());
    let registration = RegistrationResponse::from_json(&out).unwrap();
    assert_eq!(registration.response().attestation_object().fmt(), "none");
    let out = ok(&[&["register", "--attestation", "direct"][..], &common].concat());
    let registration = RegistrationResponse::from_json(&out).unwrap();
    let response = registration.response();
    assert_eq!(response.attestation_object().fmt(), "fido-u2f");
    assert_eq!(
        response.verify_attestation_signature().unwrap(),
        AttestationSigner::Certificate
    );
    let id = registration.id();
    let out = ok(&[&["authenticate", "--credential", &id][..], &common].concat());
    let assertion = AuthenticationResponse::from_json(&out).unwrap();
    assert_eq!(assertion.raw_id(), registration.raw_id());
    assertion.response().verify(response.public_key()).unwrap();

    let info = fido(&["info", "--device", &udp.uri]);
    assert_eq!(info.status.code(), Some(1));
    assert!(
        stderr(&info).contains("speaks only CTAP1/U2F"),
        "{}",
        stderr(&info)
    );
}

#[test]
fn the_options_timeout_ends_a_request_nobody_touches() {
    let udp = UdpAuthenticator::spawn(&["--up-delay-ms", "20000"]);
    let started = std::time::Instant::now();
    let out = fido(&[
        "register",
        "--device",
        &udp.uri,
        "--origin",
        "https://example.com",
        "--user-verification",
        "discouraged",
        "--timeout",
        "300",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .ends_with("fido: timed out: the authenticator was not touched within 300 ms\n"),
        "{}",
        stderr(&out)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
