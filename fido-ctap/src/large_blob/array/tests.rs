use super::*;

/// The empty array as CTAP 2.1 §6.10.2 gives it (also python-fido2's and libfido2's
/// initial array): 0x80 followed by the first 16 bytes of SHA-256(0x80).
const EMPTY: &str = "8076be8b528d0075f7aae98d6fa57a6d3c";

#[test]
fn the_empty_array_matches_the_spec() {
    assert_eq!(hex::encode(LargeBlobArray::empty().serialize()), EMPTY);
    let parsed = LargeBlobArray::parse(&hex::decode(EMPTY).unwrap()).unwrap();
    assert!(parsed.entries().is_empty());
}

#[test]
fn a_wrong_hash_is_refused() {
    let mut bytes = hex::decode(EMPTY).unwrap();
    bytes[5] ^= 1;
    assert!(matches!(
        LargeBlobArray::parse(&bytes),
        Err(LargeBlobError::HashMismatch)
    ));
}

#[test]
fn malformed_arrays_are_errors_not_panics() {
    for data in [
        &[][..],
        &[0x80][..],
        &[0xa0][..],
        &[0x9f][..],
        &[0x81][..],
        &[0x99, 0xff, 0xff][..],
    ] {
        let mut bytes = data.to_vec();
        bytes.extend_from_slice(&truncated_hash(data));
        assert!(
            LargeBlobArray::parse(&bytes).is_err() || data == [0x80],
            "{data:?}"
        );
    }
    assert!(LargeBlobArray::parse(&[0; 16]).is_err());
}

#[test]
fn a_put_replaces_its_entry_and_keeps_every_other_byte_identical() {
    let (a, b, c) = ([1u8; 32], [2u8; 32], [3u8; 32]);
    let mut array = LargeBlobArray::empty();
    array.put(&a, b"first").unwrap();
    array.put(&b, b"second").unwrap();
    array.put(&c, b"third").unwrap();
    // An entry no key opens, and one that is not even a map: kept as they are.
    array.entries.push(RawEntry {
        bytes: vec![0x63, b'a', b'b', b'c'],
        map: None,
    });
    let before = LargeBlobArray::parse(&array.serialize()).unwrap();

    let mut after = before.clone();
    after.put(&b, b"second, rewritten").unwrap();
    let after = LargeBlobArray::parse(&after.serialize()).unwrap();

    assert_eq!(after.entries().len(), before.entries().len());
    for i in [0, 2, 3] {
        assert_eq!(
            after.entries()[i].bytes(),
            before.entries()[i].bytes(),
            "entry {i}"
        );
    }
    assert_ne!(after.entries()[1].bytes(), before.entries()[1].bytes());
    assert_eq!(
        after.get(&b).unwrap().unwrap().as_slice(),
        b"second, rewritten"
    );
    assert_eq!(after.get(&a).unwrap().unwrap().as_slice(), b"first");
}

#[test]
fn delete_removes_only_its_entry() {
    let (a, b) = ([1u8; 32], [2u8; 32]);
    let mut array = LargeBlobArray::empty();
    array.put(&a, b"a").unwrap();
    array.put(&b, b"b").unwrap();
    let kept = array.entries()[1].bytes().to_vec();
    assert!(array.delete(&a).unwrap());
    assert!(!array.delete(&a).unwrap());
    assert_eq!(array.entries().len(), 1);
    assert_eq!(array.entries()[0].bytes(), kept);
}

#[test]
fn long_arrays_use_a_longer_header() {
    let mut array = LargeBlobArray::empty();
    for i in 0..30u8 {
        array.put(&[i; 32], &[i]).unwrap();
    }
    let bytes = array.serialize();
    assert_eq!(bytes[0], 0x98);
    assert_eq!(LargeBlobArray::parse(&bytes).unwrap(), array);
}
