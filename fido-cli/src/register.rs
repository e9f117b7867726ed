//! `fido register`: navigator.credentials.create() from the command line.

use std::path::PathBuf;

use fido_ctap::device::CancelToken;
use fido_types::cose::CoseAlgorithm;
use fido_types::webauthn::{
    AttestationConveyancePreference, AuthenticatorSelectionCriteria, Base64UrlBytes,
    PublicKeyCredentialCreationOptions, PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters, PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity,
    RegistrationResponse, ResidentKeyRequirement, UserVerificationRequirement, base64url,
};

use crate::ceremony::{self, Client};
use crate::device::{self, DeviceArgs};
use crate::error::CliError;
use crate::prompt::PinSource;

/// Options of `fido register`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    device: DeviceArgs,
    /// The origin of the calling page, e.g. `https://example.com`.
    #[arg(long)]
    origin: Option<String>,
    /// The options as WebAuthn L3 JSON (PublicKeyCredentialCreationOptionsJSON, bare or
    /// under `publicKey`), e.g. from a relying party's `register_begin`. Flags below
    /// override its members.
    #[arg(long, value_name = "FILE")]
    options: Option<PathBuf>,
    /// The RP ID (default: the origin's host).
    #[arg(long)]
    rp_id: Option<String>,
    /// The RP name (default: the RP ID).
    #[arg(long)]
    rp_name: Option<String>,
    /// The challenge, base64url (default: 32 random bytes).
    #[arg(long)]
    challenge: Option<String>,
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
    /// User verification: required, preferred (default), discouraged.
    #[arg(long, value_parser = ["required", "preferred", "discouraged"])]
    user_verification: Option<String>,
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
    /// Give up after this many milliseconds (the options' `timeout`).
    #[arg(long, value_name = "MS")]
    timeout: Option<u32>,
    /// The PIN (default: asked for on the terminal when needed).
    #[arg(long)]
    pin: Option<String>,
    /// Print exactly the RegistrationResponseJSON on stdout.
    #[arg(long)]
    json: bool,
}

/// Random bytes from the system generator.
pub fn random<const N: usize>() -> Result<[u8; N], CliError> {
    use ring::rand::SecureRandom;
    let mut out = [0u8; N];
    ring::rand::SystemRandom::new()
        .fill(&mut out)
        .map_err(|_| CliError::msg("the system random generator failed"))?;
    Ok(out)
}

/// Decodes a base64url argument.
pub fn b64_arg(name: &str, text: &str) -> Result<Vec<u8>, CliError> {
    base64url::decode(text).map_err(|e| CliError::msg(format!("--{name} is not base64url: {e}")))
}

/// Reads an options file: the dictionary itself, or wrapped in `{"publicKey": ...}`.
pub fn read_options<T: serde::de::DeserializeOwned>(path: &PathBuf) -> Result<T, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::msg(format!("cannot read {}: {e}", path.display())))?;
    let mut value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| CliError::msg(format!("{} is not JSON: {e}", path.display())))?;
    if let Some(inner) = value.get_mut("publicKey") {
        value = inner.take();
    }
    serde_json::from_value(value).map_err(|e| {
        CliError::msg(format!(
            "{} is not WebAuthn L3 options JSON: {e}",
            path.display()
        ))
    })
}

/// Parses a requirement string given by a value parser.
pub fn uv_requirement(text: &str) -> UserVerificationRequirement {
    text.parse()
        .unwrap_or(UserVerificationRequirement::PREFERRED)
}

/// The origin: `--origin`, or `https://` + the RP ID.
pub fn origin(given: Option<&String>, rp_id: Option<&String>) -> Result<String, CliError> {
    match (given, rp_id) {
        (Some(origin), _) => Ok(origin.clone()),
        (None, Some(rp_id)) => Ok(format!("https://{rp_id}")),
        (None, None) => Err(CliError::msg(
            "pass --origin (or --rp-id, or an --options file with rp.id)",
        )),
    }
}

fn build_options(args: &Args) -> Result<PublicKeyCredentialCreationOptions, CliError> {
    let mut options = match &args.options {
        Some(path) => read_options::<PublicKeyCredentialCreationOptions>(path)?,
        None => {
            let rp_id = match (&args.rp_id, &args.origin) {
                (Some(id), _) => id.clone(),
                (None, Some(origin)) => ceremony::origin_host(origin)?,
                (None, None) => return Err(CliError::msg("pass --origin or --rp-id")),
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
    if let Some(id) = &args.rp_id {
        options.rp.id = Some(id.clone());
    }
    if let Some(name) = &args.rp_name {
        options.rp.name = name.clone();
    }
    if let Some(ms) = args.timeout {
        options.timeout = Some(ms);
    }
    if let Some(text) = &args.challenge {
        options.challenge = Base64UrlBytes::new(b64_arg("challenge", text)?);
    }
    if args.resident_key.is_some() || args.user_verification.is_some() {
        let mut selection: AuthenticatorSelectionCriteria =
            options.authenticator_selection.clone().unwrap_or_default();
        if let Some(rk) = &args.resident_key {
            selection.resident_key = rk.parse::<ResidentKeyRequirement>().ok();
        }
        if let Some(uv) = &args.user_verification {
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
    Ok(options)
}

/// Prints a readable account of a registration on stdout.
pub fn print_summary(credential: &RegistrationResponse) {
    let response = credential.response();
    let auth_data = response.authenticator_data();
    println!("Credential ID:   {}", credential.id());
    println!("Algorithm:       {:?}", response.public_key_algorithm());
    println!("Attestation:     {}", response.attestation_object().fmt());
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
}

/// Runs `fido register`.
pub fn run(args: Args, cancel: &CancelToken) -> Result<(), CliError> {
    let options = build_options(&args)?;
    let origin = origin(args.origin.as_ref(), options.rp.id.as_ref())?;
    let device = device::open_device(&args.device)?;
    let mut client = Client::new(device, &origin, PinSource::new(args.pin), cancel)?;
    let credential = client.register(&options)?;
    if args.json {
        println!("{}", credential.to_json());
    } else {
        print_summary(&credential);
    }
    Ok(())
}
