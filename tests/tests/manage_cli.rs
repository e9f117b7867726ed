//! `fido cred`, `fido bio` and `fido config` against the virtual authenticator kept in a
//! state file: the README walkthrough (set a PIN, register two resident credentials,
//! list, rename a user, delete), each verb's `--json`, and the refusals.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use fido_tests::fido_command as fido;

struct Key {
    state: PathBuf,
}

impl Key {
    fn new(name: &str) -> Key {
        let dir =
            std::env::temp_dir().join(format!("fido-manage-cli-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let state = dir.join("key.json");
        let _ = std::fs::remove_file(&state);
        Key { state }
    }

    fn output(&self, args: &[&str]) -> Output {
        let state: &Path = &self.state;
        fido()
            .args(args)
            .args(["--device", "virtual", "--state"])
            .arg(state)
            .output()
            .expect("run fido")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.output(args);
        assert!(
            out.status.success(),
            "fido {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--pin", "123456", "--json"]);
        serde_json::from_str(&self.ok(&all)).expect("JSON output")
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.output(args);
        assert!(!out.status.success(), "fido {args:?} succeeded");
        String::from_utf8(out.stderr).unwrap()
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        if let Some(dir) = self.state.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn register(key: &Key, user: &str) {
    key.ok(&[
        "register",
        "--origin",
        "https://example.com",
        "--rp-id",
        "example.com",
        "--user-name",
        user,
        "--user-id",
        &fido_types::webauthn::base64url::encode(user.as_bytes()),
        "--resident-key",
        "required",
        "--pin",
        "123456",
    ]);
}

#[test]
fn walkthrough_cred_list_update_delete() {
    let key = Key::new("walk");
    let before = key.fails(&["cred", "list", "--pin", "123456"]);
    assert!(before.contains("no PIN is set"), "{before}");
    key.ok(&["pin", "set", "--new-pin", "123456"]);
    register(&key, "alice");
    register(&key, "bob");

    let info = key.json(&["cred", "info"]);
    assert_eq!(info["existing"], 2);
    let list = key.json(&["cred", "list"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        assert_eq!(row["rpId"], "example.com");
        assert_eq!(row["credProtect"], 1);
        for member in ["credentialId", "userId", "userName", "userDisplayName"] {
            assert!(row[member].is_string(), "{member} in {row}");
        }
    }
    let alice = rows.iter().find(|r| r["userName"] == "alice").unwrap();
    assert_eq!(alice["userId"], "YWxpY2U");
    let alice_id = alice["credentialId"].as_str().unwrap().to_owned();
    let only = key.json(&["cred", "list", "--rp-id", "example.com"]);
    assert_eq!(only.as_array().unwrap().len(), 2);
    assert_eq!(
        key.json(&["cred", "list", "--rp-id", "example.org"]),
        Value::Array(vec![])
    );

    key.json(&[
        "cred",
        "update-user",
        "--credential-id",
        &alice_id,
        "--name",
        "alice.smith",
        "--display-name",
        "Alice Smith",
    ]);
    let list = key.json(&["cred", "list"]);
    let alice = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["credentialId"] == alice_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(alice["userName"], "alice.smith");
    assert_eq!(alice["userDisplayName"], "Alice Smith");
    assert_eq!(alice["userId"], "YWxpY2U", "the user ID is kept");

    key.json(&["cred", "delete", "--credential-id", &alice_id]);
    let list = key.json(&["cred", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["userName"], "bob");
    let text = key.ok(&["cred", "list", "--pin", "123456"]);
    assert!(text.contains("bob") && !text.contains("alice"), "{text}");
    let gone = key.fails(&[
        "cred",
        "delete",
        "--credential-id",
        &alice_id,
        "--pin",
        "123456",
    ]);
    assert!(!gone.is_empty());
    let bad = key.fails(&[
        "cred",
        "delete",
        "--credential-id",
        "%%%",
        "--pin",
        "123456",
    ]);
    assert!(bad.contains("base64url"), "{bad}");
}

#[test]
fn bio_verbs() {
    let key = Key::new("bio");
    key.ok(&["pin", "set", "--new-pin", "123456"]);
    let info = key.json(&["bio", "info"]);
    assert_eq!(info["maxCaptureSamples"], 3);
    assert_eq!(key.json(&["bio", "list"]), Value::Array(vec![]));
    let enrolled = key.json(&["bio", "enroll", "--name", "thumb"]);
    let id = enrolled["templateId"].as_str().unwrap().to_owned();
    let list = key.json(&["bio", "list"]);
    assert_eq!(list[0]["templateId"], id.as_str());
    assert_eq!(list[0]["name"], "thumb");
    key.json(&["bio", "rename", "--template-id", &id, "--name", "index"]);
    assert_eq!(key.json(&["bio", "list"])[0]["name"], "index");
    key.json(&["bio", "delete", "--template-id", &id]);
    assert_eq!(key.json(&["bio", "list"]), Value::Array(vec![]));
}

#[test]
fn config_verbs() {
    let key = Key::new("config");
    key.ok(&["pin", "set", "--new-pin", "123456"]);
    assert_eq!(key.json(&["config", "always-uv", "on"])["changed"], true);
    assert_eq!(key.json(&["config", "always-uv", "on"])["changed"], false);
    let info: Value = serde_json::from_str(&key.ok(&["info", "--json"])).unwrap();
    assert_eq!(info["options"]["alwaysUv"], true, "{info}");
    assert_eq!(key.json(&["config", "always-uv", "off"])["changed"], true);
    key.json(&[
        "config",
        "min-pin",
        "6",
        "--rp-id",
        "example.com",
        "--rp-id",
        "example.org",
    ]);
    let info: Value = serde_json::from_str(&key.ok(&["info", "--json"])).unwrap();
    assert_eq!(info["minPINLength"], 6, "{info}");
    let lower = key.fails(&["config", "min-pin", "5", "--pin", "123456"]);
    assert!(!lower.is_empty());
    // The default virtual key has self attestation only: no `ep`, refused before sending.
    let ep = key.fails(&["config", "enterprise-attestation", "on", "--pin", "123456"]);
    assert!(ep.contains("enterprise attestation"), "{ep}");
}
