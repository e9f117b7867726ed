//! A software CTAP 2.2 authenticator, in-process and as CTAPHID over UDP.
//!
//! [`Authenticator`] is the authenticator's own logic: it takes a raw CTAP2 request
//! (`[command][CBOR parameters]`) and returns `[status][CBOR response]`
//! ([`Authenticator::handle`]), or a CTAP1/U2F APDU ([`Authenticator::handle_apdu`]).
//! It shares data types and pure codecs with the client (`fido_types`), never the
//! client's decisions.
//!
//! - [`state`]: PIN, retries, blocked states, tokens and permissions, power-cycle state.
//! - [`keys`]: credential algorithms and keys (ES256, EdDSA, ES384, ES512, PS256, RS256,
//!   ES256K, ML-DSA-44/65/87), every key derived from a 32-byte seed.
//! - [`store`]: credentials, discoverable ones newest first, the others sealed into their
//!   credential IDs.
//! - [`commands`]: one module per CTAP command.
//! - [`presence`]: the user-presence policy (approve, deny, delay, script).
//! - [`hid`]: the device side of CTAPHID (channels, reassembly, KEEPALIVE, CANCEL, the
//!   simulated power cycle 0x7E).
//! - [`udp`]: CTAPHID over UDP, one report per datagram.
//! - [`nfc`]: the FIDO applet of a smart card (CTAP over ISO 7816 APDUs: SELECT,
//!   NFCCTAP_MSG, NFCCTAP_GETRESPONSE with the keepalive word, chaining both ways, U2F).
//! - [`vpcd`]: that card behind vsmartcard's vpcd reader driver, for PC/SC clients.
//! - `virtual_device` (feature `ctap`, on by default): the in-process `virtual` device for
//!   fido-ctap's `DeviceOpener::with_virtual`.
//!
//! ```
//! use fido_authenticator::{Authenticator, Config, presence::NoTransport};
//!
//! let mut authenticator = Authenticator::new(Config { seed: Some(1), ..Config::default() }).unwrap();
//! // authenticatorGetInfo: command 0x04, no parameters.
//! let response = authenticator.handle(&[0x04], &mut NoTransport);
//! assert_eq!(response[0], 0x00); // CTAP2_OK, then the CBOR map
//! ```

pub mod attestation;
pub mod commands;
pub mod hid;
pub mod keys;
pub mod nfc;
pub mod presence;
mod rng;
pub mod secret;
pub mod state;
pub mod store;
pub mod udp;
#[cfg(feature = "ctap")]
pub mod virtual_device;
pub mod vpcd;

use std::path::PathBuf;
use std::time::Duration;

use fido_types::status::CtapStatus;

use crate::attestation::AttestationKey;
use crate::commands::{AssertionQueue, CredMgmtQueue, Enrollment, LargeBlobWrite};
use crate::presence::{PresencePolicy, Waiter};
use crate::rng::Drbg;
use crate::secret::Secret;
use crate::state::{Clock, Persistent, StoredPin, Volatile};

/// The AAGUID of the fido-rs software authenticator (random, fixed).
pub const AAGUID: [u8; 16] = [
    0x66, 0x69, 0x64, 0x6f, 0x2d, 0x72, 0x73, 0x2d, 0x73, 0x6f, 0x66, 0x74, 0x2d, 0x61, 0x75, 0x74,
];

/// How the authenticator attests new credentials.
#[derive(Debug, Clone, Default)]
pub enum Attestation {
    /// "packed" self attestation: signed with the credential's own key.
    #[default]
    SelfAttestation,
    /// "packed" basic attestation with the authenticator's own generated attestation key
    /// and self-signed certificate (the one U2F registration uses); enables enterprise
    /// attestation, which uses a second generated key.
    Basic,
    /// "packed" basic attestation with this P-256 key and certificate chain (DER, leaf
    /// first).
    Certificate {
        /// The attestation private key (P-256 scalar).
        key: Secret<32>,
        /// The certificate chain, leaf first.
        chain: Vec<Vec<u8>>,
    },
    /// The "none" format.
    None,
}

/// How to build an [`Authenticator`].
#[derive(Debug, Clone)]
pub struct Config {
    /// The AAGUID reported in getInfo and attested credential data.
    pub aaguid: [u8; 16],
    /// A seed for deterministic keys, credential IDs and tokens (golden tests); `None`
    /// uses the system random number generator.
    pub seed: Option<u64>,
    /// A PIN to set when the state is fresh.
    pub pin: Option<String>,
    /// The user-presence policy.
    pub presence: PresencePolicy,
    /// The built-in user-verification policy (the simulated fingerprint sensor): an
    /// approval is a match, a denial a non-match (UV_INVALID, one UV retry spent).
    pub verification: PresencePolicy,
    /// A file to keep the persistent state in (written atomically after each change).
    pub state_file: Option<PathBuf>,
    /// Speak only CTAP1/U2F (no CBOR capability).
    pub u2f_only: bool,
    /// Offer built-in user verification through a simulated fingerprint sensor
    /// (bioEnrollment; the `uv` option becomes true once a finger is enrolled, and every
    /// UV attempt matches).
    pub builtin_uv: bool,
    /// Room for this many discoverable credentials.
    pub max_discoverable: usize,
    /// Report FIDO_2_2 among the versions (otherwise up to FIDO_2_1).
    pub ctap_2_2: bool,
    /// The attestation to use for makeCredential.
    pub attestation: Attestation,
    /// The credential algorithms offered, in getInfo's order of preference (default: all
    /// of [`Algorithm::ALL`](keys::Algorithm::ALL), ES256 first, then EdDSA).
    pub algorithms: Vec<keys::Algorithm>,
    /// The RP IDs preconfigured by the vendor for vendor-facilitated enterprise
    /// attestation (CTAP 2.1 §7.1): an `enterpriseAttestation` of 1 gives enterprise
    /// attestation for these RP IDs only, and normal attestation for any other.
    pub ep_rp_ids: Vec<String>,
    /// The transports getInfo names (`transports` and `transportsForReset`): `usb` by
    /// default, `nfc` for the card of [`nfc`].
    pub transports: Vec<fido_types::webauthn::AuthenticatorTransport>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            aaguid: AAGUID,
            seed: None,
            pin: None,
            presence: PresencePolicy::Approve,
            verification: PresencePolicy::Approve,
            state_file: None,
            u2f_only: false,
            builtin_uv: true,
            max_discoverable: 50,
            ctap_2_2: true,
            attestation: Attestation::SelfAttestation,
            algorithms: keys::Algorithm::ALL.to_vec(),
            ep_rp_ids: Vec::new(),
            transports: vec![fido_types::webauthn::AuthenticatorTransport::USB],
        }
    }
}

/// Why an authenticator could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The state file could not be read or written.
    #[error("state file {path}: {source}")]
    StateFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The state file is not a state this authenticator wrote.
    #[error("state file {path}: {source}")]
    StateFormat {
        /// The file.
        path: PathBuf,
        /// The parse error.
        source: serde_json::Error,
    },
    /// The configured PIN breaks the PIN rules.
    #[error("invalid PIN: {0}")]
    InvalidPin(fido_types::pin_protocol::PinError),
}

/// A software CTAP 2.2 authenticator.
pub struct Authenticator {
    pub(crate) config: Config,
    pub(crate) persistent: Persistent,
    pub(crate) volatile: Volatile,
    pub(crate) rng: Drbg,
    pub(crate) clock: Clock,
    pub(crate) presence: PresencePolicy,
    pub(crate) verification: PresencePolicy,
    pub(crate) assertions: Option<AssertionQueue>,
    pub(crate) cred_mgmt: Option<CredMgmtQueue>,
    pub(crate) large_blob_write: Option<LargeBlobWrite>,
    pub(crate) enrollment: Option<Enrollment>,
    pub(crate) attestation_key: AttestationKey,
    pub(crate) enterprise_key: AttestationKey,
    saved: Option<zeroize::Zeroizing<String>>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("aaguid", &hex::encode(self.config.aaguid))
            .field("credentials", &self.persistent.store.discoverable_count())
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// A powered-up authenticator: state loaded from `config.state_file` if it exists,
    /// factory-fresh otherwise (with `config.pin` set, if any).
    ///
    /// # Errors
    /// [`Error`] if the state file cannot be read or parsed, or the PIN is invalid.
    pub fn new(config: Config) -> Result<Self, Error> {
        let clock = Clock::default();
        let mut persistent = match &config.state_file {
            Some(path) => load_state(path)?,
            None => None,
        };
        let fresh = persistent.is_none();
        if let Some(p) = persistent.as_mut() {
            p.loads += 1;
        }
        let epoch = persistent.as_ref().map_or(0, |p| p.loads);
        let mut rng = match config.seed {
            Some(seed) => Drbg::from_seed_stream(seed, b"", epoch),
            None => Drbg::from_system(),
        };
        // Attestation keys come from their own stream: with a seed they are the same at
        // every start, whatever the state.
        let mut attestation_rng = match config.seed {
            Some(seed) => Drbg::from_seed_stream(seed, b"attestation", 0),
            None => Drbg::from_system(),
        };
        let mut persistent = persistent.unwrap_or_else(|| {
            Persistent::new(config.max_discoverable, Secret(*rng.secret::<32>()))
        });
        if fresh && let Some(pin) = &config.pin {
            set_initial_pin(&mut persistent, pin)?;
        }
        let attestation_key =
            generated_attestation(&mut attestation_rng, "fido-rs software authenticator", 1);
        let enterprise_key =
            generated_attestation(&mut attestation_rng, "fido-rs enterprise attestation", 2);
        if persistent.identifier.is_none() {
            persistent.identifier = Some(Secret(*rng.secret::<16>()));
        }
        let volatile = Volatile::power_up(&mut rng, clock.now());
        let presence = config.presence.clone();
        let verification = config.verification.clone();
        let mut authenticator = Authenticator {
            config,
            persistent,
            volatile,
            rng,
            clock,
            presence,
            verification,
            assertions: None,
            cred_mgmt: None,
            large_blob_write: None,
            enrollment: None,
            attestation_key,
            enterprise_key,
            saved: None,
        };
        authenticator.save()?;
        Ok(authenticator)
    }

    /// Handles one CTAP2 request, `[command][CBOR parameters]`, and returns
    /// `[status][CBOR response]`. `waiter` carries KEEPALIVEs and CANCEL while the
    /// authenticator waits for the user.
    pub fn handle(&mut self, request: &[u8], waiter: &mut dyn Waiter) -> Vec<u8> {
        let response = match request.split_first() {
            None => Err(CtapStatus::INVALID_LENGTH),
            Some(_) if self.config.u2f_only => Err(CtapStatus::INVALID_COMMAND),
            Some((&command, params)) => commands::dispatch(self, command, params, waiter),
        };
        if let Err(e) = self.save() {
            eprintln!("fido-authenticator: could not save state: {e}");
        }
        match response {
            Ok(body) => {
                let mut out = Vec::with_capacity(body.len() + 1);
                out.push(0);
                out.extend(body);
                out
            }
            Err(status) => vec![status.0],
        }
    }

    /// Handles one CTAP1/U2F request APDU and returns the response (data and status word).
    pub fn handle_apdu(&mut self, apdu: &[u8], waiter: &mut dyn Waiter) -> Vec<u8> {
        let out = commands::u2f::handle(self, apdu, waiter);
        if let Err(e) = self.save() {
            eprintln!("fido-authenticator: could not save state: {e}");
        }
        out
    }

    /// Simulates unplugging and replugging: restarts the reset window, clears
    /// PIN_AUTH_BLOCKED, regenerates the key-agreement key, drops the token.
    pub fn power_cycle(&mut self) {
        self.volatile = Volatile::power_up(&mut self.rng, self.clock.now());
        self.assertions = None;
        self.cred_mgmt = None;
        self.large_blob_write = None;
        self.enrollment = None;
    }

    /// Moves the authenticator's simulated clock forward (reset window, token lifetime).
    pub fn advance_clock(&mut self, by: Duration) {
        self.clock.advance(by);
    }

    /// Replaces the user-presence policy.
    pub fn set_presence(&mut self, presence: PresencePolicy) {
        self.presence = presence;
    }

    /// Replaces the built-in user-verification policy.
    pub fn set_verification(&mut self, verification: PresencePolicy) {
        self.verification = verification;
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The credential store.
    pub fn store(&self) -> &store::Store {
        &self.persistent.store
    }

    /// PIN retries left.
    pub fn pin_retries(&self) -> u8 {
        self.persistent.pin_retries
    }

    /// Writes the persistent state to the state file, if there is one and it changed:
    /// to a temporary file in the same directory, then renamed over the old one.
    fn save(&mut self) -> Result<(), Error> {
        let Some(path) = self.config.state_file.clone() else {
            return Ok(());
        };
        let text = serde_json::to_string_pretty(&self.persistent).map_err(|source| {
            Error::StateFormat {
                path: path.clone(),
                source,
            }
        })?;
        if self.saved.as_ref().map(|s| s.as_str()) == Some(text.as_str()) {
            return Ok(());
        }
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let io = |source| Error::StateFile {
            path: path.clone(),
            source,
        };
        {
            use std::io::Write;
            let mut file = std::fs::File::create(&tmp).map_err(io)?;
            file.write_all(text.as_bytes()).map_err(io)?;
            file.sync_all().map_err(io)?;
        }
        std::fs::rename(&tmp, &path).map_err(io)?;
        self.saved = Some(zeroize::Zeroizing::new(text));
        Ok(())
    }
}

/// The persistent state kept in `path`, or `None` if there is no such file yet.
fn load_state(path: &std::path::Path) -> Result<Option<Persistent>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|source| Error::StateFormat {
                path: path.to_owned(),
                source,
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::StateFile {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Sets the configured PIN on a fresh state (checked against its minimum length).
fn set_initial_pin(persistent: &mut Persistent, pin: &str) -> Result<(), Error> {
    let pin =
        fido_types::pin_protocol::Pin::with_min_length(pin, usize::from(persistent.min_pin_length))
            .map_err(Error::InvalidPin)?;
    persistent.pin = Some(StoredPin {
        hash: Secret(*pin.pin_hash()),
        code_points: pin.code_points(),
    });
    Ok(())
}

/// An attestation key and self-signed certificate drawn from the generator.
fn generated_attestation(rng: &mut Drbg, name: &str, serial: u8) -> AttestationKey {
    loop {
        let key = Secret(*rng.secret::<32>());
        if let Some(att) = AttestationKey::self_signed(key, name, serial) {
            return att;
        }
    }
}
