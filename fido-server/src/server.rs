//! The relying party's configuration: its identity, the origins it serves, the algorithms
//! it accepts, its attestation preference and trust.

use fido_types::cose::CoseAlgorithm;
use fido_types::webauthn::{AttestationConveyancePreference, PublicKeyCredentialRpEntity};

use crate::trust::TrustStore;

/// A WebAuthn relying party in the role of python-fido2's `Fido2Server`: it issues
/// options ([`register_begin`](Self::register_begin),
/// [`authenticate_begin`](Self::authenticate_begin)) and verifies the responses
/// ([`register_complete`](Self::register_complete),
/// [`authenticate_complete`](Self::authenticate_complete)).
#[derive(Debug, Clone)]
pub struct Fido2Server {
    pub(crate) rp: PublicKeyCredentialRpEntity,
    pub(crate) rp_id: String,
    pub(crate) origins: Vec<String>,
    pub(crate) top_origins: Option<Vec<String>>,
    pub(crate) algorithms: Vec<CoseAlgorithm>,
    pub(crate) attestation: AttestationConveyancePreference,
    pub(crate) timeout: Option<u32>,
    pub(crate) trust: Option<TrustStore>,
    pub(crate) validation_time: Option<i64>,
}

/// The algorithms offered by default, most preferred first: every one this crate verifies.
pub const DEFAULT_ALGORITHMS: &[CoseAlgorithm] = &[
    CoseAlgorithm::ES256,
    CoseAlgorithm::EDDSA,
    CoseAlgorithm::ES384,
    CoseAlgorithm::ES512,
    CoseAlgorithm::ES256K,
    CoseAlgorithm::PS256,
    CoseAlgorithm::RS256,
    CoseAlgorithm::ML_DSA_44,
    CoseAlgorithm::ML_DSA_65,
    CoseAlgorithm::ML_DSA_87,
];

impl Fido2Server {
    /// A relying party `rp_id` named `rp_name`, serving exactly the `origins` given
    /// (e.g. `https://login.example.com`). Cross-origin calls are refused, attestation
    /// is not requested (`none`) and not checked against any trust store.
    pub fn new(rp_id: impl Into<String>, rp_name: impl Into<String>, origins: Vec<String>) -> Self {
        let rp_id = rp_id.into();
        Self {
            rp: PublicKeyCredentialRpEntity::new(Some(rp_id.clone()), rp_name),
            rp_id,
            origins,
            top_origins: None,
            algorithms: DEFAULT_ALGORITHMS.to_vec(),
            attestation: AttestationConveyancePreference::NONE,
            timeout: None,
            trust: None,
            validation_time: None,
        }
    }

    /// Offers and accepts only `algorithms`, most preferred first.
    pub fn with_algorithms(mut self, algorithms: Vec<CoseAlgorithm>) -> Self {
        self.algorithms = algorithms;
        self
    }

    /// Sets the attestation conveyance preference of the creation options.
    pub fn with_attestation(mut self, preference: AttestationConveyancePreference) -> Self {
        self.attestation = preference;
        self
    }

    /// Accepts ceremonies in cross-origin iframes whose top-level origin is one of
    /// `top_origins` (WebAuthn L3 §7.1 steps 10–11).
    pub fn with_cross_origin(mut self, top_origins: Vec<String>) -> Self {
        self.top_origins = Some(top_origins);
        self
    }

    /// Sets the timeout hint (milliseconds) of the options.
    pub fn with_timeout(mut self, timeout: u32) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Requires every registration's attestation to chain to a root of `trust` (self and
    /// `none` attestations are then refused).
    pub fn with_trust_store(mut self, trust: TrustStore) -> Self {
        self.trust = Some(trust);
        self
    }

    /// Checks certificate validity at `unix_time` (seconds) instead of now: for verifying
    /// recorded responses whose certificates have since expired.
    pub fn with_validation_time(mut self, unix_time: i64) -> Self {
        self.validation_time = Some(unix_time);
        self
    }

    /// The RP ID.
    pub fn rp_id(&self) -> &str {
        &self.rp_id
    }

    /// The time certificates are checked at: the one set, or now.
    pub(crate) fn now(&self) -> i64 {
        self.validation_time.unwrap_or_else(unix_now)
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
