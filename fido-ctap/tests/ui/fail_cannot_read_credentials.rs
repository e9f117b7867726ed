//! Reading credentials needs `CredentialManagement` or its read-only variant.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::pin_protocol::Pin;

fn read(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let mut token = session.pin_token::<perms![AuthenticatorConfig, BioEnrollment]>(pin)?;
    token.enumerate_rps()?;
    Ok(())
}

fn main() {}
