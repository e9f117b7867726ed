//! Acquiring a second token ends the first: the session is borrowed mutably by each.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::pin_protocol::Pin;

fn two(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let mut first = session.pin_token::<perms![CredentialManagement]>(pin)?;
    let _second = session.pin_token::<perms![AuthenticatorConfig]>(pin)?;
    first.credentials_metadata()?;
    Ok(())
}

fn main() {}
