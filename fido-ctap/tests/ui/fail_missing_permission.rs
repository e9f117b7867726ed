//! A token acquired for large-blob writes cannot change the authenticator's configuration.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::pin_protocol::Pin;

fn configure(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let mut token = session.pin_token::<perms![LargeBlobWrite]>(pin)?;
    token.toggle_always_uv()
}

fn main() {}
