//! Checks the spec tables before anything is generated.

use std::collections::{BTreeMap, BTreeSet};

use crate::spec::{
    Extension, Flags, Key, KeyKind, MapDef, Registry, RegistryValue, Spec, SpecError, SpecFile,
    TextEnum,
};
use crate::types::{self, Kind, Names};

/// CTAP versions a `since` may name; WebAuthn levels are `L1`..`L3`.
pub const CTAP_VERSIONS: &[&str] = &["2.0", "2.1", "2.2", "2.3"];

/// The text enum generated from the `[[extension]]` entries.
pub const EXTENSION_ID: &str = "ExtensionId";

const RUST_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

fn check_since(since: &str) -> Result<(), String> {
    let level = since
        .strip_prefix('L')
        .is_some_and(|n| matches!(n, "1" | "2" | "3"));
    if CTAP_VERSIONS.contains(&since) || level {
        Ok(())
    } else {
        Err(format!(
            "since `{since}` is not a known version: use one of {} (CTAP) or L1, L2, L3 (WebAuthn)",
            CTAP_VERSIONS.join(", ")
        ))
    }
}

fn is_screaming(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_field_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RUST_KEYWORDS.contains(&name)
}

fn repr_range(repr: &str) -> Option<(i128, i128)> {
    Some(match repr {
        "u8" => (0, u8::MAX as i128),
        "u16" => (0, u16::MAX as i128),
        "u32" => (0, u32::MAX as i128),
        "u64" => (0, u64::MAX as i128),
        "i32" => (i32::MIN as i128, i32::MAX as i128),
        "i64" => (i64::MIN as i128, i64::MAX as i128),
        _ => return None,
    })
}

/// CTAP2 canonical order of text keys: shorter first, then bytewise.
fn text_key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

/// Collects every generated type name and where it lives (first pass; duplicates are errors).
pub fn names(spec: &Spec, errors: &mut Vec<SpecError>) -> Names {
    let mut names = Names::default();
    let mut add = |file: &str, module: &str, name: &str, kind: Kind, what: &str| {
        let err = |message: String| SpecError {
            file: file.to_string(),
            entry: format!("{what} {name}"),
            message,
        };
        if !is_type_name(name) {
            return Some(err("a type name is UpperCamelCase ASCII".to_string()));
        }
        if let Some((m, _)) = names.types.get(name) {
            return Some(err(format!(
                "the type name is already used in module `{m}`"
            )));
        }
        names
            .types
            .insert(name.to_string(), (module.to_string(), kind));
        None
    };
    for (file, f) in &spec.files {
        let m = &f.source.module;
        let mut errs = Vec::new();
        for r in &f.registry {
            errs.extend(add(file, m, &r.name, Kind::Registry, "registry"));
        }
        for t in &f.text_enum {
            errs.extend(add(file, m, &t.name, Kind::TextEnum, "text_enum"));
        }
        for fl in &f.flags {
            errs.extend(add(file, m, &fl.name, Kind::Flags, "flags"));
        }
        for map in &f.map {
            errs.extend(add(file, m, &map.name, Kind::Map, "map"));
        }
        if !f.extension.is_empty() {
            errs.extend(add(file, m, EXTENSION_ID, Kind::TextEnum, "extension list"));
        }
        errors.extend(errs);
    }
    names
}

/// Validates the whole spec; returns every problem found.
pub fn validate(spec: &Spec) -> Result<Names, Vec<SpecError>> {
    let mut errors = Vec::new();
    let names = names(spec, &mut errors);
    let mut modules: BTreeMap<&str, &str> = BTreeMap::new();
    for (file, f) in &spec.files {
        let mut check = Checker {
            file,
            names: &names,
            errors: &mut errors,
        };
        check.source(f, &mut modules);
        f.registry.iter().for_each(|r| check.registry(f, r));
        f.text_enum.iter().for_each(|t| check.text_enum(t));
        f.flags.iter().for_each(|fl| check.flags(fl));
        f.map.iter().for_each(|m| check.map(m));
        check.extensions(&f.extension);
    }
    if errors.is_empty() {
        Ok(names)
    } else {
        Err(errors)
    }
}

/// The checks of one spec file, collecting errors that name the file and the entry.
struct Checker<'a, 'e> {
    file: &'a str,
    names: &'a Names,
    errors: &'e mut Vec<SpecError>,
}

impl<'a> Checker<'a, '_> {
    fn err(&mut self, entry: &str, message: String) {
        self.errors.push(SpecError {
            file: self.file.to_string(),
            entry: entry.to_string(),
            message,
        });
    }

    fn since(&mut self, entry: &str, since: &str) {
        if let Err(e) = check_since(since) {
            self.err(entry, e);
        }
    }

    fn ty(&mut self, entry: &str, ty: &str) {
        let mut found = Vec::new();
        check_type(ty, self.names, &mut |msg| found.push(msg));
        for msg in found {
            self.err(entry, msg);
        }
    }

    /// A value or bit name: SCREAMING_SNAKE_CASE and unique in its table.
    fn value_name<'n>(
        &mut self,
        entry: &str,
        what: &str,
        name: &'n str,
        seen: &mut BTreeSet<&'n str>,
    ) {
        if !is_screaming(name) {
            self.err(entry, format!("a {what} name is SCREAMING_SNAKE_CASE"));
        }
        if !seen.insert(name) {
            self.err(entry, format!("duplicate {what} name"));
        }
    }

    fn source(&mut self, f: &'a SpecFile, modules: &mut BTreeMap<&'a str, &'a str>) {
        let module = f.source.module.as_str();
        if !is_field_name(module) || module == "generated" {
            let message = format!("module `{module}` is not a snake_case Rust identifier");
            self.err("[source]", message);
        }
        if let Some(other) = modules.insert(module, self.file) {
            let message = format!("module `{module}` is also generated from spec/{other}");
            self.err("[source]", message);
        }
        if f.source.checked_against.is_empty() {
            self.err("[source]", "checked_against names no implementation".into());
        }
    }

    fn registry(&mut self, f: &SpecFile, r: &Registry) {
        let entry = format!("registry {}", r.name);
        let Some(range) = repr_range(&r.repr) else {
            let message = format!(
                "repr `{}` is not one of u8, u16, u32, u64, i32, i64",
                r.repr
            );
            return self.err(&entry, message);
        };
        let params = r
            .params
            .as_ref()
            .and_then(|p| f.map.iter().find(|m| &m.name == p));
        if let Some(p) = &r.params
            && params.is_none()
        {
            self.err(
                &entry,
                format!("params `{p}` is not a [[map]] of this file"),
            );
        }
        let members: BTreeSet<&str> = params
            .iter()
            .flat_map(|m| m.member.iter().map(|x| x.name.as_str()))
            .collect();
        let mut seen_names = BTreeSet::new();
        let mut seen_values = BTreeSet::new();
        let mut last: Option<i64> = None;
        for v in &r.value {
            let entry = format!("registry {}, value {} ({})", r.name, v.name, v.value);
            self.value_name(&entry, "value", &v.name, &mut seen_names);
            if (v.value as i128) < range.0 || (v.value as i128) > range.1 {
                self.err(&entry, format!("value does not fit in {}", r.repr));
            }
            self.since(&entry, &v.since);
            if !v.range_bound {
                if !seen_values.insert(v.value) {
                    self.err(&entry, "duplicate value".into());
                }
                if let Some(prev) = last.filter(|prev| v.value <= *prev) {
                    self.err(&entry, format!("values must ascend (previous {prev})"));
                }
                last = Some(v.value);
            }
            self.registry_links(&entry, r, v, &members);
        }
    }

    /// A registry value's request/response maps and the params members it `uses`.
    fn registry_links(
        &mut self,
        entry: &str,
        r: &Registry,
        v: &RegistryValue,
        members: &BTreeSet<&str>,
    ) {
        for (what, t) in [("request", &v.request), ("response", &v.response)] {
            if let Some(t) = t
                && !matches!(self.names.types.get(t), Some((_, Kind::Map)))
            {
                self.err(
                    entry,
                    format!("{what} `{t}` is not a [[map]] of any spec file"),
                );
            }
        }
        if !v.uses.is_empty() && r.params.is_none() {
            self.err(entry, "`uses` needs the registry's `params` map".into());
        }
        for u in &v.uses {
            if r.params.is_some() && !members.contains(u.as_str()) {
                self.err(
                    entry,
                    format!("uses `{u}`, which is no member of the params map"),
                );
            }
        }
    }

    fn text_enum(&mut self, t: &TextEnum) {
        let mut seen_names = BTreeSet::new();
        let mut seen_values = BTreeSet::new();
        for v in &t.value {
            let entry = format!("text_enum {}, value {} ({:?})", t.name, v.name, v.value);
            self.value_name(&entry, "value", &v.name, &mut seen_names);
            if !seen_values.insert(&v.value) {
                self.err(&entry, "duplicate value".into());
            }
            self.since(&entry, &v.since);
        }
    }

    fn flags(&mut self, fl: &Flags) {
        let Some((_, hi)) = repr_range(&fl.repr).filter(|(lo, _)| *lo == 0) else {
            let message = format!("repr `{}` is not one of u8, u16, u32, u64", fl.repr);
            return self.err(&format!("flags {}", fl.name), message);
        };
        let mut last = 0u64;
        let mut seen_names = BTreeSet::new();
        for b in &fl.bit {
            let entry = format!("flags {}, bit {} (0x{:02X})", fl.name, b.name, b.value);
            self.value_name(&entry, "bit", &b.name, &mut seen_names);
            if !b.value.is_power_of_two() || (b.value as i128) > hi {
                self.err(&entry, format!("not a single bit of {}", fl.repr));
            }
            if b.value <= last {
                self.err(&entry, format!("bits must ascend (previous 0x{last:02X})"));
            }
            last = b.value;
            self.since(&entry, &b.since);
        }
    }

    fn map(&mut self, map: &MapDef) {
        if map.member.is_empty() {
            self.err(&format!("map {}", map.name), "has no members".into());
        }
        let mut prev: Option<&Key> = None;
        let mut fields = BTreeSet::new();
        for m in &map.member {
            let entry = format!("map {}, member {} (key {})", map.name, m.name, m.key);
            self.member_key(&entry, map.keys, &m.key, prev);
            prev = Some(&m.key);
            let field = m.field_name();
            if !is_field_name(&field) || field == "unknown" {
                self.err(
                    &entry,
                    format!("field name `{field}` is not usable; set `field`"),
                );
            }
            if !fields.insert(field.clone()) {
                self.err(&entry, format!("field name `{field}` is used twice"));
            }
            self.since(&entry, &m.since);
            if m.required && m.default.is_some() {
                self.err(&entry, "a required member has no default".into());
            }
            self.ty(&entry, &m.ty);
        }
    }

    /// A member key: of the map's kind, non-negative, after the previous one canonically.
    fn member_key(&mut self, entry: &str, kind: KeyKind, key: &Key, prev: Option<&Key>) {
        match (key, kind) {
            (Key::Int(i), KeyKind::Int) if *i < 0 => {
                self.err(entry, "integer keys are non-negative".into())
            }
            (Key::Int(_), KeyKind::Int) | (Key::Text(_), KeyKind::Text) => {}
            _ => self.err(
                entry,
                format!("key kind differs from the map's `keys = {kind:?}`"),
            ),
        }
        let ascending = match (prev, key) {
            (Some(Key::Int(a)), Key::Int(b)) => a < b,
            (Some(Key::Text(a)), Key::Text(b)) => text_key_order(a, b).is_lt(),
            _ => true,
        };
        if let Some(p) = prev.filter(|_| !ascending) {
            let message =
                format!("keys must be unique and in canonical ascending order (previous key {p})");
            self.err(entry, message);
        }
    }

    fn extensions(&mut self, extensions: &[Extension]) {
        let mut ids = BTreeSet::new();
        let mut names = BTreeSet::new();
        for e in extensions {
            let entry = format!("extension {}", e.id);
            if !is_screaming(&e.name) {
                self.err(&entry, "a name is SCREAMING_SNAKE_CASE".into());
            }
            if !ids.insert(&e.id) || !names.insert(&e.name) {
                self.err(&entry, "duplicate extension".into());
            }
            self.since(&entry, &e.since);
            let types = [
                &e.make_credential_input,
                &e.make_credential_output,
                &e.get_assertion_input,
                &e.get_assertion_output,
            ];
            for t in types.into_iter().flatten() {
                self.ty(&entry, t);
            }
        }
    }
}

fn check_type(ty: &str, names: &Names, err: &mut dyn FnMut(String)) {
    match types::parse(ty) {
        Err(e) => err(e),
        Ok(t) => {
            if let Err(e) = t.check_nesting(false) {
                err(e);
            }
            let mut refs = Vec::new();
            t.named(&mut refs);
            for r in refs {
                if !names.types.contains_key(&r) {
                    err(format!("type `{r}` is defined in no spec file"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#"
[source]
spec = "CTAP"
version = "2.2"
section = "test"
checked_against = ["a", "b"]
module = "m"
doc = "d"
"#;

    fn errors_of(body: &str) -> Vec<String> {
        let spec = Spec::parse(vec![("t.toml".into(), format!("{HEADER}{body}"))])
            .map_err(|e| e.iter().map(|e| e.to_string()).collect::<Vec<_>>());
        match spec {
            Err(e) => e,
            Ok(spec) => match validate(&spec) {
                Ok(_) => vec![],
                Err(e) => e.iter().map(|e| e.to_string()).collect(),
            },
        }
    }

    #[test]
    fn a_good_table_passes() {
        let e = errors_of(
            r#"
[[map]]
name = "M"
keys = "int"
doc = "d"
[[map.member]]
key = 1
name = "a"
type = "array<bytes>"
since = "2.1"
doc = "d"
"#,
        );
        assert_eq!(e, Vec::<String>::new());
    }

    #[test]
    fn keys_out_of_order_name_file_and_entry() {
        let e = errors_of(
            r#"
[[map]]
name = "M"
keys = "int"
doc = "d"
[[map.member]]
key = 2
name = "a"
type = "bool"
since = "2.1"
doc = "d"
[[map.member]]
key = 1
name = "b"
type = "bool"
since = "2.1"
doc = "d"
"#,
        );
        assert_eq!(
            e,
            vec![
                "spec/t.toml: map M, member b (key 0x01): keys must be unique and in canonical ascending order (previous key 0x02)"
            ]
        );
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let e = errors_of(
            r#"
[[map]]
name = "M"
keys = "text"
doc = "d"
[[map.member]]
key = "id"
name = "id"
type = "bool"
since = "2.1"
doc = "d"
[[map.member]]
key = "id"
name = "other"
type = "bool"
since = "2.1"
doc = "d"
"#,
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("member other (key \"id\")"), "{e:?}");
    }

    #[test]
    fn text_keys_use_length_first_order() {
        let e = errors_of(
            r#"
[[map]]
name = "M"
keys = "text"
doc = "d"
[[map.member]]
key = "type"
name = "type"
field = "kind"
type = "bool"
since = "2.1"
doc = "d"
[[map.member]]
key = "id"
name = "id"
type = "bool"
since = "2.1"
doc = "d"
"#,
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("member id (key \"id\")"), "{e:?}");
    }

    #[test]
    fn unknown_types_and_bad_since_are_reported() {
        let e = errors_of(
            r#"
[[map]]
name = "M"
keys = "int"
doc = "d"
[[map.member]]
key = 1
name = "a"
type = "array<Nowhere>"
since = "2.x"
doc = "d"
"#,
        );
        assert_eq!(
            e,
            vec![
                "spec/t.toml: map M, member a (key 0x01): since `2.x` is not a known version: use one of 2.0, 2.1, 2.2, 2.3 (CTAP) or L1, L2, L3 (WebAuthn)",
                "spec/t.toml: map M, member a (key 0x01): type `Nowhere` is defined in no spec file",
            ]
        );
    }

    #[test]
    fn registry_values_must_fit_and_ascend() {
        let e = errors_of(
            r#"
[[registry]]
name = "R"
repr = "u8"
doc = "d"
[[registry.value]]
name = "B"
spec = "b"
value = 2
since = "2.0"
[[registry.value]]
name = "A"
spec = "a"
value = 1
since = "2.0"
[[registry.value]]
name = "BIG"
spec = "big"
value = 256
since = "2.0"
request = "Missing"
"#,
        );
        assert_eq!(
            e,
            vec![
                "spec/t.toml: registry R, value A (1): values must ascend (previous 2)",
                "spec/t.toml: registry R, value BIG (256): value does not fit in u8",
                "spec/t.toml: registry R, value BIG (256): request `Missing` is not a [[map]] of any spec file",
            ]
        );
    }

    #[test]
    fn flags_are_single_bits() {
        let e = errors_of(
            r#"
[[flags]]
name = "F"
repr = "u8"
doc = "d"
[[flags.bit]]
name = "TWO_BITS"
spec = "x"
value = 3
since = "2.1"
"#,
        );
        assert_eq!(
            e,
            vec!["spec/t.toml: flags F, bit TWO_BITS (0x03): not a single bit of u8"]
        );
    }

    #[test]
    fn unknown_table_fields_are_rejected() {
        let e = errors_of(
            "[[map]]\nname = \"M\"\nkeys = \"int\"\ndoc = \"d\"\ncolour = 1\nmember = []\n",
        );
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("spec/t.toml: not a valid spec table: unknown field `colour`"),
            "{e:?}"
        );
    }

    #[test]
    fn uses_must_name_members_of_the_params_map() {
        let e = errors_of(
            r#"
[[registry]]
name = "Sub"
repr = "u8"
params = "P"
doc = "d"
[[registry.value]]
name = "A"
spec = "a"
value = 1
since = "2.1"
uses = ["x", "nope"]

[[map]]
name = "P"
keys = "int"
doc = "d"
[[map.member]]
key = 1
name = "x"
type = "bool"
since = "2.1"
doc = "d"
"#,
        );
        assert_eq!(
            e,
            vec![
                "spec/t.toml: registry Sub, value A (1): uses `nope`, which is no member of the params map"
            ]
        );
    }
}
