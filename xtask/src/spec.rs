//! The spec-table model: what a `spec/*.toml` file may contain, and loading it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One `spec/<name>.toml` file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// Where the facts come from.
    pub source: Source,
    /// Integer registries (newtypes with named constants).
    #[serde(default)]
    pub registry: Vec<Registry>,
    /// String enumerations (newtypes over text with named constants).
    #[serde(default)]
    pub text_enum: Vec<TextEnum>,
    /// Bit sets.
    #[serde(default)]
    pub flags: Vec<Flags>,
    /// CBOR maps with fixed keys (structs).
    #[serde(default)]
    pub map: Vec<MapDef>,
    /// Extension identifiers with their input and output shapes.
    #[serde(default)]
    pub extension: Vec<Extension>,
}

/// The `[source]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title of the specification.
    pub spec: String,
    /// Its version.
    pub version: String,
    /// The sections transcribed.
    pub section: String,
    /// Implementations each entry was checked against.
    pub checked_against: Vec<String>,
    /// The generated module's name (`fido_types::generated::<module>`).
    pub module: String,
    /// The generated module's doc comment.
    pub doc: String,
}

/// `[[registry]]`: an integer-valued registry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    pub name: String,
    pub repr: String,
    pub doc: String,
    /// For subcommands: the [[map]] (in the same file) whose members `uses` names.
    #[serde(default)]
    pub params: Option<String>,
    pub value: Vec<RegistryValue>,
}

/// `[[registry.value]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryValue {
    pub name: String,
    pub spec: String,
    pub value: i64,
    pub since: String,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// For command codes: the request structure.
    #[serde(default)]
    pub request: Option<String>,
    /// For command codes: the response structure.
    #[serde(default)]
    pub response: Option<String>,
    /// For subcommands: the parameter-map members (spec names) this value uses.
    #[serde(default)]
    pub uses: Vec<String>,
    /// A range bound (e.g. VENDOR_FIRST) may share its value with a named entry.
    #[serde(default)]
    pub range_bound: bool,
}

/// `[[text_enum]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextEnum {
    pub name: String,
    pub doc: String,
    pub value: Vec<TextEnumValue>,
}

/// `[[text_enum.value]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextEnumValue {
    pub name: String,
    pub value: String,
    pub since: String,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `[[flags]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flags {
    pub name: String,
    pub repr: String,
    pub doc: String,
    pub bit: Vec<FlagBit>,
}

/// `[[flags.bit]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagBit {
    pub name: String,
    pub spec: String,
    pub value: u64,
    pub since: String,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Whether a map has integer or text keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyKind {
    Int,
    Text,
}

/// `[[map]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapDef {
    pub name: String,
    pub keys: KeyKind,
    pub doc: String,
    /// Collect unknown members in a `#[cbor(unknown)]` field.
    #[serde(default)]
    pub unknown: bool,
    pub member: Vec<Member>,
}

/// A map key: an integer or a text string.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Key {
    Int(i64),
    Text(String),
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) if *i >= 0 => write!(f, "0x{i:02X}"),
            Key::Int(i) => write!(f, "{i}"),
            Key::Text(s) => write!(f, "{s:?}"),
        }
    }
}

/// `[[map.member]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub key: Key,
    /// The spec's name for the member.
    pub name: String,
    /// The Rust field name, when the automatic snake_case of `name` is not right.
    #[serde(default)]
    pub field: Option<String>,
    /// The CBOR type, in the table notation (see `types.rs`).
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    pub since: String,
    pub doc: String,
    /// What a reader assumes when the member is absent (documentation only).
    #[serde(default)]
    pub default: Option<String>,
    /// Where implementations disagree or where a key could not be cross-checked.
    #[serde(default)]
    pub note: Option<String>,
}

impl Member {
    /// The Rust field name.
    pub fn field_name(&self) -> String {
        self.field.clone().unwrap_or_else(|| snake_case(&self.name))
    }
}

/// `[[extension]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    pub name: String,
    pub id: String,
    pub since: String,
    pub doc: String,
    #[serde(default)]
    pub make_credential_input: Option<String>,
    #[serde(default)]
    pub make_credential_output: Option<String>,
    #[serde(default)]
    pub get_assertion_input: Option<String>,
    #[serde(default)]
    pub get_assertion_output: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// All spec files, by file name (`commands.toml`), in name order.
#[derive(Debug, Clone)]
pub struct Spec {
    pub files: BTreeMap<String, SpecFile>,
}

/// A problem with the spec tables, naming the file and entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// `spec/<file>.toml`
    pub file: String,
    /// The entry, e.g. `map ClientPinRequest, member pinUvAuthParam (key 0x04)`.
    pub entry: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entry.is_empty() {
            write!(f, "spec/{}: {}", self.file, self.message)
        } else {
            write!(f, "spec/{}: {}: {}", self.file, self.entry, self.message)
        }
    }
}

impl Spec {
    /// Reads every `*.toml` file in `dir`.
    pub fn load(dir: &Path) -> Result<Spec, Vec<SpecError>> {
        let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect(),
            Err(e) => {
                return Err(vec![SpecError {
                    file: dir.display().to_string(),
                    entry: String::new(),
                    message: format!("cannot read the spec directory: {e}"),
                }]);
            }
        };
        paths.sort();
        let mut sources = Vec::new();
        for p in paths {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match std::fs::read_to_string(&p) {
                Ok(text) => sources.push((name, text)),
                Err(e) => {
                    return Err(vec![SpecError {
                        file: name,
                        entry: String::new(),
                        message: format!("cannot read: {e}"),
                    }]);
                }
            }
        }
        Spec::parse(sources)
    }

    /// Parses `(file name, contents)` pairs.
    pub fn parse(sources: Vec<(String, String)>) -> Result<Spec, Vec<SpecError>> {
        let mut files = BTreeMap::new();
        let mut errors = Vec::new();
        for (name, text) in sources {
            match toml::from_str::<SpecFile>(&text) {
                Ok(f) => {
                    files.insert(name, f);
                }
                Err(e) => errors.push(SpecError {
                    file: name,
                    entry: String::new(),
                    message: format!("not a valid spec table: {}", e.message().trim()),
                }),
            }
        }
        if errors.is_empty() {
            Ok(Spec { files })
        } else {
            Err(errors)
        }
    }
}

/// `clientDataHash` -> `client_data_hash`; an uppercase run is one word (`rpId` -> `rp_id`).
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
            if prev_lower || (prev_upper && next_lower) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '-' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn snake_case_of_spec_names() {
        assert_eq!(snake_case("clientDataHash"), "client_data_hash");
        assert_eq!(snake_case("rpId"), "rp_id");
        assert_eq!(snake_case("pinUvAuthParam"), "pin_uv_auth_param");
        assert_eq!(snake_case("maxPINLength"), "max_pin_length");
        assert_eq!(snake_case("aaguid"), "aaguid");
    }
}
