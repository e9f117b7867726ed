//! Escaping device-supplied text for the terminal.
//!
//! A security key chooses its version strings, extension names, firmware strings and the
//! user and RP names it returns. Printed raw, a control character in one of them (ESC
//! starting a terminal escape sequence, a carriage return, a backspace) could rewrite what
//! the user sees. Every line of non-JSON output that carries such text goes through
//! [`escape`]; JSON output is escaped by the JSON encoder.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character written as an escape: `\n`, `\r`, `\t` and `\\`
/// as themselves, any other C0 or C1 control, DEL, and the Unicode bidirectional
/// overrides and isolates as `\u{XXXX}`. Text without them is borrowed unchanged.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `c` is written as an escape (a backslash too, so that escaped text cannot be
/// mistaken for text that merely looks escaped).
fn needs_escape(c: char) -> bool {
    c == '\\' || c.is_control() || is_bidi_control(c)
}

/// The Unicode bidirectional formatting characters (embeddings, overrides, isolates and
/// marks), which reorder how the rest of a line is shown.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            escape("FIDO_2_1 Yubico ü"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn terminal_controls_are_escaped() {
        assert_eq!(escape("a\u{1b}[2Jb"), "a\\u{001b}[2Jb");
        assert_eq!(escape("x\ry\n\t\\"), "x\\ry\\n\\t\\\\");
        assert_eq!(escape("\u{7f}\u{9b}31m"), "\\u{007f}\\u{009b}31m");
        assert_eq!(escape("\u{202e}gnp.exe"), "\\u{202e}gnp.exe");
        assert_eq!(escape("\u{0}"), "\\u{0000}");
    }

    #[test]
    fn no_control_character_survives() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let text = c.to_string();
            let escaped = escape(&text);
            assert!(
                !escaped.chars().any(|e| e.is_control() || e == '\u{202e}'),
                "{c:?} -> {escaped:?}"
            );
        }
    }
}
