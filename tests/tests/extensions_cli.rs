//! `fido register` / `fido authenticate` with extensions, against the virtual
//! authenticator over UDP: `--prf`, the `extensions` member of an `--options` file, the
//! L3 `clientExtensionResults` of `--json` and the human-readable lines.

use fido_authenticator::Config;
use fido_tests::{ORIGIN, RP_ID, serve_udp};
use serde_json::Value;

use fido_tests::fido_command as fido;

fn run(args: &[&str]) -> String {
    let output = fido().args(args).output().expect("run fido");
    assert!(
        output.status.success(),
        "fido {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON output")
}

#[test]
fn prf_shortcut_options_extensions_json_and_human_output() {
    let addr = serve_udp(Config {
        seed: Some(41),
        builtin_uv: false,
        pin: Some("1234".into()),
        ..Config::default()
    });
    let device = format!("udp:{addr}");
    let common = [
        "--device",
        &device,
        "--origin",
        ORIGIN,
        "--rp-id",
        RP_ID,
        "--user-verification",
        "required",
        "--pin",
        "1234",
    ];
    // "c2FsdA" is base64url("salt").
    let registered = json(&run(&[
        &["register"][..],
        &common,
        &["--resident-key", "required", "--prf", "c2FsdA", "--json"],
    ]
    .concat()));
    let outputs = &registered["clientExtensionResults"];
    assert_eq!(outputs["prf"]["enabled"], true);
    let first = outputs["prf"]["results"]["first"]
        .as_str()
        .expect("prf at registration");
    let id = registered["id"].as_str().unwrap().to_owned();

    let asserted = json(&run(&[
        &["authenticate"][..],
        &common,
        &["--credential", &id, "--prf", "c2FsdA", "--json"],
    ]
    .concat()));
    assert_eq!(
        asserted["clientExtensionResults"]["prf"]["results"]["first"],
        first
    );

    // An options file's extensions: credBlob at registration, getCredBlob after.
    let dir = std::env::temp_dir().join(format!("fido-rs-ext-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let create = dir.join("create.json");
    std::fs::write(
        &create,
        r#"{"publicKey":{"rp":{"id":"example.com","name":"Example"},
            "user":{"id":"dXNlci0y","name":"u2","displayName":"U2"},
            "challenge":"Y2hhbGxlbmdl","pubKeyCredParams":[{"type":"public-key","alg":-7}],
            "authenticatorSelection":{"residentKey":"required","userVerification":"required"},
            "extensions":{"credBlob":"YmxvYg","credProps":true}}}"#,
    )
    .unwrap();
    let options = create.to_str().unwrap();
    let text = run(&[&["register"][..], &common, &["--options", options]].concat());
    assert!(text.contains("credBlob:        stored yes"), "{text}");
    assert!(text.contains("credProps:       discoverable yes"), "{text}");

    let get = dir.join("get.json");
    std::fs::write(
        &get,
        r#"{"challenge":"Y2hhbGxlbmdl","rpId":"example.com","userVerification":"required",
            "extensions":{"getCredBlob":true}}"#,
    )
    .unwrap();
    let options = get.to_str().unwrap();
    let out = json(&run(&[
        &["authenticate"][..],
        &common,
        &["--options", options, "--json"],
    ]
    .concat()));
    // Two discoverable credentials: the first assertion is the newest, user-2's.
    assert_eq!(out["clientExtensionResults"]["getCredBlob"], "YmxvYg");
    let text = run(&[&["authenticate"][..], &common, &["--options", options]].concat());
    assert!(text.contains("getCredBlob:     YmxvYg"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
