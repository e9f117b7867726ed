//! The authenticator a token lends cannot send ClientPIN (a new token, setPIN,
//! changePIN end the token).
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::generated::ClientPinRequest;
use fido_types::pin_protocol::Pin;

fn new_token(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
    token.ctap().client_pin(&ClientPinRequest::default())?;
    token.credentials_metadata()?;
    Ok(())
}

fn main() {}
