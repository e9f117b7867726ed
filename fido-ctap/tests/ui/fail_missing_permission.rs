//! A token acquired for large-blob writes cannot manage credentials.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::pin_protocol::Pin;

fn list(session: &mut Session, pin: &Pin) -> Result<u32, fido_ctap::error::Error> {
    let mut token = session.pin_token::<perms![LargeBlobWrite]>(pin)?;
    Ok(token.credentials_metadata()?.existing)
}

fn main() {}
