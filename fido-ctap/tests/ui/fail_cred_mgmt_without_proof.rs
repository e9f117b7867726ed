//! A credential management helper needs the getInfo proof, not a bool.
use fido_ctap::manage::CredentialManager;
use fido_ctap::perms;
use fido_ctap::pin::PinToken;

fn manage(token: &mut PinToken<'_, perms![CredentialManagement]>) {
    let supported = true;
    let _manager = CredentialManager::new(token, supported);
}

fn main() {}
