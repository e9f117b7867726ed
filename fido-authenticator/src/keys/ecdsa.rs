//! ECDSA credential keys: ES256 (P-256, p256), ES384 (P-384, p384), ES512 (P-521, p521)
//! and ES256K (secp256k1, k256). Signatures are DER `SEQUENCE { r, s }` with RFC 6979
//! nonces; public keys are EC2 COSE keys with the uncompressed point's coordinates.
//!
//! The scalar: for ES256 and ES256K the seed itself (so it must be below the group
//! order); for ES384 the first 48 bytes, for ES512 66 bytes with the top 7 bits cleared,
//! of [`expand`](super::expand)ed seed material.

use fido_types::cbor::Value;
use fido_types::cose::{CoseKey, Ec2Key, RawCoseKey};
use fido_types::generated::cose::{CoseEllipticCurve, CoseKeyParameter, CoseKeyType};
use p256::ecdsa::signature::Signer;
use zeroize::Zeroizing;

use super::{Algorithm, der_signature, expand};

/// An ECDSA signing key of one of the curves.
enum Key {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    P521(p521::ecdsa::SigningKey),
    K256(k256::ecdsa::SigningKey),
}

fn scalar(alg: Algorithm, seed: &[u8; 32]) -> Zeroizing<Vec<u8>> {
    match alg {
        Algorithm::Es384 => expand(seed, b"fido-rs ES384 scalar", 48),
        Algorithm::Es512 => {
            let mut bytes = expand(seed, b"fido-rs ES512 scalar", 66);
            // A P-521 scalar has 521 bits: 66 bytes with only the lowest bit of the first.
            bytes[0] &= 0x01;
            bytes
        }
        _ => Zeroizing::new(seed.to_vec()),
    }
}

fn key(alg: Algorithm, seed: &[u8; 32]) -> Option<Key> {
    let scalar = scalar(alg, seed);
    Some(match alg {
        Algorithm::Es256 => Key::P256(p256::ecdsa::SigningKey::from_slice(&scalar).ok()?),
        Algorithm::Es384 => Key::P384(p384::ecdsa::SigningKey::from_slice(&scalar).ok()?),
        Algorithm::Es512 => Key::P521(p521::ecdsa::SigningKey::from_slice(&scalar).ok()?),
        Algorithm::Es256K => Key::K256(k256::ecdsa::SigningKey::from_slice(&scalar).ok()?),
        _ => return None,
    })
}

/// Whether the seed gives a valid key.
/// Whether the seed gives a valid scalar (`1..n`): a range check, without computing the
/// public key as building a `SigningKey` does.
pub(super) fn valid(alg: Algorithm, seed: &[u8; 32]) -> bool {
    let scalar = scalar(alg, seed);
    match alg {
        Algorithm::Es256 => p256::SecretKey::from_slice(&scalar).is_ok(),
        Algorithm::Es384 => p384::SecretKey::from_slice(&scalar).is_ok(),
        Algorithm::Es512 => p521::SecretKey::from_slice(&scalar).is_ok(),
        Algorithm::Es256K => k256::SecretKey::from_slice(&scalar).is_ok(),
        _ => false,
    }
}

/// Whether `SigningKey::from_slice` takes the seed's scalar (what `valid` checked before
/// it became a range check; the tests compare the two).
#[cfg(test)]
pub(super) fn signing_key_builds(alg: Algorithm, seed: &[u8; 32]) -> bool {
    key(alg, seed).is_some()
}

/// ES256 over the bare scalar: RFC 6979 deterministic ECDSA with SHA-256, the signature
/// `SigningKey::sign` gives, without the public-key computation (a scalar multiplication,
/// as costly as the signature itself) that building a `SigningKey` does.
fn sign_p256(seed: &[u8; 32], message: &[u8]) -> Option<Vec<u8>> {
    use ::ecdsa::DigestAlgorithm;
    use ::ecdsa::hazmat::sign_prehashed_rfc6979;
    use p256::ecdsa::signature::digest::Digest;
    type Sha = <p256::NistP256 as DigestAlgorithm>::Digest;
    let secret = p256::SecretKey::from_slice(seed).ok()?;
    let d = secret.to_nonzero_scalar();
    let prehash = Sha::digest(message);
    let (signature, _) = sign_prehashed_rfc6979::<p256::NistP256, Sha>(&d, &prehash, &[]);
    let raw = signature.to_bytes();
    Some(der_signature(&raw[..32], &raw[32..]))
}

/// The uncompressed SEC1 point of an ES256 key (U2F's user public key).
pub(super) fn p256_point(seed: &[u8; 32]) -> Option<Vec<u8>> {
    match key(Algorithm::Es256, seed)? {
        Key::P256(k) => Some(k.verifying_key().to_sec1_point(false).as_bytes().to_vec()),
        _ => None,
    }
}

/// The EC2 COSE key: typed for the NIST curves; secp256k1 (ES256K), which
/// `fido_types::cose` does not type, as an untyped key with the same members
/// `{1: 2, 3: alg, -1: 8, -2: x, -3: y}`.
pub(super) fn public(alg: Algorithm, seed: &[u8; 32]) -> Option<CoseKey> {
    let point = match key(alg, seed)? {
        Key::P256(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
        Key::P384(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
        Key::P521(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
        Key::K256(k) => {
            let point = k.verifying_key().to_sec1_point(false);
            return secp256k1_key(alg, point.as_bytes());
        }
    };
    let alg = alg.cose_algorithm();
    Ec2Key::from_uncompressed_point(alg, &point)
        .ok()
        .map(CoseKey::Ec2)
}

/// The untyped EC2 key of a secp256k1 point (uncompressed: 0x04 ‖ x ‖ y).
fn secp256k1_key(alg: Algorithm, point: &[u8]) -> Option<CoseKey> {
    let coordinates = point.get(1..)?;
    let (x, y) = coordinates.split_at(coordinates.len() / 2);
    let raw = RawCoseKey::from_params([
        (
            CoseKeyParameter::KTY.0,
            Value::Integer(CoseKeyType::EC2.0.into()),
        ),
        (CoseKeyParameter::ALG.0, Value::Integer(alg.cose().into())),
        (
            CoseKeyParameter::CRV.0,
            Value::Integer(CoseEllipticCurve::SECP256K1.0.into()),
        ),
        (CoseKeyParameter::X.0, Value::Bytes(x.to_vec())),
        (CoseKeyParameter::Y.0, Value::Bytes(y.to_vec())),
    ]);
    raw.ok().map(CoseKey::Other)
}

/// A DER ECDSA signature of `message` (hashed with the algorithm's hash).
pub(super) fn sign(alg: Algorithm, seed: &[u8; 32], message: &[u8]) -> Option<Vec<u8>> {
    if alg == Algorithm::Es256 {
        return sign_p256(seed, message);
    }
    let raw = match key(alg, seed)? {
        Key::P256(k) => Signer::<p256::ecdsa::Signature>::sign(&k, message)
            .to_bytes()
            .to_vec(),
        Key::P384(k) => Signer::<p384::ecdsa::Signature>::sign(&k, message)
            .to_bytes()
            .to_vec(),
        Key::P521(k) => Signer::<p521::ecdsa::Signature>::sign(&k, message)
            .to_bytes()
            .to_vec(),
        Key::K256(k) => Signer::<k256::ecdsa::Signature>::sign(&k, message)
            .to_bytes()
            .to_vec(),
    };
    let (r, s) = raw.split_at(raw.len() / 2);
    Some(der_signature(r, s))
}
