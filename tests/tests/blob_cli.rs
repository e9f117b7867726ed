//! `fido blob list | get | set | delete` against the virtual authenticator kept in a state
//! file: the README walkthrough's blob steps (register with the largeBlob extension, store
//! a blob, read it back), per credential and `--raw`, each verb's `--json`, and the
//! refusals (a damaged array given to `set --raw`, a credential without a largeBlobKey).

use std::path::{Path, PathBuf};
use std::process::Output;

use fido_types::webauthn::base64url;
use serde_json::Value;

use fido_tests::fido_command as fido;

struct Key {
    dir: PathBuf,
    state: PathBuf,
}

impl Key {
    fn new(name: &str) -> Key {
        let dir = std::env::temp_dir().join(format!("fido-blob-cli-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let state = dir.join("key.json");
        let _ = std::fs::remove_file(&state);
        Key { dir, state }
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
        let mut all = args.to_vec();
        all.extend(["--pin", "123456"]);
        let out = self.output(&all);
        assert!(!out.status.success(), "fido {args:?} succeeded");
        String::from_utf8(out.stderr).unwrap()
    }

    /// Registers a discoverable credential for `user`, with the largeBlob extension when
    /// `large_blob`; its credential ID.
    fn register(&self, user: &str, large_blob: bool) -> String {
        let extensions = if large_blob {
            r#","extensions":{"largeBlob":{"support":"required"}}"#
        } else {
            ""
        };
        let options = self.dir.join(format!("{user}.json"));
        std::fs::write(
            &options,
            format!(
                r#"{{"rp":{{"id":"example.com","name":"Example"}},
                "user":{{"id":"{}","name":"{user}","displayName":"{user}"}},
                "challenge":"Y2hhbGxlbmdl","pubKeyCredParams":[{{"type":"public-key","alg":-7}}],
                "authenticatorSelection":{{"residentKey":"required"}}{extensions}}}"#,
                base64url::encode(user.as_bytes())
            ),
        )
        .unwrap();
        let out: Value = serde_json::from_str(&self.ok(&[
            "register",
            "--origin",
            "https://example.com",
            "--options",
            options.to_str().unwrap(),
            "--pin",
            "123456",
            "--json",
        ]))
        .unwrap();
        out["id"].as_str().unwrap().to_owned()
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn cred<'a>(verb: &'a str, id: &'a str) -> Vec<&'a str> {
    vec![
        "blob",
        verb,
        "--rp-id",
        "example.com",
        "--credential-id",
        id,
    ]
}

#[test]
fn blob_walkthrough_per_credential_and_raw() {
    let key = Key::new("walk");
    key.ok(&["pin", "set", "--new-pin", "123456"]);
    let alice = key.register("alice", true);
    let bob = key.register("bob", true);
    let carol = key.register("carol", false);

    let list = key.json(&["blob", "list"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2, "carol has no largeBlobKey: {list}");
    assert!(rows.iter().all(|r| r["size"].is_null()), "{list}");

    // Store and read alice's blob ("hello, blob" as base64url).
    let hello = base64url::encode(b"hello, blob");
    let set = key.json(&[&cred("set", &alice)[..], &["--data", &hello]].concat());
    assert_eq!(set["size"], 11);
    assert_eq!(set["credentialId"], alice.as_str());
    let got = key.json(&cred("get", &alice));
    assert_eq!(got["blob"], hello.as_str());
    let text = key.ok(&[&cred("get", &alice)[..], &["--pin", "123456"]].concat());
    assert_eq!(text.trim(), hello);

    // Bob's from a file; read back to a file created 0600.
    let input = key.dir.join("bob.bin");
    std::fs::write(&input, b"bob's bytes\x00\xff").unwrap();
    key.json(
        &[
            &cred("set", &bob)[..],
            &["--input", input.to_str().unwrap()],
        ]
        .concat(),
    );
    let output = key.dir.join("bob.out");
    key.json(
        &[
            &cred("get", &bob)[..],
            &["--output", output.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(std::fs::read(&output).unwrap(), b"bob's bytes\x00\xff");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&output).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let list = key.json(&["blob", "list", "--rp-id", "example.com"]);
    let size = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["credentialId"] == id)
            .unwrap()["size"]
            .clone()
    };
    assert_eq!(size(&alice), 11);
    assert_eq!(size(&bob), 13);

    // The whole array: saved, listed, emptied, restored.
    let saved = key.dir.join("array.bin");
    key.json(&["blob", "get", "--raw", "--output", saved.to_str().unwrap()]);
    let raw = key.json(&["blob", "list", "--raw"]);
    assert_eq!(raw["entries"].as_array().unwrap().len(), 2);
    assert_eq!(raw["maxSize"], 4096);
    assert_eq!(raw["size"], std::fs::read(&saved).unwrap().len());
    let deleted = key.json(&cred("delete", &alice));
    assert_eq!(deleted["deleted"], true);
    assert_eq!(key.json(&cred("delete", &alice))["deleted"], false);
    let none = key.fails(&cred("get", &alice));
    assert!(none.contains("no blob"), "{none}");
    assert_eq!(key.json(&cred("get", &bob))["size"], 13);
    key.json(&["blob", "delete", "--raw"]);
    assert_eq!(
        key.json(&["blob", "list", "--raw"])["entries"],
        Value::Array(vec![])
    );
    key.json(&["blob", "set", "--raw", "--input", saved.to_str().unwrap()]);
    assert_eq!(key.json(&cred("get", &alice))["blob"], hello.as_str());

    // A damaged array is refused before anything is written.
    let mut damaged = std::fs::read(&saved).unwrap();
    damaged[3] ^= 1;
    let bad = key.dir.join("bad.bin");
    std::fs::write(&bad, &damaged).unwrap();
    let e = key.fails(&["blob", "set", "--raw", "--input", bad.to_str().unwrap()]);
    assert!(e.contains("hash"), "{e}");
    assert_eq!(key.json(&cred("get", &bob))["size"], 13);

    // Refusals: no largeBlobKey, an unknown credential, neither target given.
    let e = key.fails(&cred("get", &carol));
    assert!(e.contains("largeBlobKey"), "{e}");
    let e = key.fails(&cred("get", "AAAA"));
    assert!(e.contains("no discoverable credential"), "{e}");
    let e = key.fails(&["blob", "get"]);
    assert!(e.contains("--rp-id") || e.contains("--raw"), "{e}");
}
