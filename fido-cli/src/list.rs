//! `fido list`: the FIDO security keys plugged in.

use fido_ctap::device::list_devices;

use crate::error::CliError;
use crate::escape::escape;

/// Options of `fido list`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `fido list`.
pub fn run(_args: Args) -> Result<(), CliError> {
    let devices = list_devices()?;
    if devices.is_empty() {
        println!(
            "No FIDO security key found. (`--device virtual` is the built-in software authenticator.)"
        );
        return Ok(());
    }
    for d in devices {
        let ids = match (d.vendor_id, d.product_id) {
            (Some(v), Some(p)) => format!("{v:04x}:{p:04x}"),
            _ => "-".to_owned(),
        };
        let name = [d.manufacturer.as_deref(), d.product_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        println!("{}\t{ids}\t{}", escape(&d.uri.to_string()), escape(&name));
    }
    Ok(())
}
