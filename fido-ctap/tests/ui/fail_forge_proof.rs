//! Only the getInfo check builds a proof: its fields are private.
use fido_ctap::capability::{CredMgmtSupport, Variant};

fn main() {
    let _forged = CredMgmtSupport {
        variant: Variant::Standard,
        persistent_read_only: true,
    };
}
