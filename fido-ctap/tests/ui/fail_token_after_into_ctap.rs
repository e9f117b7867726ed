//! Ending the session (to reset through the bare authenticator) ends its tokens.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::pin_protocol::Pin;

fn end(mut session: Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
    let mut ctap = session.into_ctap();
    ctap.reset()?;
    token.credentials_metadata()?;
    Ok(())
}

fn main() {}
