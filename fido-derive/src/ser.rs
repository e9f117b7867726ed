//! Generation of the `serde::Serialize` impl: a definite-length map, keys in the declared
//! (canonical) order, `None` fields omitted, unknown fields merged back in canonical place.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::attr::{Key, KeyedField, Model};

/// `::fido_types::cbor::FieldKey::..` for a key, as used by the runtime helpers.
pub(crate) fn field_key(key: &Key) -> TokenStream {
    match key {
        Key::Int(n) => {
            let n = Literal::u64_suffixed(*n);
            quote!(::fido_types::cbor::FieldKey::Int(#n))
        }
        Key::Text(s) => quote!(::fido_types::cbor::FieldKey::Text(#s)),
    }
}

/// The key as a literal to serialize: `1u64` or `"id"`.
fn key_literal(key: &Key) -> TokenStream {
    match key {
        Key::Int(n) => {
            let n = Literal::u64_suffixed(*n);
            quote!(#n)
        }
        Key::Text(s) => quote!(#s),
    }
}

pub(crate) fn expand(model: &Model) -> TokenStream {
    let name = &model.name;
    let name_str = name.to_string();
    let private = quote!(::fido_types::cbor::__private);

    let counts = model.fields.iter().map(|f| {
        let ident = &f.ident;
        if f.option_inner.is_some() {
            quote!(+ (::core::option::Option::is_some(&self.#ident) as usize))
        } else {
            quote!(+ 1usize)
        }
    });
    let unknown_count = model
        .unknown
        .as_ref()
        .map(|u| quote!(+ ::fido_types::cbor::UnknownFields::len(&self.#u)));
    let unknown_init = model
        .unknown
        .as_ref()
        .map(|u| quote!(let mut __unknown = #private::UnknownCursor::new(&self.#u);));
    let unknown_rest = model
        .unknown
        .as_ref()
        .map(|_| quote!(__unknown.emit_rest(&mut __map)?;));

    let entries = model.fields.iter().map(|f| {
        let emit_unknown = model.unknown.as_ref().map(|_| {
            let key = field_key(&f.key);
            quote!(__unknown.emit_before(&mut __map, #key)?;)
        });
        let entry = entry(f, &name_str);
        quote! {
            #emit_unknown
            #entry
        }
    });

    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::serde::Serialize for #name #ty_generics #where_clause {
            fn serialize<__S>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: ::serde::Serializer,
            {
                use ::serde::ser::SerializeMap as _;
                let __len: usize = 0usize #(#counts)* #unknown_count;
                let mut __map = ::serde::Serializer::serialize_map(
                    __serializer,
                    ::core::option::Option::Some(__len),
                )?;
                #unknown_init
                #(#entries)*
                #unknown_rest
                __map.end()
            }
        }
    }
}

fn entry(f: &KeyedField, name: &str) -> TokenStream {
    let private = quote!(::fido_types::cbor::__private);
    let ident = &f.ident;
    let field_name = ident.to_string();
    let key_lit = key_literal(&f.key);
    let key = field_key(&f.key);
    let wrap = |value: TokenStream| {
        if f.bytes {
            quote!(&#private::SerBytes(#private::ByteField::as_byte_slice(#value)))
        } else {
            value
        }
    };
    let on_error = quote!(|__e| #private::ser_field_error(__e, #name, #field_name, #key));
    if f.option_inner.is_some() {
        let value = wrap(quote!(__value));
        quote! {
            if let ::core::option::Option::Some(__value) = &self.#ident {
                __map.serialize_entry(&#key_lit, #value).map_err(#on_error)?;
            }
        }
    } else {
        let value = wrap(quote!(&self.#ident));
        quote! {
            __map.serialize_entry(&#key_lit, #value).map_err(#on_error)?;
        }
    }
}
