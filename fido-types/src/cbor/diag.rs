//! CBOR diagnostic notation (RFC 8949 section 8), for snapshots and debugging.

use std::fmt::Write;

use super::validate::{Head, MAX_DEPTH_CAP, read_head};

/// Renders `input` in CBOR diagnostic notation (RFC 8949 section 8), on one line.
///
/// Byte strings print as `h'..'`, text as a quoted JSON-style string, indefinite-length
/// items as `(_ ..)`, `[_ ..]`, `{_ ..}`, tags as `N(..)`, and arguments that are not in
/// shortest form carry an encoding indicator (`_0` one byte, `_1` two, `_2` four, `_3`
/// eight). Malformed input never panics: the text ends with `<error: ..>`, and several
/// top-level items are separated by `, `.
///
/// ```
/// use fido_types::cbor::diagnostic;
///
/// assert_eq!(diagnostic(&[0xa2, 0x01, 0x42, 0xca, 0xfe, 0x03, 0x26]), "{1: h'cafe', 3: -7}");
/// assert_eq!(diagnostic(&[0x18]), "<error: input truncated at offset 0>");
/// ```
pub fn diagnostic(input: &[u8]) -> String {
    let mut out = String::new();
    let mut pos = 0;
    while pos < input.len() {
        if pos > 0 {
            out.push_str(", ");
        }
        match item(input, pos, &mut out, 0) {
            Ok(next) => pos = next,
            Err(Failure { what, offset }) => {
                let _ = write!(out, "<error: {what} at offset {offset}>");
                break;
            }
        }
    }
    out
}

struct Failure {
    what: &'static str,
    offset: usize,
}

fn fail(what: &'static str, offset: usize) -> Failure {
    Failure { what, offset }
}

fn head_at(input: &[u8], pos: usize) -> Result<Head, Failure> {
    read_head(input, pos).map_err(|e| {
        fail(
            match e.kind() {
                super::DecodeErrorKind::Truncated => "input truncated",
                _ => "reserved additional information",
            },
            e.offset(),
        )
    })
}

fn indicator(head: &Head) -> &'static str {
    if head.minimal() {
        return "";
    }
    match head.ai {
        24 => "_0",
        25 => "_1",
        26 => "_2",
        _ => "_3",
    }
}

fn bytes_at(input: &[u8], head: &Head) -> Result<(usize, usize), Failure> {
    let end = (head.end as u64)
        .checked_add(head.arg)
        .filter(|&end| end <= input.len() as u64)
        .ok_or_else(|| fail("input truncated", head.start))?;
    Ok((head.end, end as usize))
}

fn write_string(out: &mut String, major: u8, content: &[u8]) {
    if major == 2 {
        out.push_str("h'");
        for b in content {
            let _ = write!(out, "{b:02x}");
        }
        out.push('\'');
        return;
    }
    match std::str::from_utf8(content) {
        Ok(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if (c as u32) < 0x20 || c == '\u{7f}' => {
                        let _ = write!(out, "\\u{:04x}", c as u32);
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        Err(_) => {
            // Not text: show the bytes, marked.
            out.push_str("<invalid UTF-8 ");
            write_string(out, 2, content);
            out.push('>');
        }
    }
}

fn item(input: &[u8], pos: usize, out: &mut String, depth: usize) -> Result<usize, Failure> {
    let head = head_at(input, pos)?;
    let mut pos = head.end;
    match head.major {
        0 => {
            if head.indefinite() {
                return Err(fail("indefinite integer", head.start));
            }
            let _ = write!(out, "{}{}", head.arg, indicator(&head));
            Ok(pos)
        }
        1 => {
            if head.indefinite() {
                return Err(fail("indefinite integer", head.start));
            }
            let _ = write!(out, "{}{}", -1 - i128::from(head.arg), indicator(&head));
            Ok(pos)
        }
        2 | 3 => {
            if head.indefinite() {
                out.push_str("(_ ");
                let mut first = true;
                while input.get(pos) != Some(&0xff) {
                    let chunk = head_at(input, pos)?;
                    if chunk.major != head.major || chunk.indefinite() {
                        return Err(fail("bad chunk in indefinite string", chunk.start));
                    }
                    if !first {
                        out.push_str(", ");
                    }
                    first = false;
                    let (start, end) = bytes_at(input, &chunk)?;
                    write_string(out, chunk.major, &input[start..end]);
                    out.push_str(indicator(&chunk));
                    pos = end;
                }
                out.push(')');
                Ok(pos + 1)
            } else {
                let (start, end) = bytes_at(input, &head)?;
                write_string(out, head.major, &input[start..end]);
                out.push_str(indicator(&head));
                Ok(end)
            }
        }
        4 | 5 => {
            if depth >= MAX_DEPTH_CAP {
                return Err(fail("nesting too deep", head.start));
            }
            let is_map = head.major == 5;
            out.push(if is_map { '{' } else { '[' });
            if head.indefinite() {
                out.push_str("_ ");
            } else {
                let ind = indicator(&head);
                if !ind.is_empty() {
                    let _ = write!(out, "{ind} ");
                }
            }
            let mut count = 0u64;
            loop {
                if head.indefinite() {
                    if input.get(pos) == Some(&0xff) {
                        pos += 1;
                        break;
                    }
                } else if count == head.arg {
                    break;
                }
                if count > 0 {
                    out.push_str(", ");
                }
                pos = item(input, pos, out, depth + 1)?;
                if is_map {
                    out.push_str(": ");
                    pos = item(input, pos, out, depth + 1)?;
                }
                count += 1;
            }
            out.push(if is_map { '}' } else { ']' });
            Ok(pos)
        }
        6 => {
            if head.indefinite() {
                return Err(fail("indefinite tag", head.start));
            }
            if depth >= MAX_DEPTH_CAP {
                return Err(fail("nesting too deep", head.start));
            }
            let _ = write!(out, "{}{}(", head.arg, indicator(&head));
            pos = item(input, pos, out, depth + 1)?;
            out.push(')');
            Ok(pos)
        }
        _ => {
            match head.ai {
                20 => out.push_str("false"),
                21 => out.push_str("true"),
                22 => out.push_str("null"),
                23 => out.push_str("undefined"),
                25 => write_float(out, f16_to_f64(head.arg as u16)),
                26 => write_float(out, f64::from(f32::from_bits(head.arg as u32))),
                27 => write_float(out, f64::from_bits(head.arg)),
                31 => return Err(fail("unexpected break", head.start)),
                _ => {
                    let _ = write!(out, "simple({})", head.arg);
                }
            }
            Ok(pos)
        }
    }
}

fn write_float(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let _ = write!(out, "{v:?}");
    }
}

/// IEEE 754 half precision to f64 (RFC 8949 Appendix D).
fn f16_to_f64(half: u16) -> f64 {
    let exp = (half >> 10) & 0x1f;
    let mant = f64::from(half & 0x3ff);
    let value = match exp {
        0 => mant * 2f64.powi(-24),
        31 if mant == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (mant + 1024.0) * 2f64.powi(i32::from(exp) - 25),
    };
    if half & 0x8000 != 0 { -value } else { value }
}
