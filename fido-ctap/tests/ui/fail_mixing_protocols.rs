//! A protocol-2 session hands out protocol-2 tokens, whose parameters are protocol-2
//! parameters: they cannot stand in for protocol one.
use fido_ctap::perms;
use fido_ctap::pin::{AuthParam, PinToken, Session};
use fido_types::pin_protocol::{Pin, ProtocolOne, ProtocolTwo};

fn send_v1(_param: AuthParam<ProtocolOne>) {}

fn mixed(session: &mut Session<Box<dyn fido_ctap::device::CtapDevice>, ProtocolTwo>, pin: &Pin) -> Result<(), fido_ctap::error::Error> {
    let token = session.pin_token_for_rp::<perms![GetAssertion]>(pin, "example.com")?;
    send_v1(token.get_assertion_auth("example.com", &[0; 32])?);
    let _v1: PinToken<'_, perms![GetAssertion], ProtocolOne> = token;
    Ok(())
}

fn main() {}
