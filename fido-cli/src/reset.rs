//! `fido reset`: authenticatorReset.

use std::io::BufRead;

use fido_ctap::device::CancelToken;

use crate::device::{self, DeviceArgs, in_flight};
use crate::error::CliError;

/// Options of `fido reset`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    device: DeviceArgs,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    yes: bool,
}

/// Runs `fido reset`.
pub fn run(args: Args, cancel: &CancelToken) -> Result<(), CliError> {
    if !args.yes {
        eprint!(
            "This erases every credential and the PIN on the authenticator. Type YES to go on: "
        );
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if line.trim() != "YES" {
            return Err(CliError::msg("not confirmed; nothing was reset"));
        }
    }
    let mut ctap = device::open(&args.device, cancel)?;
    eprintln!("Reset needs a touch within seconds of plugging the key in.");
    in_flight(|| ctap.reset())?;
    println!("The authenticator was reset: no credentials, no PIN.");
    Ok(())
}
