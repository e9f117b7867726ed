//! Credential keys: the COSE algorithms the authenticator makes credentials for, and a
//! credential's private key.
//!
//! Every credential key is a 32-byte secret seed, whatever the algorithm: the signing key
//! is derived from it (`ecdsa`: the scalar; `eddsa`: the Ed25519 seed; `rsa`: a
//! 2048-bit key generated from a generator keyed by the seed; `mldsa`: FIPS 204's
//! `ξ`). So a credential (stored, or sealed into its credential ID) is the same size for
//! every algorithm, and a seeded authenticator makes the same keys every run. One module
//! per algorithm family turns a seed into a public COSE key and signatures.

mod ecdsa;
mod eddsa;
mod mldsa;
mod rsa;

use std::sync::{Arc, OnceLock};

use fido_types::cose::{CoseAlgorithm, CoseKey};
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// A COSE algorithm the authenticator can make credentials for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Algorithm {
    /// ECDSA with P-256 and SHA-256 (COSE -7).
    Es256,
    /// EdDSA with Ed25519 (COSE -8).
    EdDsa,
    /// ECDSA with P-384 and SHA-384 (COSE -35).
    Es384,
    /// ECDSA with P-521 and SHA-512 (COSE -36).
    Es512,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt; 2048-bit keys (COSE -37).
    Ps256,
    /// RSASSA-PKCS1-v1_5 with SHA-256; 2048-bit keys (COSE -257).
    Rs256,
    /// ECDSA with secp256k1 and SHA-256 (COSE -47).
    Es256K,
    /// ML-DSA-44, FIPS 204 pure, empty context (COSE -48).
    MlDsa44,
    /// ML-DSA-65, FIPS 204 pure, empty context (COSE -49).
    MlDsa65,
    /// ML-DSA-87, FIPS 204 pure, empty context (COSE -50).
    MlDsa87,
}

/// The algorithm families, one module each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Ecdsa,
    EdDsa,
    Rsa,
    MlDsa,
}

impl Algorithm {
    /// Every supported algorithm, in the order getInfo lists them by default (ES256 first,
    /// then EdDSA).
    pub const ALL: [Algorithm; 10] = [
        Algorithm::Es256,
        Algorithm::EdDsa,
        Algorithm::Es384,
        Algorithm::Es512,
        Algorithm::Ps256,
        Algorithm::Rs256,
        Algorithm::Es256K,
        Algorithm::MlDsa44,
        Algorithm::MlDsa65,
        Algorithm::MlDsa87,
    ];

    /// The COSE algorithm (the generated IANA COSE Algorithms registry; ML-DSA from
    /// draft-ietf-cose-dilithium).
    pub const fn cose_algorithm(self) -> CoseAlgorithm {
        match self {
            Algorithm::Es256 => CoseAlgorithm::ES256,
            Algorithm::EdDsa => CoseAlgorithm::EDDSA,
            Algorithm::Es384 => CoseAlgorithm::ES384,
            Algorithm::Es512 => CoseAlgorithm::ES512,
            Algorithm::Ps256 => CoseAlgorithm::PS256,
            Algorithm::Rs256 => CoseAlgorithm::RS256,
            Algorithm::Es256K => CoseAlgorithm::ES256K,
            Algorithm::MlDsa44 => CoseAlgorithm::ML_DSA_44,
            Algorithm::MlDsa65 => CoseAlgorithm::ML_DSA_65,
            Algorithm::MlDsa87 => CoseAlgorithm::ML_DSA_87,
        }
    }

    /// The COSE algorithm identifier.
    pub const fn cose(self) -> i64 {
        self.cose_algorithm().0
    }

    /// The algorithm with this COSE identifier, if supported.
    pub const fn from_cose(alg: i64) -> Option<Self> {
        let mut i = 0;
        while i < Self::ALL.len() {
            if Self::ALL[i].cose() == alg {
                return Some(Self::ALL[i]);
            }
            i += 1;
        }
        None
    }

    /// The algorithm's COSE name ("ES256", "EdDSA", "ML-DSA-44", ...).
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::Es256 => "ES256",
            Algorithm::EdDsa => "EdDSA",
            Algorithm::Es384 => "ES384",
            Algorithm::Es512 => "ES512",
            Algorithm::Ps256 => "PS256",
            Algorithm::Rs256 => "RS256",
            Algorithm::Es256K => "ES256K",
            Algorithm::MlDsa44 => "ML-DSA-44",
            Algorithm::MlDsa65 => "ML-DSA-65",
            Algorithm::MlDsa87 => "ML-DSA-87",
        }
    }

    /// The algorithm with this COSE name (case-insensitive) or decimal COSE identifier.
    pub fn parse(text: &str) -> Option<Self> {
        if let Ok(id) = text.parse::<i64>() {
            return Self::from_cose(id);
        }
        Self::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(text))
    }

    /// The code of the algorithm in a sealed credential ID (stable: never reuse one).
    pub(crate) const fn wrap_code(self) -> u8 {
        match self {
            Algorithm::Es256 => 0,
            Algorithm::EdDsa => 1,
            Algorithm::Es384 => 2,
            Algorithm::Es512 => 3,
            Algorithm::Ps256 => 4,
            Algorithm::Rs256 => 5,
            Algorithm::Es256K => 6,
            Algorithm::MlDsa44 => 7,
            Algorithm::MlDsa65 => 8,
            Algorithm::MlDsa87 => 9,
        }
    }

    /// The algorithm with this sealed-credential code.
    pub(crate) fn from_wrap_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.wrap_code() == code)
    }

    const fn family(self) -> Family {
        match self {
            Algorithm::Es256 | Algorithm::Es384 | Algorithm::Es512 | Algorithm::Es256K => {
                Family::Ecdsa
            }
            Algorithm::EdDsa => Family::EdDsa,
            Algorithm::Ps256 | Algorithm::Rs256 => Family::Rsa,
            Algorithm::MlDsa44 | Algorithm::MlDsa65 | Algorithm::MlDsa87 => Family::MlDsa,
        }
    }
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a credential key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The seed does not give a valid key for the algorithm.
    #[error("invalid private key for {0:?}")]
    InvalidKey(Algorithm),
    /// Signing failed.
    #[error("{0:?} signing failed")]
    Signing(Algorithm),
}

/// The derived RSA key, generated once per [`CredentialKey`] value (and shared by its
/// clones): generating a 2048-bit key takes tens of milliseconds or more.
#[derive(Clone, Default)]
struct RsaCache(OnceLock<Arc<::rsa::PrivateKey>>);

impl std::fmt::Debug for RsaCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RsaCache(..)")
    }
}

/// A credential's private key: the algorithm and a 32-byte secret seed the signing key
/// derives from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CredentialKey {
    /// The algorithm.
    pub alg: Algorithm,
    secret: Secret<32>,
    #[serde(skip)]
    rsa: RsaCache,
}

impl CredentialKey {
    /// A key for `alg` derived from 32 secret bytes. For ES256 and ES256K the bytes are
    /// the scalar and must be valid (`1..n`); callers draw again otherwise.
    ///
    /// # Errors
    /// [`KeyError::InvalidKey`] if the bytes do not give a valid key.
    pub fn from_bytes(alg: Algorithm, bytes: &[u8; 32]) -> Result<Self, KeyError> {
        let valid = match alg.family() {
            Family::Ecdsa => ecdsa::valid(alg, bytes),
            Family::EdDsa => eddsa::valid(bytes),
            // Any seed gives an RSA key (generated when first used) and an ML-DSA key.
            Family::Rsa | Family::MlDsa => true,
        };
        if !valid {
            return Err(KeyError::InvalidKey(alg));
        }
        Ok(CredentialKey {
            alg,
            secret: Secret(*bytes),
            rsa: RsaCache::default(),
        })
    }

    /// The public key as a COSE key: EC2 `{1: 2, 3: alg, -1: crv, -2: x, -3: y}`, OKP
    /// `{1: 1, 3: -8, -1: 6, -2: x}`, RSA `{1: 3, 3: alg, -1: n, -2: e}` (typed), and the
    /// untyped ES256K (EC2, crv 8) and AKP `{1: 7, 3: alg, -1: public key}` keys.
    ///
    /// # Errors
    /// [`KeyError::InvalidKey`] if the private key is invalid.
    pub fn public_key(&self) -> Result<CoseKey, KeyError> {
        let seed = self.secret.expose_secret();
        match self.alg.family() {
            Family::Ecdsa => ecdsa::public(self.alg, seed),
            Family::EdDsa => eddsa::public(seed),
            Family::Rsa => rsa::public(self.alg, &*self.rsa_key()?),
            Family::MlDsa => mldsa::public(self.alg, seed),
        }
        .ok_or(KeyError::InvalidKey(self.alg))
    }

    /// The public key as a COSE_Key in CTAP2-canonical CBOR ([`Self::public_key`] encoded).
    ///
    /// # Errors
    /// [`KeyError::InvalidKey`] if the private key is invalid.
    pub fn public_cose(&self) -> Result<Vec<u8>, KeyError> {
        self.public_key().map(|k| k.to_cbor())
    }

    /// The uncompressed SEC1 public point (65 bytes) of an ES256 key; `None` for other
    /// algorithms.
    pub fn public_point(&self) -> Option<Vec<u8>> {
        match self.alg {
            Algorithm::Es256 => ecdsa::p256_point(self.secret.expose_secret()),
            _ => None,
        }
    }

    /// Signs `message`: ECDSA gives a DER signature (RFC 6979 deterministic nonce), EdDSA
    /// the 64-byte Ed25519 signature, RS256/PS256 the 256-byte RSA signature, ML-DSA the
    /// FIPS 204 signature (deterministic variant, empty context).
    ///
    /// # Errors
    /// [`KeyError::InvalidKey`] if the private key is invalid, [`KeyError::Signing`] if
    /// signing fails.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let seed = self.secret.expose_secret();
        let signature = match self.alg.family() {
            Family::Ecdsa => ecdsa::sign(self.alg, seed, message),
            Family::EdDsa => eddsa::sign(seed, message),
            Family::Rsa => rsa::sign(self.alg, &*self.rsa_key()?, seed, message),
            Family::MlDsa => mldsa::sign(self.alg, seed, message),
        };
        signature.ok_or(KeyError::Signing(self.alg))
    }

    /// The private key seed (for wrapping into a credential ID).
    pub(crate) fn secret_bytes(&self) -> &[u8; 32] {
        self.secret.expose_secret()
    }

    fn rsa_key(&self) -> Result<Arc<::rsa::PrivateKey>, KeyError> {
        if let Some(key) = self.rsa.0.get() {
            return Ok(key.clone());
        }
        let key = Arc::new(
            rsa::generate(self.secret.expose_secret()).ok_or(KeyError::InvalidKey(self.alg))?,
        );
        Ok(self.rsa.0.get_or_init(|| key).clone())
    }
}

/// DER `SEQUENCE { INTEGER r, INTEGER s }` from big-endian `r` and `s` (each at most 127
/// bytes, which covers every curve here).
pub(crate) fn der_signature(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn length(out: &mut Vec<u8>, len: usize) {
        if len < 0x80 {
            out.push(len as u8);
        } else {
            out.extend_from_slice(&[0x81, len as u8]);
        }
    }
    fn integer(v: &[u8]) -> Vec<u8> {
        let start = v.iter().position(|&b| b != 0).unwrap_or(v.len() - 1);
        let v = &v[start..];
        let mut out = vec![0x02];
        if v[0] & 0x80 != 0 {
            length(&mut out, v.len() + 1);
            out.push(0);
        } else {
            length(&mut out, v.len());
        }
        out.extend_from_slice(v);
        out
    }
    let (r, s) = (integer(r), integer(s));
    let mut out = vec![0x30];
    length(&mut out, r.len() + s.len());
    out.extend(r);
    out.extend(s);
    out
}

/// `label`-keyed HMAC of the seed, `len` bytes long (HMAC-SHA-512 in counter mode): the
/// secret material for algorithms whose keys are not 32 bytes.
fn expand(seed: &[u8; 32], label: &[u8], len: usize) -> zeroize::Zeroizing<Vec<u8>> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA512, seed);
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(len + 64));
    let mut counter: u32 = 0;
    while out.len() < len {
        counter += 1;
        let mut ctx = ring::hmac::Context::with_key(&key);
        ctx.update(label);
        ctx.update(&counter.to_be_bytes());
        out.extend_from_slice(ctx.sign().as_ref());
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests;
