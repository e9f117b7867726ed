//! setMinPINLength may end the token (forced PIN change), so it consumes the
//! configurator and the token it owns.
use fido_ctap::capability::ConfigSupport;
use fido_ctap::manage::{Configurator, MinPinLength};
use fido_ctap::perms;
use fido_ctap::pin::PinToken;

fn configure(token: PinToken<'_, perms![AuthenticatorConfig]>, proof: ConfigSupport) {
    let mut config = Configurator::new(token, proof);
    let _ = config.set_min_pin_length(&MinPinLength::default());
    let _ = config.toggle_always_uv();
}

fn main() {}
