//! A token cannot be copied.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::pin_protocol::Pin;

fn copy(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let token = session.pin_token::<perms![CredentialManagement]>(pin)?;
    let _copy = token.clone();
    Ok(())
}

fn main() {}
