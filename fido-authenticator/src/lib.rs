//! A software CTAP 2.2 authenticator, in-process and as CTAPHID over UDP.
//!
//! It reports the version strings `U2F_V2`, `FIDO_2_0` and `FIDO_2_1`: CTAP 2.2 defines
//! no version string of its own, a 2.2 authenticator reports `FIDO_2_1`.
//!
//! [`Authenticator`] is the authenticator's own logic: it takes a raw CTAP2 request
//! (`[command][CBOR parameters]`) and returns `[status][CBOR response]`
//! ([`Authenticator::handle`]), or a CTAP1/U2F APDU ([`Authenticator::handle_apdu`]).
//! It shares data types and pure codecs with the client (`fido_types`), never the
//! client's decisions.
//!
//! - [`state`]: PIN, retries, blocked states, tokens and permissions, power-cycle state.
//! - `state_file`: the state on disk (format version, crash-safe writes, mode 0600).
//! - [`counters`]: one signature counter per credential, never wrapping.
//! - [`keys`]: credential algorithms and keys (ES256, EdDSA, ES384, ES512, PS256, RS256,
//!   ES256K, ML-DSA-44/65/87), every key derived from a 32-byte seed.
//! - [`store`]: credentials, discoverable ones newest first, the others sealed into their
//!   credential IDs.
//! - [`commands`]: one module per CTAP command.
//! - [`presence`]: the user-presence policy (approve, deny, delay, script).
//! - [`hid`]: the device side of CTAPHID (channels, reassembly, KEEPALIVE, CANCEL, the
//!   simulated power cycle 0x7E).
//! - [`udp`]: CTAPHID over UDP, one report per datagram.
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
pub mod counters;
pub mod hid;
pub mod keys;
pub mod presence;
mod rng;
pub mod secret;
pub mod state;
mod state_file;
pub mod store;
pub mod udp;
#[cfg(feature = "ctap")]
pub mod virtual_device;

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

/// How to build an [`Authenticator`]. `Debug` does not print the PIN.
#[derive(Clone)]
pub struct Config {
    /// The AAGUID reported in getInfo and attested credential data.
    pub aaguid: [u8; 16],
    /// A seed for deterministic keys, credential IDs and tokens (golden tests only: every
    /// key is then predictable from this number); `None`, the default, uses the system
    /// random number generator.
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
    /// Accept the simulated power cycle (vendor CTAPHID command 0x7E) from a peer; off by
    /// default, since it restarts the reset window and clears PIN_AUTH_BLOCKED. Test
    /// harnesses turn it on (`fido virtual --allow-power-cycle`).
    pub allow_power_cycle: bool,
    /// The attestation to use for makeCredential.
    pub attestation: Attestation,
    /// The credential algorithms offered, in getInfo's order of preference (default: all
    /// of [`Algorithm::ALL`](keys::Algorithm::ALL), ES256 first, then EdDSA).
    pub algorithms: Vec<keys::Algorithm>,
    /// The RP IDs preconfigured by the vendor for vendor-facilitated enterprise
    /// attestation (CTAP 2.1 §7.1): an `enterpriseAttestation` of 1 gives enterprise
    /// attestation for these RP IDs only, and normal attestation for any other.
    pub ep_rp_ids: Vec<String>,
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
            allow_power_cycle: false,
            attestation: Attestation::SelfAttestation,
            algorithms: keys::Algorithm::ALL.to_vec(),
            ep_rp_ids: Vec::new(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("aaguid", &hex::encode(self.aaguid))
            .field("seed", &self.seed)
            .field("pin", &self.pin.as_ref().map(|_| "<redacted>"))
            .field("presence", &self.presence)
            .field("verification", &self.verification)
            .field("state_file", &self.state_file)
            .field("u2f_only", &self.u2f_only)
            .field("builtin_uv", &self.builtin_uv)
            .field("max_discoverable", &self.max_discoverable)
            .field("allow_power_cycle", &self.allow_power_cycle)
            .field("attestation", &self.attestation)
            .field("algorithms", &self.algorithms)
            .field("ep_rp_ids", &self.ep_rp_ids)
            .finish()
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
    /// The state file was written by a newer release, in a format this one cannot read.
    #[error("state file {path}: format version {found} is newer than this release's")]
    StateVersion {
        /// The file.
        path: PathBuf,
        /// The format version found in it.
        found: u32,
    },
    /// The system random number generator failed (keys are never drawn from anything
    /// weaker).
    #[error("the system random number generator failed")]
    Rng,
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
            Some(path) => state_file::load(path)?,
            None => None,
        };
        let fresh = persistent.is_none();
        if let Some(p) = persistent.as_mut() {
            p.loads += 1;
        }
        let epoch = persistent.as_ref().map_or(0, |p| p.loads);
        let mut rng = match config.seed {
            Some(seed) => Drbg::from_seed_stream(seed, b"", epoch),
            None => Drbg::from_system()?,
        };
        // Attestation keys come from their own stream: with a seed they are the same at
        // every start, whatever the state.
        let mut attestation_rng = match config.seed {
            Some(seed) => Drbg::from_seed_stream(seed, b"attestation", 0),
            None => Drbg::from_system()?,
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
    ///
    /// A request longer than the advertised maxMsgSize is REQUEST_TOO_LARGE. The state
    /// file is written before the reply; if that fails the reply is CTAP1_ERR_OTHER
    /// whatever the command did (so that no PIN retry or counter is spent unrecorded).
    pub fn handle(&mut self, request: &[u8], waiter: &mut dyn Waiter) -> Vec<u8> {
        let response = match request.split_first() {
            None => Err(CtapStatus::INVALID_LENGTH),
            Some(_) if self.config.u2f_only => Err(CtapStatus::INVALID_COMMAND),
            Some(_) if request.len() > commands::MAX_MSG_SIZE => Err(CtapStatus::REQUEST_TOO_LARGE),
            Some((&command, params)) => commands::dispatch(self, command, params, waiter),
        };
        let response = match self.save() {
            Ok(()) => response,
            Err(e) => {
                eprintln!("fido-authenticator: could not save state: {e}");
                Err(CtapStatus::OTHER)
            }
        };
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
    /// If the state file cannot be written the response is the status word 0x6F00
    /// (internal error) alone.
    pub fn handle_apdu(&mut self, apdu: &[u8], waiter: &mut dyn Waiter) -> Vec<u8> {
        let out = commands::u2f::handle(self, apdu, waiter);
        match self.save() {
            Ok(()) => out,
            Err(e) => {
                eprintln!("fido-authenticator: could not save state: {e}");
                fido_types::apdu::ApduStatus::INTERNAL_ERROR
                    .to_bytes()
                    .to_vec()
            }
        }
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

    /// The signature counter of the credential with this ID.
    pub fn sign_count(&self, credential_id: &[u8]) -> u32 {
        self.persistent.counters.get(credential_id)
    }

    /// Writes the persistent state to the state file, if there is one and it changed
    /// (see `state_file`: crash-safe, mode 0600).
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
        state_file::write(&path, text.as_bytes()).map_err(|source| Error::StateFile {
            path: path.clone(),
            source,
        })?;
        self.saved = Some(zeroize::Zeroizing::new(text));
        Ok(())
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
