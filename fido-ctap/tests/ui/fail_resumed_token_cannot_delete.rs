//! A resumed persistent token reads credentials and nothing more.
use fido_ctap::capability::CredMgmtSupport;
use fido_ctap::manage::CredentialManager;
use fido_ctap::pin::{PersistentToken, Session};
use fido_types::generated::PublicKeyCredentialDescriptor;

fn delete(
    session: &mut Session,
    kept: &PersistentToken,
    proof: CredMgmtSupport,
    id: PublicKeyCredentialDescriptor,
) -> Result<(), fido_ctap::error::Error> {
    let mut token = session.resume(kept)?;
    let mut manager = CredentialManager::new(&mut token, proof);
    manager.metadata()?;
    manager.delete(id)?;
    Ok(())
}

fn main() {}
