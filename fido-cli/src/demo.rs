//! `fido demo`: the main job end to end. Opens a security key (or the built-in virtual
//! authenticator when none is plugged in), sets a PIN, registers a credential with user
//! verification, authenticates with it, and checks everything a relying party checks,
//! printing a short account of each step.

use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::{CancelToken, CtapDevice, DeviceUri};
use fido_ctap::pin::AnySession;
use fido_types::cose::{CoseAlgorithm, CoseKey};
use fido_types::generated::InfoOption;
use fido_types::webauthn::{
    Aaguid, AttestationConveyancePreference, AttestationSigner, AuthenticationResponse,
    AuthenticatorData, AuthenticatorSelectionCriteria, ClientDataType, CollectedClientData,
    PublicKeyCredentialCreationOptions, PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters, PublicKeyCredentialRequestOptions, PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity, RegistrationResponse, UserVerificationRequirement,
};

use crate::ceremony::{self, Client};
use crate::device::{self, DeviceArgs, in_flight};
use crate::error::CliError;
use crate::escape::escape;
use crate::options::random;
use crate::prompt::{self, PinArgs, PinSource};
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
    #[command(flatten)]
    pin: PinArgs,
    /// The origin the demo registers for.
    #[arg(long, default_value = "https://example.com")]
    origin: String,
}

fn step(n: u32, title: &str) {
    println!("\nStep {n}/6  {title}");
}

fn detail(text: impl AsRef<str>) {
    println!("    {}", escape(text.as_ref()));
}

fn ok(what: impl AsRef<str>) {
    println!("    ok  {}", escape(what.as_ref()));
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

/// How the client verified the user: it asked for the PIN (and used a PIN token), or
/// the authenticator verified the user itself.
fn verified_by(client: &Client) -> &'static str {
    if client.take_pin_requested() {
        "the client asked for the PIN and used a pinUvAuthToken"
    } else {
        "the authenticator verified the user itself (built-in UV)"
    }
}

/// Runs `fido demo`: six steps, each a function below.
pub fn run(args: Args, cancel: &CancelToken) -> Result<(), CliError> {
    let (ctap, is_virtual) = open_authenticator(&args, cancel)?;
    let origin = args.origin.clone();
    let pin_arg = PinSource::from_args(&args.pin)?.into_given();
    let pin = set_pin(ctap, is_virtual, pin_arg)?;
    let lenient = args.device.lenient_cbor;
    let mut client = Client::new(pin.device, &origin, pin.source, cancel, lenient)?;
    let rp_id = ceremony::origin_host(&origin)?;
    let registered = register(&mut client, &rp_id)?;
    let relying_party = RelyingParty {
        origin: &origin,
        rp_id: &rp_id,
    };
    let public_key = relying_party.verify_registration(&registered)?;
    let authenticated = authenticate(&mut client, &rp_id, &registered.credential)?;
    relying_party.verify_authentication(&registered, &authenticated, &public_key)?;
    println!(
        "\nDemo complete: a credential was registered and used with user verification, and every check passed."
    );
    Ok(())
}

/// Step 1: the device asked for, else a plugged-in key, else the virtual authenticator.
/// Returns it and whether it is the virtual one.
fn open_authenticator(args: &Args, cancel: &CancelToken) -> Result<(Ctap2, bool), CliError> {
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
    let ctap = device::open_uri(&uri, &args.device, cancel)?;
    detail(format!("device {uri} ({why})"));
    let info = ctap.info();
    let versions: Vec<&str> = info.versions.iter().map(|v| v.0.as_ref()).collect();
    detail(format!(
        "versions {}; AAGUID {}",
        versions.join(", "),
        Aaguid::new(info.aaguid)
    ));
    if !info.has_option(InfoOption::CLIENT_PIN) {
        return Err(CliError::msg(
            "this authenticator has no PIN support; the demo needs it",
        ));
    }
    Ok((ctap, uri == DeviceUri::Virtual))
}

/// What step 2 hands on: the device and where the client gets the PIN from.
struct PinReady {
    device: Box<dyn CtapDevice>,
    source: PinSource,
}

/// Step 2: sets a PIN unless one is set (the demo PIN on the virtual authenticator, else
/// `--pin` or a prompt) and reports the retries left.
fn set_pin(
    ctap: Ctap2,
    is_virtual: bool,
    pin_arg: Option<Zeroizing<String>>,
) -> Result<PinReady, CliError> {
    step(2, "Set a PIN");
    let demo_default = is_virtual && pin_arg.is_none();
    let mut pin_text: Option<Zeroizing<String>> = match pin_arg {
        Some(p) => Some(p),
        None if is_virtual => Some(Zeroizing::new(DEMO_PIN.to_owned())),
        None => None,
    };
    let pin_set = ctap.info().option(InfoOption::CLIENT_PIN) == Some(true);
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
        ok(if demo_default {
            format!("PIN set to {DEMO_PIN}")
        } else {
            "PIN set".to_owned()
        });
        pin_text = Some(text);
    }
    let retries = match &mut session {
        AnySession::One(s) => s.get_pin_retries()?,
        AnySession::Two(s) => s.get_pin_retries()?,
    };
    detail(format!("PIN retries left: {}", retries.retries));
    Ok(PinReady {
        device: session.into_ctap().into_device(),
        source: PinSource::from_secret(pin_text),
    })
}

/// A registration with the challenge it answered.
struct Registered {
    credential: RegistrationResponse,
    challenge: Vec<u8>,
}

/// Step 3: registers an ES256 or EdDSA credential with user verification required and
/// direct attestation.
fn register(client: &mut Client, rp_id: &str) -> Result<Registered, CliError> {
    step(
        3,
        &format!("Register a credential for {rp_id} (user verification required)"),
    );
    let challenge = random::<32>()?.to_vec();
    let mut selection = AuthenticatorSelectionCriteria::default();
    selection.user_verification = Some(UserVerificationRequirement::REQUIRED);
    let mut options = PublicKeyCredentialCreationOptions::new(
        PublicKeyCredentialRpEntity::new(Some(rp_id.to_owned()), "fido-rs demo"),
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
    detail(verified_by(client));
    let response = credential.response();
    detail(format!("credential ID {}", credential.id()));
    detail(format!(
        "public key {}, attestation format \"{}\"",
        response.public_key_algorithm(),
        response.attestation_object().fmt(),
    ));
    Ok(Registered {
        credential,
        challenge,
    })
}

/// An authentication with the challenge it answered.
struct Authenticated {
    assertion: AuthenticationResponse,
    challenge: Vec<u8>,
}

/// Step 5: authenticates with the registered credential, user verification required.
fn authenticate(
    client: &mut Client,
    rp_id: &str,
    credential: &RegistrationResponse,
) -> Result<Authenticated, CliError> {
    step(
        5,
        "Authenticate with the credential (user verification required)",
    );
    let challenge = random::<32>()?.to_vec();
    let mut request = PublicKeyCredentialRequestOptions::new(challenge.clone());
    request.rp_id = Some(rp_id.to_owned());
    request.allow_credentials = vec![PublicKeyCredentialDescriptor::public_key(
        credential.raw_id().to_vec(),
    )];
    request.user_verification = Some(UserVerificationRequirement::REQUIRED);
    let assertion: AuthenticationResponse = client.authenticate(&request)?;
    detail(verified_by(client));
    let response = assertion.response();
    detail(format!(
        "credential {} signed; signature {} bytes; sign count {}",
        assertion.id(),
        response.signature().len(),
        response.authenticator_data().sign_count(),
    ));
    Ok(Authenticated {
        assertion,
        challenge,
    })
}

/// The relying party's side of the demo: the origin and RP ID it expects.
struct RelyingParty<'a> {
    origin: &'a str,
    rp_id: &'a str,
}

impl RelyingParty<'_> {
    /// Step 4: client data, RP ID hash, flags and the attestation signature. Returns the
    /// credential's public key.
    fn verify_registration(&self, registered: &Registered) -> Result<CoseKey, CliError> {
        step(4, "Verify the registration (as the relying party)");
        let response = registered.credential.response();
        self.check_common(
            response.client_data(),
            response.authenticator_data(),
            ClientDataType::CREATE.as_str(),
            &registered.challenge,
        )?;
        ok(match response.verify_attestation_signature()? {
            AttestationSigner::None => "attestation: none (nothing to verify)",
            AttestationSigner::Credential => {
                "attestation signature verifies (self attestation, the credential's own key)"
            }
            AttestationSigner::Certificate => {
                "attestation signature verifies (with the x5c certificate's key)"
            }
            #[allow(unreachable_patterns)]
            _ => "attestation signature verifies",
        });
        Ok(response.public_key().clone())
    }

    /// Step 6: the credential used, client data, RP ID hash, flags, the signature and the
    /// sign count.
    fn verify_authentication(
        &self,
        registered: &Registered,
        authenticated: &Authenticated,
        public_key: &CoseKey,
    ) -> Result<(), CliError> {
        step(6, "Verify the authentication (as the relying party)");
        let assertion = &authenticated.assertion;
        check(
            assertion.raw_id() == registered.credential.raw_id(),
            "the credential used is the one registered",
        )?;
        let response = assertion.response();
        self.check_common(
            response.client_data(),
            response.authenticator_data(),
            ClientDataType::GET.as_str(),
            &authenticated.challenge,
        )?;
        response
            .verify(public_key)
            .map_err(|e| CliError::msg(format!("verification failed: the signature: {e}")))?;
        ok("signature verifies with the registered public key");
        let registered_count = registered
            .credential
            .response()
            .authenticator_data()
            .sign_count();
        let count = response.authenticator_data().sign_count();
        check(
            count == 0 && registered_count == 0 || count > registered_count,
            "sign count increased (or the authenticator keeps none)",
        )
    }

    /// The relying party's checks on client data and authenticator data (WebAuthn §7.1
    /// steps 7-16 / §7.2 steps 10-18, without extensions).
    fn check_common(
        &self,
        client_data: &CollectedClientData,
        auth_data: &AuthenticatorData,
        type_: &str,
        challenge: &[u8],
    ) -> Result<(), CliError> {
        let (origin, rp_id) = (self.origin, self.rp_id);
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
}
