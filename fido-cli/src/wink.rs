//! `fido wink`: CTAPHID WINK (the authenticator blinks or beeps).

use fido_ctap::device::{CancelToken, CtapDevice, CtaphidCommand};

use crate::device::{self, DeviceArgs};
use crate::error::CliError;

/// Options of `fido wink`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    device: DeviceArgs,
}

/// Runs `fido wink`.
pub fn run(args: Args, cancel: &CancelToken) -> Result<(), CliError> {
    let mut device = device::open_device(&args.device)?;
    args.device.apply_timeout(&mut *device);
    if !device
        .capabilities()
        .contains(fido_ctap::device::CapabilityFlags::WINK)
    {
        return Err(CliError::msg(
            "this authenticator cannot wink (no WINK capability)",
        ));
    }
    device.call(CtaphidCommand::WINK, &[], cancel, &mut |_| {})?;
    println!("Winked.");
    Ok(())
}
