//! `fido list`: the FIDO security keys plugged in, and the PC/SC readers holding a FIDO
//! card (with the `pcsc` feature).

use fido_ctap::device::{DeviceDescriptor, TransportError, list_devices, list_pcsc_devices};

use crate::error::CliError;
use crate::escape::escape;

/// Options of `fido list`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `fido list`.
pub fn run(_args: Args) -> Result<(), CliError> {
    let mut devices = list_devices()?;
    devices.extend(pcsc_devices());
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

/// The PC/SC readers holding a FIDO card; none when this build has no PC/SC or no
/// resource manager (pcscd) runs; other PC/SC errors are reported on stderr.
fn pcsc_devices() -> Vec<DeviceDescriptor> {
    match list_pcsc_devices() {
        Ok(devices) => devices,
        Err(TransportError::NotAvailable { .. } | TransportError::NoDevice) => Vec::new(),
        Err(e) => {
            eprintln!("fido list: PC/SC readers not listed: {e}");
            Vec::new()
        }
    }
}
