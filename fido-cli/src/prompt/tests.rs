use std::io::Write;
use std::path::PathBuf;

use super::{PinArgs, PinSource, read_pin_file};

fn temp(name: &str, content: &[u8], mode: u32) -> PathBuf {
    let path = std::env::temp_dir().join(format!("fido-pin-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(content).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let _ = mode;
    path
}

#[test]
fn pin_file_drops_one_trailing_newline() {
    for (name, content) in [
        ("lf", &b"1234\n"[..]),
        ("crlf", b"1234\r\n"),
        ("none", b"1234"),
    ] {
        let path = temp(name, content, 0o600);
        assert_eq!(read_pin_file(&path).unwrap().as_str(), "1234", "{name}");
        let source = PinSource::from_args(&PinArgs {
            pin: None,
            pin_file: Some(path.clone()),
        })
        .unwrap();
        assert_eq!(source.get("unused").unwrap().expose_secret(), "1234");
        std::fs::remove_file(path).unwrap();
    }
}

#[test]
fn pin_file_refuses_what_is_not_one_private_line() {
    let cases: [(&str, &[u8], u32, &str); 4] = [
        ("two-lines", b"1234\n5678\n", 0o600, "more than one line"),
        ("long", &[b'1'; 300], 0o600, "longer than 256 bytes"),
        ("latin1", b"\xff\xfe12", 0o600, "not UTF-8"),
        ("shared", b"1234\n", 0o644, "others may read it"),
    ];
    for (name, content, mode, why) in cases {
        if cfg!(not(unix)) && name == "shared" {
            continue;
        }
        let path = temp(name, content, mode);
        let err = read_pin_file(&path).unwrap_err().to_string();
        assert!(err.contains(why), "{name}: {err}");
        std::fs::remove_file(path).unwrap();
    }
    let dir = std::env::temp_dir();
    let err = read_pin_file(&dir).unwrap_err().to_string();
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn command_line_pin_wins_over_the_file() {
    let source = PinSource::from_args(&PinArgs {
        pin: Some("4321".into()),
        pin_file: None,
    })
    .unwrap();
    assert_eq!(source.get("unused").unwrap().expose_secret(), "4321");
}
