//! Parsing of the `#[cbor(..)]` attributes into a model of the struct.

use syn::{Data, DeriveInput, Expr, ExprLit, ExprUnary, Fields, Ident, Lit, Type, UnOp};

/// The struct being derived, as the other modules see it.
pub(crate) struct Model {
    pub(crate) name: Ident,
    /// Lifetime parameters only (borrowed views); types and consts are refused.
    pub(crate) generics: syn::Generics,
    pub(crate) fields: Vec<KeyedField>,
    pub(crate) unknown: Option<Ident>,
}

/// A map key as written in the attribute.
#[derive(Clone)]
pub(crate) enum Key {
    Int(u64),
    Text(String),
}

impl Key {
    /// How the key is shown in messages: hex for integers (as in the CTAP spec tables).
    pub(crate) fn describe(&self) -> String {
        match self {
            Key::Int(n) => format!("0x{n:02x}"),
            Key::Text(s) => format!("{s:?}"),
        }
    }
}

/// A field with a key.
pub(crate) struct KeyedField {
    pub(crate) ident: Ident,
    pub(crate) key: Key,
    /// `Some(inner)` when the field type is `Option<inner>`.
    pub(crate) option_inner: Option<Type>,
    pub(crate) ty: Type,
    /// Travels as a CBOR byte string (explicit `bytes`, or `Vec<u8>` / `[u8; N]`).
    pub(crate) bytes: bool,
}

impl KeyedField {
    /// The type that is actually encoded: the `T` of `Option<T>`, or the field type.
    pub(crate) fn value_ty(&self) -> &Type {
        self.option_inner.as_ref().unwrap_or(&self.ty)
    }
}

pub(crate) fn parse_struct(input: &DeriveInput) -> syn::Result<Model> {
    if input
        .generics
        .params
        .iter()
        .any(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
    {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "CborMap does not support generic structs (lifetime parameters only)",
        ));
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "CborMap can only be derived for structs with named fields",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "CborMap can only be derived for structs with named fields",
        ));
    };
    let mut fields = Vec::new();
    let mut unknown: Option<Ident> = None;
    for field in &named.named {
        let ident = field.ident.clone().expect("named fields have identifiers");
        let parsed = parse_field_attrs(field)?;
        if parsed.unknown {
            if parsed.key.is_some() || parsed.bytes {
                return Err(syn::Error::new_spanned(
                    &ident,
                    format!("field `{ident}`: `unknown` cannot be combined with `key` or `bytes`"),
                ));
            }
            if let Some(first) = &unknown {
                return Err(syn::Error::new_spanned(
                    &ident,
                    format!(
                        "field `{ident}`: only one `#[cbor(unknown)]` field is allowed (`{first}` is one already)"
                    ),
                ));
            }
            unknown = Some(ident);
            continue;
        }
        let Some(key) = parsed.key else {
            return Err(syn::Error::new_spanned(
                &ident,
                format!(
                    "field `{ident}` has no CBOR key: add `#[cbor(key = ..)]` (an integer or string literal) or `#[cbor(unknown)]`"
                ),
            ));
        };
        let option_inner = option_inner(&field.ty);
        let value_ty = option_inner.as_ref().unwrap_or(&field.ty);
        let bytes = parsed.bytes || is_byte_type(value_ty);
        fields.push(KeyedField {
            ident,
            key,
            option_inner,
            ty: field.ty.clone(),
            bytes,
        });
    }
    Ok(Model {
        name: input.ident.clone(),
        generics: input.generics.clone(),
        fields,
        unknown,
    })
}

struct FieldAttrs {
    key: Option<Key>,
    bytes: bool,
    unknown: bool,
}

fn parse_field_attrs(field: &syn::Field) -> syn::Result<FieldAttrs> {
    let ident = field.ident.as_ref().expect("named field");
    let mut out = FieldAttrs {
        key: None,
        bytes: false,
        unknown: false,
    };
    for attr in &field.attrs {
        if !attr.path().is_ident("cbor") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("key") {
                let expr: Expr = meta.value()?.parse()?;
                if out.key.is_some() {
                    return Err(syn::Error::new_spanned(
                        ident,
                        format!("field `{ident}` has more than one CBOR key"),
                    ));
                }
                out.key = Some(parse_key(ident, &expr)?);
                Ok(())
            } else if meta.path.is_ident("bytes") {
                out.bytes = true;
                Ok(())
            } else if meta.path.is_ident("unknown") {
                out.unknown = true;
                Ok(())
            } else {
                Err(meta.error(format!(
                    "field `{ident}`: unknown cbor attribute (expected `key = ..`, `bytes` or `unknown`)"
                )))
            }
        })?;
    }
    Ok(out)
}

fn parse_key(ident: &Ident, expr: &Expr) -> syn::Result<Key> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => {
            let value = int.base10_parse::<u64>().map_err(|_| {
                syn::Error::new_spanned(
                    ident,
                    format!("field `{ident}`: the CBOR key must fit in a u64"),
                )
            })?;
            Ok(Key::Int(value))
        }
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(Key::Text(s.value())),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_), ..
        }) => Err(syn::Error::new_spanned(
            ident,
            format!(
                "field `{ident}`: negative CBOR key `{}` is not allowed (CTAP2 message keys are non-negative)",
                quote::quote!(#expr).to_string().replace(' ', "")
            ),
        )),
        _ => Err(syn::Error::new_spanned(
            ident,
            format!("field `{ident}`: the CBOR key must be an integer or string literal"),
        )),
    }
}

/// `Option<T>` (also spelled `std::option::Option<T>` / `core::option::Option<T>`) -> `T`.
fn option_inner(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    if args.args.len() != 1 {
        return None;
    }
    match args.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner.clone()),
        _ => None,
    }
}

/// `Vec<u8>` or `[u8; N]`.
fn is_byte_type(ty: &Type) -> bool {
    match ty {
        Type::Array(array) => is_u8(&array.elem),
        Type::Path(path) => {
            let Some(last) = path.path.segments.last() else {
                return false;
            };
            if last.ident != "Vec" {
                return false;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return false;
            };
            matches!(args.args.first(), Some(syn::GenericArgument::Type(t)) if args.args.len() == 1 && is_u8(t))
        }
        _ => false,
    }
}

fn is_u8(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident("u8"))
}
