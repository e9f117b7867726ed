//! The session's own authenticator cannot reset while a token lives.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::pin_protocol::Pin;

fn reset(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
    session.ctap_mut().reset()?;
    token.credentials_metadata()?;
    Ok(())
}

fn main() {}
