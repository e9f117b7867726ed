//! `fido verify` on recorded browser output: a registration and an assertion made by
//! Chrome's virtual authenticator (fido-types/tests/vectors/chrome_*.json, recorded in
//! authelia/authelia internal/handlers/handler_sign_webauthn_test.go). Exit 0 with what was
//! verified; exit 1 with the failing step in words.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const FIDO: &str = env!("CARGO_BIN_EXE_fido");
const ORIGIN: &str = "https://login.example.com:8080";
const RP_ID: &str = "login.example.com";
const REG_CHALLENGE: &str = "aq_AXdvsDMsKW_1aY31XQhU17ZMg1i0TK013DwukB2U";
const AUTH_CHALLENGE: &str = "in1cL-oWfSjSd7uuwUvv2ndOAmRXb0cOAbUoTtAqvGE";

fn vector(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fido-types/tests/vectors")
        .join(name);
    path.to_str().unwrap().to_owned()
}

fn fido(args: &[&str]) -> Output {
    Command::new(FIDO)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run fido")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn registration(challenge: &str, origin: &str, rp_id: &str, extra: &[&str]) -> Output {
    let response = vector("chrome_registration.json");
    let mut args = vec![
        "verify",
        "registration",
        "--response",
        &response,
        "--challenge",
        challenge,
        "--origin",
        origin,
        "--rp-id",
        rp_id,
    ];
    args.extend_from_slice(extra);
    fido(&args)
}

#[test]
fn registration_verifies_and_reports() {
    let out = registration(REG_CHALLENGE, ORIGIN, RP_ID, &["--json"]);
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], "registration");
    assert_eq!(v["format"], "packed");
    assert_eq!(v["attestationType"], "basic");
    assert_eq!(v["algorithm"], -7);
    assert_eq!(v["trusted"], false);
}

#[test]
fn registration_failures_name_the_step() {
    let out = registration("b3RoZXI", ORIGIN, RP_ID, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("challenge is not the one issued"),
        "{}",
        text(&out)
    );

    let out = registration(REG_CHALLENGE, "https://evil.example", RP_ID, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("origin \"https://login.example.com:8080\" is not allowed"));

    let out = registration(REG_CHALLENGE, ORIGIN, "example.com", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("RP ID hash"), "{}", text(&out));

    // Chrome's authenticator verified the user (flags 0x45): --require-uv is met.
    let out = registration(REG_CHALLENGE, ORIGIN, RP_ID, &["--require-uv"]);
    assert!(out.status.success(), "{}", text(&out));

    // A trust directory whose root is not the Chromium batch certificate's issuer.
    let dir = std::env::temp_dir().join(format!("fido-verify-trust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("fido-u2f.pem"), STRANGER_PEM).unwrap();
    let out = registration(
        REG_CHALLENGE,
        ORIGIN,
        RP_ID,
        &["--trust", dir.to_str().unwrap()],
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("no trusted root"), "{}", text(&out));
}

#[test]
fn authentication_verifies_with_the_registration_as_key() {
    let auth = vector("chrome_authentication.json");
    let reg = vector("chrome_registration.json");
    let args = |challenge: &'static str, count: &'static str| {
        vec![
            "verify".to_owned(),
            "authentication".into(),
            "--response".into(),
            auth.clone(),
            "--public-key".into(),
            reg.clone(),
            "--challenge".into(),
            challenge.into(),
            "--origin".into(),
            ORIGIN.into(),
            "--rp-id".into(),
            RP_ID.into(),
            "--sign-count".into(),
            count.into(),
        ]
    };
    let run = |a: Vec<String>| fido(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let out = run(args(AUTH_CHALLENGE, "0"));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("authentication verified"));
    // A stored counter ahead of the authenticator's is reported.
    let out = run(args(AUTH_CHALLENGE, "1000"));
    assert!(out.status.success());
    assert!(text(&out).contains("may be cloned"), "{}", text(&out));
    // Another challenge.
    let out = run(args(REG_CHALLENGE, "0"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("authentication refused"),
        "{}",
        text(&out)
    );
}

/// Any certificate other than the Chromium batch certificate's issuer: python-fido2
/// 2.2.1 tests/test_mds3.py's EXAMPLE_CA (FIDO MDS3 specification example root).
const STRANGER_PEM: &str = include_str!("verify_stranger_root.pem");
