//! Reading authenticator extension outputs: the CBOR value an extension expects, or
//! [`ExtensionError::InvalidOutput`].

use fido_types::cbor::Value;

use super::error::ExtensionError;

/// A boolean output.
///
/// # Errors
/// [`ExtensionError::InvalidOutput`] for any other value.
pub fn as_bool(extension: &str, value: &Value) -> Result<bool, ExtensionError> {
    match value {
        Value::Bool(b) => Ok(*b),
        _ => Err(ExtensionError::invalid_output(extension, "not a boolean")),
    }
}

/// A byte-string output.
///
/// # Errors
/// [`ExtensionError::InvalidOutput`] for any other value.
pub fn as_bytes<'v>(extension: &str, value: &'v Value) -> Result<&'v [u8], ExtensionError> {
    match value {
        Value::Bytes(b) => Ok(b),
        _ => Err(ExtensionError::invalid_output(
            extension,
            "not a byte string",
        )),
    }
}

/// An unsigned integer output.
///
/// # Errors
/// [`ExtensionError::InvalidOutput`] for any other value.
pub fn as_u64(extension: &str, value: &Value) -> Result<u64, ExtensionError> {
    match value {
        Value::Integer(n) => u64::try_from(*n)
            .map_err(|_| ExtensionError::invalid_output(extension, "a negative integer")),
        _ => Err(ExtensionError::invalid_output(extension, "not an integer")),
    }
}
