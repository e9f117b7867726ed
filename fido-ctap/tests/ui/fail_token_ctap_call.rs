//! The authenticator a token lends has no generic sender through which a reset or a
//! ClientPIN request could go.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::generated::ClientPinRequest;
use fido_types::pin_protocol::Pin;

fn call(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
    token.ctap().call(&ClientPinRequest::default())?;
    token.ctap().send_cbor(0x07, &())?;
    token.ctap().device_mut();
    token.credentials_metadata()?;
    Ok(())
}

fn main() {}
