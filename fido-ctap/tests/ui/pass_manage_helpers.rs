//! The helpers with their proofs and enough permissions compile, by value or by
//! reference.
use fido_ctap::capability::{BioEnrollSupport, ConfigSupport, CredMgmtSupport};
use fido_ctap::manage::{BioEnroller, Configurator, CredentialManager};
use fido_ctap::perms;
use fido_ctap::pin::{PersistentToken, Session};
use fido_types::pin_protocol::Pin;

fn all(session: &mut Session, pin: &Pin, kept: &PersistentToken) -> Result<(), fido_ctap::error::Error> {
    let info = session.ctap().info().clone();
    let cm = CredMgmtSupport::check(&info)?;
    {
        let mut token = session.resume(kept)?;
        CredentialManager::new(&mut token, &cm).rps()?;
    }
    let mut token = session.pin_token::<perms![CredentialManagement, BioEnrollment]>(pin)?;
    CredentialManager::new(&mut token, cm).metadata()?;
    BioEnroller::new(&mut token, BioEnrollSupport::check(&info)?).enrollments()?;
    drop(token);
    let token = session.pin_token::<perms![AuthenticatorConfig]>(pin)?;
    let mut config = Configurator::new(token, ConfigSupport::check(&info)?);
    config.toggle_always_uv()?;
    let mut token = config.into_token();
    token.ctap().get_info()?;
    Ok(())
}

fn main() {}
