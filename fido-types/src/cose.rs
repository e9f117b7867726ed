//! COSE keys and algorithm identifiers (RFC 9052/9053, IANA COSE registries).
//!
//! [`CoseKey`] is a public key as CTAP and WebAuthn carry it: typed for ES256, ES384,
//! ES512, EdDSA (Ed25519), RS256 and PS256 (and their close relatives), kept as its raw
//! map otherwise. Typed keys verify signatures with ring, convert to and from
//! SubjectPublicKeyInfo DER, and ES256 keys can be built from a CTAP1/U2F public key.
//!
//! ```
//! use fido_types::cose::{CoseAlgorithm, CoseKey};
//! // The EdDSA key and signature of python-fido2's tests/test_cose.py (test_EdDSA_parse_verify).
//! let key = CoseKey::from_cbor(&hex::decode(
//!     "a4010103272006215820ee9b21803405d3cf45601e58b6f4c06ea93862de87d3af903c5870a5016e86f5",
//! ).unwrap())?;
//! assert_eq!(key.alg(), Some(CoseAlgorithm::EDDSA));
//! let message = hex::decode(concat!(
//!     "a379a6f6eeafb9a55e378c118034e2751e682fab9f2d30ab13d2125586ce1947",
//!     "010000000500a11a323057d1103784ddff99a354ddd42348c2f00e88d8977b916cabf92268",
//! )).unwrap();
//! let signature = hex::decode(concat!(
//!     "e8c927ef1a57c738ff4ba8d6f90e06d837a5219eee47991f96b126b0685d5125",
//!     "20c9c2eedebe4b88ff2de2b19cb5f8686efc7c4261e9ed1cb3ac5de50869be0a",
//! )).unwrap();
//! key.verify(&message, &signature)?;
//! assert!(key.verify(b"other message", &signature).is_err());
//! # Ok::<(), fido_types::cose::CoseError>(())
//! ```

mod algorithm;
pub(crate) mod der;
mod error;
mod key;
mod key_agreement;
mod spki;

pub use algorithm::CoseAlgorithm;
pub use error::CoseError;
pub use key::{
    CRV_ED448, CRV_ED25519, CoseKey, Ec2Key, EcCurve, OkpKey, RawCoseKey, RsaKey, kty, label,
};
