//! X.509 certificates as the attestation formats and the trust store read them: parsing
//! (x509-parser), signatures made by a certificate's key (ring, and p521/ml-dsa where ring
//! lacks the algorithm), and the extensions the formats look at.

use fido_types::cose::CoseAlgorithm;
use fido_types::generated::attestation::AttestationOid;
use fido_types::webauthn::Aaguid;
use ring::signature::{self as ring_sig, VerificationAlgorithm};
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::time::ASN1Time;

/// A parsed certificate that keeps its DER.
pub(crate) struct Cert<'a> {
    /// The DER it was read from.
    pub der: &'a [u8],
    /// The parsed certificate.
    pub x509: X509Certificate<'a>,
}

/// Reads one DER certificate filling `der`.
pub(crate) fn parse(der: &[u8]) -> Result<Cert<'_>, String> {
    match X509Certificate::from_der(der) {
        Ok(([], x509)) => Ok(Cert { der, x509 }),
        Ok((rest, _)) => Err(format!("{} bytes after the certificate", rest.len())),
        Err(e) => Err(format!("not an X.509 certificate: {e}")),
    }
}

/// Why a signature made by a certificate's key did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CertSignatureError {
    /// Wrong signature, or a key that does not fit the algorithm.
    Invalid,
    /// The algorithm is not verified here.
    Unsupported,
}

/// Verifies `sig` over `message` with the public key of `cert` for the COSE `alg`.
pub(crate) fn verify_signature(
    cert: &Cert<'_>,
    alg: CoseAlgorithm,
    message: &[u8],
    sig: &[u8],
) -> Result<(), CertSignatureError> {
    let key = cert.x509.public_key().subject_public_key.data.as_ref();
    let ring_alg: &'static dyn VerificationAlgorithm = match alg {
        CoseAlgorithm::ES256 => &ring_sig::ECDSA_P256_SHA256_ASN1,
        CoseAlgorithm::ES384 => &ring_sig::ECDSA_P384_SHA384_ASN1,
        CoseAlgorithm::EDDSA | CoseAlgorithm::ED25519 => &ring_sig::ED25519,
        CoseAlgorithm::RS256 => &ring_sig::RSA_PKCS1_2048_8192_SHA256,
        CoseAlgorithm::RS384 => &ring_sig::RSA_PKCS1_2048_8192_SHA384,
        CoseAlgorithm::RS512 => &ring_sig::RSA_PKCS1_2048_8192_SHA512,
        CoseAlgorithm::RS1 => &ring_sig::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
        CoseAlgorithm::PS256 => &ring_sig::RSA_PSS_2048_8192_SHA256,
        CoseAlgorithm::PS384 => &ring_sig::RSA_PSS_2048_8192_SHA384,
        CoseAlgorithm::PS512 => &ring_sig::RSA_PSS_2048_8192_SHA512,
        CoseAlgorithm::ES512 => return verify_p521(key, message, sig),
        CoseAlgorithm::ML_DSA_44 => return verify_ml_dsa::<ml_dsa::MlDsa44>(key, message, sig),
        CoseAlgorithm::ML_DSA_65 => return verify_ml_dsa::<ml_dsa::MlDsa65>(key, message, sig),
        CoseAlgorithm::ML_DSA_87 => return verify_ml_dsa::<ml_dsa::MlDsa87>(key, message, sig),
        _ => return Err(CertSignatureError::Unsupported),
    };
    ring_sig::UnparsedPublicKey::new(ring_alg, key)
        .verify(message, sig)
        .map_err(|_| CertSignatureError::Invalid)
}

fn verify_p521(point: &[u8], message: &[u8], sig: &[u8]) -> Result<(), CertSignatureError> {
    use p521::ecdsa::signature::Verifier;
    let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(point)
        .map_err(|_| CertSignatureError::Invalid)?;
    let sig = p521::ecdsa::Signature::from_der(sig).map_err(|_| CertSignatureError::Invalid)?;
    key.verify(message, &sig)
        .map_err(|_| CertSignatureError::Invalid)
}

fn verify_ml_dsa<P: ml_dsa::MlDsaParams>(
    public: &[u8],
    message: &[u8],
    sig: &[u8],
) -> Result<(), CertSignatureError> {
    let public = public.try_into().map_err(|_| CertSignatureError::Invalid)?;
    let key = ml_dsa::VerifyingKey::<P>::decode(public);
    let sig = sig.try_into().map_err(|_| CertSignatureError::Invalid)?;
    let sig = ml_dsa::Signature::<P>::decode(sig).ok_or(CertSignatureError::Invalid)?;
    if key.verify_with_context(message, &[], &sig) {
        Ok(())
    } else {
        Err(CertSignatureError::Invalid)
    }
}

/// Whether `cert` is valid at `unix_time` (seconds).
pub(crate) fn valid_at(cert: &Cert<'_>, unix_time: i64) -> Result<(), String> {
    let at = ASN1Time::from_timestamp(unix_time).map_err(|e| e.to_string())?;
    if cert.x509.validity().is_valid_at(at) {
        Ok(())
    } else {
        Err(format!(
            "outside its validity ({} to {})",
            cert.x509.validity().not_before,
            cert.x509.validity().not_after
        ))
    }
}

/// The basicConstraints cA value (false when the extension is absent).
pub(crate) fn is_ca(cert: &Cert<'_>) -> Result<bool, String> {
    match cert.x509.basic_constraints() {
        Ok(Some(bc)) => Ok(bc.value.ca),
        Ok(None) => Ok(false),
        Err(e) => Err(format!("basicConstraints: {e}")),
    }
}

/// The raw value of the extension `oid` and whether it is critical, if present once.
pub(crate) fn extension<'a>(
    cert: &'a Cert<'_>,
    oid: &AttestationOid,
) -> Result<Option<(&'a [u8], bool)>, String> {
    let mut found = None;
    for ext in cert.x509.extensions() {
        if ext.oid.to_id_string() == oid.as_str() {
            if found.is_some() {
                return Err(format!("extension {} repeated", oid.as_str()));
            }
            found = Some((ext.value, ext.critical));
        }
    }
    Ok(found)
}

/// Checks the id-fido-gen-ce-aaguid extension, when present: not critical and holding
/// `aaguid` (WebAuthn L3 §8.2.1).
pub(crate) fn check_aaguid_extension(cert: &Cert<'_>, aaguid: &Aaguid) -> Result<(), String> {
    let Some((value, critical)) = extension(cert, &AttestationOid::FIDO_GEN_CE_AAGUID)? else {
        return Ok(());
    };
    if critical {
        return Err("the AAGUID extension is critical".into());
    }
    // OCTET STRING (0x04) of 16 bytes.
    match value {
        [0x04, 16, inner @ ..] if inner.len() == 16 => {
            if inner == aaguid.as_bytes() {
                Ok(())
            } else {
                Err("the AAGUID extension is not the authenticator data's AAGUID".into())
            }
        }
        _ => Err("the AAGUID extension is not a 16-byte OCTET STRING".into()),
    }
}

/// The certificate is X.509 version 3.
pub(crate) fn check_v3(cert: &Cert<'_>) -> Result<(), String> {
    if cert.x509.version().0 == 2 {
        Ok(())
    } else {
        Err(format!(
            "version {} instead of 3",
            cert.x509.version().0 + 1
        ))
    }
}

/// The text values of the subject attributes an iterator of `X509Name` yields.
pub(crate) fn texts<'a>(
    attrs: impl Iterator<Item = &'a x509_parser::x509::AttributeTypeAndValue<'a>>,
) -> Vec<String> {
    attrs
        .filter_map(|a| a.as_str().ok().map(str::to_owned))
        .collect()
}
