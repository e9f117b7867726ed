//! getInfo as JSON keyed by spec member names, the AAGUID as a UUID, table cells.

use super::*;
use fido_types::generated::CtapVersion;

#[test]
fn aaguid_reads_as_a_uuid() {
    let bytes: [u8; 16] = core::array::from_fn(|i| i as u8);
    let json = info_json(&Info::new(vec![CtapVersion::FIDO_2_0], bytes)).unwrap();
    assert_eq!(json["aaguid"], "00010203-0405-0607-0809-0a0b0c0d0e0f");
}

#[test]
fn info_json_uses_the_spec_member_names() {
    let mut info = Info::new(vec![CtapVersion::FIDO_2_0], [0xAB; 16]);
    info.max_msg_size = Some(1200);
    let json = info_json(&info).unwrap();
    let keys: Vec<&str> = json.keys().map(String::as_str).collect();
    assert_eq!(keys, ["aaguid", "maxMsgSize", "versions"]);
    assert_eq!(json["aaguid"], "abababab-abab-abab-abab-abababababab");
    assert_eq!(json["maxMsgSize"], 1200);
    assert_eq!(json["versions"], serde_json::json!(["FIDO_2_0"]));
}

#[test]
fn cells_flatten_lists_and_maps() {
    let value =
        serde_json::json!([{"alg": -7, "type": "public-key"}, {"alg": -8, "type": "public-key"}]);
    assert_eq!(
        cell(&value),
        "alg=-7 type=public-key, alg=-8 type=public-key"
    );
    assert_eq!(cell(&serde_json::json!(true)), "true");
}

#[test]
fn cells_escape_control_characters_from_the_device() {
    // Issue 17 item 17: a version string or extension name with a terminal escape
    // sequence is shown escaped, never raw.
    let value = serde_json::json!(["FIDO_2_1\u{1b}]0;pwned\u{7}", "hmac-secret\r"]);
    assert_eq!(
        cell(&value),
        "FIDO_2_1\\u{001b}]0;pwned\\u{0007}, hmac-secret\\r"
    );
    let map = serde_json::json!({"up\u{1b}[31m": true});
    assert_eq!(cell(&map), "up\\u{001b}[31m=true");
}
