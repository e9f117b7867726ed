//! The attestation statement's members, read by name with the format's errors.

use std::collections::BTreeMap;

use fido_types::cbor::Value;
use fido_types::cose::CoseAlgorithm;
use fido_types::webauthn::AttestationStatement;

use crate::error::AttestationError;

/// An attestation statement (`attStmt`) as a map from member name to CBOR value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    members: BTreeMap<String, Value>,
}

impl Statement {
    /// The text-keyed members of a decoded statement.
    pub fn from_attestation(stmt: &AttestationStatement) -> Self {
        Self {
            members: stmt
                .to_str_map()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// Whether the statement has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Whether the member `name` is present.
    pub fn has(&self, name: &str) -> bool {
        self.members.contains_key(name)
    }

    /// The byte string member `name`.
    pub(crate) fn bytes(
        &self,
        format: &'static str,
        name: &str,
    ) -> Result<&[u8], AttestationError> {
        match self.members.get(name) {
            Some(Value::Bytes(b)) => Ok(b),
            Some(_) => Err(AttestationError::malformed(
                format,
                format!("{name} is not a byte string"),
            )),
            None => Err(AttestationError::malformed(
                format,
                format!("{name} is missing"),
            )),
        }
    }

    /// The text member `name`.
    pub(crate) fn text(&self, format: &'static str, name: &str) -> Result<&str, AttestationError> {
        match self.members.get(name) {
            Some(Value::Text(t)) => Ok(t),
            Some(_) => Err(AttestationError::malformed(
                format,
                format!("{name} is not text"),
            )),
            None => Err(AttestationError::malformed(
                format,
                format!("{name} is missing"),
            )),
        }
    }

    /// The `alg` member.
    pub(crate) fn alg(&self, format: &'static str) -> Result<CoseAlgorithm, AttestationError> {
        match self.members.get("alg") {
            Some(Value::Integer(i)) => i64::try_from(*i)
                .map(CoseAlgorithm)
                .map_err(|_| AttestationError::malformed(format, "alg is out of range")),
            Some(_) => Err(AttestationError::malformed(format, "alg is not an integer")),
            None => Err(AttestationError::malformed(format, "alg is missing")),
        }
    }

    /// The `x5c` member: a non-empty array of DER certificates, or `None` when absent.
    pub(crate) fn x5c(&self, format: &'static str) -> Result<Option<Vec<&[u8]>>, AttestationError> {
        match self.members.get("x5c") {
            None => Ok(None),
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|v| match v {
                    Value::Bytes(b) => Ok(b.as_slice()),
                    _ => Err(AttestationError::malformed(
                        format,
                        "x5c holds a non-byte-string",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(AttestationError::malformed(
                format,
                "x5c is not a non-empty array",
            )),
        }
    }

    /// The `x5c` member, required.
    pub(crate) fn required_x5c(
        &self,
        format: &'static str,
    ) -> Result<Vec<&[u8]>, AttestationError> {
        self.x5c(format)?
            .ok_or_else(|| AttestationError::malformed(format, "x5c is missing"))
    }
}

/// The trust path: the statement's certificates, owned.
pub(crate) fn owned(x5c: &[&[u8]]) -> Vec<Vec<u8>> {
    x5c.iter().map(|c| c.to_vec()).collect()
}
