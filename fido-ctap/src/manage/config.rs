//! authenticatorConfig: python-fido2's `Config`, each subcommand refused before sending
//! when the proof says getInfo rules it out.

use fido_types::generated::{ConfigParams, ConfigSubCommand, InfoOption};
use fido_types::pin_protocol::PinProtocol;

use crate::capability::{ConfigSupport, ProvesConfig};
use crate::device::CtapDevice;
use crate::error::{RequestError, Result};
use crate::pin::{AuthenticatorConfig, Permits, PinToken};

/// setMinPINLength's parameters (CTAP 2.1 §6.11.4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MinPinLength {
    /// newMinPINLength; `None` keeps the current one.
    pub length: Option<u64>,
    /// minPinLengthRPIDs: RP IDs that may read the minimum PIN length.
    pub rp_ids: Vec<String>,
    /// forceChangePin: require a PIN change before the next use.
    pub force_change: bool,
}

/// authenticatorConfig through a token, with the proof that the authenticator has it.
///
/// The configurator owns its token because one of its operations ends it:
/// setMinPINLength invalidates every token when it forces a PIN change (asked for, or
/// because the current PIN is shorter than the new minimum, which the client cannot
/// see), so [`set_min_pin_length`](Self::set_min_pin_length) consumes the configurator
/// and the token with it:
///
/// ```compile_fail
/// # use fido_ctap::{perms, pin::PinToken, capability::ConfigSupport};
/// # use fido_ctap::manage::{Configurator, MinPinLength};
/// # fn f(token: PinToken<'_, perms![AuthenticatorConfig]>, proof: ConfigSupport) {
/// let mut config = Configurator::new(token, proof);
/// config.set_min_pin_length(&MinPinLength::default());
/// config.toggle_always_uv(); // use of moved value: `config`
/// # }
/// ```
#[derive(Debug)]
pub struct Configurator<'s, S, P: PinProtocol, D: CtapDevice> {
    token: PinToken<'s, S, P, D>,
    support: ConfigSupport,
}

impl<'s, S, P: PinProtocol, D: CtapDevice> Configurator<'s, S, P, D>
where
    S: Permits<AuthenticatorConfig>,
{
    /// A configurator owning `token`, given the proof from
    /// [`ConfigSupport::check`](crate::capability::ConfigSupport::check).
    pub fn new(token: PinToken<'s, S, P, D>, proof: impl ProvesConfig) -> Self {
        Configurator {
            token,
            support: proof.proof(),
        }
    }

    /// Gives the token back (for operations that do not end it).
    pub fn into_token(self) -> PinToken<'s, S, P, D> {
        self.token
    }

    /// The proof the configurator was built with.
    pub fn support(&self) -> &ConfigSupport {
        &self.support
    }

    /// enableEnterpriseAttestation.
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] before sending without `ep` in getInfo; otherwise as
    /// [`PinToken::config`].
    pub fn enable_enterprise_attestation(&mut self) -> Result<()> {
        if !self.support.enterprise_attestation() {
            return Err(
                RequestError::Unsupported("enterprise attestation (no `ep` option)").into(),
            );
        }
        self.token
            .config(ConfigSubCommand::ENABLE_ENTERPRISE_ATTESTATION, None)
    }

    /// toggleAlwaysUv.
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] before sending without `alwaysUv` in getInfo;
    /// otherwise as [`PinToken::config`].
    pub fn toggle_always_uv(&mut self) -> Result<()> {
        if !self.support.always_uv() {
            return Err(RequestError::Unsupported("toggleAlwaysUv (no `alwaysUv` option)").into());
        }
        self.token.toggle_always_uv()
    }

    /// Sets alwaysUv to `on`: reads getInfo afresh and toggles only if it differs.
    /// Returns whether it toggled.
    ///
    /// # Errors
    /// As [`toggle_always_uv`](Self::toggle_always_uv) and
    /// [`Ctap2::get_info`](crate::ctap2::Ctap2::get_info).
    pub fn set_always_uv(&mut self, on: bool) -> Result<bool> {
        let current = self
            .token
            .ctap()
            .get_info()?
            .supports_option(InfoOption::ALWAYS_UV);
        if current == on {
            return Ok(false);
        }
        self.toggle_always_uv()?;
        Ok(true)
    }

    /// setMinPINLength. Consumes the configurator and its token: the authenticator
    /// invalidates tokens when this forces a PIN change.
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] before sending without `setMinPINLength` in getInfo;
    /// otherwise as [`PinToken::config`] (a length below the current one is
    /// `PIN_POLICY_VIOLATION`).
    pub fn set_min_pin_length(mut self, params: &MinPinLength) -> Result<()> {
        if !self.support.set_min_pin_length() {
            return Err(RequestError::Unsupported("setMinPINLength").into());
        }
        let params = ConfigParams {
            new_min_pin_length: params.length,
            min_pin_length_rpids: (!params.rp_ids.is_empty()).then(|| params.rp_ids.clone()),
            force_change_pin: params.force_change.then_some(true),
            ..ConfigParams::default()
        };
        self.token
            .config(ConfigSubCommand::SET_MIN_PIN_LENGTH, Some(params))
    }

    /// vendorPrototype with `vendor_command_id` (CTAP 2.1 §6.11.5).
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] before sending unless getInfo lists the ID in
    /// vendorPrototypeConfigCommands; otherwise as [`PinToken::config`].
    pub fn vendor_prototype(&mut self, vendor_command_id: u64) -> Result<()> {
        if !self.support.vendor_commands().contains(&vendor_command_id) {
            return Err(RequestError::Unsupported(
                "this vendorCommandId (not in vendorPrototypeConfigCommands)",
            )
            .into());
        }
        // vendorCommandId travels at key 0x01, the slot `new_min_pin_length` names (see
        // spec/config.toml, ConfigParams).
        let params = ConfigParams {
            new_min_pin_length: Some(vendor_command_id),
            ..ConfigParams::default()
        };
        self.token
            .config(ConfigSubCommand::VENDOR_PROTOTYPE, Some(params))
    }
}
