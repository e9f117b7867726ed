//! The CBOR type notation of the spec tables and its one mapping to Rust types.
//!
//! | table notation | Rust type |
//! |---|---|
//! | `bytes` | `Vec<u8>` (`Bytes` inside an array or map) |
//! | `bytes[N]` | `[u8; N]` |
//! | `text` | `String` |
//! | `bool` | `bool` |
//! | `u8` `u16` `u32` `u64` (`uint` = `u64`) | the same |
//! | `i32` `i64` (`int` = `i64`) | the same |
//! | `array<T>` | `Vec<T>` |
//! | `map<text,T>` | the canonical string-keyed map of `T` |
//! | `any` | `Value` |
//! | `COSE_Key` | see [`COSE_KEY`] |
//! | `attStmt` | a string-keyed map of `Value` |
//! | a registry, text enum, flags or map name | that generated type |

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

/// Any CBOR value.
pub const VALUE: &str = "::fido_types::cbor::Value";
/// The canonical string-keyed map type (generic over its value).
pub const TEXT_MAP: &str = "::fido_types::cbor::StrMap";
/// A byte string where `Vec<u8>` would be an array of integers (inside arrays and maps).
pub const BYTES: &str = "::fido_types::cbor::Bytes";
/// Unknown members of a map.
pub const UNKNOWN_FIELDS: &str = "::fido_types::cbor::UnknownFields";
/// The derive.
pub const CBOR_MAP_DERIVE: &str = "::fido_types::cbor::CborMap";
/// The Rust type of a `COSE_Key` member: the typed COSE key, which reads and writes itself
/// through `fido_types::cbor` (a malformed key is a decode error at the member's path).
pub const COSE_KEY: &str = "::fido_types::cose::CoseKey";

/// A parsed table type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Bytes,
    FixedBytes(usize),
    Text,
    Bool,
    Uint(&'static str),
    Int(&'static str),
    Any,
    CoseKey,
    AttStmt,
    Array(Box<Ty>),
    TextMap(Box<Ty>),
    Named(String),
}

/// Parses the table notation.
pub fn parse(s: &str) -> Result<Ty, String> {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix("array<").and_then(|r| r.strip_suffix('>')) {
        return Ok(Ty::Array(Box::new(parse(inner)?)));
    }
    if let Some(inner) = s.strip_prefix("map<").and_then(|r| r.strip_suffix('>')) {
        let Some((k, v)) = inner.split_once(',') else {
            return Err(format!("`{s}`: a map type is map<text,T>"));
        };
        if k.trim() != "text" {
            return Err(format!(
                "`{s}`: only text-keyed maps have a generic type; give integer-keyed maps a [[map]] of their own"
            ));
        }
        return Ok(Ty::TextMap(Box::new(parse(v)?)));
    }
    if let Some(n) = s.strip_prefix("bytes[").and_then(|r| r.strip_suffix(']')) {
        return match n.parse::<usize>() {
            Ok(n) if (1..=64).contains(&n) => Ok(Ty::FixedBytes(n)),
            _ => Err(format!("`{s}`: the length of bytes[N] must be 1..=64")),
        };
    }
    Ok(match s {
        "bytes" => Ty::Bytes,
        "text" => Ty::Text,
        "bool" => Ty::Bool,
        "u8" => Ty::Uint("u8"),
        "u16" => Ty::Uint("u16"),
        "u32" => Ty::Uint("u32"),
        "u64" | "uint" => Ty::Uint("u64"),
        "i32" => Ty::Int("i32"),
        "i64" | "int" => Ty::Int("i64"),
        "any" => Ty::Any,
        "COSE_Key" => Ty::CoseKey,
        "attStmt" => Ty::AttStmt,
        _ if !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric())
            && s.starts_with(|c: char| c.is_ascii_uppercase()) =>
        {
            Ty::Named(s.to_string())
        }
        _ => return Err(format!("`{s}` is not a type of the table notation")),
    })
}

/// What kind of generated item a name refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Registry,
    TextEnum,
    Flags,
    Map,
}

/// Where each generated type lives.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// type name -> (module, kind)
    pub types: BTreeMap<String, (String, Kind)>,
}

impl Ty {
    /// Every named type this type refers to.
    pub fn named(&self, out: &mut Vec<String>) {
        match self {
            Ty::Named(n) => out.push(n.clone()),
            Ty::Array(t) | Ty::TextMap(t) => t.named(out),
            _ => {}
        }
    }

    /// The Rust type, as seen from module `here`. `nested` is true inside an array or map.
    pub fn rust(&self, names: &Names, here: &str, nested: bool) -> TokenStream {
        let text = self.rust_text(names, here, nested);
        text.parse().expect("type text is valid Rust")
    }

    fn rust_text(&self, names: &Names, here: &str, nested: bool) -> String {
        match self {
            Ty::Bytes if nested => BYTES.to_string(),
            Ty::Bytes => "Vec<u8>".to_string(),
            Ty::FixedBytes(n) => format!("[u8; {n}]"),
            Ty::Text => "String".to_string(),
            Ty::Bool => "bool".to_string(),
            Ty::Uint(t) | Ty::Int(t) => t.to_string(),
            Ty::Any => VALUE.to_string(),
            Ty::CoseKey => COSE_KEY.to_string(),
            Ty::AttStmt => format!("{TEXT_MAP}<{VALUE}>"),
            Ty::Array(t) => format!("Vec<{}>", t.rust_text(names, here, true)),
            Ty::TextMap(t) => format!("{TEXT_MAP}<{}>", t.rust_text(names, here, true)),
            Ty::Named(n) => match names.types.get(n) {
                Some((m, _)) if m != here => format!("super::{m}::{n}"),
                _ => n.clone(),
            },
        }
    }

    /// Whether the Rust type implements `Default` (maps: looked up in `map_default`).
    pub fn has_default(&self, names: &Names, map_default: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Ty::Any | Ty::CoseKey => false,
            Ty::FixedBytes(n) => *n <= 32,
            Ty::Named(n) => match names.types.get(n) {
                Some((_, Kind::Map)) => map_default(n),
                _ => true,
            },
            _ => true,
        }
    }

    /// Whether this type may appear where it is.
    pub fn check_nesting(&self, nested: bool) -> Result<(), String> {
        match self {
            Ty::FixedBytes(_) if nested => {
                Err("bytes[N] cannot be nested in an array or map; use bytes".to_string())
            }
            Ty::Array(t) | Ty::TextMap(t) => t.check_nesting(true),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_notation() {
        assert_eq!(parse("bytes[16]"), Ok(Ty::FixedBytes(16)));
        assert_eq!(parse("array<text>"), Ok(Ty::Array(Box::new(Ty::Text))));
        assert_eq!(parse("map<text,bool>"), Ok(Ty::TextMap(Box::new(Ty::Bool))));
        assert_eq!(parse("uint"), Ok(Ty::Uint("u64")));
        assert_eq!(parse("Info"), Ok(Ty::Named("Info".into())));
        assert!(parse("map<int,bool>").unwrap_err().contains("text-keyed"));
        assert!(parse("bytes[0]").is_err());
        assert!(parse("list of things").is_err());
    }

    #[test]
    fn maps_to_rust() {
        let names = Names::default();
        let rust = |s: &str| {
            let t = parse(s).unwrap().rust(&names, "m", false).to_string();
            t.replace(' ', "")
        };
        assert_eq!(rust("array<bytes>"), "Vec<::fido_types::cbor::Bytes>");
        assert_eq!(rust("bytes"), "Vec<u8>");
        assert_eq!(
            rust("map<text,bytes>"),
            "::fido_types::cbor::StrMap<::fido_types::cbor::Bytes>"
        );
        assert_eq!(rust("bytes[16]"), "[u8;16]");
        assert_eq!(rust("COSE_Key"), "::fido_types::cose::CoseKey");
    }
}
