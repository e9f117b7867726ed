//! Opening the device named by `--device URI`, the touch prompt, and Ctrl-C.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use fido_authenticator::Config;
use fido_authenticator::virtual_device::VirtualAuthenticator;
use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::{
    CancelToken, CapabilityFlags, CtapDevice, DeviceOpener, DeviceUri, KeepaliveStatus, Timeouts,
    list_devices,
};

use crate::error::CliError;

/// The device options every command that talks to an authenticator takes.
#[derive(Debug, Clone, clap::Args)]
pub struct DeviceArgs {
    /// The authenticator: `hid:PATH`, `udp:HOST:PORT`, `virtual` (the built-in software
    /// authenticator), `replay:FILE` or `pcsc:READER` (a smart card in that PC/SC reader: its name or a unique part; needs the `pcsc` feature). Default: the first FIDO security key plugged in.
    #[arg(long, short = 'd', value_name = "URI")]
    pub device: Option<String>,
    /// With `--device virtual`: keep the software authenticator's state (PIN,
    /// credentials) in this file, so later commands see it.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Give up on the authenticator after this many milliseconds. For `register` and
    /// `authenticate` it is the options' `timeout` (the whole ceremony); elsewhere it
    /// bounds each request. Default: 60 s for a request that waits for a touch; 5 s for
    /// one that needs no user action (getInfo, PIN retries, ...).
    #[arg(long, value_name = "MS")]
    pub timeout: Option<u32>,
    /// Accept answers whose CBOR is not canonical (e.g. map keys sorted another way, as
    /// some authenticators send them). Default: strict, as python-fido2.
    #[arg(long)]
    pub lenient_cbor: bool,
}

impl DeviceArgs {
    /// Applies `--timeout`, if given, as the deadline of each request to `device`.
    pub fn apply_timeout(&self, device: &mut dyn CtapDevice) {
        if let Some(ms) = self.timeout {
            let timeouts = device.timeouts();
            device.set_timeouts(Timeouts {
                call: Duration::from_millis(u64::from(ms)),
                ..timeouts
            });
        }
    }

    /// The URI given, or the first HID device.
    pub fn uri(&self) -> Result<DeviceUri, CliError> {
        match &self.device {
            None => Ok(DeviceUri::FirstHid),
            Some(text) => text
                .parse()
                .map_err(|e| CliError::msg(format!("bad --device {text:?}: {e}"))),
        }
    }
}

/// Whether a request is waiting on the authenticator (Ctrl-C then cancels it rather than
/// ending the process).
static IN_FLIGHT: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler and returns the token it triggers. While a request is in
/// flight Ctrl-C sends CTAPHID CANCEL (through the token); otherwise, or on a second
/// Ctrl-C, the process ends with status 130.
pub fn install_ctrl_c() -> CancelToken {
    let cancel = CancelToken::new();
    let for_handler = cancel.clone();
    let installed = ctrlc::set_handler(move || {
        if IN_FLIGHT.load(Ordering::SeqCst) && !for_handler.is_cancelled() {
            for_handler.cancel();
        } else {
            eprintln!();
            std::process::exit(130);
        }
    });
    if let Err(e) = installed {
        eprintln!("fido: Ctrl-C will not cancel requests: {e}");
    }
    cancel
}

/// The spinner shown on a terminal while the authenticator waits for a touch; it runs
/// until the request in flight ends.
static SPINNER: Mutex<Option<JoinHandle<()>>> = Mutex::new(None);
/// Whether the spinner should keep turning.
static SPINNING: AtomicBool = AtomicBool::new(false);

/// Asks for a touch on stderr; on a terminal, a spinner turns below the message until
/// the request ends.
pub fn touch_prompt() {
    {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "Touch your authenticator to continue (Ctrl-C cancels)..."
        );
        let _ = err.flush();
    }
    if !std::io::stderr().is_terminal() || SPINNING.swap(true, Ordering::SeqCst) {
        return;
    }
    let handle = std::thread::spawn(|| {
        const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
        let mut frame = 0;
        while SPINNING.load(Ordering::SeqCst) {
            eprint!("\r{} waiting for a touch", FRAMES[frame % FRAMES.len()]);
            frame += 1;
            std::thread::sleep(Duration::from_millis(120));
        }
        // Clear the spinner's line.
        eprint!("\r\x1b[2K");
    });
    if let Ok(mut slot) = SPINNER.lock() {
        *slot = Some(handle);
    }
}

/// Stops the spinner, if one turns, and waits until its line is cleared.
fn stop_spinner() {
    SPINNING.store(false, Ordering::SeqCst);
    let handle = SPINNER.lock().ok().and_then(|mut slot| slot.take());
    if let Some(handle) = handle {
        let _ = handle.join();
    }
}

/// Prints the touch prompt when the authenticator waits for a touch (KEEPALIVE UPNEEDED).
fn keepalive_prompt() -> impl FnMut(KeepaliveStatus) + Send + 'static {
    move |status| {
        if status == KeepaliveStatus::UP_NEEDED {
            touch_prompt();
        }
    }
}

/// Opens the device at `uri` (with `state` as the virtual authenticator's state file).
pub fn open_device_uri(
    uri: &DeviceUri,
    state: Option<PathBuf>,
) -> Result<Box<dyn CtapDevice>, CliError> {
    let config = Config {
        state_file: state,
        ..Config::default()
    };
    let opener = DeviceOpener::new().with_virtual(Arc::new(VirtualAuthenticator::new(config)));
    Ok(opener.open(uri)?)
}

/// Opens the device at `uri` as a CTAP2 authenticator with the touch prompt and the
/// Ctrl-C token attached; `args` gives the state file, `--timeout` and `--lenient-cbor`
/// (`uri` may differ from its `--device`).
pub fn open_uri(
    uri: &DeviceUri,
    args: &DeviceArgs,
    cancel: &CancelToken,
) -> Result<Ctap2, CliError> {
    let mut device = open_device_uri(uri, args.state.clone())?;
    args.apply_timeout(&mut *device);
    if !device.capabilities().contains(CapabilityFlags::CBOR) {
        return Err(CliError::msg(
            "this authenticator speaks only CTAP1/U2F (no CTAP2): only `fido register`, \
             `fido authenticate` and `fido wink` work with it",
        ));
    }
    let mut ctap = if args.lenient_cbor {
        Ctap2::new_lenient(device)?
    } else {
        Ctap2::new(device)?
    };
    ctap.set_cancel_token(cancel.clone());
    ctap.set_keepalive_callback(keepalive_prompt());
    Ok(ctap)
}

fn check_state(args: &DeviceArgs) -> Result<(), CliError> {
    if args.state.is_some() && args.device.as_deref() != Some("virtual") {
        return Err(CliError::msg("--state applies only to --device virtual"));
    }
    Ok(())
}

/// Opens the device `args` names as a CTAP2 authenticator.
pub fn open(args: &DeviceArgs, cancel: &CancelToken) -> Result<Ctap2, CliError> {
    check_state(args)?;
    open_uri(&args.uri()?, args, cancel)
}

/// Opens the device `args` names, CTAP2 or CTAP1/U2F.
pub fn open_device(args: &DeviceArgs) -> Result<Box<dyn CtapDevice>, CliError> {
    check_state(args)?;
    open_device_uri(&args.uri()?, args.state.clone())
}

/// Whether any FIDO HID device is plugged in (false when enumeration is unavailable).
pub fn security_key_present() -> bool {
    list_devices().is_ok_and(|devices| !devices.is_empty())
}

/// Runs `f`, marking a request as in flight so that Ctrl-C cancels it.
pub fn in_flight<T>(f: impl FnOnce() -> T) -> T {
    IN_FLIGHT.store(true, Ordering::SeqCst);
    let out = f();
    IN_FLIGHT.store(false, Ordering::SeqCst);
    stop_spinner();
    out
}
