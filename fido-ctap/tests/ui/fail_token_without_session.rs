//! A token can only come from a session: its fields and constructor are private.
#![allow(unreachable_code)]
use core::marker::PhantomData;

use fido_ctap::perms;
use fido_ctap::pin::PinToken;

fn forge() -> PinToken<'static, perms![CredentialManagement]> {
    PinToken {
        core: panic!("no token without a session"),
        _permissions: PhantomData,
    }
}

fn main() {
    let _ = forge;
}
