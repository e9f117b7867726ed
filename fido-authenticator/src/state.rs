//! The authenticator's state: what survives power cycles ([`Persistent`]: PIN, retries,
//! credentials, large blobs, configuration) and what does not ([`Volatile`]: the
//! key-agreement key, the pinUvAuthToken with its permissions, RP ID and timer, the
//! consecutive-wrong-PIN count, the power-up time).

use std::time::{Duration, Instant};

use fido_types::pin_protocol::{KeyAgreementKey, PIN_HASH_LEN};
use serde::{Deserialize, Serialize};

use crate::counters::SignCounters;
use crate::rng::Drbg;
use crate::secret::Secret;
use crate::store::Store;

/// PIN retries after a reset or a correct PIN (CTAP 2.1 §6.5.2.2: 8).
pub const MAX_PIN_RETRIES: u8 = 8;

/// Consecutive wrong PINs after which the authenticator needs a power cycle (CTAP 2.1:
/// 3).
pub const PIN_FAILURES_BEFORE_POWER_CYCLE: u8 = 3;

/// Reset is accepted only this long after power-up (CTAP 2.1 §6.6: 10 s).
pub const RESET_WINDOW: Duration = Duration::from_secs(10);

/// A pinUvAuthToken may be used for this long after it is issued (CTAP 2.1 §6.5.2.1
/// allows any maximum of at least 30 s; 10 minutes, like several hardware keys).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(600);

/// A pinUvAuthToken not used within this long after it is issued expires (CTAP 2.1
/// §6.5.2.1, the initial usage time limit; 30 s for USB authenticators).
pub const TOKEN_INITIAL_USAGE_LIMIT: Duration = Duration::from_secs(30);

/// Built-in UV retries after a reset or a successful verification.
pub const MAX_UV_RETRIES: u8 = 8;

fn max_uv_retries() -> u8 {
    MAX_UV_RETRIES
}

/// The state file's format version this authenticator writes (`format` in the file).
/// Version 1 is the unversioned format of earlier releases (one sign counter for every
/// credential); it is read and rewritten as the current version.
pub const FORMAT_VERSION: u32 = 2;

/// Default minimum PIN length in code points.
pub const DEFAULT_MIN_PIN_LENGTH: u8 = 4;

/// pinUvAuthToken permissions (CTAP 2.1 §6.5.5.7): the generated bit set.
pub use fido_types::generated::client_pin::Permissions;

/// The stored PIN: its hash (LEFT(SHA-256(PIN), 16)) and length in code points.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredPin {
    /// LEFT(SHA-256(PIN), 16).
    pub hash: Secret<PIN_HASH_LEN>,
    /// Length in Unicode code points (to check a raised minimum length).
    pub code_points: usize,
}

/// Everything that survives a power cycle, and is written to the state file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Persistent {
    /// The PIN, if set.
    pub pin: Option<StoredPin>,
    /// PIN retries left (0: blocked until reset).
    pub pin_retries: u8,
    /// Whether the PIN must be changed before a token is issued.
    pub force_pin_change: bool,
    /// Minimum PIN length in code points.
    pub min_pin_length: u8,
    /// RP IDs that may read the minimum PIN length (minPinLength extension).
    pub min_pin_length_rp_ids: Vec<String>,
    /// Whether alwaysUv is on.
    pub always_uv: bool,
    /// Whether enterprise attestation is enabled.
    pub enterprise_attestation: bool,
    /// The state file's format version ([`FORMAT_VERSION`]; absent
    /// in the unversioned format 1).
    #[serde(default = "legacy_format")]
    pub format: u32,
    /// The signature counters, one per credential.
    #[serde(default)]
    pub counters: SignCounters,
    /// Format 1's single counter shared by every credential: read once, then the floor of
    /// the per-credential counters (so none goes back), never written.
    #[serde(default, rename = "sign_count", skip_serializing)]
    pub(crate) legacy_sign_count: u32,
    /// The serialized large-blob array (initially the empty array and its hash).
    #[serde(with = "crate::secret::hex_bytes")]
    pub large_blob_array: Vec<u8>,
    /// The credentials.
    pub store: Store,
    /// Enrolled fingerprint templates (template ID, friendly name) of the simulated sensor.
    pub fingerprints: Vec<(u8, Option<String>)>,
    /// How many times this state was loaded from its file (keys a seeded generator, so a
    /// restart does not repeat the previous run's nonces).
    #[serde(default)]
    pub loads: u64,
    /// Built-in UV attempts left (0: blocked until a correct PIN or reset).
    #[serde(default = "max_uv_retries")]
    pub uv_retries: u8,
    /// The persistent pinUvAuthToken (permission pcmr, CTAP 2.2): survives power cycles,
    /// dropped when the PIN changes and at reset.
    #[serde(default)]
    pub persistent_token: Option<Secret<32>>,
    /// The device identifier reported (encrypted) as encIdentifier.
    #[serde(default)]
    pub identifier: Option<Secret<16>>,
}

impl Persistent {
    /// A factory-fresh state with room for `capacity` discoverable credentials, wrapping
    /// non-discoverable credential IDs with `wrap_key`.
    pub fn new(capacity: usize, wrap_key: Secret<32>) -> Self {
        Persistent {
            pin: None,
            pin_retries: MAX_PIN_RETRIES,
            force_pin_change: false,
            min_pin_length: DEFAULT_MIN_PIN_LENGTH,
            min_pin_length_rp_ids: Vec::new(),
            always_uv: false,
            enterprise_attestation: false,
            format: FORMAT_VERSION,
            counters: SignCounters::default(),
            legacy_sign_count: 0,
            large_blob_array: empty_large_blob_array(),
            store: Store::new(capacity, wrap_key),
            fingerprints: Vec::new(),
            persistent_token: None,
            identifier: None,
            uv_retries: MAX_UV_RETRIES,
            loads: 0,
        }
    }
}

impl Persistent {
    /// Brings a state read from an older format up to date: format 1's shared counter
    /// becomes the floor of the per-credential counters.
    pub(crate) fn upgrade(&mut self) {
        self.counters.raise_floor(self.legacy_sign_count);
        self.legacy_sign_count = 0;
        self.format = FORMAT_VERSION;
    }
}

fn legacy_format() -> u32 {
    1
}

/// The initial serialized large-blob array: CBOR `[]` followed by LEFT(SHA-256(`[]`), 16)
/// (CTAP 2.1 §6.10.2).
pub fn empty_large_blob_array() -> Vec<u8> {
    let mut out = vec![0x80];
    out.extend_from_slice(&ring::digest::digest(&ring::digest::SHA256, &[0x80]).as_ref()[..16]);
    out
}

/// The current pinUvAuthToken and its state (CTAP 2.1 §6.5.2.1 "pinUvAuthToken
/// state"): permissions, permissions RP ID, usage timer, and the user-present and
/// user-verified flags.
///
/// - It expires [`TOKEN_INITIAL_USAGE_LIMIT`] after issue if unused, and
///   [`TOKEN_LIFETIME`] after issue in any case.
/// - A makeCredential or getAssertion that collects user presence with it clears both
///   flags and every permission but largeBlobWrite (§6.1.2 step 15, §6.2.2 step 9), so
///   one PIN entry yields one user-verified ceremony.
/// - `user_present` is set when the token was obtained with built-in UV (the user
///   touched the sensor): the next ceremony needs no further touch.
#[derive(Debug)]
pub struct Token {
    /// The token bytes.
    pub secret: Secret<32>,
    /// Its permissions.
    pub permissions: Permissions,
    /// The permissions RP ID, once bound.
    pub rp_id: Option<String>,
    /// When it was issued (by the simulated clock).
    pub issued: Instant,
    /// Whether it has been used (the initial usage time limit no longer applies).
    pub used: bool,
    /// The userPresent flag: the user was present when it was obtained (built-in UV),
    /// and no ceremony has consumed that presence yet.
    pub user_present: bool,
    /// The userVerified flag: cleared once a ceremony has used the verification.
    pub user_verified: bool,
}

impl Token {
    /// Whether the usage timer has run out at `now`: unused past the initial usage limit,
    /// or past the lifetime.
    pub fn expired(&self, now: Instant) -> bool {
        let age = now.saturating_duration_since(self.issued);
        age > TOKEN_LIFETIME || (!self.used && age > TOKEN_INITIAL_USAGE_LIMIT)
    }

    /// After a ceremony that collected user presence: clears the flags and every
    /// permission except largeBlobWrite.
    pub fn consume_presence(&mut self) {
        self.user_present = false;
        self.user_verified = false;
        self.permissions = Permissions(self.permissions.0 & Permissions::LARGE_BLOB_WRITE.0);
    }
}

/// State lost at power-off.
#[derive(Debug)]
pub struct Volatile {
    /// The key-agreement key, regenerated at each power-up.
    pub key_agreement: KeyAgreementKey,
    /// The current token; a new one replaces (invalidates) the old one.
    pub token: Option<Token>,
    /// Consecutive wrong PINs since power-up.
    pub consecutive_pin_failures: u8,
    /// When the authenticator was (simulated to be) powered up.
    pub power_up: Instant,
}

impl Volatile {
    /// Fresh power-up state.
    pub(crate) fn power_up(rng: &mut Drbg, now: Instant) -> Self {
        Volatile {
            key_agreement: new_key_agreement_key(rng),
            token: None,
            consecutive_pin_failures: 0,
            power_up: now,
        }
    }

    /// Whether three wrong PINs in a row require a power cycle.
    pub fn pin_auth_blocked(&self) -> bool {
        self.consecutive_pin_failures >= PIN_FAILURES_BEFORE_POWER_CYCLE
    }
}

/// A new key-agreement key from the generator (drawing again in the negligible case the
/// bytes are not a valid scalar).
pub(crate) fn new_key_agreement_key(rng: &mut Drbg) -> KeyAgreementKey {
    loop {
        let scalar = rng.secret::<32>();
        if let Ok(key) = KeyAgreementKey::from_secret_bytes(&scalar) {
            return key;
        }
    }
}

/// A simulated clock: the real monotonic clock plus an offset that tests may advance.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    offset: Duration,
}

impl Clock {
    /// Now, by this clock.
    pub fn now(&self) -> Instant {
        Instant::now() + self.offset
    }

    /// Moves this clock forward.
    pub fn advance(&mut self, by: Duration) {
        self.offset += by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_large_blob_array_matches_spec_example() {
        // CTAP 2.1 §6.10.2: the initial value is h'8076be8b528d0075f7aae98d6fa57a6d3c'.
        assert_eq!(
            hex::encode(empty_large_blob_array()),
            "8076be8b528d0075f7aae98d6fa57a6d3c"
        );
    }

    #[test]
    fn permissions_contains() {
        let p = Permissions(0x03);
        assert!(p.contains(Permissions::MAKE_CREDENTIAL));
        assert!(p.contains(Permissions::GET_ASSERTION));
        assert!(!p.contains(Permissions::CREDENTIAL_MANAGEMENT));
    }

    #[test]
    fn clock_advances() {
        let mut c = Clock::default();
        let before = c.now();
        c.advance(Duration::from_secs(11));
        assert!(c.now().duration_since(before) >= Duration::from_secs(11));
    }
}
