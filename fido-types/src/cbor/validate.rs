//! The pre-pass: one walk over the input bytes, without allocation in strict mode, that
//! checks structure (lengths against the remaining input, nesting depth, UTF-8) and, in
//! strict mode, the CTAP2 canonical rules. Only input that passes is handed to
//! serde_cbor_2, so no decode path allocates by an untrusted length.

use std::cmp::Ordering;

use super::error::{DecodeError, DecodeErrorKind, FieldKey, PathSegment};

/// What the walk enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rules {
    pub(crate) strict: bool,
    pub(crate) max_depth: usize,
}

/// The head of a data item: major type, additional information, and argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) major: u8,
    pub(crate) ai: u8,
    /// The argument (value, length, count, tag number or simple/float bits);
    /// 0 when `ai` is 31 (indefinite length or break).
    pub(crate) arg: u64,
    /// Offset of the initial byte.
    pub(crate) start: usize,
    /// Offset just after the head.
    pub(crate) end: usize,
}

impl Head {
    pub(crate) fn indefinite(&self) -> bool {
        self.ai == 31
    }

    /// Whether the argument is in its shortest form.
    pub(crate) fn minimal(&self) -> bool {
        match self.ai {
            24 => self.arg >= 24,
            25 => self.arg > 0xff,
            26 => self.arg > 0xffff,
            27 => self.arg > 0xffff_ffff,
            _ => true,
        }
    }
}

/// Reads the head at `pos`. Errors: nothing there, a truncated argument, or a reserved
/// additional-information value (28..30).
pub(crate) fn read_head(input: &[u8], pos: usize) -> Result<Head, DecodeError> {
    let Some(&initial) = input.get(pos) else {
        return Err(DecodeError::new(DecodeErrorKind::Truncated, pos));
    };
    let major = initial >> 5;
    let ai = initial & 0x1f;
    let size = match ai {
        0..=23 | 31 => 0,
        24 => 1,
        25 => 2,
        26 => 4,
        27 => 8,
        _ => return Err(DecodeError::new(DecodeErrorKind::Malformed, pos)),
    };
    let arg_bytes = input
        .get(pos + 1..pos + 1 + size)
        .ok_or(DecodeError::new(DecodeErrorKind::Truncated, pos))?;
    let arg = match ai {
        0..=23 => u64::from(ai),
        31 => 0,
        _ => arg_bytes
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
    };
    Ok(Head {
        major,
        ai,
        arg,
        start: pos,
        end: pos + 1 + size,
    })
}

/// CTAP2 canonical order of two encoded keys: major type, then encoded length, then bytes
/// (CTAP 2.1 section 8, "CTAP2 canonical CBOR encoding form"; python-fido2's `cbor.py`
/// sorts by the same triple).
pub(crate) fn canonical_key_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let major = |k: &[u8]| k.first().map(|b| b >> 5);
    major(a)
        .cmp(&major(b))
        .then(a.len().cmp(&b.len()))
        .then_with(|| a.cmp(b))
}

/// Checks that `input` holds exactly one well-formed item obeying `rules`.
pub(crate) fn validate(input: &[u8], rules: Rules) -> Result<(), DecodeError> {
    let mut walker = Walker {
        input,
        pos: 0,
        rules,
    };
    walker.item(0)?;
    if walker.pos != input.len() {
        return Err(DecodeError::new(DecodeErrorKind::TrailingBytes, walker.pos));
    }
    Ok(())
}

/// Offset of the end of the item starting at `pos`, assuming lenient rules (used to skip
/// items in input that was validated already).
pub(crate) fn skip(input: &[u8], pos: usize) -> Result<usize, DecodeError> {
    let mut walker = Walker {
        input,
        pos,
        rules: Rules {
            strict: false,
            max_depth: MAX_DEPTH_CAP,
        },
    };
    walker.item(0)?;
    Ok(walker.pos)
}

/// The deepest nesting any decoder accepts: serde_cbor_2 stops at 128 levels, and the
/// walk recurses once per level.
pub(crate) const MAX_DEPTH_CAP: usize = 100;

struct Walker<'a> {
    input: &'a [u8],
    pos: usize,
    rules: Rules,
}

impl Walker<'_> {
    fn err(&self, kind: DecodeErrorKind, at: usize) -> DecodeError {
        DecodeError::new(kind, at)
    }

    fn remaining(&self) -> u64 {
        (self.input.len() - self.pos) as u64
    }

    fn head(&mut self) -> Result<Head, DecodeError> {
        let head = read_head(self.input, self.pos)?;
        self.pos = head.end;
        if self.rules.strict && head.major != 7 && !head.minimal() {
            return Err(self.err(DecodeErrorKind::NonMinimal, head.start));
        }
        Ok(head)
    }

    /// Walks one item; `depth` is the number of containers around it.
    fn item(&mut self, depth: usize) -> Result<(), DecodeError> {
        let head = self.head()?;
        match head.major {
            0 | 1 => {
                if head.indefinite() {
                    return Err(self.err(DecodeErrorKind::Malformed, head.start));
                }
                Ok(())
            }
            2 | 3 => self.string(head),
            4 => {
                self.enter(depth, head)?;
                if head.indefinite() {
                    while !self.at_break() {
                        self.item(depth + 1)?;
                    }
                    self.pos += 1;
                } else {
                    if head.arg > self.remaining() {
                        return Err(self.err(DecodeErrorKind::Truncated, head.start));
                    }
                    for _ in 0..head.arg {
                        self.item(depth + 1)?;
                    }
                }
                Ok(())
            }
            5 => self.map(depth, head),
            6 => {
                if head.indefinite() {
                    return Err(self.err(DecodeErrorKind::Malformed, head.start));
                }
                if self.rules.strict {
                    return Err(self.err(DecodeErrorKind::TagNotAllowed, head.start));
                }
                self.enter(depth, head)?;
                self.item(depth + 1)
            }
            _ => self.simple(head),
        }
    }

    fn enter(&self, depth: usize, head: Head) -> Result<(), DecodeError> {
        if head.indefinite() && self.rules.strict {
            return Err(self.err(DecodeErrorKind::IndefiniteLength, head.start));
        }
        let max_depth = self.rules.max_depth.min(MAX_DEPTH_CAP);
        if depth + 1 > max_depth {
            return Err(self.err(
                DecodeErrorKind::DepthLimitExceeded { max_depth },
                head.start,
            ));
        }
        Ok(())
    }

    fn at_break(&self) -> bool {
        self.input.get(self.pos) == Some(&0xff)
    }

    fn string(&mut self, head: Head) -> Result<(), DecodeError> {
        if head.indefinite() {
            if self.rules.strict {
                return Err(self.err(DecodeErrorKind::IndefiniteLength, head.start));
            }
            // Chunks: definite strings of the same major type, then a break.
            loop {
                if self.at_break() {
                    self.pos += 1;
                    return Ok(());
                }
                let chunk = self.head()?;
                if chunk.major != head.major || chunk.indefinite() {
                    return Err(self.err(DecodeErrorKind::Malformed, chunk.start));
                }
                self.definite_string(chunk)?;
            }
        }
        self.definite_string(head)
    }

    fn definite_string(&mut self, head: Head) -> Result<(), DecodeError> {
        if head.arg > self.remaining() {
            return Err(self.err(DecodeErrorKind::Truncated, head.start));
        }
        let end = self.pos + head.arg as usize;
        if head.major == 3 && std::str::from_utf8(&self.input[self.pos..end]).is_err() {
            return Err(self.err(DecodeErrorKind::InvalidUtf8, head.start));
        }
        self.pos = end;
        Ok(())
    }

    fn map(&mut self, depth: usize, head: Head) -> Result<(), DecodeError> {
        self.enter(depth, head)?;
        if !head.indefinite() && head.arg > self.remaining() / 2 {
            return Err(self.err(DecodeErrorKind::Truncated, head.start));
        }
        // Strict: each key compared with the previous one, no allocation.
        // Lenient: keys collected (one entry per key actually present) and checked for
        // duplicates at the end.
        let mut previous: Option<(usize, usize)> = None;
        let mut keys: Vec<(usize, usize)> = Vec::new();
        let mut count = 0u64;
        loop {
            if head.indefinite() {
                if self.at_break() {
                    self.pos += 1;
                    break;
                }
            } else if count == head.arg {
                break;
            }
            count += 1;
            let key_start = self.pos;
            self.item(depth + 1)?;
            let key = (key_start, self.pos);
            if self.rules.strict {
                if let Some(prev) = previous {
                    match canonical_key_cmp(&self.input[prev.0..prev.1], &self.input[key.0..key.1])
                    {
                        Ordering::Less => {}
                        Ordering::Equal => {
                            return Err(self.err(DecodeErrorKind::DuplicateKey, key_start));
                        }
                        Ordering::Greater => {
                            return Err(self.err(DecodeErrorKind::UnsortedKeys, key_start));
                        }
                    }
                }
                previous = Some(key);
            } else {
                keys.push(key);
            }
            if self.at_break() {
                return Err(self.err(DecodeErrorKind::Malformed, self.pos));
            }
            self.item(depth + 1)?;
        }
        if keys.len() > 1 {
            let input = self.input;
            keys.sort_by(|a, b| canonical_key_cmp(&input[a.0..a.1], &input[b.0..b.1]));
            for pair in keys.windows(2) {
                if input[pair[0].0..pair[0].1] == input[pair[1].0..pair[1].1] {
                    let at = pair[0].0.max(pair[1].0);
                    return Err(self.err(DecodeErrorKind::DuplicateKey, at));
                }
            }
        }
        Ok(())
    }

    fn simple(&mut self, head: Head) -> Result<(), DecodeError> {
        match head.ai {
            20..=22 => Ok(()),
            23 if !self.rules.strict => Ok(()),
            24 if head.arg < 32 => Err(self.err(DecodeErrorKind::Malformed, head.start)),
            25..=27 if self.rules.strict => {
                Err(self.err(DecodeErrorKind::FloatNotAllowed, head.start))
            }
            25..=27 => Ok(()),
            31 => Err(self.err(DecodeErrorKind::Malformed, head.start)),
            _ => Err(self.err(DecodeErrorKind::UnsupportedSimpleValue, head.start)),
        }
    }
}

/// Follows `path` (outermost first) through the maps of already-validated `input` and
/// returns the offset of the deepest item reached: the value of the last key found, or the
/// map in which a key is missing. Arrays stop the walk (the path has no index).
pub(crate) fn locate(input: &[u8], path: &[PathSegment]) -> usize {
    let mut pos = 0;
    for segment in path {
        match find_value(input, pos, segment.key) {
            Some(value) => pos = value,
            None => break,
        }
    }
    pos
}

fn find_value(input: &[u8], mut pos: usize, key: FieldKey) -> Option<usize> {
    // Tags (lenient mode) are transparent to serde_cbor_2, so look through them.
    let mut head = read_head(input, pos).ok()?;
    while head.major == 6 {
        head = read_head(input, head.end).ok()?;
    }
    if head.major != 5 {
        return None;
    }
    pos = head.end;
    let mut count = 0;
    loop {
        if head.indefinite() {
            if input.get(pos) == Some(&0xff) {
                return None;
            }
        } else if count == head.arg {
            return None;
        }
        count += 1;
        let key_head = read_head(input, pos).ok()?;
        let key_end = skip(input, pos).ok()?;
        let matches = match key {
            FieldKey::Int(n) => key_head.major == 0 && key_head.arg == n,
            FieldKey::Text(s) => {
                key_head.major == 3
                    && !key_head.indefinite()
                    && &input[key_head.end..key_end] == s.as_bytes()
            }
        };
        if matches {
            return Some(key_end);
        }
        pos = skip(input, key_end).ok()?;
    }
}
