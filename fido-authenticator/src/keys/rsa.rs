//! RSA credential keys (RS256, PS256) with the rsa crate: a 2048-bit key (e = 65537)
//! generated from a generator keyed by the seed, so the same seed always gives the same
//! key. RS256 signs with PKCS #1 v1.5, PS256 with PSS (MGF1-SHA-256, 32-byte salt drawn
//! from a generator keyed by the seed and the message). Public keys are RSA COSE keys
//! (`1: 3, -1: n, -2: e`, unsigned big-endian without leading zeros; RFC 8230).

use fido_types::cose::{CoseKey, RsaKey};
use rsa::PrivateKey;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use sha2::Sha256;

use super::Algorithm;
use crate::rng::Drbg;

/// The modulus size.
const BITS: usize = 2048;

/// The key for this seed.
pub(super) fn generate(seed: &[u8; 32]) -> Option<PrivateKey> {
    let material = zeroize::Zeroizing::new([b"fido-rs RSA-2048 key".as_slice(), seed].concat());
    let mut rng = Drbg::from_material(&material);
    PrivateKey::new(&mut rng, BITS).ok()
}

/// The RSA COSE key `{1: 3, 3: alg, -1: n, -2: e}` (big-endian, no leading zeros).
pub(super) fn public(alg: Algorithm, key: &PrivateKey) -> Option<CoseKey> {
    let n = key.n().to_be_bytes();
    let e = key.e().to_be_bytes();
    RsaKey::new(alg.cose_algorithm(), &n, &e)
        .ok()
        .map(CoseKey::Rsa)
}

/// The signature of `message`.
pub(super) fn sign(
    alg: Algorithm,
    key: &PrivateKey,
    seed: &[u8; 32],
    message: &[u8],
) -> Option<Vec<u8>> {
    match alg {
        Algorithm::Rs256 => {
            let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key.clone());
            Some(signer.try_sign(message).ok()?.to_vec())
        }
        Algorithm::Ps256 => {
            let signer = rsa::pss::SigningKey::<Sha256>::new(key.clone());
            let mut material = zeroize::Zeroizing::new(b"fido-rs PS256 salt".to_vec());
            material.extend_from_slice(seed);
            material.extend_from_slice(message);
            let mut rng = Drbg::from_material(&material);
            Some(signer.try_sign_with_rng(&mut rng, message).ok()?.to_vec())
        }
        _ => None,
    }
}
