//! Compile-time checks on the key set: one kind, no duplicates, CTAP2 canonical order.

use std::cmp::Ordering;

use crate::attr::{Key, KeyedField, Model};

/// CTAP2 canonical order of two keys of the same kind: integers ascending; strings shorter
/// first, then bytewise (CTAP 2.1, section 8 "Message Encoding", canonical CBOR).
pub(crate) fn canonical_cmp(a: &Key, b: &Key) -> Ordering {
    match (a, b) {
        (Key::Int(x), Key::Int(y)) => x.cmp(y),
        (Key::Text(x), Key::Text(y)) => x
            .len()
            .cmp(&y.len())
            .then_with(|| x.as_bytes().cmp(y.as_bytes())),
        (Key::Int(_), Key::Text(_)) => Ordering::Less,
        (Key::Text(_), Key::Int(_)) => Ordering::Greater,
    }
}

pub(crate) fn check(model: &Model) -> syn::Result<()> {
    // Duplicates first, so that `1, 2, 1` reports the duplicate rather than the order.
    for (i, field) in model.fields.iter().enumerate() {
        for earlier in &model.fields[..i] {
            if same_kind(earlier, field) && canonical_cmp(&earlier.key, &field.key).is_eq() {
                let ident = &field.ident;
                return Err(syn::Error::new_spanned(
                    ident,
                    format!(
                        "field `{ident}`: duplicate CBOR key {} (already used by field `{}`)",
                        field.key.describe(),
                        earlier.ident
                    ),
                ));
            }
        }
    }
    let mut previous: Option<&KeyedField> = None;
    for field in &model.fields {
        if let Some(prev) = previous {
            check_pair(prev, field)?;
        }
        previous = Some(field);
    }
    Ok(())
}

fn same_kind(a: &KeyedField, b: &KeyedField) -> bool {
    matches!(
        (&a.key, &b.key),
        (Key::Int(_), Key::Int(_)) | (Key::Text(_), Key::Text(_))
    )
}

fn check_pair(prev: &KeyedField, field: &KeyedField) -> syn::Result<()> {
    let ident = &field.ident;
    let prev_ident = &prev.ident;
    if !same_kind(prev, field) {
        return Err(syn::Error::new_spanned(
            ident,
            format!(
                "field `{ident}`: key {} mixes integer and string keys (field `{prev_ident}` has key {}); use one kind per struct",
                field.key.describe(),
                prev.key.describe()
            ),
        ));
    }
    match canonical_cmp(&prev.key, &field.key) {
        Ordering::Less => Ok(()),
        Ordering::Equal => Err(syn::Error::new_spanned(
            ident,
            format!(
                "field `{ident}`: duplicate CBOR key {} (already used by field `{prev_ident}`)",
                field.key.describe()
            ),
        )),
        Ordering::Greater => {
            let rule = match field.key {
                Key::Int(_) => "integer keys must be declared in ascending order",
                Key::Text(_) => {
                    "string keys must be declared in CTAP2 canonical order: shorter first, then bytewise"
                }
            };
            Err(syn::Error::new_spanned(
                ident,
                format!(
                    "field `{ident}`: key {} is out of canonical order after field `{prev_ident}` (key {}); {rule}",
                    field.key.describe(),
                    prev.key.describe()
                ),
            ))
        }
    }
}
