//! `fido authenticate`: navigator.credentials.get() from the command line.

use std::path::PathBuf;

use fido_ctap::device::CancelToken;
use fido_types::webauthn::{
    AuthenticationResponse, Base64UrlBytes, PublicKeyCredentialDescriptor,
    PublicKeyCredentialRequestOptions,
};

use crate::ceremony::Client;
use crate::device;
use crate::error::CliError;
use crate::options::{
    CeremonyArgs, b64_arg, extension_lines, random, read_options, uv_requirement,
};
use crate::prompt::PinSource;

/// Options of `fido authenticate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: CeremonyArgs,
    /// The options as WebAuthn L3 JSON (PublicKeyCredentialRequestOptionsJSON, bare or
    /// under `publicKey`), e.g. from a relying party's `authenticate_begin`. The other
    /// options given override its members.
    #[arg(long, value_name = "FILE")]
    options: Option<PathBuf>,
    /// A credential ID (base64url) the RP accepts; repeatable. None: discoverable
    /// credentials.
    #[arg(long, value_name = "ID")]
    credential: Vec<String>,
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
    if let Some(id) = &args.common.rp_id {
        options.rp_id = Some(id.clone());
    }
    if let Some(ms) = args.common.timeout() {
        options.timeout = Some(ms);
    }
    if let Some(challenge) = args.common.challenge()? {
        options.challenge = Base64UrlBytes::new(challenge);
    }
    if let Some(uv) = &args.common.user_verification {
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
    options.extensions = args.common.apply_prf(options.extensions.take())?;
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
    for line in extension_lines(credential.client_extension_results()) {
        println!("{line}");
    }
}

/// Runs `fido authenticate`.
pub fn run(args: Args, cancel: &CancelToken) -> Result<(), CliError> {
    let options = build_options(&args)?;
    let pin = PinSource::from_args(&args.common.pin)?;
    let device = device::open_device(&args.common.device)?;
    let lenient = args.common.device.lenient_cbor;
    let mut client = Client::new(device, &args.common.origin, pin, cancel, lenient)?;
    let credential = client.authenticate(&options)?;
    if args.json {
        println!("{}", credential.to_json());
    } else {
        print_summary(&credential);
    }
    Ok(())
}
