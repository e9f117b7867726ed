//! Generation of the `serde::Deserialize` impl: a map visitor that matches keys, checks
//! for duplicates and missing required keys, and skips or collects unknown keys. Errors
//! from a field are wrapped with the struct, field and key (see `__private::de_field_error`).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::attr::{Key, KeyedField, Model};
use crate::ser::field_key;

pub(crate) fn expand(model: &Model) -> TokenStream {
    let name = &model.name;
    let name_str = name.to_string();
    let private = quote!(::fido_types::cbor::__private);
    let expecting = format!("a CBOR map ({name_str})");
    let vars: Vec<Ident> = model
        .fields
        .iter()
        .map(|f| format_ident!("__field_{}", f.ident))
        .collect();

    let decls = model.fields.iter().zip(&vars).map(|(f, var)| {
        let ty = f.value_ty();
        if f.option_inner.is_some() {
            // Outer Option: seen or not; inner Option: `null` is accepted as absent.
            quote!(let mut #var: ::core::option::Option<::core::option::Option<#ty>> = ::core::option::Option::None;)
        } else {
            quote!(let mut #var: ::core::option::Option<#ty> = ::core::option::Option::None;)
        }
    });

    let is_text = matches!(model.fields.first().map(|f| &f.key), Some(Key::Text(_)));
    let scrutinee = if is_text {
        quote!(__key.as_text())
    } else {
        quote!(__key.as_int())
    };
    let arms = model
        .fields
        .iter()
        .zip(&vars)
        .map(|(f, var)| arm(f, var, &name_str));
    let unknown_decl = model
        .unknown
        .as_ref()
        .map(|_| quote!(let mut __unknown = ::fido_types::cbor::UnknownFields::new();));
    let unknown_arm = if model.unknown.is_some() {
        quote! {
            _ => {
                let __value = ::serde::de::MapAccess::next_value::<#private::Value>(&mut __map)?;
                #private::insert_unknown::<__A::Error>(&mut __unknown, __key, __value, #name_str)?;
            }
        }
    } else {
        quote! {
            _ => {
                ::serde::de::MapAccess::next_value::<::serde::de::IgnoredAny>(&mut __map)?;
            }
        }
    };
    let finish = model.fields.iter().zip(&vars).map(|(f, var)| {
        let ident = &f.ident;
        if f.option_inner.is_some() {
            quote!(#ident: ::core::option::Option::flatten(#var),)
        } else {
            let field_name = ident.to_string();
            let key = field_key(&f.key);
            quote! {
                #ident: match #var {
                    ::core::option::Option::Some(__v) => __v,
                    ::core::option::Option::None => {
                        return ::core::result::Result::Err(
                            #private::missing_field::<__A::Error>(#name_str, #field_name, #key),
                        );
                    }
                },
            }
        }
    });
    let unknown_finish = model.unknown.as_ref().map(|u| quote!(#u: __unknown,));

    // Lifetime parameters (borrowed views): the input outlives each of them.
    let lifetimes: Vec<&syn::Lifetime> = model.generics.lifetimes().map(|l| &l.lifetime).collect();
    let bounds = if lifetimes.is_empty() {
        quote!()
    } else {
        quote!(: #(#lifetimes)+*)
    };
    let params = quote!(<'de #bounds, #(#lifetimes),*>);
    let ty = quote!(#name<#(#lifetimes),*>);
    let phantom = quote!(::core::marker::PhantomData<fn() -> #ty>);
    quote! {
        #[automatically_derived]
        impl #params ::serde::Deserialize<'de> for #ty {
            fn deserialize<__D>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: ::serde::Deserializer<'de>,
            {
                struct __Visitor<#(#lifetimes),*>(#phantom);
                impl #params ::serde::de::Visitor<'de> for __Visitor<#(#lifetimes),*> {
                    type Value = #ty;
                    fn expecting(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        __f.write_str(#expecting)
                    }
                    fn visit_map<__A>(self, mut __map: __A) -> ::core::result::Result<#ty, __A::Error>
                    where
                        __A: ::serde::de::MapAccess<'de>,
                    {
                        #(#decls)*
                        #unknown_decl
                        while let ::core::option::Option::Some(__key) =
                            ::serde::de::MapAccess::next_key::<#private::MapKey<'de>>(&mut __map)?
                        {
                            match #scrutinee {
                                #(#arms)*
                                #unknown_arm
                            }
                        }
                        ::core::result::Result::Ok(#name {
                            #(#finish)*
                            #unknown_finish
                        })
                    }
                }
                ::serde::Deserializer::deserialize_map(
                    __deserializer,
                    __Visitor(::core::marker::PhantomData),
                )
            }
        }
    }
}

fn arm(f: &KeyedField, var: &Ident, name: &str) -> TokenStream {
    let private = quote!(::fido_types::cbor::__private);
    let field_name = f.ident.to_string();
    let key = field_key(&f.key);
    let pattern = match &f.key {
        Key::Int(n) => {
            let n = Literal::u64_suffixed(*n);
            quote!(::core::option::Option::Some(#n))
        }
        Key::Text(s) => quote!(::core::option::Option::Some(#s)),
    };
    let ty = f.value_ty();
    let (de_ty, unwrap) = if f.bytes {
        (quote!(#private::DeBytes<#ty>), quote!(.0))
    } else {
        (quote!(#ty), quote!())
    };
    let on_error = quote!(|__e| #private::de_field_error(__e, #name, #field_name, #key));
    let map_unwrap = if f.bytes {
        quote!(.map(|__v| __v.0))
    } else {
        quote!()
    };
    let read = if f.option_inner.is_some() {
        quote! {
            ::serde::de::MapAccess::next_value::<::core::option::Option<#de_ty>>(&mut __map)
                .map_err(#on_error)?
                #map_unwrap
        }
    } else {
        quote! {
            ::serde::de::MapAccess::next_value::<#de_ty>(&mut __map).map_err(#on_error)? #unwrap
        }
    };
    quote! {
        #pattern => {
            if ::core::option::Option::is_some(&#var) {
                return ::core::result::Result::Err(
                    #private::duplicate_field::<__A::Error>(#name, #field_name, #key),
                );
            }
            #var = ::core::option::Option::Some(#read);
        }
    }
}
