//! A generic helper that needs credential management rejects a set without it.
use fido_ctap::perms;
use fido_ctap::pin::{CredentialManagement, Grants};

fn needs_cm<S: Grants<CredentialManagement>>() {}

fn main() {
    needs_cm::<perms![MakeCredential, GetAssertion, AuthenticatorConfig]>();
}
