//! A makeCredential token needs a permissions RP ID: `pin_token` refuses the set at
//! compile time, `pin_token_for_rp` is the way.
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::pin_protocol::Pin;

fn mc(session: &mut Session, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let _token = session.pin_token::<perms![MakeCredential]>(pin)?;
    Ok(())
}

fn main() {}
