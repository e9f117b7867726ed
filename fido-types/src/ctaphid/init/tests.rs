//! Tests of the INIT response payload.

use super::*;

#[test]
fn parse_and_encode() {
    // nonce 0102030405060708 | cid 0a0b0c0d | version 2 | 5.4.3 | caps 0x05 (WINK, CBOR)
    let bytes = hex::decode("0102030405060708 0a0b0c0d 02 05 04 03 05".replace(' ', "")).unwrap();
    let init = InitResponse::parse(&bytes).unwrap();
    assert_eq!(
        init,
        InitResponse {
            nonce: [1, 2, 3, 4, 5, 6, 7, 8],
            cid: ChannelId(0x0A0B_0C0D),
            protocol_version: 2,
            major: 5,
            minor: 4,
            build: 3,
            capabilities: CapabilityFlags::WINK | CapabilityFlags::CBOR,
        }
    );
    assert_eq!(init.to_bytes().as_slice(), bytes.as_slice());
    let mut longer = bytes.clone();
    longer.push(0xFF);
    assert_eq!(InitResponse::parse(&longer).unwrap(), init);
    assert_eq!(
        InitResponse::parse(&bytes[..16]).unwrap_err(),
        InitResponseError { len: 16 }
    );
}
