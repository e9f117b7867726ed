//! The borrowed response views decode what the owned types decode, borrow their text and
//! bytes from the message, convert to the owned values, re-encode to the same bytes, and
//! reject what the owned types reject with the same error.

use fido_types::cbor::{self, DecodeErrorKind, Decoder, StrMap, UnknownFields, Value};
use fido_types::ctap2::views::{GetAssertionView, InfoView, MakeCredentialView};
use fido_types::generated::{
    GetAssertionResponse, Info, MakeCredentialResponse, PublicKeyCredentialDescriptor,
    PublicKeyCredentialType, PublicKeyCredentialUserEntity,
};

/// A CTAP 2.3 getInfo with nearly every member. Source: Yubico/libfido2
/// fuzz/wiredata_fido2.h `WIREDATA_CTAP_CBOR_INFO` (framing and status byte removed); also
/// in tests/generated_info.rs.
const LIBFIDO2_CTAP_2_3: &str = "b81a0185665532465f5632684649444f5f325f306c4649444f5f325f315f505245684649444f5f325f31684649444f5f325f3302886b6372656450726f746563746b686d61632d7365637265746c6c61726765426c6f624b65796863726564426c6f626c6d696e50696e4c656e6774686e686d61632d7365637265742d6d6371746869726450617274795061796d656e746b707265766965775369676e0350f8a011f38c0a4d15800617111f9edc7d04ae626570f462726bf5627570f564706c6174f468616c776179735576f468637265644d676d74f569617574686e72436667f569636c69656e7450696ef46a6c61726765426c6f6273f56d706572437265644d676d74524ff56e70696e557641757468546f6b656ef56f7365744d696e50494e4c656e677468f5706d616b654372656455764e6f74527164f57563726564656e7469616c4d676d7450726576696577f5051906000682020107080818800983636e6663637573626a736d6172742d636172640a83a263616c672664747970656a7075626c69632d6b6579a263616c672764747970656a7075626c69632d6b6579a263616c67382264747970656a7075626c69632d6b65790b1910000cf40d040e010f182010011418641681667061636b65641818f51819582091817b7c2ebdf9a7be753a93d0a169ee2916c3daa6abf46898c4928e114efb0f181a82637573626a736d6172742d63617264181bf5181c5368747470733a2f2f6578616d706c652e636f6d181d183f181e582064b09968afdb3b09b5eb292ee502f2059f75704e9e966b9492ca64c2940bb52b181f83010203";

fn within(input: &[u8], part: &[u8]) -> bool {
    let range = input.as_ptr_range();
    range.contains(&part.as_ptr()) && part.as_ptr() as usize + part.len() <= range.end as usize
}

fn assertion() -> GetAssertionResponse {
    let mut unknown = UnknownFields::new();
    unknown.insert(Value::Integer(0x09), Value::Bool(true));
    GetAssertionResponse {
        credential: Some(PublicKeyCredentialDescriptor {
            id: vec![0x40; 32],
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
            transports: None,
        }),
        auth_data: vec![0x70; 37],
        signature: vec![0x30; 70],
        user: Some(PublicKeyCredentialUserEntity {
            id: vec![0x10; 16],
            name: Some("alice".into()),
            display_name: None,
        }),
        number_of_credentials: Some(2),
        user_selected: None,
        large_blob_key: Some(vec![0x11; 32]),
        unsigned_extension_outputs: None,
        unknown,
    }
}

fn attestation() -> MakeCredentialResponse {
    let mut att_stmt = StrMap::new();
    att_stmt.insert("alg".to_string(), Value::Integer(-7));
    att_stmt.insert("sig".to_string(), Value::Bytes(vec![0x30; 70]));
    MakeCredentialResponse {
        fmt: "packed".into(),
        auth_data: vec![0x70; 164],
        att_stmt,
        ep_att: Some(false),
        large_blob_key: None,
        unsigned_extension_outputs: None,
        unknown: UnknownFields::new(),
    }
}

#[test]
fn info_view_borrows_and_converts_to_the_owned_info() {
    let bytes = hex::decode(LIBFIDO2_CTAP_2_3).unwrap();
    let view: InfoView<'_> = cbor::from_slice(&bytes).unwrap();
    assert!(within(&bytes, view.versions[0].as_bytes()));
    assert!(within(&bytes, &view.aaguid.0[..]));
    assert!(within(&bytes, view.enc_identifier.unwrap().0));
    assert_eq!(
        cbor::to_vec(&view).unwrap(),
        bytes,
        "re-encodes to the same bytes"
    );
    let owned: Info = cbor::from_slice(&bytes).unwrap();
    assert_eq!(view.into_owned(), owned);
}

#[test]
fn get_assertion_view_borrows_and_converts() {
    let bytes = cbor::to_vec(&assertion()).unwrap();
    let view: GetAssertionView<'_> = cbor::from_slice(&bytes).unwrap();
    assert!(within(&bytes, view.auth_data.0));
    assert!(within(&bytes, view.signature.0));
    assert!(within(&bytes, view.credential.as_ref().unwrap().id.0));
    assert!(within(
        &bytes,
        view.user.as_ref().unwrap().name.unwrap().as_bytes()
    ));
    assert_eq!(cbor::to_vec(&view).unwrap(), bytes);
    assert_eq!(view.into_owned(), assertion());
}

#[test]
fn make_credential_view_borrows_and_converts() {
    let bytes = cbor::to_vec(&attestation()).unwrap();
    let view: MakeCredentialView<'_> = cbor::from_slice(&bytes).unwrap();
    assert!(within(&bytes, view.fmt.as_bytes()));
    assert!(within(&bytes, view.auth_data.0));
    assert_eq!(cbor::to_vec(&view).unwrap(), bytes);
    assert_eq!(view.into_owned(), attestation());
}

#[test]
fn views_reject_what_the_owned_types_reject_with_the_same_error() {
    let good = cbor::to_vec(&attestation()).unwrap();
    // fmt as a byte string: a second encoding strict decoding refuses.
    let mut bytes_fmt = good.clone();
    assert_eq!(bytes_fmt[2], 0x66);
    bytes_fmt[2] = 0x46;
    // authData's length one byte too long (non-minimal head: 0x58 0xa4 -> 0x59 0x00 0xa4).
    let long = [&good[..10], &[0x59, 0x00], &good[11..]].concat();
    // A missing required member: authData (key 0x02) dropped.
    let Value::Map(mut map) = cbor::from_slice::<Value>(&good).unwrap() else {
        panic!("a map")
    };
    map.remove(&Value::Integer(2));
    let missing = cbor::to_vec(&Value::Map(map)).unwrap();
    let cases: [&[u8]; 4] = [&bytes_fmt, &long, &good[..good.len() - 1], &missing];
    for input in cases {
        let view = cbor::from_slice::<MakeCredentialView<'_>>(input);
        let owned = cbor::from_slice::<MakeCredentialResponse>(input);
        match (view, owned) {
            (Err(v), Err(o)) => {
                // The same kind (a `Mismatch` names the visitor's expectation, which
                // differs: "a borrowed string" / "a string"), offset and field path.
                assert_eq!(
                    std::mem::discriminant(v.kind()),
                    std::mem::discriminant(o.kind()),
                    "{input:02x?}"
                );
                assert_eq!(v.offset(), o.offset(), "{input:02x?}");
                assert_eq!(
                    v.path_string()
                        .replace("MakeCredentialView", "MakeCredentialResponse"),
                    o.path_string()
                );
            }
            (Ok(_), Ok(_)) => {}
            (v, o) => panic!("view {v:?} vs owned {o:?} for {input:02x?}"),
        }
    }
    // A wrong-length AAGUID is WrongLength, as for the owned [u8; 16].
    let mut info = hex::decode(LIBFIDO2_CTAP_2_3).unwrap();
    let at = info.windows(2).position(|w| w == [0x03, 0x50]).unwrap();
    info[at + 1] = 0x4f;
    info.remove(at + 2);
    let err = cbor::from_slice::<InfoView<'_>>(&info).unwrap_err();
    assert_eq!(
        err.kind(),
        &DecodeErrorKind::WrongLength {
            expected: 16,
            actual: 15
        }
    );
    assert_eq!(
        err.kind(),
        cbor::from_slice::<Info>(&info).unwrap_err().kind()
    );
}

#[test]
fn views_decode_leniently_too() {
    // Unsorted keys {3: .., 2: .., 1: ..}: lenient decoding takes them, strict does not.
    let good = cbor::to_vec(&assertion()).unwrap();
    let value: Value = cbor::from_slice(&good).unwrap();
    let Value::Map(map) = value else { panic!() };
    let mut reversed = vec![0xa0 | map.len() as u8];
    for (k, v) in map.iter().rev() {
        reversed.extend(serde_cbor_2::to_vec(k).unwrap());
        reversed.extend(serde_cbor_2::to_vec(v).unwrap());
    }
    assert_eq!(
        cbor::from_slice::<GetAssertionView<'_>>(&reversed)
            .unwrap_err()
            .kind(),
        &DecodeErrorKind::UnsortedKeys
    );
    let view: GetAssertionView<'_> = Decoder::new().lenient().decode(&reversed).unwrap();
    assert_eq!(view.into_owned(), assertion());
}
