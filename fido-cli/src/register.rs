//! `fido register`: navigator.credentials.create() from the command line.

use std::path::PathBuf;

use fido_ctap::device::CancelToken;
use fido_types::cose::CoseAlgorithm;
use fido_types::webauthn::{
    AttestationConveyancePreference, AuthenticatorSelectionCriteria, Base64UrlBytes,
    PublicKeyCredentialCreationOptions, PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters, PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity,
    RegistrationResponse, ResidentKeyRequirement,
};

use crate::ceremony::{self, Client};
use crate::device;
use crate::error::CliError;
use crate::escape::escape;
use crate::options::{
    CeremonyArgs, b64_arg, extension_lines, random, read_options, uv_requirement,
};
use crate::prompt::PinSource;

/// Options of `fido register`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: CeremonyArgs,
    /// The options as WebAuthn L3 JSON (PublicKeyCredentialCreationOptionsJSON, bare or
    /// under `publicKey`), e.g. from a relying party's `register_begin`. The other
    /// options given override its members.
    #[arg(long, value_name = "FILE")]
    options: Option<PathBuf>,
    /// The RP name (default: the RP ID).
    #[arg(long)]
    rp_name: Option<String>,
    /// The user name.
    #[arg(long, default_value = "user")]
    user_name: String,
    /// The user's display name (default: the user name).
    #[arg(long)]
    display_name: Option<String>,
    /// The user handle, base64url (default: 16 random bytes).
    #[arg(long)]
    user_id: Option<String>,
    /// Make a discoverable credential (resident key): required, preferred, discouraged.
    #[arg(long, value_parser = ["required", "preferred", "discouraged"])]
    resident_key: Option<String>,
    /// Attestation conveyance: none (the WebAuthn default: anything but a self attestation
    /// is replaced by format "none"), indirect, direct, enterprise.
    #[arg(long, value_parser = ["none", "indirect", "direct", "enterprise"])]
    attestation: Option<String>,
    /// Ask for the credProps extension (whether the credential is discoverable).
    #[arg(long)]
    cred_props: bool,
    /// A credential ID (base64url) the authenticator must not already hold; repeatable.
    #[arg(long, value_name = "ID")]
    exclude: Vec<String>,
    /// Print exactly the RegistrationResponseJSON on stdout.
    #[arg(long)]
    json: bool,
}

fn build_options(args: &Args) -> Result<PublicKeyCredentialCreationOptions, CliError> {
    let mut options = match &args.options {
        Some(path) => read_options::<PublicKeyCredentialCreationOptions>(path)?,
        None => {
            let rp_id = match &args.common.rp_id {
                Some(id) => id.clone(),
                None => ceremony::origin_host(&args.common.origin)?,
            };
            let user_id = match &args.user_id {
                Some(text) => b64_arg("user-id", text)?,
                None => random::<16>()?.to_vec(),
            };
            PublicKeyCredentialCreationOptions::new(
                PublicKeyCredentialRpEntity::new(
                    Some(rp_id.clone()),
                    args.rp_name.clone().unwrap_or(rp_id),
                ),
                PublicKeyCredentialUserEntity::new(
                    user_id,
                    args.user_name.clone(),
                    args.display_name.clone().unwrap_or(args.user_name.clone()),
                ),
                Base64UrlBytes::new(random::<32>()?.to_vec()),
                vec![
                    PublicKeyCredentialParameters::public_key(CoseAlgorithm::ES256),
                    PublicKeyCredentialParameters::public_key(CoseAlgorithm::EDDSA),
                ],
            )
        }
    };
    if let Some(id) = &args.common.rp_id {
        options.rp.id = Some(id.clone());
    }
    if let Some(name) = &args.rp_name {
        options.rp.name = name.clone();
    }
    if let Some(ms) = args.common.timeout() {
        options.timeout = Some(ms);
    }
    if let Some(challenge) = args.common.challenge()? {
        options.challenge = Base64UrlBytes::new(challenge);
    }
    if args.resident_key.is_some() || args.common.user_verification.is_some() {
        let mut selection: AuthenticatorSelectionCriteria =
            options.authenticator_selection.clone().unwrap_or_default();
        if let Some(rk) = &args.resident_key {
            selection.resident_key = rk.parse::<ResidentKeyRequirement>().ok();
        }
        if let Some(uv) = &args.common.user_verification {
            selection.user_verification = Some(uv_requirement(uv));
        }
        options.authenticator_selection = Some(selection);
    }
    if let Some(text) = &args.attestation {
        options.attestation = text.parse::<AttestationConveyancePreference>().ok();
    }
    if args.cred_props {
        let mut extensions = options.extensions.clone().unwrap_or_default();
        extensions.cred_props = Some(true);
        options.extensions = Some(extensions);
    }
    for id in &args.exclude {
        options
            .exclude_credentials
            .push(PublicKeyCredentialDescriptor::public_key(b64_arg(
                "exclude", id,
            )?));
    }
    options.extensions = args.common.apply_prf(options.extensions.take())?;
    Ok(options)
}

/// Prints a readable account of a registration on stdout.
pub fn print_summary(credential: &RegistrationResponse) {
    let response = credential.response();
    let auth_data = response.authenticator_data();
    println!("Credential ID:   {}", credential.id());
    println!("Algorithm:       {:?}", response.public_key_algorithm());
    println!(
        "Attestation:     {}",
        escape(response.attestation_object().fmt())
    );
    println!("Flags:           {:?}", auth_data.flags());
    println!("Sign count:      {}", auth_data.sign_count());
    println!(
        "User verified:   {}",
        if auth_data.flags().user_verified() {
            "yes"
        } else {
            "no"
        }
    );
    for line in extension_lines(credential.client_extension_results()) {
        println!("{line}");
    }
}

/// Runs `fido register`.
pub fn run(args: Args, cancel: &CancelToken) -> Result<(), CliError> {
    let options = build_options(&args)?;
    let pin = PinSource::from_args(&args.common.pin)?;
    let device = device::open_device(&args.common.device)?;
    let lenient = args.common.device.lenient_cbor;
    let mut client = Client::new(device, &args.common.origin, pin, cancel, lenient)?;
    let credential = client.register(&options)?;
    if args.json {
        println!("{}", credential.to_json());
    } else {
        print_summary(&credential);
    }
    Ok(())
}
