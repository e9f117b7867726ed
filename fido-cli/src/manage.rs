//! What `fido cred`, `fido bio`, `fido config` and `fido blob` share: the device, PIN and `--json`
//! options, and the PIN/UV session they open.

use fido_ctap::device::CancelToken;
use fido_ctap::pin::AnySession;
use fido_types::generated::InfoOption;
use fido_types::pin_protocol::Pin;

use crate::device::{self, DeviceArgs};
use crate::error::CliError;
use crate::prompt::PinSource;

/// The options every management verb takes.
#[derive(Debug, Clone, clap::Args)]
pub struct ManageArgs {
    #[command(flatten)]
    pub device: DeviceArgs,
    /// The PIN (default: asked for on the terminal).
    #[arg(long)]
    pub pin: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// A session on the authenticator's preferred protocol, and the PIN (asked for once).
///
/// # Errors
/// No PIN set (management needs a token), no common protocol, a transport error.
pub fn open(args: &ManageArgs, cancel: &CancelToken) -> Result<(AnySession, Pin), CliError> {
    let ctap = device::open(&args.device, cancel)?;
    if ctap.info().option(InfoOption::CLIENT_PIN) != Some(true) {
        return Err(CliError::msg(
            "no PIN is set: set one with `fido pin set` first",
        ));
    }
    let session = AnySession::new(ctap)?;
    let pin = PinSource::new(args.pin.clone()).get("PIN")?;
    Ok((session, pin))
}

/// Prints `value` as pretty JSON.
pub fn print_json(value: &serde_json::Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::msg(format!("JSON output: {e}")))?;
    println!("{text}");
    Ok(())
}

/// A CTAP-layer refusal (e.g. a missing capability) as a CLI error.
pub fn refused(e: fido_ctap::error::RequestError) -> CliError {
    fido_ctap::error::Error::from(e).into()
}
