//! `fido config always-uv | min-pin | enterprise-attestation`: authenticatorConfig
//! (libfido2's `fido2-token -S -u`, `-S -m`, `-S -a`).

use fido_ctap::capability::ConfigSupport;
use fido_ctap::device::{CancelToken, CtapDevice};
use fido_ctap::manage::{Configurator, MinPinLength};
use fido_ctap::perms;
use fido_ctap::pin::{AnySession, Session};
use fido_types::pin_protocol::{Pin, PinProtocol};
use serde_json::json;

use crate::device::in_flight;
use crate::error::CliError;
use crate::manage::{self, ManageArgs, print_json, refused};

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    /// Turn it on.
    On,
    /// Turn it off.
    Off,
}

/// On (enterprise attestation cannot be turned off but by a reset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnlyOn {
    /// Turn it on.
    On,
}

/// The `fido config` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Require user verification for every operation (alwaysUv), or stop requiring it.
    AlwaysUv {
        #[command(flatten)]
        args: ManageArgs,
        /// on or off.
        #[arg(value_name = "on|off")]
        switch: Switch,
    },
    /// Raise the minimum PIN length (setMinPINLength).
    MinPin {
        #[command(flatten)]
        args: ManageArgs,
        /// The new minimum, in Unicode code points.
        length: u64,
        /// An RP ID allowed to read the minimum PIN length (minPinLength extension);
        /// repeatable.
        #[arg(long = "rp-id")]
        rp_ids: Vec<String>,
        /// Require a PIN change before the next use.
        #[arg(long)]
        force_change: bool,
    },
    /// Enable enterprise attestation.
    EnterpriseAttestation {
        #[command(flatten)]
        args: ManageArgs,
        /// on.
        #[arg(value_name = "on")]
        switch: OnlyOn,
    },
}

/// What a verb does with the session, whatever its protocol.
enum Verb {
    AlwaysUv(bool),
    MinPin(MinPinLength),
    EnterpriseAttestation,
}

/// Runs `fido config ...`.
pub fn run(command: Command, cancel: &CancelToken) -> Result<(), CliError> {
    let (args, verb) = match command {
        Command::AlwaysUv { args, switch } => (args, Verb::AlwaysUv(switch == Switch::On)),
        Command::MinPin {
            args,
            length,
            rp_ids,
            force_change,
        } => (
            args,
            Verb::MinPin(MinPinLength {
                length: Some(length),
                rp_ids,
                force_change,
            }),
        ),
        Command::EnterpriseAttestation { args, switch: _ } => (args, Verb::EnterpriseAttestation),
    };
    let (session, pin) = manage::open(&args, cancel)?;
    let (text, json) = match session {
        AnySession::One(mut s) => in_flight(|| verb_on(&mut s, &pin, verb))?,
        AnySession::Two(mut s) => in_flight(|| verb_on(&mut s, &pin, verb))?,
    };
    if args.json {
        print_json(&json)
    } else {
        println!("{text}");
        Ok(())
    }
}

fn verb_on<P: PinProtocol>(
    session: &mut Session<Box<dyn CtapDevice>, P>,
    pin: &Pin,
    verb: Verb,
) -> Result<(String, serde_json::Value), CliError> {
    let support = ConfigSupport::check(session.ctap().info()).map_err(refused)?;
    let token = session.pin_token::<perms![AuthenticatorConfig]>(pin)?;
    let mut config = Configurator::new(token, support);
    Ok(match verb {
        Verb::AlwaysUv(on) => {
            let changed = config.set_always_uv(on)?;
            let state = if on { "on" } else { "off" };
            let text = if changed {
                format!("alwaysUv is now {state}.")
            } else {
                format!("alwaysUv was already {state}.")
            };
            (text, json!({ "alwaysUv": on, "changed": changed }))
        }
        Verb::MinPin(params) => {
            let json = json!({
                "minPinLength": params.length,
                "rpIds": params.rp_ids,
                "forceChangePin": params.force_change,
            });
            config.set_min_pin_length(&params)?;
            ("Minimum PIN length set.".to_owned(), json)
        }
        Verb::EnterpriseAttestation => {
            config.enable_enterprise_attestation()?;
            (
                "Enterprise attestation enabled.".to_owned(),
                json!({ "enterpriseAttestation": true }),
            )
        }
    })
}
