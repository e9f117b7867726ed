//! What `fido register` and `fido authenticate` share: the command-line options common to
//! both ceremonies and the helpers that turn arguments into WebAuthn options.

use std::path::PathBuf;

use fido_types::webauthn::{UserVerificationRequirement, base64url};

use crate::device::DeviceArgs;
use crate::error::CliError;
use crate::prompt::PinArgs;

/// Options common to `fido register` and `fido authenticate`.
#[derive(Debug, clap::Args)]
pub struct CeremonyArgs {
    /// Which authenticator (`--device`, `--state`) and how long to wait for it
    /// (`--timeout`, also the options' `timeout`).
    #[command(flatten)]
    pub device: DeviceArgs,
    /// The origin of the calling page, e.g. `https://example.com` (required: the origin
    /// is the platform's statement of who is asking, never taken from the relying
    /// party's options).
    #[arg(long)]
    pub origin: String,
    /// The RP ID (default: the origin's host).
    #[arg(long)]
    pub rp_id: Option<String>,
    /// The challenge, base64url (default: 32 random bytes).
    #[arg(long)]
    pub challenge: Option<String>,
    /// User verification: required, preferred (default), discouraged.
    #[arg(long, value_parser = ["required", "preferred", "discouraged"])]
    pub user_verification: Option<String>,
    /// The PIN (`--pin`, `--pin-file`, or `FIDO_PIN`).
    #[command(flatten)]
    pub pin: PinArgs,
}

impl CeremonyArgs {
    /// The challenge given with `--challenge`, if any.
    pub fn challenge(&self) -> Result<Option<Vec<u8>>, CliError> {
        self.challenge
            .as_deref()
            .map(|text| b64_arg("challenge", text))
            .transpose()
    }

    /// The `--timeout` given, in milliseconds (the options' `timeout`).
    pub fn timeout(&self) -> Option<u32> {
        self.device.timeout
    }
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
