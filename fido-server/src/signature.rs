//! Signature checks with a credential's COSE key, for every algorithm the software
//! authenticator offers: ring (through `CoseKey::verify`) where it has the algorithm, and
//! the RustCrypto crates the authenticator signs with for ES512 (P-521), ES256K
//! (secp256k1) and ML-DSA-44/65/87 (FIPS 204, empty context).

use fido_types::cose::{CoseAlgorithm, CoseError, CoseKey, EcCurve, RawCoseKey};
use fido_types::generated::cose::{CoseEllipticCurve, CoseKeyParameter, CoseKeyType};

/// Why a signature did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureError {
    /// The signature is wrong (or malformed) for this key and message.
    Invalid,
    /// The key's algorithm (or an untyped key) is not one verified here.
    Unsupported(CoseAlgorithm),
}

/// Verifies `signature` over `message` with `key`.
pub(crate) fn verify(
    key: &CoseKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    match key {
        CoseKey::Ec2(k) if k.curve() == EcCurve::P521 => {
            verify_p521(&k.uncompressed_point(), message, signature)
        }
        CoseKey::Other(raw) => verify_raw(raw, message, signature),
        _ => key.verify(message, signature).map_err(|e| match e {
            CoseError::InvalidSignature => SignatureError::Invalid,
            _ => SignatureError::Unsupported(key.alg().unwrap_or(CoseAlgorithm(0))),
        }),
    }
}

fn verify_raw(raw: &RawCoseKey, message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
    let alg = raw.alg().unwrap_or(CoseAlgorithm(0));
    let kty = raw.kty();
    if kty == Some(CoseKeyType::EC2.0.into())
        && raw.int_param(CoseKeyParameter::CRV.0) == Some(CoseEllipticCurve::SECP256K1.0.into())
        && alg == CoseAlgorithm::ES256K
    {
        let (Some(x), Some(y)) = (
            raw.bytes_param(CoseKeyParameter::X.0),
            raw.bytes_param(CoseKeyParameter::Y.0),
        ) else {
            return Err(SignatureError::Invalid);
        };
        let point = [&[0x04][..], x, y].concat();
        return verify_k256(&point, message, signature);
    }
    if kty == Some(CoseKeyType::AKP.0.into()) {
        // AKP's public key shares label -1 with EC2/OKP's crv.
        let public = raw
            .bytes_param(CoseKeyParameter::CRV.0)
            .ok_or(SignatureError::Invalid)?;
        return match alg {
            CoseAlgorithm::ML_DSA_44 => {
                verify_ml_dsa::<ml_dsa::MlDsa44>(public, message, signature)
            }
            CoseAlgorithm::ML_DSA_65 => {
                verify_ml_dsa::<ml_dsa::MlDsa65>(public, message, signature)
            }
            CoseAlgorithm::ML_DSA_87 => {
                verify_ml_dsa::<ml_dsa::MlDsa87>(public, message, signature)
            }
            other => Err(SignatureError::Unsupported(other)),
        };
    }
    Err(SignatureError::Unsupported(alg))
}

fn verify_p521(point: &[u8], message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
    use p521::ecdsa::signature::Verifier;
    let key =
        p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| SignatureError::Invalid)?;
    let sig = p521::ecdsa::Signature::from_der(signature).map_err(|_| SignatureError::Invalid)?;
    key.verify(message, &sig)
        .map_err(|_| SignatureError::Invalid)
}

fn verify_k256(point: &[u8], message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
    use k256::ecdsa::signature::Verifier;
    let key =
        k256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| SignatureError::Invalid)?;
    let sig = k256::ecdsa::Signature::from_der(signature).map_err(|_| SignatureError::Invalid)?;
    key.verify(message, &sig)
        .map_err(|_| SignatureError::Invalid)
}

fn verify_ml_dsa<P: ml_dsa::MlDsaParams>(
    public: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let public = public.try_into().map_err(|_| SignatureError::Invalid)?;
    let key = ml_dsa::VerifyingKey::<P>::decode(public);
    let sig = signature.try_into().map_err(|_| SignatureError::Invalid)?;
    let sig = ml_dsa::Signature::<P>::decode(sig).ok_or(SignatureError::Invalid)?;
    if key.verify_with_context(message, &[], &sig) {
        Ok(())
    } else {
        Err(SignatureError::Invalid)
    }
}
