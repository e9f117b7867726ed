//! `fido verify`: the relying party's checks (fido-server) on a response saved as
//! WebAuthn L3 JSON, e.g. what `fido register --json` or a browser printed.

use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, Subcommand};
use fido_server::{
    AuthenticationState, Fido2Server, MetadataBlob, RegisteredCredential, RegistrationState,
    StoredCredential, TrustStore,
};
use fido_types::cose::CoseKey;
use fido_types::webauthn::{RegistrationResponse, UserVerificationRequirement, base64url};
use serde_json::json;

use crate::error::CliError;

/// What to verify.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify a registration response (RegistrationResponseJSON).
    Registration(RegistrationArgs),
    /// Verify an authentication response (AuthenticationResponseJSON).
    Authentication(AuthenticationArgs),
}

/// What both verifications need.
#[derive(Debug, ClapArgs)]
pub struct Common {
    /// The response JSON file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    response: PathBuf,
    /// The challenge the options carried, base64url.
    #[arg(long, value_name = "B64URL")]
    challenge: String,
    /// An allowed origin (repeatable), e.g. https://login.example.com.
    #[arg(long, value_name = "ORIGIN", required = true)]
    origin: Vec<String>,
    /// The RP ID.
    #[arg(long, value_name = "ID")]
    rp_id: String,
    /// Require user verification (the UV flag).
    #[arg(long)]
    require_uv: bool,
    /// Print what was verified as JSON.
    #[arg(long)]
    json: bool,
}

/// `fido verify registration`.
#[derive(Debug, ClapArgs)]
pub struct RegistrationArgs {
    #[command(flatten)]
    common: Common,
    /// A directory of trusted attestation roots: files named AAGUID.pem/.der or
    /// FORMAT.pem/.der (e.g. fido-u2f.pem); the attestation must chain to one of them.
    #[arg(long, value_name = "DIR", conflicts_with = "mds")]
    trust: Option<PathBuf>,
    /// A FIDO MDS3 metadata BLOB (the JWT as downloaded): its entries' attestation roots
    /// are trusted, and authenticators reported compromised or revoked are refused.
    #[arg(long, value_name = "FILE", requires = "mds_root")]
    mds: Option<PathBuf>,
    /// The FIDO root certificate (PEM or DER) the BLOB's signing chain must reach.
    #[arg(long, value_name = "FILE", requires = "mds")]
    mds_root: Option<PathBuf>,
}

/// `fido verify authentication`.
#[derive(Debug, ClapArgs)]
pub struct AuthenticationArgs {
    #[command(flatten)]
    common: Common,
    /// The credential's public key: the registration response JSON it came from, or a
    /// COSE_Key in CBOR.
    #[arg(long, value_name = "FILE")]
    public_key: PathBuf,
    /// The signature counter stored for the credential.
    #[arg(long, value_name = "N", default_value_t = 0)]
    sign_count: u32,
}

/// Runs `fido verify`.
pub fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Registration(args) => registration(args),
        Command::Authentication(args) => authentication(args),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| CliError::msg(format!("{}: {e}", path.display())))
}

fn read_text(path: &Path) -> Result<String, CliError> {
    String::from_utf8(read(path)?)
        .map_err(|_| CliError::msg(format!("{}: not UTF-8 text", path.display())))
}

impl Common {
    fn server(&self) -> Fido2Server {
        Fido2Server::new(self.rp_id.clone(), self.rp_id.clone(), self.origin.clone())
    }

    fn challenge(&self) -> Result<Vec<u8>, CliError> {
        base64url::decode(&self.challenge)
            .map_err(|e| CliError::msg(format!("--challenge is not base64url: {e}")))
    }

    fn user_verification(&self) -> UserVerificationRequirement {
        if self.require_uv {
            UserVerificationRequirement::REQUIRED
        } else {
            UserVerificationRequirement::DISCOURAGED
        }
    }
}

fn registration(args: RegistrationArgs) -> Result<(), CliError> {
    let mut server = args.common.server();
    if let Some(dir) = &args.trust {
        let trust =
            TrustStore::from_dir(dir).map_err(|e| CliError::msg(format!("--trust: {e}")))?;
        server = server.with_trust_store(trust);
    }
    if let (Some(blob), Some(root)) = (&args.mds, &args.mds_root) {
        server = server.with_trust_store(mds_trust(blob, root)?);
    }
    let trust_checked = args.trust.is_some() || args.mds.is_some();
    let state = RegistrationState::new(args.common.challenge()?, args.common.user_verification());
    let json = read_text(&args.common.response)?;
    let registered = server
        .register_complete_json(&state, &json)
        .map_err(|e| CliError::msg(format!("registration refused: {e}")))?;
    print_registration(&registered, trust_checked, args.common.json);
    Ok(())
}

/// The trust store of a metadata BLOB verified against `root`.
fn mds_trust(blob: &Path, root: &Path) -> Result<TrustStore, CliError> {
    let roots = fido_server::trust::certificates(&read(root)?)
        .map_err(|e| CliError::msg(format!("--mds-root: {e}")))?;
    let [root] = roots.as_slice() else {
        return Err(CliError::msg(
            "--mds-root: expected exactly one certificate",
        ));
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let blob = MetadataBlob::verify(&read(blob)?, root, now)
        .map_err(|e| CliError::msg(format!("--mds: {e}")))?;
    Ok(blob.trust_store())
}

fn print_registration(r: &RegisteredCredential, trust_checked: bool, as_json: bool) {
    let trust = match (trust_checked, r.trusted) {
        (true, true) => "chains to a trusted root",
        _ => "not checked (no --trust or --mds)",
    };
    if as_json {
        let out = json!({
            "verified": "registration",
            "credentialId": base64url::encode(&r.credential_id),
            "publicKey": base64url::encode(&r.public_key.to_cbor()),
            "algorithm": r.algorithm.value(),
            "signCount": r.sign_count,
            "aaguid": r.aaguid.to_string(),
            "format": r.attestation.format,
            "attestationType": r.attestation.attestation_type.name(),
            "trustPathLength": r.attestation.trust_path.len(),
            "trusted": r.trusted,
            "userVerified": r.user_verified,
            "backupEligible": r.backup_eligible,
            "backedUp": r.backed_up,
        });
        println!("{out}");
        return;
    }
    println!("registration verified");
    println!("  credential ID    {}", base64url::encode(&r.credential_id));
    println!("  algorithm        {}", r.algorithm);
    println!("  AAGUID           {}", r.aaguid);
    println!(
        "  attestation      {} ({}), {} certificate(s)",
        r.attestation.format,
        r.attestation.attestation_type.name(),
        r.attestation.trust_path.len()
    );
    println!("  trust            {trust}");
    println!("  user verified    {}", yes_no(r.user_verified));
    println!("  sign count       {}", r.sign_count);
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The credential key from a registration response JSON or a CBOR COSE_Key file.
fn public_key(path: &Path) -> Result<CoseKey, CliError> {
    let bytes = read(path)?;
    if let Ok(text) = std::str::from_utf8(&bytes)
        && text.trim_start().starts_with('{')
    {
        let registration = RegistrationResponse::from_json(text)
            .map_err(|e| CliError::msg(format!("--public-key: {e}")))?;
        return Ok(registration.response().public_key().clone());
    }
    CoseKey::from_cbor(&bytes).map_err(|e| {
        CliError::msg(format!(
            "--public-key: neither a registration response JSON nor a COSE key: {e}"
        ))
    })
}

fn authentication(args: AuthenticationArgs) -> Result<(), CliError> {
    let server = args.common.server();
    let key = public_key(&args.public_key)?;
    let json = read_text(&args.common.response)?;
    let response = fido_types::webauthn::AuthenticationResponse::from_json(&json).map_err(|e| {
        CliError::msg(format!(
            "authentication refused: the response could not be read: {e}"
        ))
    })?;
    let mut stored = StoredCredential::new(response.raw_id().to_vec(), key);
    stored.sign_count = args.sign_count;
    // The caller names the credential: it is the allow list, so no user handle is needed.
    let state = AuthenticationState::new(
        args.common.challenge()?,
        args.common.user_verification(),
        vec![response.raw_id().to_vec()],
    );
    let result = server
        .authenticate_complete(&state, &[stored], &response)
        .map_err(|e| CliError::msg(format!("authentication refused: {e}")))?;
    if args.common.json {
        let out = json!({
            "verified": "authentication",
            "credentialId": base64url::encode(&result.credential_id),
            "signCount": result.sign_count,
            "signCountRegressed": result.sign_count_regressed,
            "userVerified": result.user_verified,
            "backedUp": result.backed_up,
        });
        println!("{out}");
        return Ok(());
    }
    println!("authentication verified");
    println!(
        "  credential ID    {}",
        base64url::encode(&result.credential_id)
    );
    println!("  user verified    {}", yes_no(result.user_verified));
    println!(
        "  sign count       {}{}",
        result.sign_count,
        if result.sign_count_regressed {
            " (did not increase: the authenticator may be cloned)"
        } else {
            ""
        }
    );
    Ok(())
}
