//! A small, strict DER reader and writer: just enough for SubjectPublicKeyInfo, RSA public
//! keys, and finding the public key and the length of an X.509 certificate.
//!
//! Only definite, minimally encoded lengths are accepted; every length is checked against
//! the bytes actually present before it is used, so nothing is allocated from an untrusted
//! length field.

/// ASN.1 universal tags used here.
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const NULL: u8 = 0x05;
pub(crate) const OID: u8 = 0x06;
pub(crate) const SEQUENCE: u8 = 0x30;

/// Why DER could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DerError {
    /// The input ended inside an element.
    Truncated,
    /// A tag other than the one expected.
    UnexpectedTag { expected: u8, found: u8 },
    /// An indefinite, over-long or non-minimal length.
    BadLength,
    /// Bytes after the last element.
    TrailingBytes,
    /// An INTEGER that is negative, empty or not minimally encoded.
    BadInteger,
    /// A BIT STRING with unused bits.
    BadBitString,
}

/// One TLV element: its tag, its content, and the whole encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub encoded_len: usize,
}

/// Reads one element from the start of `input`.
pub(crate) fn read(input: &[u8]) -> Result<Element<'_>, DerError> {
    let (&tag, rest) = input.split_first().ok_or(DerError::Truncated)?;
    if tag & 0x1f == 0x1f {
        // Multi-byte tags are not used by anything we read.
        return Err(DerError::BadLength);
    }
    let (&first, rest) = rest.split_first().ok_or(DerError::Truncated)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return Err(DerError::BadLength);
        }
        let bytes = rest.get(..count).ok_or(DerError::Truncated)?;
        if bytes[0] == 0 {
            return Err(DerError::BadLength);
        }
        let len = bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        if len < 0x80 {
            return Err(DerError::BadLength);
        }
        (len, 2 + count)
    };
    let content = input
        .get(header..)
        .and_then(|c| c.get(..len))
        .ok_or(DerError::Truncated)?;
    Ok(Element {
        tag,
        content,
        encoded_len: header + len,
    })
}

/// A cursor over the elements of a constructed value.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self { rest: input }
    }

    /// Reads the next element, which must have tag `tag`; returns its content.
    pub(crate) fn expect(&mut self, tag: u8) -> Result<&'a [u8], DerError> {
        let el = self.next()?;
        if el.tag != tag {
            return Err(DerError::UnexpectedTag {
                expected: tag,
                found: el.tag,
            });
        }
        Ok(el.content)
    }

    /// Reads the next element of any tag.
    pub(crate) fn next(&mut self) -> Result<Element<'a>, DerError> {
        let el = read(self.rest)?;
        self.rest = &self.rest[el.encoded_len..];
        Ok(el)
    }

    /// Peeks at the next tag.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Whether all input has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Fails unless all input has been read.
    pub(crate) fn finish(&self) -> Result<(), DerError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DerError::TrailingBytes)
        }
    }
}

/// Reads exactly one element with tag `tag` filling `input`; returns its content.
pub(crate) fn read_exact(input: &[u8], tag: u8) -> Result<&[u8], DerError> {
    let mut r = Reader::new(input);
    let content = r.expect(tag)?;
    r.finish()?;
    Ok(content)
}

/// The magnitude of a non-negative DER INTEGER, without the sign-padding zero.
pub(crate) fn unsigned_integer(content: &[u8]) -> Result<&[u8], DerError> {
    match content {
        [] => Err(DerError::BadInteger),
        [b, ..] if b & 0x80 != 0 => Err(DerError::BadInteger),
        [0, b, ..] if b & 0x80 == 0 => Err(DerError::BadInteger),
        [0, rest @ ..] if !rest.is_empty() => Ok(rest),
        _ => Ok(content),
    }
}

/// The content of a BIT STRING with no unused bits.
pub(crate) fn bit_string_bytes(content: &[u8]) -> Result<&[u8], DerError> {
    match content.split_first() {
        Some((0, bytes)) => Ok(bytes),
        _ => Err(DerError::BadBitString),
    }
}

/// Appends a TLV element.
pub(crate) fn write(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
}

/// Returns a TLV element as a new vector.
pub(crate) fn element(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    write(&mut out, tag, content);
    out
}

/// Encodes a non-negative big-endian magnitude as a DER INTEGER.
pub(crate) fn write_unsigned_integer(out: &mut Vec<u8>, magnitude: &[u8]) {
    let trimmed = match magnitude.iter().position(|b| *b != 0) {
        Some(i) => &magnitude[i..],
        None => &[0u8][..],
    };
    if trimmed[0] & 0x80 != 0 {
        let mut padded = Vec::with_capacity(trimmed.len() + 1);
        padded.push(0);
        padded.extend_from_slice(trimmed);
        write(out, INTEGER, &padded);
    } else {
        write(out, INTEGER, trimmed);
    }
}

/// Finds the SubjectPublicKeyInfo inside an X.509 certificate (RFC 5280 §4.1), returning
/// its whole DER encoding. The certificate's signature and validity are not checked.
pub(crate) fn certificate_spki(cert: &[u8]) -> Result<&[u8], DerError> {
    let cert_content = read_exact(cert, SEQUENCE)?;
    let tbs = Reader::new(cert_content).expect(SEQUENCE)?;
    let mut r = Reader::new(tbs);
    if r.peek_tag() == Some(0xa0) {
        r.next()?; // [0] EXPLICIT version
    }
    r.expect(INTEGER)?; // serialNumber
    r.expect(SEQUENCE)?; // signature AlgorithmIdentifier
    r.expect(SEQUENCE)?; // issuer
    r.expect(SEQUENCE)?; // validity
    r.expect(SEQUENCE)?; // subject
    let before = r.rest;
    let spki = r.next()?;
    if spki.tag != SEQUENCE {
        return Err(DerError::UnexpectedTag {
            expected: SEQUENCE,
            found: spki.tag,
        });
    }
    Ok(&before[..spki.encoded_len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_short_and_long() {
        let mut out = Vec::new();
        write(&mut out, OID, &[1; 3]);
        assert_eq!(out, [6, 3, 1, 1, 1]);
        let long = element(SEQUENCE, &[0; 300]);
        assert_eq!(&long[..4], &[0x30, 0x82, 0x01, 0x2c]);
        let el = read(&long).unwrap();
        assert_eq!((el.tag, el.content.len(), el.encoded_len), (0x30, 300, 304));
    }

    #[test]
    fn rejects_bad_lengths() {
        assert_eq!(read(&[0x30, 0x80]).unwrap_err(), DerError::BadLength); // indefinite
        assert_eq!(read(&[0x30, 0x81, 0x05]).unwrap_err(), DerError::BadLength); // non-minimal
        assert_eq!(
            read(&[0x30, 0x82, 0x00, 0x90]).unwrap_err(),
            DerError::BadLength
        );
        assert_eq!(
            read(&[0x30, 0x85, 1, 1, 1, 1, 1]).unwrap_err(),
            DerError::BadLength
        );
        assert_eq!(read(&[0x30, 0x03, 0x00]).unwrap_err(), DerError::Truncated);
        assert_eq!(read(&[0x30]).unwrap_err(), DerError::Truncated);
        assert_eq!(
            read_exact(&[0x05, 0x00, 0x00], NULL).unwrap_err(),
            DerError::TrailingBytes
        );
    }

    #[test]
    fn integers() {
        assert_eq!(unsigned_integer(&[0x00, 0x80]).unwrap(), &[0x80]);
        assert_eq!(unsigned_integer(&[0x01, 0x00, 0x01]).unwrap(), &[1, 0, 1]);
        assert_eq!(unsigned_integer(&[0x00]).unwrap(), &[0]);
        assert_eq!(unsigned_integer(&[0x80]).unwrap_err(), DerError::BadInteger);
        assert_eq!(
            unsigned_integer(&[0x00, 0x01]).unwrap_err(),
            DerError::BadInteger
        );
        assert_eq!(unsigned_integer(&[]).unwrap_err(), DerError::BadInteger);
        let mut out = Vec::new();
        write_unsigned_integer(&mut out, &[0x00, 0x00, 0xb6, 0x10]);
        assert_eq!(out, [0x02, 0x03, 0x00, 0xb6, 0x10]);
    }
}
