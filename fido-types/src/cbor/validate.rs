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
    /// Check that definite-length text is UTF-8. Off when serde_cbor_2 parses the input
    /// next: it checks every text string itself (its error is mapped to
    /// [`DecodeErrorKind::InvalidUtf8`]). Chunks of indefinite text are always checked.
    pub(crate) utf8: bool,
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
#[inline(always)]
pub(crate) fn read_head(input: &[u8], pos: usize) -> Result<Head, Fault> {
    let Some(&initial) = input.get(pos) else {
        return Err(fault(Rule::Truncated, pos));
    };
    let major = initial >> 5;
    let ai = initial & 0x1f;
    let rest = &input[pos + 1..];
    let (arg, size) = match ai {
        0..=23 => (u64::from(ai), 0),
        24 => match rest.first() {
            Some(&b) => (u64::from(b), 1),
            None => return Err(fault(Rule::Truncated, pos)),
        },
        25 => match rest.first_chunk::<2>() {
            Some(b) => (u64::from(u16::from_be_bytes(*b)), 2),
            None => return Err(fault(Rule::Truncated, pos)),
        },
        26 => match rest.first_chunk::<4>() {
            Some(b) => (u64::from(u32::from_be_bytes(*b)), 4),
            None => return Err(fault(Rule::Truncated, pos)),
        },
        27 => match rest.first_chunk::<8>() {
            Some(b) => (u64::from_be_bytes(*b), 8),
            None => return Err(fault(Rule::Truncated, pos)),
        },
        31 => (0, 0),
        _ => return Err(fault(Rule::Malformed, pos)),
    };
    Ok(Head {
        major,
        ai,
        arg,
        start: pos,
        end: pos + 1 + size,
    })
}

/// Errors are rare: keep their construction out of the hot path.
#[cold]
#[inline(never)]
fn fault(rule: Rule, offset: usize) -> Fault {
    Fault {
        rule,
        offset,
        max_depth: 0,
    }
}

/// The validator's rules, as a small `Copy` value so the walk's results stay in
/// registers; turned into a [`DecodeError`] at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    Truncated,
    TrailingBytes,
    Malformed,
    NonMinimal,
    IndefiniteLength,
    UnsortedKeys,
    DuplicateKey,
    DepthLimitExceeded,
    InvalidUtf8,
    TagNotAllowed,
    FloatNotAllowed,
    UnsupportedSimpleValue,
}

/// A validation failure: the rule broken and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fault {
    pub(crate) rule: Rule,
    pub(crate) offset: usize,
    /// The limit, for [`Rule::DepthLimitExceeded`].
    pub(crate) max_depth: usize,
}

impl Fault {
    pub(crate) fn kind(&self) -> DecodeErrorKind {
        match self.rule {
            Rule::Truncated => DecodeErrorKind::Truncated,
            Rule::TrailingBytes => DecodeErrorKind::TrailingBytes,
            Rule::Malformed => DecodeErrorKind::Malformed,
            Rule::NonMinimal => DecodeErrorKind::NonMinimal,
            Rule::IndefiniteLength => DecodeErrorKind::IndefiniteLength,
            Rule::UnsortedKeys => DecodeErrorKind::UnsortedKeys,
            Rule::DuplicateKey => DecodeErrorKind::DuplicateKey,
            Rule::DepthLimitExceeded => DecodeErrorKind::DepthLimitExceeded {
                max_depth: self.max_depth,
            },
            Rule::InvalidUtf8 => DecodeErrorKind::InvalidUtf8,
            Rule::TagNotAllowed => DecodeErrorKind::TagNotAllowed,
            Rule::FloatNotAllowed => DecodeErrorKind::FloatNotAllowed,
            Rule::UnsupportedSimpleValue => DecodeErrorKind::UnsupportedSimpleValue,
        }
    }

    pub(crate) fn offset(&self) -> usize {
        self.offset
    }

    pub(crate) fn into_error(self) -> DecodeError {
        DecodeError::new(self.kind(), self.offset)
    }
}

/// CTAP2 canonical order of two encoded keys: major type, then encoded length, then bytes
/// (CTAP 2.1 section 8, "CTAP2 canonical CBOR encoding form"; python-fido2's `cbor.py`
/// sorts by the same triple).
#[inline]
pub(crate) fn canonical_key_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let major = |k: &[u8]| k.first().map(|b| b >> 5);
    match major(a).cmp(&major(b)).then(a.len().cmp(&b.len())) {
        Ordering::Equal => {}
        other => return other,
    }
    // Same length: bytewise. Keys are short; a plain loop beats a memcmp call.
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    Ordering::Equal
}

/// Checks that `input` holds exactly one well-formed item obeying `rules`.
pub(crate) fn validate(input: &[u8], rules: Rules) -> Result<(), DecodeError> {
    let end = walk(input, 0, rules).map_err(Fault::into_error)?;
    if end != input.len() {
        return Err(fault(Rule::TrailingBytes, end).into_error());
    }
    Ok(())
}

/// Offset of the end of the item starting at `pos`, assuming lenient rules (used to skip
/// items in input that was validated already).
pub(crate) fn skip(input: &[u8], pos: usize) -> Result<usize, Fault> {
    walk(
        input,
        pos,
        Rules {
            strict: false,
            max_depth: MAX_DEPTH_CAP,
            utf8: false,
        },
    )
}

/// The deepest nesting any decoder accepts: serde_cbor_2 stops at 128 levels.
pub(crate) const MAX_DEPTH_CAP: usize = 100;

/// An open container (array, map, or tag) during the walk.
#[derive(Debug, Clone, Copy, Default)]
struct Frame {
    /// Items still expected (a map of n entries expects 2n); `u64::MAX` when indefinite,
    /// so that it never reaches 0 (the break ends those).
    left: u64,
    /// Offset of the container's head.
    start: usize,
    /// Strict mode: span of the previous key of this map (`(0, 0)`: none yet).
    prev_key: (usize, usize),
    /// Lenient mode: where this map's keys start in the key list.
    keys_from: usize,
    map: bool,
    /// For a map: the next item is a key.
    key_next: bool,
    indefinite: bool,
}

/// Walks one item starting at `pos`, iteratively (an explicit stack of at most
/// `MAX_DEPTH_CAP` frames, so hostile nesting cannot exhaust the call stack), and returns
/// the offset after it. Strict mode allocates nothing; lenient mode keeps the keys of the
/// open maps (spans into `input`, one per key actually present) to find duplicates.
pub(crate) fn walk(input: &[u8], pos: usize, rules: Rules) -> Result<usize, Fault> {
    // The stack lives in an array sized for the limit: a small one for the usual limit
    // keeps the per-call set-up cheap.
    if rules.max_depth < SMALL_STACK {
        walk_with::<SMALL_STACK>(input, pos, rules)
    } else {
        walk_with::<{ MAX_DEPTH_CAP + 1 }>(input, pos, rules)
    }
}

/// Frames for limits up to the default depth (16), plus the top-level frame.
const SMALL_STACK: usize = 17;

fn walk_with<const N: usize>(input: &[u8], mut pos: usize, rules: Rules) -> Result<usize, Fault> {
    let max_depth = rules.max_depth.min(N - 1);
    let strict = rules.strict;
    let mut stack = [Frame::default(); N];
    // Frame 0 is not a container: it expects the single top-level item.
    stack[0].left = 1;
    let mut top = 0usize;
    let mut keys: Vec<(usize, usize)> = Vec::new();
    loop {
        // Close the current container if it is complete.
        let frame = &stack[top];
        if frame.left == 0 || (frame.indefinite && input.get(pos) == Some(&0xff)) {
            let frame = *frame;
            if frame.indefinite {
                if frame.map && !frame.key_next {
                    // a break between a key and its value
                    return Err(fault(Rule::Malformed, pos));
                }
                pos += 1;
            }
            if top == 0 {
                return Ok(pos);
            }
            if frame.map && !strict {
                check_duplicates(input, &mut keys, frame.keys_from)?;
            }
            top -= 1;
            item_done(&mut stack[top], input, frame.start, pos, strict, &mut keys)?;
            continue;
        }

        let start = pos;
        let Some(&initial) = input.get(pos) else {
            return Err(fault(Rule::Truncated, pos));
        };
        // Fast path: a one-byte head (argument below 24), always minimal.
        let head = if initial & 0x1f < 24 {
            Head {
                major: initial >> 5,
                ai: initial & 0x1f,
                arg: u64::from(initial & 0x1f),
                start,
                end: start + 1,
            }
        } else {
            let head = read_head(input, pos)?;
            if strict && head.major != 7 && !head.minimal() {
                return Err(fault(Rule::NonMinimal, start));
            }
            head
        };
        pos = head.end;
        let remaining = (input.len() - pos) as u64;
        match head.major {
            0 | 1 => {
                if head.indefinite() {
                    return Err(fault(Rule::Malformed, start));
                }
            }
            2 | 3 => {
                if head.indefinite() {
                    if strict {
                        return Err(fault(Rule::IndefiniteLength, start));
                    }
                    // Chunks: definite strings of the same major type, then a break.
                    while input.get(pos) != Some(&0xff) {
                        let chunk = read_head(input, pos)?;
                        if chunk.major != head.major || chunk.indefinite() {
                            return Err(fault(Rule::Malformed, chunk.start));
                        }
                        pos = string_body(input, chunk, true)?;
                    }
                    pos += 1;
                } else {
                    pos = string_body(input, head, rules.utf8)?;
                }
            }
            4..=6 => {
                let left = match head.major {
                    4 => {
                        if !head.indefinite() && head.arg > remaining {
                            return Err(fault(Rule::Truncated, start));
                        }
                        head.arg
                    }
                    5 => {
                        if !head.indefinite() && head.arg > remaining / 2 {
                            return Err(fault(Rule::Truncated, start));
                        }
                        head.arg * 2
                    }
                    _ => {
                        if head.indefinite() {
                            return Err(fault(Rule::Malformed, start));
                        }
                        if strict {
                            return Err(fault(Rule::TagNotAllowed, start));
                        }
                        1
                    }
                };
                if head.indefinite() && strict {
                    return Err(fault(Rule::IndefiniteLength, start));
                }
                if top + 1 > max_depth {
                    return Err(Fault {
                        rule: Rule::DepthLimitExceeded,
                        offset: start,
                        max_depth,
                    });
                }
                top += 1;
                stack[top] = Frame {
                    left: if head.indefinite() { u64::MAX } else { left },
                    start,
                    prev_key: (0, 0),
                    keys_from: keys.len(),
                    map: head.major == 5,
                    key_next: true,
                    indefinite: head.indefinite(),
                };
                continue;
            }
            _ => simple(head, strict)?,
        }
        item_done(&mut stack[top], input, start, pos, strict, &mut keys)?;
    }
}

/// Skips a definite string's content, checking its length and (for text) UTF-8.
#[inline]
fn string_body(input: &[u8], head: Head, utf8: bool) -> Result<usize, Fault> {
    let remaining = (input.len() - head.end) as u64;
    if head.arg > remaining {
        return Err(fault(Rule::Truncated, head.start));
    }
    let end = head.end + head.arg as usize;
    if utf8 && head.major == 3 && std::str::from_utf8(&input[head.end..end]).is_err() {
        return Err(fault(Rule::InvalidUtf8, head.start));
    }
    Ok(end)
}

/// Records a finished item (`start..end`) in its container; map keys are checked for
/// order (strict) or collected (lenient).
#[inline(always)]
fn item_done(
    frame: &mut Frame,
    input: &[u8],
    start: usize,
    end: usize,
    strict: bool,
    keys: &mut Vec<(usize, usize)>,
) -> Result<(), Fault> {
    frame.left -= 1;
    if frame.map {
        if frame.key_next {
            if strict {
                let (ps, pe) = frame.prev_key;
                if pe != 0 {
                    match canonical_key_cmp(&input[ps..pe], &input[start..end]) {
                        Ordering::Less => {}
                        Ordering::Equal => return Err(fault(Rule::DuplicateKey, start)),
                        Ordering::Greater => return Err(fault(Rule::UnsortedKeys, start)),
                    }
                }
                frame.prev_key = (start, end);
            } else {
                keys.push((start, end));
            }
        }
        frame.key_next = !frame.key_next;
    }
    Ok(())
}

/// Lenient mode: duplicate keys (by encoded bytes) among `keys[from..]`, which are then
/// dropped from the list.
fn check_duplicates(
    input: &[u8],
    keys: &mut Vec<(usize, usize)>,
    from: usize,
) -> Result<(), Fault> {
    let map_keys = &mut keys[from..];
    if map_keys.len() > 1 {
        map_keys.sort_by(|a, b| canonical_key_cmp(&input[a.0..a.1], &input[b.0..b.1]));
        for pair in map_keys.windows(2) {
            if input[pair[0].0..pair[0].1] == input[pair[1].0..pair[1].1] {
                let at = pair[0].0.max(pair[1].0);
                return Err(fault(Rule::DuplicateKey, at));
            }
        }
    }
    keys.truncate(from);
    Ok(())
}

/// Major type 7.
#[inline]
fn simple(head: Head, strict: bool) -> Result<(), Fault> {
    let kind = match head.ai {
        20..=22 => return Ok(()),
        23 if !strict => return Ok(()),
        24 if head.arg < 32 => Rule::Malformed,
        25..=27 if strict => Rule::FloatNotAllowed,
        25..=27 => return Ok(()),
        31 => Rule::Malformed,
        _ => Rule::UnsupportedSimpleValue,
    };
    Err(fault(kind, head.start))
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
