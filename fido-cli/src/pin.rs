//! `fido pin set | change | retries`.

use fido_ctap::device::CancelToken;
use fido_ctap::pin::AnySession;
use fido_types::generated::InfoOption;
use fido_types::pin_protocol::Pin;

use crate::device::{self, DeviceArgs, in_flight};
use crate::error::CliError;
use crate::prompt::{self, PinArgs, PinSource};

/// The `fido pin` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Set the first PIN of an authenticator that has none.
    Set {
        #[command(flatten)]
        device: DeviceArgs,
        /// The new PIN (default: asked for twice on the terminal). Visible to other
        /// users of this machine while fido runs: prefer the prompt.
        #[arg(long)]
        new_pin: Option<String>,
    },
    /// Change the PIN.
    Change {
        #[command(flatten)]
        device: DeviceArgs,
        /// The current PIN (`--pin`, `--pin-file` or `FIDO_PIN`; default: asked for on
        /// the terminal).
        #[command(flatten)]
        pin: PinArgs,
        /// The new PIN (default: asked for twice on the terminal). Visible to other
        /// users of this machine while fido runs: prefer the prompt.
        #[arg(long)]
        new_pin: Option<String>,
    },
    /// Show how many PIN (and built-in UV) attempts are left.
    Retries {
        #[command(flatten)]
        device: DeviceArgs,
    },
}

/// Applies `$body` to the session whatever its protocol.
macro_rules! with_session {
    ($session:expr, $s:ident => $body:expr) => {
        match $session {
            AnySession::One($s) => $body,
            AnySession::Two($s) => $body,
        }
    };
}

fn session(args: &DeviceArgs, cancel: &CancelToken) -> Result<AnySession, CliError> {
    let ctap = device::open(args, cancel)?;
    if !ctap.info().has_option(InfoOption::CLIENT_PIN) {
        return Err(CliError::msg("this authenticator does not support a PIN"));
    }
    Ok(AnySession::new(ctap)?)
}

fn new_pin(given: Option<String>) -> Result<Pin, CliError> {
    if let Some(text) = given {
        return Ok(Pin::new(&text)?);
    }
    let first = prompt::read("New PIN")?;
    let second = prompt::read("New PIN again")?;
    if first.pin_hash() != second.pin_hash() {
        return Err(CliError::msg("the two PINs differ"));
    }
    Ok(first)
}

/// Runs `fido pin ...`.
pub fn run(command: Command, cancel: &CancelToken) -> Result<(), CliError> {
    match command {
        Command::Set {
            device,
            new_pin: given,
        } => {
            let mut session = session(&device, cancel)?;
            let info = with_session!(&mut session, s => s.ctap().info().clone());
            if info.option(InfoOption::CLIENT_PIN) == Some(true) {
                return Err(CliError::msg("a PIN is already set: use `fido pin change`"));
            }
            let pin = new_pin(given)?;
            in_flight(|| with_session!(&mut session, s => s.set_pin(&pin)))?;
            println!("PIN set.");
        }
        Command::Change {
            device,
            pin,
            new_pin: given,
        } => {
            let mut session = session(&device, cancel)?;
            let old = PinSource::from_args(&pin)?.get("Current PIN")?;
            let new = new_pin(given)?;
            in_flight(|| with_session!(&mut session, s => s.change_pin(&old, &new)))?;
            println!("PIN changed.");
        }
        Command::Retries { device } => {
            let mut session = session(&device, cancel)?;
            let info = with_session!(&mut session, s => s.ctap().info().clone());
            if info.option(InfoOption::CLIENT_PIN) != Some(true) {
                println!("No PIN is set.");
            } else {
                let retries = in_flight(|| with_session!(&mut session, s => s.get_pin_retries()))?;
                println!("PIN retries: {}", retries.retries);
                if retries.power_cycle_needed == Some(true) {
                    println!("Unplug and replug the authenticator before the next PIN attempt.");
                }
            }
            if info.has_option(InfoOption::UV) {
                let uv = in_flight(|| with_session!(&mut session, s => s.get_uv_retries()))?;
                println!("UV retries: {}", uv.retries);
            }
        }
    }
    Ok(())
}
