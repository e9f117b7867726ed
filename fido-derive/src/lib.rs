//! Derive macros for fido-rs: canonical, integer- or string-keyed CTAP2 CBOR maps.
//!
//! `#[derive(CborMap)]` turns a struct with named fields into a CBOR map with explicit
//! keys, by generating `serde::Serialize` and `serde::Deserialize` impls that a CBOR
//! serializer drives directly (no intermediate `Value` tree). Use it through the
//! re-export `fido_types::cbor::CborMap`; the generated code names `::serde` and
//! `::fido_types::cbor::__private`.
//!
//! Field attributes:
//!
//! - `#[cbor(key = 0x01)]` or `#[cbor(key = "id")]`: the map key (required on every
//!   field except the `unknown` one). Keys are non-negative integers or strings, one kind
//!   per struct, declared in CTAP2 canonical order.
//! - `#[cbor(key = .., bytes)]`: encode the field (or the `T` in `Option<T>`) as a CBOR
//!   byte string. Implied for `Vec<u8>` and `[u8; N]`.
//! - `#[cbor(unknown)]`: a `fido_types::cbor::UnknownFields` field that keeps keys this
//!   struct does not know, and writes them back in canonical position.
//!
//! The struct may have lifetime parameters (the borrowed response views in
//! `fido_types::ctap2::views`: `&'a str`, `ByteView<'a>` fields); the `Deserialize` impl
//! then requires the input to outlive them. Type and const parameters are refused.
//!
//! The generated impls are plain serde, so any serializer can drive them;
//! `fido_types::cbor::to_vec` and `from_slice` drive them with the crate's own direct
//! canonical writer and one-pass strict reader (keys arrive in the declared, canonical
//! order, so the writer never re-sorts a derived map).
//!
//! The macro is split minicbor-derive style: [`attr`] parses attributes, [`keys`]
//! checks the key set, [`ser`] and [`de`] generate the two impls.

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

mod attr;
mod de;
mod keys;
mod ser;

/// Derives `serde::Serialize` and `serde::Deserialize` for a struct that is a CTAP2 CBOR
/// map with explicit keys. See the crate documentation for the attributes.
#[proc_macro_derive(CborMap, attributes(cbor))]
pub fn derive_cbor_map(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

fn expand(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let model = attr::parse_struct(input)?;
    keys::check(&model)?;
    let ser = ser::expand(&model);
    let de = de::expand(&model);
    Ok(quote::quote! {
        #ser
        #de
    })
}
