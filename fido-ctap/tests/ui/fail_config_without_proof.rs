//! A config helper needs the getInfo proof, not the getInfo answer itself.
use fido_ctap::manage::Configurator;
use fido_ctap::perms;
use fido_ctap::pin::PinToken;
use fido_types::generated::Info;

fn configure(token: PinToken<'_, perms![AuthenticatorConfig]>, info: &Info) {
    let _config = Configurator::new(token, info);
}

fn main() {}
