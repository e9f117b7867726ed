//! Item 10 and 21 of issue 17: the state file is 0600, written through an exclusively
//! created temporary file that never follows a symbolic link, and a crash at any step of
//! a save leaves the old state or the new one.

use std::io;
use std::path::{Path, PathBuf};

use super::*;

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "fido-state-file-{name}-{}-{:?}",
        std::process::id(),
        std::time::SystemTime::now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A small deterministic generator for the test's sizes and cut points.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A state-like document of `len` bytes whose every byte depends on `version`.
fn document(version: u64, len: usize) -> Vec<u8> {
    let mut out = format!("{{\"version\":{version},\"pad\":\"").into_bytes();
    while out.len() + 2 < len.max(out.len() + 2) {
        out.push(b'a' + ((version as usize + out.len()) % 26) as u8);
    }
    out.extend_from_slice(b"\"}");
    out
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_state_file_is_0600_even_over_a_world_readable_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("mode");
    let path = dir.join("state.json");
    std::fs::write(&path, b"old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    write(&path, b"new").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"new");
    assert_eq!(mode(&path), 0o600);
    assert!(!temporary_path(&path).exists());
}

#[cfg(unix)]
#[test]
fn a_symlink_at_the_temporary_path_is_not_followed() {
    let dir = tempdir("symlink");
    let path = dir.join("state.json");
    let victim = dir.join("victim");
    std::fs::write(&victim, b"precious").unwrap();
    std::os::unix::fs::symlink(&victim, temporary_path(&path)).unwrap();
    write(&path, b"state").unwrap();
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    assert_eq!(std::fs::read(&path).unwrap(), b"state");
    // And the open itself refuses a link (the unlink-and-retry is what saved us above).
    std::os::unix::fs::symlink(&victim, dir.join("link")).unwrap();
    assert!(open_new(&dir.join("link")).is_err());
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
}

#[test]
fn a_save_that_cannot_write_fails_and_leaves_the_old_state() {
    let dir = tempdir("fail");
    let path = dir.join("state.json");
    write(&path, b"old").unwrap();
    // A directory where the temporary file goes: it can neither be created nor unlinked.
    std::fs::create_dir(temporary_path(&path)).unwrap();
    std::fs::write(temporary_path(&path).join("x"), b"").unwrap();
    assert!(write(&path, b"new").is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
}

/// Item 21: a crash (the save stopped) before any step, over many states and sizes,
/// leaves exactly the old or the new bytes, and the next save succeeds.
#[test]
fn a_crash_at_any_step_leaves_the_old_or_the_new_state() {
    let dir = tempdir("crash");
    let path = dir.join("state.json");
    let mut rng = XorShift(0x5EED_F1D0);
    let mut old = document(0, 10);
    write(&path, &old).unwrap();
    let mut iterations = 0;
    let mut outcomes = [0usize; 2];
    for version in 1..=60u64 {
        let new = document(version, 1 + rng.below(3000));
        let steps = 4 + new.len().div_ceil(CHUNK);
        for _ in 0..8 {
            let cut = rng.below(steps + 1);
            let mut seen = 0;
            let result = write_with_faults(&path, &new, &mut |_step| {
                seen += 1;
                if seen > cut {
                    Err(io::Error::other("simulated crash"))
                } else {
                    Ok(())
                }
            });
            let on_disk = std::fs::read(&path).unwrap();
            if on_disk == new {
                outcomes[1] += 1;
            } else {
                assert_eq!(
                    on_disk, old,
                    "neither old nor new after a crash at step {cut}"
                );
                assert!(result.is_err());
                outcomes[0] += 1;
            }
            iterations += 1;
            // Recovery: the next save goes through whatever the crash left behind.
            write(&path, &old).unwrap();
        }
        write(&path, &new).unwrap();
        old = new;
    }
    assert_eq!(iterations, 480);
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}

#[test]
fn the_format_version_is_written_and_a_newer_one_refused() {
    let dir = tempdir("version");
    let path = dir.join("state.json");
    let state = Persistent::new(4, crate::secret::Secret([1; 32]));
    let text = serde_json::to_string(&state).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format"], FORMAT_VERSION);
    let mut newer = value.clone();
    newer["format"] = serde_json::json!(FORMAT_VERSION + 1);
    std::fs::write(&path, newer.to_string()).unwrap();
    assert!(matches!(
        load(&path),
        Err(Error::StateVersion { found, .. }) if found == FORMAT_VERSION + 1
    ));
    // Format 1 (no version, one shared counter) is read, its counter the new floor.
    let mut legacy = value;
    legacy.as_object_mut().unwrap().remove("format");
    legacy.as_object_mut().unwrap().remove("counters");
    legacy["sign_count"] = serde_json::json!(77);
    std::fs::write(&path, legacy.to_string()).unwrap();
    let loaded = load(&path).unwrap().unwrap();
    assert_eq!(loaded.format, FORMAT_VERSION);
    assert_eq!(loaded.counters.get(b"any credential"), 77);
}
