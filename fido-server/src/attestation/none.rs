//! Format `none` (WebAuthn L3 §8.7): an empty statement.

use super::{AttestationType, Input, Outcome};
use crate::error::AttestationError;

pub(super) fn verify(input: &Input<'_>) -> Outcome {
    if input.stmt.is_empty() {
        Ok((AttestationType::None, Vec::new()))
    } else {
        Err(AttestationError::malformed(
            "none",
            "the statement is not empty",
        ))
    }
}
