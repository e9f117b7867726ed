//! EdDSA (Ed25519) credential keys with ring: the seed is the Ed25519 private key.

use fido_types::cose::{CoseAlgorithm, CoseKey, OkpKey};
use ring::signature::{Ed25519KeyPair, KeyPair};

fn key(seed: &[u8; 32]) -> Option<Ed25519KeyPair> {
    Ed25519KeyPair::from_seed_unchecked(seed).ok()
}

/// Whether the seed gives a valid key (every seed does).
/// Every 32-byte seed is an Ed25519 private key (RFC 8032 section 5.1.5): nothing to
/// check, and no public key to compute.
pub(super) fn valid(_seed: &[u8; 32]) -> bool {
    true
}

/// The OKP COSE key `{1: 1, 3: -8, -1: 6 (Ed25519), -2: x}`.
pub(super) fn public(seed: &[u8; 32]) -> Option<CoseKey> {
    let kp = key(seed)?;
    let x: [u8; 32] = kp.public_key().as_ref().try_into().ok()?;
    OkpKey::new(CoseAlgorithm::EDDSA, x).ok().map(CoseKey::Okp)
}

/// The 64-byte Ed25519 signature.
pub(super) fn sign(seed: &[u8; 32], message: &[u8]) -> Option<Vec<u8>> {
    Some(key(seed)?.sign(message).as_ref().to_vec())
}
