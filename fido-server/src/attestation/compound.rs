//! Format `compound` (WebAuthn L3 §8.9): an array of at least two `{fmt, attStmt}`
//! statements, each verified with its own format's procedure against the same
//! authenticator data and client data hash; valid only if every one is. A compound
//! statement inside a compound statement is refused.

use fido_types::generated::webauthn::AttestationFormat;
use fido_types::webauthn::{AttestationStatement, CompoundMember};

use super::VerifiedAttestation;
use crate::error::AttestationError;

const FORMAT: &str = "compound";

/// Verifies each member of `stmt` with `verify_member`, returning their results in order;
/// the first failing member's error is wrapped with its index and format.
pub(super) fn verify(
    stmt: &AttestationStatement,
    verify_member: impl Fn(&CompoundMember) -> Result<VerifiedAttestation, AttestationError>,
) -> Result<Vec<VerifiedAttestation>, AttestationError> {
    let members = stmt
        .compound_members()
        .ok_or_else(|| AttestationError::malformed(FORMAT, "attStmt is not an array"))?;
    if members.len() < 2 {
        return Err(AttestationError::CompoundTooFew {
            count: members.len(),
        });
    }
    members
        .iter()
        .enumerate()
        .map(|(index, member)| {
            if member.fmt == AttestationFormat::COMPOUND.as_str() {
                return Err(AttestationError::NestedCompound { member: index });
            }
            verify_member(member).map_err(|e| AttestationError::CompoundMember {
                member: index,
                fmt: member.fmt.clone(),
                source: Box::new(e),
            })
        })
        .collect()
}
