//! PIN composition rules: length in code points and bytes, NUL, padding and `pinHash`.

use fido_types::pin_protocol::{MAX_PIN_BYTES, PADDED_PIN_LEN, Pin, PinError};

fn h(annotated: &str) -> Vec<u8> {
    let digits: String = annotated.split_whitespace().collect();
    hex::decode(digits).expect("test vector is valid hex")
}

#[test]
fn composition_rules() {
    let long_ascii_ok = "9".repeat(63);
    let long_ascii_bad = "9".repeat(64);
    let euro_63 = "€".repeat(21); // 21 × 3 bytes = 63
    let euro_66 = "€".repeat(22);
    // (comment, pin, minPINLength, expected)
    let table: Vec<(&str, &str, usize, Result<(), PinError>)> = vec![
        ("four digits", "1234", 4, Ok(())),
        (
            "three digits",
            "123",
            4,
            Err(PinError::TooShort {
                code_points: 3,
                min: 4,
            }),
        ),
        (
            "empty",
            "",
            4,
            Err(PinError::TooShort {
                code_points: 0,
                min: 4,
            }),
        ),
        ("4 code points, 10 bytes", "ñ€𝄞1", 4, Ok(())),
        // libfido2 counts bytes and would accept this 6-byte, 2-code-point PIN.
        (
            "2 code points, 6 bytes",
            "€€",
            4,
            Err(PinError::TooShort {
                code_points: 2,
                min: 4,
            }),
        ),
        (
            "minPINLength 6, five digits",
            "12345",
            6,
            Err(PinError::TooShort {
                code_points: 5,
                min: 6,
            }),
        ),
        ("minPINLength 6, six digits", "123456", 6, Ok(())),
        (
            "minPINLength below 4 is raised to 4",
            "123",
            2,
            Err(PinError::TooShort {
                code_points: 3,
                min: 4,
            }),
        ),
        ("63 bytes", &long_ascii_ok, 4, Ok(())),
        (
            "64 bytes",
            &long_ascii_bad,
            4,
            Err(PinError::TooLong { bytes: 64, max: 63 }),
        ),
        ("21 euro signs, 63 bytes", &euro_63, 4, Ok(())),
        (
            "22 euro signs, 66 bytes",
            &euro_66,
            4,
            Err(PinError::TooLong { bytes: 66, max: 63 }),
        ),
        (
            "minPINLength above the byte limit",
            &long_ascii_ok,
            64,
            Err(PinError::TooShort {
                code_points: 63,
                min: 64,
            }),
        ),
        ("embedded NUL", "12\u{0}34", 4, Err(PinError::ContainsNul)),
        ("trailing NUL", "1234\u{0}", 4, Err(PinError::ContainsNul)),
    ];
    for (comment, pin, min, expected) in table {
        let result = Pin::with_min_length(pin, min);
        assert_eq!(
            result.as_ref().map(|_| ()).map_err(Clone::clone),
            expected,
            "{comment}"
        );
        if let Ok(pin_ok) = result {
            assert_eq!(pin_ok.expose_secret(), pin);
            assert_eq!(pin_ok.len(), pin.len());
            assert_eq!(pin_ok.code_points(), pin.chars().count());
        }
    }
    assert_eq!(MAX_PIN_BYTES, 63);
}

#[test]
fn padding_and_hash() {
    // (pin, padded prefix, pinHash = LEFT(SHA-256(pin), 16))
    // SHA-256("1234") = 03ac674216f3e15c761ee1a5e255f067 953623c8b388b4459e13f978d7c846f4
    // (FIPS 180-4; cross-checked with python hashlib).
    let table: &[(&str, &str, &str)] = &[
        ("1234", "31323334", "03ac674216f3e15c761ee1a5e255f067"),
        (
            "ñ€𝄞1",
            "c3b1 e282ac f09d849e 31", // ñ € 𝄞 1 in UTF-8
            "acdd6afebb871201198d478745b76780",
        ),
    ];
    for (pin, prefix, hash) in table {
        let pin = Pin::new(pin).unwrap();
        let padded = pin.padded();
        let prefix = h(prefix);
        assert_eq!(padded.len(), PADDED_PIN_LEN);
        assert_eq!(padded[..prefix.len()], prefix[..]);
        assert!(padded[prefix.len()..].iter().all(|&b| b == 0));
        assert_eq!(pin.pin_hash().as_slice(), h(hash));
    }
    // A 63-byte PIN still leaves one zero byte.
    let pin = Pin::new(&"7".repeat(63)).unwrap();
    assert_eq!(pin.padded()[63], 0);
    assert_eq!(pin.padded()[62], b'7');
}

#[test]
fn authenticator_reads_padded_pins() {
    let mut padded_1234 = [0u8; 64];
    padded_1234[..4].copy_from_slice(b"1234");
    let mut with_garbage = padded_1234;
    with_garbage[10..14].copy_from_slice(b"zzzz"); // after the first zero: ignored (OpenSK)
    let mut invalid_utf8 = [0u8; 64];
    invalid_utf8[..5].copy_from_slice(&[b'1', b'2', 0xff, b'3', b'4']);
    let mut three = [0u8; 64];
    three[..3].copy_from_slice(b"123");
    // (comment, padded bytes, minPINLength, expected PIN or error)
    type Row<'a> = (&'a str, Vec<u8>, usize, Result<&'a str, PinError>);
    let table: Vec<Row> = vec![
        ("1234", padded_1234.to_vec(), 4, Ok("1234")),
        (
            "bytes after the first zero",
            with_garbage.to_vec(),
            4,
            Ok("1234"),
        ),
        (
            "minPINLength 5",
            padded_1234.to_vec(),
            5,
            Err(PinError::TooShort {
                code_points: 4,
                min: 5,
            }),
        ),
        (
            "three digits",
            three.to_vec(),
            4,
            Err(PinError::TooShort {
                code_points: 3,
                min: 4,
            }),
        ),
        (
            "no zero byte",
            vec![b'1'; 64],
            4,
            Err(PinError::TooLong { bytes: 64, max: 63 }),
        ),
        (
            "63 bytes",
            padded_1234[..63].to_vec(),
            4,
            Err(PinError::PaddedLength { len: 63 }),
        ),
        (
            "65 bytes",
            [&padded_1234[..], &[0]].concat(),
            4,
            Err(PinError::PaddedLength { len: 65 }),
        ),
        (
            "invalid UTF-8",
            invalid_utf8.to_vec(),
            4,
            Err(PinError::InvalidUtf8),
        ),
    ];
    for (comment, padded, min, expected) in table {
        let result = Pin::from_padded(&padded, min);
        let got = result
            .as_ref()
            .map(|p| p.expose_secret())
            .map_err(Clone::clone);
        assert_eq!(got, expected, "{comment}");
    }
    // A PIN survives padding and unpadding.
    let pin = Pin::new("ñ€𝄞1").unwrap();
    let back = Pin::from_padded(pin.padded().as_slice(), 4).unwrap();
    assert_eq!(back.pin_hash(), pin.pin_hash());
}

#[test]
fn debug_shows_no_pin() {
    let pin = Pin::new("271828").unwrap();
    assert_eq!(format!("{pin:?}"), "Pin(..)");
    assert_eq!(format!("{pin:#?}"), "Pin(..)");
}
