//! ML-DSA credential keys (FIPS 204) with RustCrypto's ml-dsa: the seed is the key
//! generation seed `ξ`; signatures are pure ML-DSA with an empty context, deterministic
//! variant (`rnd` = 0), which any FIPS 204 verifier accepts. Public keys are AKP COSE keys
//! (`1: 7, -1: pk`, draft-ietf-cose-dilithium).

use fido_types::cbor::Value;
use fido_types::cose::{CoseKey, RawCoseKey};
use fido_types::generated::cose::{CoseKeyParameter, CoseKeyType};
use ml_dsa::signature::{Keypair, Signer};
use ml_dsa::{MlDsa44, MlDsa65, MlDsa87, MlDsaParams, SigningKey};

use super::Algorithm;

fn public_bytes<P: MlDsaParams>(seed: &[u8; 32]) -> Vec<u8> {
    let sk = SigningKey::<P>::from_seed(&(*seed).into());
    sk.verifying_key().encode().to_vec()
}

fn sign_bytes<P: MlDsaParams>(seed: &[u8; 32], message: &[u8]) -> Option<Vec<u8>> {
    let sk = SigningKey::<P>::from_seed(&(*seed).into());
    let sig = sk.try_sign(message).ok()?;
    Some(sig.encode().to_vec())
}

/// The AKP COSE key `{1: 7, 3: alg, -1: public key}` (labels and key type from the
/// generated registries), untyped: `fido_types::cose::CoseKey` has no AKP variant.
pub(super) fn public(alg: Algorithm, seed: &[u8; 32]) -> Option<CoseKey> {
    let pk = match alg {
        Algorithm::MlDsa44 => public_bytes::<MlDsa44>(seed),
        Algorithm::MlDsa65 => public_bytes::<MlDsa65>(seed),
        Algorithm::MlDsa87 => public_bytes::<MlDsa87>(seed),
        _ => return None,
    };
    let raw = RawCoseKey::from_params([
        (
            CoseKeyParameter::KTY.0,
            Value::Integer(CoseKeyType::AKP.0.into()),
        ),
        (CoseKeyParameter::ALG.0, Value::Integer(alg.cose().into())),
        // AKP's `pub` shares label -1 with EC2/OKP's crv.
        (CoseKeyParameter::CRV.0, Value::Bytes(pk)),
    ]);
    raw.ok().map(CoseKey::Other)
}

/// The FIPS 204 signature of `message`.
pub(super) fn sign(alg: Algorithm, seed: &[u8; 32], message: &[u8]) -> Option<Vec<u8>> {
    match alg {
        Algorithm::MlDsa44 => sign_bytes::<MlDsa44>(seed, message),
        Algorithm::MlDsa65 => sign_bytes::<MlDsa65>(seed, message),
        Algorithm::MlDsa87 => sign_bytes::<MlDsa87>(seed, message),
        _ => None,
    }
}
