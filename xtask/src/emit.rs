//! Turns the validated spec tables into Rust source text.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::spec::{
    Extension, Flags, Key, KeyKind, MapDef, Registry, RegistryValue, Spec, SpecFile, TextEnum,
};
use crate::types::{self, Names};
use crate::validate::EXTENSION_ID;

/// The generated files: path relative to `fido-types/src/generated/` -> contents.
pub type Output = BTreeMap<String, String>;

fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

fn lit(text: String) -> TokenStream {
    text.parse().expect("literal text is valid Rust")
}

fn int_lit(v: i64, hex: bool) -> TokenStream {
    if hex && v >= 0 {
        lit(format!("0x{v:02X}"))
    } else {
        lit(v.to_string())
    }
}

fn since_text(since: &str) -> String {
    if since.starts_with('L') {
        format!("WebAuthn {since}")
    } else {
        format!("CTAP {since}")
    }
}

/// `#[doc = ...]` attributes for each paragraph line.
fn docs<I: IntoIterator<Item = String>>(lines: I) -> TokenStream {
    let mut out = TokenStream::new();
    let mut first = true;
    for line in lines {
        if !first {
            out.extend(quote!(#[doc = ""]));
        }
        first = false;
        let line = format!(" {line}");
        out.extend(quote!(#[doc = #line]));
    }
    out
}

fn map_default(spec: &Spec, names: &Names, name: &str) -> bool {
    for f in spec.files.values() {
        for m in &f.map {
            if m.name == name {
                return m.member.iter().all(|x| {
                    !x.required
                        || types::parse(&x.ty).is_ok_and(|t| {
                            t.has_default(names, &|n| n != name && map_default(spec, names, n))
                        })
                });
            }
        }
    }
    false
}

fn type_link(names: &Names, name: &str) -> String {
    match names.types.get(name) {
        Some((m, _)) => format!("[`{name}`](crate::generated::{m}::{name})"),
        None => format!("`{name}`"),
    }
}

fn registry(r: &Registry, names: &Names) -> TokenStream {
    let name = ident(&r.name);
    let repr = ident(&r.repr);
    let doc = docs([r.doc.clone()]);
    let hex = r.repr.starts_with('u');
    let values = registry_values(r, names, hex);
    let RegistryValues {
        consts,
        known,
        name_arms,
        spec_arms,
        since_arms,
        from_name_arms,
    } = &values;
    let known_fmt = format!("{}::{{}}", r.name);
    let unknown_fmt = if hex {
        format!("{}({{:#04x}})", r.name)
    } else {
        format!("{}({{}})", r.name)
    };
    let conversions = repr_conversions(&name, &repr);
    quote! {
        #doc
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #repr);

        impl #name {
            #consts

            /// Every named value (range bounds excluded), in table order.
            pub const KNOWN: &'static [Self] = &[#(#known),*];

            /// The constant's name of a known value.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    #name_arms
                    _ => None,
                }
            }

            /// The specification's name of a known value.
            pub const fn spec_name(self) -> Option<&'static str> {
                match self.0 {
                    #spec_arms
                    _ => None,
                }
            }

            /// The version that introduced a known value.
            pub const fn since(self) -> Option<&'static str> {
                match self.0 {
                    #since_arms
                    _ => None,
                }
            }

            /// Looks a value up by its constant name or its specification name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    #from_name_arms
                    _ => None,
                }
            }
        }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self.name() {
                    Some(n) => write!(f, #known_fmt, n),
                    None => write!(f, #unknown_fmt, self.0),
                }
            }
        }

        #conversions
    }
}

/// A registry's constants and the match arms of its lookup functions.
#[derive(Default)]
struct RegistryValues {
    consts: TokenStream,
    known: Vec<TokenStream>,
    name_arms: TokenStream,
    spec_arms: TokenStream,
    since_arms: TokenStream,
    from_name_arms: TokenStream,
}

fn registry_values(r: &Registry, names: &Names, hex: bool) -> RegistryValues {
    let mut out = RegistryValues::default();
    let mut seen_strings = std::collections::BTreeSet::new();
    for v in &r.value {
        let c = ident(&v.name);
        let value = int_lit(v.value, hex);
        let d = docs(registry_value_doc(v, names, hex));
        out.consts
            .extend(quote! { #d pub const #c: Self = Self(#value); });
        if v.range_bound {
            continue;
        }
        out.known.push(quote!(Self::#c));
        let (cname, sname, since) = (&v.name, &v.spec, &v.since);
        out.name_arms.extend(quote!(#value => Some(#cname),));
        out.spec_arms.extend(quote!(#value => Some(#sname),));
        out.since_arms.extend(quote!(#value => Some(#since),));
        let pats: Vec<TokenStream> = [cname, sname]
            .into_iter()
            .filter(|s| seen_strings.insert((*s).clone()))
            .map(|s| quote!(#s))
            .collect();
        if !pats.is_empty() {
            out.from_name_arms
                .extend(quote!(#(#pats)|* => Some(Self::#c),));
        }
    }
    out
}

/// The doc lines of one registry value: spec name, value and version, then its doc,
/// request/response types, the params it uses and a note.
fn registry_value_doc(v: &RegistryValue, names: &Names, hex: bool) -> Vec<String> {
    let shown = if hex && v.value >= 0 {
        format!("0x{:02X}", v.value)
    } else {
        v.value.to_string()
    };
    let mut lines = vec![format!(
        "`{}` = {shown}, since {}.",
        v.spec,
        since_text(&v.since)
    )];
    lines.extend(v.doc.clone());
    let mut io = Vec::new();
    if let Some(t) = &v.request {
        io.push(format!("Request: {}.", type_link(names, t)));
    }
    if let Some(t) = &v.response {
        io.push(format!("Response: {}.", type_link(names, t)));
    }
    if !io.is_empty() {
        lines.push(io.join(" "));
    }
    if !v.uses.is_empty() {
        let used: Vec<String> = v.uses.iter().map(|u| format!("`{u}`")).collect();
        lines.push(format!("Uses: {}.", used.join(", ")));
    }
    lines.extend(v.note.as_ref().map(|n| format!("Note: {n}")));
    lines
}

/// `From` both ways between a registry or flags newtype and its integer.
fn repr_conversions(name: &Ident, repr: &Ident) -> TokenStream {
    quote! {
        impl From<#repr> for #name {
            fn from(v: #repr) -> Self {
                Self(v)
            }
        }

        impl From<#name> for #repr {
            fn from(v: #name) -> Self {
                v.0
            }
        }
    }
}

/// The trait tying a request structure to its command byte and response structure.
pub const COMMAND_REQUEST: &str = "CommandRequest";

/// `CommandRequest` and its impls, from the `request`/`response` of a command registry. A
/// request used by several codes (the FIDO_2_1_PRE prototypes) gets the first one.
fn command_requests(r: &Registry, names: &Names, module: &str) -> TokenStream {
    let registry = ident(&r.name);
    let trait_name = ident(COMMAND_REQUEST);
    let path = |n: &str| -> TokenStream {
        crate::types::Ty::Named(n.to_string()).rust(names, module, false)
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut impls = TokenStream::new();
    for v in &r.value {
        let Some(req) = &v.request else { continue };
        if v.range_bound || !seen.insert(req.clone()) {
            continue;
        }
        let req_ty = path(req);
        let resp_ty = match &v.response {
            Some(t) => path(t),
            None => quote!(()),
        };
        let c = ident(&v.name);
        impls.extend(quote! {
            impl #trait_name for #req_ty {
                const COMMAND: #registry = #registry::#c;
                type Response = #resp_ty;
            }
        });
    }
    quote! {
        /// A request structure of an authenticator API command: the command byte it is sent
        /// with and the structure of the response. Commands whose response carries no CBOR
        /// (only the status byte) have `Response = ()`.
        pub trait #trait_name: ::serde::Serialize {
            /// The command byte.
            const COMMAND: #registry;
            /// The response structure.
            type Response;
        }

        #impls
    }
}

fn flags(fl: &Flags) -> TokenStream {
    let name = ident(&fl.name);
    let repr = ident(&fl.repr);
    let doc = docs([fl.doc.clone()]);
    let (consts, named, all, from_name_arms) = flag_bits(fl);
    let open = format!("{}(", fl.name);
    let operators = flag_operators(&name, &open);
    let conversions = repr_conversions(&name, &repr);
    quote! {
        #doc
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #repr);

        impl #name {
            #consts

            /// No bit set.
            pub const EMPTY: Self = Self(0);

            /// Every named bit.
            pub const ALL_KNOWN: Self = Self(#all);

            /// The named bits and their constant names, in ascending order.
            pub const NAMED: &'static [(&'static str, Self)] = &[#(#named),*];

            /// The raw bits.
            pub const fn bits(self) -> #repr {
                self.0
            }

            /// Whether every bit of `other` is set.
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }

            /// Whether any bit of `other` is set.
            pub const fn intersects(self, other: Self) -> bool {
                self.0 & other.0 != 0
            }

            /// The bits of both.
            pub const fn union(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }

            /// Whether no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// The set bits that have no name.
            pub const fn unknown_bits(self) -> #repr {
                self.0 & !Self::ALL_KNOWN.0
            }

            /// The constant names of the named bits that are set, in ascending order.
            pub fn names(self) -> impl Iterator<Item = &'static str> {
                Self::NAMED
                    .iter()
                    .filter(move |(_, bit)| self.contains(*bit))
                    .map(|(n, _)| *n)
            }

            /// Looks a bit up by its constant name or its specification name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    #from_name_arms
                    _ => None,
                }
            }
        }

        #operators

        #conversions
    }
}

/// Each bit's constant, the (name, bit) table, the union of the bits and the `from_name`
/// arms of a flags type.
fn flag_bits(fl: &Flags) -> (TokenStream, Vec<TokenStream>, TokenStream, TokenStream) {
    let mut consts = TokenStream::new();
    let mut named = Vec::new();
    let mut all = 0u64;
    let mut from_name_arms = TokenStream::new();
    for b in &fl.bit {
        let c = ident(&b.name);
        let value = lit(format!("0x{:02X}", b.value));
        all |= b.value;
        let mut lines = vec![format!(
            "`{}` = 0x{:02X}, since {}.",
            b.spec,
            b.value,
            since_text(&b.since)
        )];
        lines.extend(b.doc.clone());
        lines.extend(b.note.as_ref().map(|n| format!("Note: {n}")));
        let d = docs(lines);
        consts.extend(quote! { #d pub const #c: Self = Self(#value); });
        let (cname, sname) = (&b.name, &b.spec);
        named.push(quote!((#cname, Self::#c)));
        if cname == sname {
            from_name_arms.extend(quote!(#cname => Some(Self::#c),));
        } else {
            from_name_arms.extend(quote!(#cname | #sname => Some(Self::#c),));
        }
    }
    (consts, named, lit(format!("0x{all:02X}")), from_name_arms)
}

/// The bit operators and the `Name(A | B | 0x..)` Debug of a flags type.
fn flag_operators(name: &Ident, open: &str) -> TokenStream {
    quote! {
    impl ::core::ops::BitOr for #name {
        type Output = Self;
        fn bitor(self, rhs: Self) -> Self {
            Self(self.0 | rhs.0)
        }
    }

    impl ::core::ops::BitOrAssign for #name {
        fn bitor_assign(&mut self, rhs: Self) {
            self.0 |= rhs.0;
        }
    }

    impl ::core::ops::BitAnd for #name {
        type Output = Self;
        fn bitand(self, rhs: Self) -> Self {
            Self(self.0 & rhs.0)
        }
    }

    impl ::core::fmt::Debug for #name {
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            f.write_str(#open)?;
            let mut first = true;
            for n in self.names() {
                if !first {
                    f.write_str(" | ")?;
                }
                first = false;
                f.write_str(n)?;
            }
            let unknown = self.unknown_bits();
            if unknown != 0 || first {
                if !first {
                    f.write_str(" | ")?;
                }
                write!(f, "{:#04x}", unknown)?;
            }
            f.write_str(")")
        }
    }
    }
}

struct TextValue<'a> {
    name: &'a str,
    value: &'a str,
    since: &'a str,
    doc: Option<&'a str>,
    note: Option<&'a str>,
}

fn text_enum(type_name: &str, doc: &str, values: &[TextValue<'_>]) -> TokenStream {
    let name = ident(type_name);
    let doc = docs([doc.to_string()]);
    let mut consts = TokenStream::new();
    let mut known = Vec::new();
    let mut name_arms = TokenStream::new();
    let mut from_arms = TokenStream::new();
    for v in values {
        let c = ident(v.name);
        let value = v.value;
        let mut lines = vec![format!("`{:?}`, since {}.", v.value, since_text(v.since))];
        if let Some(d) = v.doc {
            lines.push(d.to_string());
        }
        if let Some(n) = v.note {
            lines.push(format!("Note: {n}"));
        }
        let d = docs(lines);
        consts.extend(quote! {
            #d pub const #c: Self = Self(::std::borrow::Cow::Borrowed(#value));
        });
        known.push(quote!(Self::#c));
        let cname = v.name;
        name_arms.extend(quote!(#value => Some(#cname),));
        from_arms.extend(quote!(#value => Self::#c,));
    }
    let known_fmt = format!("{type_name}::{{}}");
    let unknown_fmt = format!("{type_name}({{:?}})");
    quote! {
        #doc
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub ::std::borrow::Cow<'static, str>);

        impl #name {
            #consts

            /// Every named value, in table order.
            pub const KNOWN: &'static [Self] = &[#(#known),*];

            /// The string on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The constant's name of a known value.
            pub fn name(&self) -> Option<&'static str> {
                match self.as_str() {
                    #name_arms
                    _ => None,
                }
            }

            /// Whether this is one of the named values.
            pub fn is_known(&self) -> bool {
                self.name().is_some()
            }
        }

        impl From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #from_arms
                    other => Self(::std::borrow::Cow::Owned(other.to_owned())),
                }
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for #name {
            fn from(s: String) -> Self {
                Self::from(s.as_str())
            }
        }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self.name() {
                    Some(n) => write!(f, #known_fmt, n),
                    None => write!(f, #unknown_fmt, self.as_str()),
                }
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn map(m: &MapDef, f: &SpecFile, spec: &Spec, names: &Names, module: &str) -> TokenStream {
    let name = ident(&m.name);
    let doc = docs([m.doc.clone()]);
    let derive_default = map_default(spec, names, &m.name);
    let mut fields = TokenStream::new();
    for x in &m.member {
        let field = ident(&x.field_name());
        let ty = types::parse(&x.ty).expect("validated");
        let rust = ty.rust(names, module, false);
        let rust = if x.required {
            rust
        } else {
            quote!(Option<#rust>)
        };
        let key = match &x.key {
            Key::Int(i) => int_lit(*i, true),
            Key::Text(s) => quote!(#s),
        };
        let mut lines = vec![format!(
            "`{}` (key {}, {}, since {}): {}",
            x.name,
            x.key,
            if x.required { "required" } else { "optional" },
            since_text(&x.since),
            x.doc
        )];
        if let Some(d) = &x.default {
            lines.push(format!("When absent: {d}."));
        }
        let used_by: Vec<String> = f
            .registry
            .iter()
            .filter(|r| r.params.as_ref() == Some(&m.name))
            .flat_map(|r| &r.value)
            .filter(|v| v.uses.contains(&x.name))
            .map(|v| format!("`{}`", v.spec))
            .collect();
        if !used_by.is_empty() {
            lines.push(format!("Used by: {}.", used_by.join(", ")));
        }
        if let Some(n) = &x.note {
            lines.push(format!("Note: {n}"));
        }
        let d = docs(lines);
        fields.extend(quote! {
            #d
            #[cbor(key = #key)]
            pub #field: #rust,
        });
    }
    if m.unknown {
        let uf: TokenStream = types::UNKNOWN_FIELDS.parse().expect("path");
        fields.extend(quote! {
            /// Members this table does not name, kept so that they survive a round trip.
            #[cbor(unknown)]
            pub unknown: #uf,
        });
    }
    let derive: TokenStream = types::CBOR_MAP_DERIVE.parse().expect("path");
    let default = if derive_default {
        quote!(Default,)
    } else {
        quote!()
    };
    let members_impl = if m.keys == KeyKind::Int {
        let entries = m.member.iter().map(|x| {
            let key = match &x.key {
                Key::Int(i) => int_lit(*i, true),
                Key::Text(_) => unreachable!("validated: an int-keyed map"),
            };
            let n = &x.name;
            quote!((#key, #n))
        });
        quote! {
            impl #name {
                /// The members' keys and specification names, in key order.
                pub const MEMBERS: &'static [(u64, &'static str)] = &[#(#entries),*];
            }
        }
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default #derive)]
        pub struct #name {
            #fields
        }

        #members_impl
    }
}

fn extensions(exts: &[Extension]) -> TokenStream {
    let values: Vec<TextValue<'_>> = exts
        .iter()
        .map(|e| TextValue {
            name: &e.name,
            value: &e.id,
            since: &e.since,
            doc: Some(&e.doc),
            note: e.note.as_deref(),
        })
        .collect();
    let ids = text_enum(
        EXTENSION_ID,
        "An authenticator extension identifier (the key in the `extensions` maps and getInfo `extensions`).",
        &values,
    );
    let opt = |s: &Option<String>| match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let mut rows = Vec::new();
    for e in exts {
        let c = ident(&e.name);
        let since = &e.since;
        let mci = opt(&e.make_credential_input);
        let mco = opt(&e.make_credential_output);
        let gai = opt(&e.get_assertion_input);
        let gao = opt(&e.get_assertion_output);
        rows.push(quote! {
            ExtensionShape {
                id: ExtensionId::#c,
                since: #since,
                make_credential_input: #mci,
                make_credential_output: #mco,
                get_assertion_input: #gai,
                get_assertion_output: #gao,
            }
        });
    }
    quote! {
        #ids

        /// The CBOR shapes an extension takes and gives, in the spec-table type notation
        /// (`bool`, `bytes`, `u64`, `array<T>`, or a generated type's name). `None`: the
        /// extension has no input or output at that step.
        #[derive(Debug, Clone, PartialEq)]
        pub struct ExtensionShape {
            /// The identifier.
            pub id: ExtensionId,
            /// The CTAP version that introduced it.
            pub since: &'static str,
            /// Input to authenticatorMakeCredential.
            pub make_credential_input: Option<&'static str>,
            /// Output in makeCredential authenticator data.
            pub make_credential_output: Option<&'static str>,
            /// Input to authenticatorGetAssertion.
            pub get_assertion_input: Option<&'static str>,
            /// Output in getAssertion authenticator data.
            pub get_assertion_output: Option<&'static str>,
        }

        /// Every extension of the table.
        pub const EXTENSIONS: &[ExtensionShape] = &[#(#rows),*];

        /// The shape of a known extension.
        pub fn extension_shape(id: &str) -> Option<&'static ExtensionShape> {
            EXTENSIONS.iter().find(|e| e.id.as_str() == id)
        }
    }
}

fn preamble(file: &str, f: &SpecFile) -> String {
    let s = &f.source;
    let mut out = format!(
        "// @generated by `cargo xtask codegen` from spec/{file}; do not edit.\n\
         // Source: {}, version {}: {}.\n",
        s.spec, s.version, s.section
    );
    for c in &s.checked_against {
        out.push_str(&format!("// Checked against: {c}.\n"));
    }
    out
}

fn render(items: TokenStream, inner_doc: &[String]) -> String {
    let mut attrs = TokenStream::new();
    for line in inner_doc {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        attrs.extend(quote!(#![doc = #line]));
    }
    let tokens = quote!(#attrs #items);
    let file: syn::File = match syn::parse2(tokens) {
        Ok(f) => f,
        Err(e) => panic!("generated code does not parse: {e}"),
    };
    space_items(&prettyplease::unparse(&file))
}

/// Puts a blank line after each top-level item and after the module docs, for reading.
fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let next = lines.get(i + 1).copied().unwrap_or("");
        let item_end = *line == "}" || (line.starts_with("pub ") && line.ends_with(';'));
        let doc_end = line.starts_with("//!") && !next.starts_with("//!");
        let same_group = line.starts_with("pub mod ") && next.starts_with("pub mod ")
            || line.starts_with("pub use ") && next.starts_with("pub use ");
        if (item_end || doc_end) && !next.is_empty() && !same_group {
            out.push('\n');
        }
    }
    out
}

/// Generates every file.
pub fn generate(spec: &Spec, names: &Names) -> Output {
    let mut out = Output::new();
    let mut mods = Vec::new();
    for (file, f) in &spec.files {
        let module = &f.source.module;
        let mut items = TokenStream::new();
        let mut exported = Vec::new();
        for r in &f.registry {
            items.extend(registry(r, names));
            exported.push(r.name.clone());
            if r.value.iter().any(|v| v.request.is_some()) {
                items.extend(command_requests(r, names, module));
                exported.push(COMMAND_REQUEST.to_string());
            }
        }
        for fl in &f.flags {
            items.extend(flags(fl));
            exported.push(fl.name.clone());
        }
        for t in &f.text_enum {
            items.extend(text_enum_def(t));
            exported.push(t.name.clone());
        }
        for m in &f.map {
            items.extend(map(m, f, spec, names, module));
            exported.push(m.name.clone());
        }
        if !f.extension.is_empty() {
            items.extend(extensions(&f.extension));
            exported.push(EXTENSION_ID.to_string());
            exported.push("ExtensionShape".to_string());
            exported.push("EXTENSIONS".to_string());
        }
        let doc = vec![
            f.source.doc.clone(),
            String::new(),
            format!(
                "Generated from `spec/{file}` ({} {}, {}).",
                f.source.spec, f.source.version, f.source.section
            ),
        ];
        let text = format!("{}\n{}", preamble(file, f), render(items, &doc));
        out.insert(format!("{module}.rs"), text);
        mods.push((module.clone(), exported));
    }
    mods.sort();
    let mut items = TokenStream::new();
    for (m, _) in &mods {
        let m = ident(m);
        items.extend(quote!(pub mod #m;));
    }
    for (m, exported) in &mods {
        let m = ident(m);
        let e: Vec<Ident> = exported.iter().map(|x| format_ident!("{}", x)).collect();
        items.extend(quote!(pub use #m::{#(#e),*};));
    }
    let doc = vec![
        "CTAP 2.2 messages, registries and flags, generated from the tables in `spec/`."
            .to_string(),
        String::new(),
        "Each module is generated from one `spec/<module>.toml` file by `cargo xtask codegen`;"
            .to_string(),
        "edit the table, not the code. Behaviour on these types (defaults, helpers) is".to_string(),
        "hand-written in [`crate::ctap2`].".to_string(),
    ];
    let text = format!(
        "// @generated by `cargo xtask codegen` from spec/*.toml; do not edit.\n\n{}",
        render(items, &doc)
    );
    out.insert("mod.rs".to_string(), text);
    out
}

fn text_enum_def(t: &TextEnum) -> TokenStream {
    let values: Vec<TextValue<'_>> = t
        .value
        .iter()
        .map(|v| TextValue {
            name: &v.name,
            value: &v.value,
            since: &v.since,
            doc: v.doc.as_deref(),
            note: v.note.as_deref(),
        })
        .collect();
    text_enum(&t.name, &t.doc, &values)
}
