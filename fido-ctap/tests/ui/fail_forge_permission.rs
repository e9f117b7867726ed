//! A new permission cannot be invented outside fido-ctap either.
use fido_ctap::pin::Permission;

#[derive(Debug, Clone, Copy, Default)]
struct Everything;

impl Permission for Everything {
    const BIT: u32 = 0x7f;
    const NAME: &'static str = "Everything";
    const ABBREVIATION: &'static str = "all";
    const NEEDS_RP_ID: bool = false;
}

fn main() {}
