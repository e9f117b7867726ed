//! The structured side of derive errors: the error kind and field path that travel with a
//! serde error on this thread, so that `DecodeError`/`EncodeError` can name the type, the
//! field and the key. Used by the derive's runtime support and the byte-string plumbing.

use std::cell::RefCell;

use serde::{de, ser};

use super::error::{DecodeErrorKind, EncodeErrorKind, FieldKey, PathSegment};

/// Longest path kept for an error; deeper segments are dropped.
const MAX_PATH: usize = 32;

/// The structured side of the error being propagated on this thread. serde errors can
/// only carry a message, so the kind and path travel here, tied to the error by its exact
/// message: a stale context (from an error someone caught and dropped) never matches.
struct Context<K> {
    message: String,
    kind: K,
    /// Innermost first.
    path: Vec<PathSegment>,
}

thread_local! {
    static DECODE: RefCell<Option<Context<DecodeErrorKind>>> = const { RefCell::new(None) };
    static ENCODE: RefCell<Option<Context<EncodeErrorKind>>> = const { RefCell::new(None) };
}

/// Takes the decode context if it belongs to the error whose message is `message`.
/// Returns the kind and the path outermost first.
pub(crate) fn take_decode_context(message: &str) -> Option<(DecodeErrorKind, Vec<PathSegment>)> {
    take(&DECODE, message)
}

/// Takes the encode context if it belongs to the error whose message is `message`.
pub(crate) fn take_encode_context(message: &str) -> Option<(EncodeErrorKind, Vec<PathSegment>)> {
    take(&ENCODE, message)
}

fn take<K: 'static>(
    key: &'static std::thread::LocalKey<RefCell<Option<Context<K>>>>,
    message: &str,
) -> Option<(K, Vec<PathSegment>)> {
    key.with(|cell| {
        let ctx = cell.borrow_mut().take()?;
        if ctx.message != message {
            return None;
        }
        let mut path = ctx.path;
        path.reverse();
        Some((ctx.kind, path))
    })
}

/// Records a new error of `kind` (with an optional first path segment) and returns its
/// message.
/// Records `kind` (with no field path yet) for the decode error whose message is `message`,
/// and returns the message.
pub(crate) fn start_decode(kind: DecodeErrorKind, message: String) -> String {
    start(&DECODE, kind, None, message)
}

fn start<K: 'static>(
    key: &'static std::thread::LocalKey<RefCell<Option<Context<K>>>>,
    kind: K,
    segment: Option<PathSegment>,
    message: String,
) -> String {
    key.with(|cell| {
        *cell.borrow_mut() = Some(Context {
            message: message.clone(),
            kind,
            path: segment.into_iter().collect(),
        });
    });
    message
}

/// Adds `segment` to the error whose message is `inner`, starting a new context with
/// `fresh_kind` if `inner` is not the error being tracked. Returns the new message.
fn wrap<K: 'static>(
    key: &'static std::thread::LocalKey<RefCell<Option<Context<K>>>>,
    inner: String,
    segment: PathSegment,
    fresh_kind: impl FnOnce(&str) -> K,
) -> String {
    key.with(|cell| {
        let mut slot = cell.borrow_mut();
        match slot.as_mut() {
            Some(ctx) if ctx.message == inner => {
                if ctx.path.len() < MAX_PATH {
                    ctx.path.push(segment);
                }
                ctx.message = format!("{segment} > {inner}");
                ctx.message.clone()
            }
            _ => {
                let message = format!("{segment}: {inner}");
                *slot = Some(Context {
                    message: message.clone(),
                    kind: fresh_kind(&inner),
                    path: vec![segment],
                });
                message
            }
        }
    })
}

fn segment(container: &'static str, field: &'static str, key: FieldKey) -> PathSegment {
    PathSegment {
        container,
        field,
        key,
    }
}

/// Wraps an error from decoding a field's value with the struct, field and key.
pub fn de_field_error<E: de::Error>(
    error: E,
    container: &'static str,
    field: &'static str,
    key: FieldKey,
) -> E {
    let message = wrap(
        &DECODE,
        error.to_string(),
        segment(container, field, key),
        |inner| DecodeErrorKind::Mismatch(inner.to_owned()),
    );
    E::custom(message)
}

/// The error for a required key that is absent.
pub fn missing_field<E: de::Error>(
    container: &'static str,
    field: &'static str,
    key: FieldKey,
) -> E {
    field_error(DecodeErrorKind::MissingField, container, field, key)
}

/// The error for a key that appears twice.
pub fn duplicate_field<E: de::Error>(
    container: &'static str,
    field: &'static str,
    key: FieldKey,
) -> E {
    field_error(DecodeErrorKind::DuplicateKey, container, field, key)
}

/// A decode error of `kind` about one field itself (not about its value).
fn field_error<E: de::Error>(
    kind: DecodeErrorKind,
    container: &'static str,
    field: &'static str,
    key: FieldKey,
) -> E {
    let segment = segment(container, field, key);
    let message = format!("{segment}: {kind}");
    E::custom(start(&DECODE, kind, Some(segment), message))
}

/// A decode error of a given kind raised by a helper type (e.g. a fixed-size byte string
/// of the wrong length); the enclosing field adds itself to the path.
pub fn decode_error<E: de::Error>(kind: DecodeErrorKind) -> E {
    let message = kind.to_string();
    E::custom(start(&DECODE, kind, None, message))
}

/// Wraps an error from encoding a field's value with the struct, field and key.
pub fn ser_field_error<E: ser::Error>(
    error: E,
    container: &'static str,
    field: &'static str,
    key: FieldKey,
) -> E {
    let message = wrap(
        &ENCODE,
        error.to_string(),
        segment(container, field, key),
        |inner| EncodeErrorKind::Unsupported(inner.to_owned()),
    );
    E::custom(message)
}
