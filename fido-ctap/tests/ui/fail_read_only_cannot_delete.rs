//! A read-only credential management token can enumerate but not delete.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::generated::PublicKeyCredentialDescriptor;
use fido_types::pin_protocol::Pin;

fn delete(session: &mut Session, pin: &Pin, id: PublicKeyCredentialDescriptor) -> Result<(), fido_ctap::error::Error> {
    let mut token = session.pin_token::<perms![PersistentCredentialManagementReadOnly]>(pin)?;
    token.enumerate_rps()?;
    token.delete_credential(id)?;
    Ok(())
}

fn main() {}
