//! `fido authenticate`: navigator.credentials.get() from the command line.

use std::path::PathBuf;

use fido_ctap::device::CancelToken;
use fido_types::webauthn::{
    AuthenticationResponse, Base64UrlBytes, PublicKeyCredentialDescriptor,
    PublicKeyCredentialRequestOptions,
};

use crate::ceremony::Client;
use crate::device::{self, DeviceArgs};
use crate::error::CliError;
use crate::prompt::PinSource;
use crate::register::{b64_arg, origin, random, read_options, uv_requirement};

/// Options of `fido authenticate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    device: DeviceArgs,
    /// The origin of the calling page, e.g. `https://example.com`.
    #[arg(long)]
    origin: Option<String>,
    /// The options as WebAuthn L3 JSON (PublicKeyCredentialRequestOptionsJSON, bare or
    /// under `publicKey`), e.g. from a relying party's `authenticate_begin`. Flags below
    /// override its members.
    #[arg(long, value_name = "FILE")]
    options: Option<PathBuf>,
    /// The RP ID (default: the origin's host).
    #[arg(long)]
    rp_id: Option<String>,
    /// The challenge, base64url (default: 32 random bytes).
    #[arg(long)]
    challenge: Option<String>,
    /// A credential ID (base64url) the RP accepts; repeatable. None: discoverable
    /// credentials.
    #[arg(long, value_name = "ID")]
    credential: Vec<String>,
    /// User verification: required, preferred (default), discouraged.
    #[arg(long, value_parser = ["required", "preferred", "discouraged"])]
    user_verification: Option<String>,
    /// Give up after this many milliseconds (the options' `timeout`).
    #[arg(long, value_name = "MS")]
    timeout: Option<u32>,
    /// The PIN (default: asked for on the terminal when needed).
    #[arg(long)]
    pin: Option<String>,
    /// Print exactly the AuthenticationResponseJSON on stdout.
    #[arg(long)]
    json: bool,
}

fn build_options(args: &Args) -> Result<PublicKeyCredentialRequestOptions, CliError> {
    let mut options = match &args.options {
        Some(path) => read_options::<PublicKeyCredentialRequestOptions>(path)?,
        None => {
            PublicKeyCredentialRequestOptions::new(Base64UrlBytes::new(random::<32>()?.to_vec()))
        }
    };
    if let Some(id) = &args.rp_id {
        options.rp_id = Some(id.clone());
    }
    if let Some(ms) = args.timeout {
        options.timeout = Some(ms);
    }
    if let Some(text) = &args.challenge {
        options.challenge = Base64UrlBytes::new(b64_arg("challenge", text)?);
    }
    if let Some(uv) = &args.user_verification {
        options.user_verification = Some(uv_requirement(uv));
    }
    for id in &args.credential {
        options
            .allow_credentials
            .push(PublicKeyCredentialDescriptor::public_key(b64_arg(
                "credential",
                id,
            )?));
    }
    Ok(options)
}

/// Prints a readable account of an authentication on stdout.
pub fn print_summary(credential: &AuthenticationResponse) {
    let response = credential.response();
    println!("Credential ID:   {}", credential.id());
    println!(
        "Flags:           {:?}",
        response.authenticator_data().flags()
    );
    println!(
        "Sign count:      {}",
        response.authenticator_data().sign_count()
    );
    if let Some(user) = response.user_handle() {
        println!(
            "User handle:     {}",
            Base64UrlBytes::from(user).to_base64url()
        );
    }
    println!("Signature:       {} bytes", response.signature().len());
    println!(
        "User verified:   {}",
        if response.authenticator_data().flags().user_verified() {
            "yes"
        } else {
            "no"
        }
    );
}

/// Runs `fido authenticate`.
pub fn run(args: Args, cancel: &CancelToken) -> Result<(), CliError> {
    let options = build_options(&args)?;
    let origin = origin(args.origin.as_ref(), options.rp_id.as_ref())?;
    let device = device::open_device(&args.device)?;
    let mut client = Client::new(device, &origin, PinSource::new(args.pin), cancel)?;
    let credential = client.authenticate(&options)?;
    if args.json {
        println!("{}", credential.to_json());
    } else {
        print_summary(&credential);
    }
    Ok(())
}
