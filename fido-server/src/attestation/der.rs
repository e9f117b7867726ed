//! A minimal DER reader for the one ASN.1 structure read by hand, Android's
//! KeyDescription (its AuthorizationList uses context tags above 30, in the high-tag-number
//! form). Every length is checked against the bytes present.

/// One TLV.
pub(super) struct Tlv<'a> {
    /// The class (0 universal, 2 context-specific).
    pub class: u8,
    /// The tag number.
    pub tag: u32,
    /// The contents.
    pub content: &'a [u8],
}

/// Reads the TLV at the start of `input`; returns it and what follows.
pub(super) fn read(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), String> {
    let (&first, mut rest) = input.split_first().ok_or("truncated DER")?;
    let class = first >> 6;
    let mut tag = u32::from(first & 0x1F);
    if tag == 0x1F {
        tag = 0;
        for i in 0.. {
            let (&b, r) = rest.split_first().ok_or("truncated DER tag")?;
            rest = r;
            if i == 4 {
                return Err("DER tag number too large".into());
            }
            tag = (tag << 7) | u32::from(b & 0x7F);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let (&len0, r) = rest.split_first().ok_or("truncated DER length")?;
    rest = r;
    let len = if len0 < 0x80 {
        usize::from(len0)
    } else {
        let n = usize::from(len0 & 0x7F);
        if n == 0 || n > 4 || rest.len() < n {
            return Err("bad DER length".into());
        }
        let (bytes, r) = rest.split_at(n);
        rest = r;
        bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    if rest.len() < len {
        return Err("DER contents truncated".into());
    }
    let (content, rest) = rest.split_at(len);
    Ok((
        Tlv {
            class,
            tag,
            content,
        },
        rest,
    ))
}

/// The TLVs filling `input`, in order.
pub(super) fn sequence(input: &[u8]) -> Result<Vec<Tlv<'_>>, String> {
    let mut items = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let (tlv, r) = read(rest)?;
        items.push(tlv);
        rest = r;
    }
    Ok(items)
}

/// A non-negative INTEGER or ENUMERATED content that fits in 64 bits.
pub(super) fn uint(content: &[u8]) -> Result<u64, String> {
    let digits = match content {
        [0, rest @ ..] => rest,
        [b, ..] if b & 0x80 != 0 => return Err("negative integer".into()),
        other => other,
    };
    if content.is_empty() || digits.len() > 8 {
        return Err("integer out of range".into());
    }
    Ok(digits
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}
