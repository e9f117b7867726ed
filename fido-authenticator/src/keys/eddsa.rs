//! EdDSA (Ed25519) credential keys with ring: the seed is the Ed25519 private key.

use fido_types::cbor::Value;
use ring::signature::{Ed25519KeyPair, KeyPair};

fn key(seed: &[u8; 32]) -> Option<Ed25519KeyPair> {
    Ed25519KeyPair::from_seed_unchecked(seed).ok()
}

/// Whether the seed gives a valid key (every seed does).
pub(super) fn valid(seed: &[u8; 32]) -> bool {
    key(seed).is_some()
}

/// The OKP COSE parameters `1: 1, -1: 6 (Ed25519), -2: x`.
pub(super) fn public(seed: &[u8; 32]) -> Option<Vec<(i128, Value)>> {
    let kp = key(seed)?;
    Some(vec![
        (1, Value::Integer(1)),
        (-1, Value::Integer(6)),
        (-2, Value::Bytes(kp.public_key().as_ref().to_vec())),
    ])
}

/// The 64-byte Ed25519 signature.
pub(super) fn sign(seed: &[u8; 32], message: &[u8]) -> Option<Vec<u8>> {
    Some(key(seed)?.sign(message).as_ref().to_vec())
}
