//! `fido demo`: the main job end to end. Opens a security key (or the built-in virtual
//! authenticator when none is plugged in), sets a PIN, registers a credential with user
//! verification, authenticates with it, and checks everything a relying party checks,
//! printing a short account of each step.

use fido_ctap::device::{CancelToken, DeviceUri};
use fido_ctap::pin::AnySession;
use fido_types::cose::{CoseAlgorithm, CoseKey};
use fido_types::generated::InfoOption;
use fido_types::webauthn::{
    AttestationConveyancePreference, AttestationSigner, AuthenticationResponse, AuthenticatorData,
    AuthenticatorSelectionCriteria, CollectedClientData, PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor, PublicKeyCredentialParameters,
    PublicKeyCredentialRequestOptions, PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity,
    RegistrationResponse, UserVerificationRequirement,
};

use crate::ceremony::{self, Client};
use crate::device::{self, DeviceArgs, in_flight};
use crate::error::CliError;
use crate::info::uuid;
use crate::prompt::{self, PinSource};
use crate::register::random;
use zeroize::Zeroizing;

/// The PIN the demo sets on the virtual authenticator.
const DEMO_PIN: &str = "1234";

/// Options of `fido demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    device: DeviceArgs,
    /// The PIN to set (or, if the authenticator has one, its PIN). Default for the
    /// virtual authenticator: 1234; for a security key: asked for on the terminal.
    #[arg(long)]
    pin: Option<String>,
    /// The origin the demo registers for.
    #[arg(long, default_value = "https://example.com")]
    origin: String,
}

fn step(n: u32, title: &str) {
    println!("\nStep {n}/6  {title}");
}

fn detail(text: impl AsRef<str>) {
    println!("    {}", text.as_ref());
}

fn ok(what: impl AsRef<str>) {
    println!("    ok  {}", what.as_ref());
}

fn check(cond: bool, what: &str) -> Result<(), CliError> {
    if cond {
        ok(what);
        Ok(())
    } else {
        Err(CliError::msg(format!("verification failed: {what}")))
    }
}

fn sha256(data: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// The relying party's checks on client data and authenticator data (WebAuthn §7.1
/// steps 7-16 / §7.2 steps 10-18, without extensions).
fn check_common(
    client_data: &CollectedClientData,
    auth_data: &AuthenticatorData,
    type_: &str,
    challenge: &[u8],
    origin: &str,
    rp_id: &str,
) -> Result<(), CliError> {
    check(
        client_data.type_() == type_,
        &format!("client data type is {type_}"),
    )?;
    check(
        client_data.challenge() == challenge,
        "client data challenge is the one sent",
    )?;
    check(
        client_data.origin() == origin,
        &format!("client data origin is {origin}"),
    )?;
    check(
        auth_data.rp_id_hash() == &sha256(rp_id.as_bytes()),
        &format!("RP ID hash is SHA-256(\"{rp_id}\")"),
    )?;
    let flags = auth_data.flags();
    check(flags.user_present(), "user present (UP flag)")?;
    check(flags.user_verified(), "user verified (UV flag)")
}

/// How the client verified the user: it asked for the PIN (and used a PIN token), or
/// the authenticator verified the user itself.
fn verified_by(client: &Client) -> &'static str {
    if client.take_pin_requested() {
        "the client asked for the PIN and used a pinUvAuthToken"
    } else {
        "the authenticator verified the user itself (built-in UV)"
    }
}

/// Runs `fido demo`.
pub fn run(args: Args, cancel: &CancelToken) -> Result<(), CliError> {
    // Step 1: the authenticator.
    step(1, "Open the authenticator");
    let (uri, why) = match &args.device {
        DeviceArgs {
            device: Some(_), ..
        } => (args.device.uri()?, "as asked"),
        _ if device::security_key_present() => {
            (DeviceUri::FirstHid, "a security key is plugged in")
        }
        _ => (
            DeviceUri::Virtual,
            "no FIDO security key found, so the built-in virtual authenticator",
        ),
    };
    let is_virtual = uri == DeviceUri::Virtual;
    let ctap = device::open_uri(&uri, args.device.state.clone(), cancel)?;
    detail(format!("device {uri} ({why})"));
    let info = ctap.info().clone();
    detail(format!(
        "versions {}; AAGUID {}",
        info.versions
            .iter()
            .map(|v| v.0.as_ref())
            .collect::<Vec<_>>()
            .join(", "),
        uuid(&info.aaguid)
    ));
    if !info.has_option(InfoOption::CLIENT_PIN) {
        return Err(CliError::msg(
            "this authenticator has no PIN support; the demo needs it",
        ));
    }
    // Step 2: the PIN.
    step(2, "Set a PIN");
    let demo_default = is_virtual && args.pin.is_none();
    let mut pin_text: Option<Zeroizing<String>> = match &args.pin {
        Some(p) => Some(Zeroizing::new(p.clone())),
        None if is_virtual => Some(Zeroizing::new(DEMO_PIN.to_owned())),
        None => None,
    };
    let pin_set = info.option(InfoOption::CLIENT_PIN) == Some(true);
    let mut session = AnySession::new(ctap)?;
    if pin_set {
        detail("a PIN is already set; using it");
    } else {
        let text = match pin_text.take() {
            Some(text) => text,
            None => prompt::read_text("New PIN for the demo")?,
        };
        let pin = fido_types::pin_protocol::Pin::new(&text)?;
        in_flight(|| match &mut session {
            AnySession::One(s) => s.set_pin(&pin),
            AnySession::Two(s) => s.set_pin(&pin),
        })?;
        if demo_default {
            ok(format!("PIN set to {DEMO_PIN}"));
        } else {
            ok("PIN set");
        }
        pin_text = Some(text);
    }
    let retries = match &mut session {
        AnySession::One(s) => s.get_pin_retries()?,
        AnySession::Two(s) => s.get_pin_retries()?,
    };
    detail(format!("PIN retries left: {}", retries.retries));
    let pin = PinSource::from_secret(pin_text);
    let origin = args.origin.clone();
    let mut client = Client::new(session.into_ctap().into_device(), &origin, pin, cancel)?;

    // Step 3: register.
    let rp_id = ceremony::origin_host(&origin)?;
    step(
        3,
        &format!("Register a credential for {rp_id} (user verification required)"),
    );
    let challenge = random::<32>()?.to_vec();
    let mut selection = AuthenticatorSelectionCriteria::default();
    selection.user_verification = Some(UserVerificationRequirement::REQUIRED);
    let mut options = PublicKeyCredentialCreationOptions::new(
        PublicKeyCredentialRpEntity::new(Some(rp_id.clone()), "fido-rs demo"),
        PublicKeyCredentialUserEntity::new(random::<16>()?.to_vec(), "demo", "Demo User"),
        challenge.clone(),
        vec![
            PublicKeyCredentialParameters::public_key(CoseAlgorithm::ES256),
            PublicKeyCredentialParameters::public_key(CoseAlgorithm::EDDSA),
        ],
    );
    options.authenticator_selection = Some(selection);
    // "direct": the demo verifies the authenticator's own attestation (the default,
    // "none", would hand over format "none" for anything but a zero-AAGUID self
    // attestation).
    options.attestation = Some(AttestationConveyancePreference::DIRECT);
    let credential: RegistrationResponse = client.register(&options)?;
    detail(verified_by(&client));
    let response = credential.response();
    detail(format!("credential ID {}", credential.id()));
    detail(format!(
        "public key {}, attestation format \"{}\"",
        response.public_key_algorithm(),
        response.attestation_object().fmt(),
    ));

    // Step 4: verify the registration as the relying party would.
    step(4, "Verify the registration (as the relying party)");
    let auth_data = response.authenticator_data();
    check_common(
        response.client_data(),
        auth_data,
        CollectedClientData::TYPE_CREATE,
        &challenge,
        &origin,
        &rp_id,
    )?;
    let signer = response.verify_attestation_signature()?;
    ok(match signer {
        AttestationSigner::None => "attestation: none (nothing to verify)".to_owned(),
        AttestationSigner::Credential => {
            "attestation signature verifies (self attestation, the credential's own key)".to_owned()
        }
        AttestationSigner::Certificate => {
            "attestation signature verifies (with the x5c certificate's key)".to_owned()
        }
        #[allow(unreachable_patterns)]
        _ => "attestation signature verifies".to_owned(),
    });
    let public_key: CoseKey = response.public_key().clone();
    let registered_count = auth_data.sign_count();

    // Step 5: authenticate.
    step(
        5,
        "Authenticate with the credential (user verification required)",
    );
    let challenge = random::<32>()?.to_vec();
    let mut request = PublicKeyCredentialRequestOptions::new(challenge.clone());
    request.rp_id = Some(rp_id.clone());
    request.allow_credentials = vec![PublicKeyCredentialDescriptor::public_key(
        credential.raw_id().to_vec(),
    )];
    request.user_verification = Some(UserVerificationRequirement::REQUIRED);
    let assertion: AuthenticationResponse = client.authenticate(&request)?;
    detail(verified_by(&client));
    let response = assertion.response();
    detail(format!(
        "credential {} signed; signature {} bytes; sign count {}",
        assertion.id(),
        response.signature().len(),
        response.authenticator_data().sign_count(),
    ));

    // Step 6: verify the assertion.
    step(6, "Verify the authentication (as the relying party)");
    check(
        assertion.raw_id() == credential.raw_id(),
        "the credential used is the one registered",
    )?;
    check_common(
        response.client_data(),
        response.authenticator_data(),
        CollectedClientData::TYPE_GET,
        &challenge,
        &origin,
        &rp_id,
    )?;
    response
        .verify(&public_key)
        .map_err(|e| CliError::msg(format!("verification failed: the signature: {e}")))?;
    ok("signature verifies with the registered public key");
    let count = response.authenticator_data().sign_count();
    check(
        count == 0 && registered_count == 0 || count > registered_count,
        "sign count increased (or the authenticator keeps none)",
    )?;

    println!(
        "\nDemo complete: a credential was registered and used with user verification, and every check passed."
    );
    Ok(())
}
