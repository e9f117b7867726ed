//! Signature counters, one per credential (CTAP 2.1 §6.1 "signCount"; WebAuthn L3 §6.1.1).
//!
//! Each credential counts its own signatures, so that an RP cannot learn from the counter
//! how often the authenticator was used elsewhere. Counters are keyed by a digest of the
//! credential ID, so non-discoverable credentials (whose ID is all the authenticator
//! keeps) count too.
//!
//! A counter never wraps: at `u32::MAX` it stays there (saturates). An RP then sees a
//! counter that no longer increases, which WebAuthn treats as a possible clone signal,
//! rather than one that jumps back to 0, which every RP would treat as a clone; refusing
//! to sign would instead make the credential unusable.
//!
//! The table is bounded ([`MAX_COUNTERS`]): when it is full the lowest counter is
//! dropped and the floor rises to it, and every credential without an entry starts from
//! the floor, so no counter ever goes back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The most counters kept; beyond, the lowest is dropped into the floor.
pub const MAX_COUNTERS: usize = 4096;

/// The per-credential signature counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignCounters {
    /// hex(LEFT(SHA-256(credential ID), 16)) → signatures made.
    counters: BTreeMap<String, u32>,
    /// Where a credential without an entry starts: the highest counter ever dropped.
    floor: u32,
}

impl SignCounters {
    /// The counter of the credential with this ID (the floor if it has none).
    pub fn get(&self, credential_id: &[u8]) -> u32 {
        self.counters
            .get(&key(credential_id))
            .copied()
            .unwrap_or(self.floor)
    }

    /// Counts one signature of this credential and returns its new counter (saturating
    /// at `u32::MAX`).
    pub fn increment(&mut self, credential_id: &[u8]) -> u32 {
        let key = key(credential_id);
        if !self.counters.contains_key(&key) && self.counters.len() >= MAX_COUNTERS {
            self.drop_lowest();
        }
        let floor = self.floor;
        let counter = self.counters.entry(key).or_insert(floor);
        *counter = counter.saturating_add(1);
        *counter
    }

    /// Sets the counter of this credential (tests, migration); never lowers it.
    pub fn raise(&mut self, credential_id: &[u8], to: u32) {
        let key = key(credential_id);
        if !self.counters.contains_key(&key) && self.counters.len() >= MAX_COUNTERS {
            self.drop_lowest();
        }
        let floor = self.floor;
        let counter = self.counters.entry(key).or_insert(floor);
        *counter = (*counter).max(to);
    }

    /// Forgets the counter of a deleted credential.
    pub fn forget(&mut self, credential_id: &[u8]) {
        self.counters.remove(&key(credential_id));
    }

    /// Raises the floor (every credential without an entry starts there).
    pub fn raise_floor(&mut self, to: u32) {
        self.floor = self.floor.max(to);
    }

    /// How many counters are kept.
    pub fn len(&self) -> usize {
        self.counters.len()
    }

    /// Whether no counter is kept.
    pub fn is_empty(&self) -> bool {
        self.counters.is_empty()
    }

    fn drop_lowest(&mut self) {
        let lowest = self
            .counters
            .iter()
            .min_by_key(|(_, c)| **c)
            .map(|(k, c)| (k.clone(), *c));
        if let Some((k, c)) = lowest {
            self.counters.remove(&k);
            self.floor = self.floor.max(c);
        }
    }
}

/// The table key of a credential ID.
fn key(credential_id: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, credential_id);
    hex::encode(&digest.as_ref()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_per_credential() {
        let mut c = SignCounters::default();
        assert_eq!(c.increment(b"a"), 1);
        assert_eq!(c.increment(b"a"), 2);
        assert_eq!(c.increment(b"b"), 1);
        assert_eq!(c.get(b"a"), 2);
        assert_eq!(c.get(b"c"), 0);
    }

    #[test]
    fn a_counter_saturates_instead_of_wrapping() {
        let mut c = SignCounters::default();
        c.raise(b"a", u32::MAX - 1);
        assert_eq!(c.increment(b"a"), u32::MAX);
        assert_eq!(c.increment(b"a"), u32::MAX);
    }

    #[test]
    fn a_full_table_drops_the_lowest_into_the_floor_and_never_goes_back() {
        let mut c = SignCounters::default();
        for i in 0..MAX_COUNTERS as u32 {
            c.raise(&i.to_be_bytes(), i + 10);
        }
        assert_eq!(c.len(), MAX_COUNTERS);
        // A new credential evicts the lowest (10) and starts above it.
        assert_eq!(c.increment(b"new"), 11);
        assert_eq!(c.len(), MAX_COUNTERS);
        // The evicted credential comes back no lower than it was.
        assert!(c.get(&0u32.to_be_bytes()) >= 10);
        assert!(c.increment(&0u32.to_be_bytes()) > 10);
    }
}
