//! Tests of device URI parsing and display.

use super::*;

#[test]
fn valid_uris_round_trip() {
    let table: &[(&str, DeviceUri)] = &[
        ("hid", DeviceUri::FirstHid),
        ("hid:/dev/hidraw3", DeviceUri::Hid("/dev/hidraw3".into())),
        (
            "udp:127.0.0.1:8111",
            DeviceUri::Udp {
                host: "127.0.0.1".into(),
                port: 8111,
            },
        ),
        (
            "udp:[::1]:65535",
            DeviceUri::Udp {
                host: "[::1]".into(),
                port: 65535,
            },
        ),
        ("virtual", DeviceUri::Virtual),
        (
            "replay:tests/data/a b.txt",
            DeviceUri::Replay("tests/data/a b.txt".into()),
        ),
        // A path may contain the separator.
        ("hid:a:b", DeviceUri::Hid("a:b".into())),
        (
            "pcsc:Virtual PCD 00 00",
            DeviceUri::Pcsc("Virtual PCD 00 00".into()),
        ),
        ("pcsc:ACS:1", DeviceUri::Pcsc("ACS:1".into())),
    ];
    for (text, uri) in table {
        assert_eq!(&text.parse::<DeviceUri>().unwrap(), uri, "{text}");
        assert_eq!(&uri.to_string(), text);
    }
    assert_eq!("".parse::<DeviceUri>().unwrap(), DeviceUri::FirstHid);
    assert_eq!(DeviceUri::default(), DeviceUri::FirstHid);
}

#[test]
fn invalid_uris_name_the_problem() {
    let table = [
        ("usb:1", "unknown device kind"),
        ("nonsense", "unknown device kind"),
        ("hid:", "empty HID path"),
        ("replay:", "empty transcript path"),
        ("udp:localhost", "missing port"),
        ("udp::8111", "empty host"),
        ("udp:localhost:http", "port is not a number 1..=65535"),
        ("udp:localhost:65536", "port is not a number 1..=65535"),
        ("udp:localhost:0", "port 0 cannot be connected to"),
        (
            "udp:::1:8111",
            "IPv6 addresses need brackets, as in udp:[::1]:8111",
        ),
        ("virtual:x", "virtual takes no argument"),
        ("pcsc:", "empty PC/SC reader name"),
    ];
    for (text, reason) in table {
        let err = text.parse::<DeviceUri>().unwrap_err();
        assert_eq!(
            err,
            UriError {
                uri: text.into(),
                reason
            },
            "{text}"
        );
    }
    let message = "udp:x".parse::<DeviceUri>().unwrap_err().to_string();
    assert_eq!(
        message,
        "invalid device URI \"udp:x\": missing port (expected hid, hid:PATH, udp:HOST:PORT, virtual, replay:FILE or pcsc:READER)"
    );
}
