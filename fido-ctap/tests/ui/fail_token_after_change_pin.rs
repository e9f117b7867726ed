//! Changing the PIN ends every token.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::pin_protocol::Pin;

fn change(session: &mut Session, pin: &Pin, new: &Pin) -> Result<(), fido_ctap::error::Error> {
    let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
    session.change_pin(pin, new)?;
    token.credentials_metadata()?;
    Ok(())
}

fn main() {}
