//! What `fido register` and `fido authenticate` share: the command-line options common to
//! both ceremonies and the helpers that turn arguments into WebAuthn options.

use std::path::PathBuf;

use fido_types::webauthn::{
    AuthenticationExtensionsClientInputs, AuthenticationExtensionsClientOutputs, Base64UrlBytes,
    PrfValues, UserVerificationRequirement, base64url,
};

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
    /// Evaluate the prf extension with this input (base64url): `eval.first` of the
    /// options' `extensions.prf` (at registration through hmac-secret-mc, where the
    /// authenticator has it).
    #[arg(long, value_name = "SALT")]
    pub prf: Option<String>,
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

impl CeremonyArgs {
    /// `extensions` with `--prf` applied (its `prf.eval.first` set).
    pub fn apply_prf(
        &self,
        extensions: Option<AuthenticationExtensionsClientInputs>,
    ) -> Result<Option<AuthenticationExtensionsClientInputs>, CliError> {
        let Some(text) = &self.prf else {
            return Ok(extensions);
        };
        let first = b64_arg("prf", text)?;
        let mut extensions = extensions.unwrap_or_default();
        let mut prf = extensions.prf.clone().unwrap_or_default();
        let second = prf.eval.as_ref().and_then(|e| e.second.clone());
        prf.eval = Some(PrfValues::new(first, second));
        extensions.prf = Some(prf);
        Ok(Some(extensions))
    }
}

/// One line per client extension result, for the human-readable output (binary values
/// in base64url, secrets included: the user asked for them).
pub fn extension_lines(outputs: &AuthenticationExtensionsClientOutputs) -> Vec<String> {
    let b64 = |b: &Base64UrlBytes| b.to_base64url();
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let mut lines = Vec::new();
    if let Some(props) = &outputs.cred_props {
        let rk = props.rk.map_or("unknown", yes_no);
        lines.push(format!("credProps:       discoverable {rk}"));
    }
    if let Some(prf) = &outputs.prf {
        let mut parts = Vec::new();
        if let Some(enabled) = prf.enabled {
            parts.push(format!("enabled {}", yes_no(enabled)));
        }
        if let Some(results) = &prf.results {
            parts.push(format!("first {}", b64(&results.first)));
            if let Some(second) = &results.second {
                parts.push(format!("second {}", b64(second)));
            }
        }
        lines.push(format!("prf:             {}", parts.join(", ")));
    }
    if let Some(created) = outputs.hmac_create_secret {
        lines.push(format!("hmacCreateSecret: {}", yes_no(created)));
    }
    if let Some(secret) = &outputs.hmac_get_secret {
        let mut line = format!("hmacGetSecret:   output1 {}", b64(&secret.output1));
        if let Some(output2) = &secret.output2 {
            line.push_str(&format!(", output2 {}", b64(output2)));
        }
        lines.push(line);
    }
    if let Some(stored) = outputs.cred_blob {
        lines.push(format!("credBlob:        stored {}", yes_no(stored)));
    }
    if let Some(blob) = &outputs.get_cred_blob {
        lines.push(format!("getCredBlob:     {}", b64(blob)));
    }
    if let Some(large) = &outputs.large_blob {
        let mut parts = Vec::new();
        if let Some(supported) = large.supported {
            parts.push(format!("supported {}", yes_no(supported)));
        }
        if let Some(blob) = &large.blob {
            parts.push(format!("blob {}", b64(blob)));
        }
        if let Some(written) = large.written {
            parts.push(format!("written {}", yes_no(written)));
        }
        if parts.is_empty() {
            parts.push("no blob".into());
        }
        lines.push(format!("largeBlob:       {}", parts.join(", ")));
    }
    if let Some(length) = outputs.min_pin_length {
        lines.push(format!("minPinLength:    {length}"));
    }
    if let Some(paid) = outputs.third_party_payment {
        lines.push(format!("thirdPartyPayment: {}", yes_no(paid)));
    }
    if let Some(used) = outputs.appid {
        lines.push(format!("appid:           used {}", yes_no(used)));
    }
    if let Some(used) = outputs.appid_exclude {
        lines.push(format!("appidExclude:    {}", yes_no(used)));
    }
    for (name, value) in &outputs.other {
        lines.push(format!("{name}: {value}"));
    }
    lines
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_extension_result_gets_a_line() {
        let outputs: AuthenticationExtensionsClientOutputs = serde_json::from_str(
            r#"{"credProps":{"rk":true},"prf":{"enabled":true,"results":{"first":"AQ"}},
                "credBlob":true,"getCredBlob":"Ag","largeBlob":{"written":true},
                "minPinLength":6,"thirdPartyPayment":false,"hmacCreateSecret":true,
                "hmacGetSecret":{"output1":"Aw","output2":"BA"},"x.example":1}"#,
        )
        .unwrap();
        let lines = extension_lines(&outputs);
        let expected = [
            "credProps:       discoverable yes",
            "prf:             enabled yes, first AQ",
            "hmacCreateSecret: yes",
            "hmacGetSecret:   output1 Aw, output2 BA",
            "credBlob:        stored yes",
            "getCredBlob:     Ag",
            "largeBlob:       written yes",
            "minPinLength:    6",
            "thirdPartyPayment: no",
            "x.example: 1",
        ];
        assert_eq!(lines, expected);
    }
}
