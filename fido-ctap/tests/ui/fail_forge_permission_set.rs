//! A permission set cannot be forged outside fido-ctap: the traits are sealed.
use fido_ctap::pin::{CredentialManagement, Grants, PermissionSet};

struct Everything;

impl PermissionSet for Everything {
    const BITS: u32 = 0x7f;
    const NEEDS_RP_ID: bool = false;
}

impl Grants<CredentialManagement> for Everything {}

fn main() {}
