//! Format `tpm` (WebAuthn L3 §8.3): the TPM certified the credential key (`pubArea`, a
//! TPMT_PUBLIC) in a TPMS_ATTEST (`certInfo`) signed by its attestation identity key,
//! whose certificate meets §8.3.1.

use std::str::FromStr;

use fido_types::cose::{CoseAlgorithm, CoseKey, EcCurve};
use fido_types::generated::attestation::{
    AttestationOid, TpmAlgId, TpmEccCurve, TpmGenerated, TpmStructureTag,
};
use ring::digest;
use x509_parser::der_parser::Oid;

use super::statement::owned;
use super::{AttestationType, Input, Outcome};
use crate::cert::{self, Cert, CertSignatureError};
use crate::error::AttestationError;

const FORMAT: &str = "tpm";

fn malformed(reason: impl Into<String>) -> AttestationError {
    AttestationError::malformed(FORMAT, reason)
}

fn mismatch(reason: impl Into<String>) -> AttestationError {
    AttestationError::mismatch(FORMAT, reason)
}

pub(super) fn verify(input: &Input<'_>) -> Outcome {
    let stmt = input.stmt;
    let ver = stmt.text(FORMAT, "ver")?;
    if ver != "2.0" {
        return Err(malformed(format!("ver is {ver:?}, not \"2.0\"")));
    }
    let alg = stmt.alg(FORMAT)?;
    let sig = stmt.bytes(FORMAT, "sig")?;
    let x5c = stmt.required_x5c(FORMAT)?;
    let public = Public::parse(stmt.bytes(FORMAT, "pubArea")?)?;
    public.matches(input.acd.public_key())?;
    let cert_info = stmt.bytes(FORMAT, "certInfo")?;
    let attest = Attest::parse(cert_info)?;
    let extra =
        hash(alg, &input.signed_message()).ok_or(AttestationError::UnsupportedAlgorithm {
            format: FORMAT,
            alg,
        })?;
    if attest.extra_data != extra.as_slice() {
        return Err(mismatch(
            "certInfo.extraData is not the hash of the signed data",
        ));
    }
    let name_hash = name_digest(public.name_alg, stmt.bytes(FORMAT, "pubArea")?)
        .ok_or_else(|| malformed("pubArea.nameAlg is not a known hash"))?;
    let expected_name = [&public.name_alg.0.to_be_bytes()[..], &name_hash].concat();
    if attest.name != expected_name.as_slice() {
        return Err(mismatch("certInfo's attested name is not pubArea's name"));
    }
    let aik = cert::parse(x5c[0]).map_err(|e| AttestationError::certificate(FORMAT, e))?;
    cert::verify_signature(&aik, alg, cert_info, sig).map_err(|e| match e {
        CertSignatureError::Invalid => AttestationError::InvalidSignature { format: FORMAT },
        CertSignatureError::Unsupported => AttestationError::UnsupportedAlgorithm {
            format: FORMAT,
            alg,
        },
    })?;
    check_aik_certificate(&aik, input)?;
    Ok((AttestationType::AttCa, owned(&x5c)))
}

/// The hash an algorithm signs with (RS1 is SHA-1, as Windows Hello uses).
fn hash(alg: CoseAlgorithm, data: &[u8]) -> Option<Vec<u8>> {
    let algorithm = match alg {
        CoseAlgorithm::RS1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        CoseAlgorithm::RS256 | CoseAlgorithm::PS256 | CoseAlgorithm::ES256 => &digest::SHA256,
        CoseAlgorithm::RS384 | CoseAlgorithm::PS384 | CoseAlgorithm::ES384 => &digest::SHA384,
        CoseAlgorithm::RS512 | CoseAlgorithm::PS512 | CoseAlgorithm::ES512 => &digest::SHA512,
        _ => return None,
    };
    Some(digest::digest(algorithm, data).as_ref().to_vec())
}

fn name_digest(alg: TpmAlgId, data: &[u8]) -> Option<Vec<u8>> {
    let algorithm = match alg {
        TpmAlgId::SHA1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        TpmAlgId::SHA256 => &digest::SHA256,
        TpmAlgId::SHA384 => &digest::SHA384,
        TpmAlgId::SHA512 => &digest::SHA512,
        _ => return None,
    };
    Some(digest::digest(algorithm, data).as_ref().to_vec())
}

/// A big-endian reader over TPM structures; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], AttestationError> {
        if self.bytes.len() < n {
            return Err(malformed(format!("{} is truncated", self.what)));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u16(&mut self) -> Result<u16, AttestationError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, AttestationError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A TPM2B: a u16 size, then that many bytes.
    fn sized(&mut self) -> Result<&'a [u8], AttestationError> {
        let n = self.u16()?;
        self.take(usize::from(n))
    }

    fn end(&self) -> Result<(), AttestationError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(malformed(format!(
                "{} has {} trailing bytes",
                self.what,
                self.bytes.len()
            )))
        }
    }
}

/// The public area's key.
enum PublicKey<'a> {
    Rsa {
        modulus: &'a [u8],
        exponent: u32,
    },
    Ecc {
        curve: TpmEccCurve,
        x: &'a [u8],
        y: &'a [u8],
    },
}

/// TPMT_PUBLIC, as far as §8.3.2 reads it.
struct Public<'a> {
    name_alg: TpmAlgId,
    key: PublicKey<'a>,
}

impl<'a> Public<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Self, AttestationError> {
        let mut r = Reader {
            bytes,
            what: "pubArea",
        };
        let kind = TpmAlgId(r.u16()?);
        let name_alg = TpmAlgId(r.u16()?);
        let _object_attributes = r.u32()?;
        let _auth_policy = r.sized()?;
        let symmetric = TpmAlgId(r.u16()?);
        if symmetric != TpmAlgId::NULL {
            return Err(malformed(
                "pubArea has a symmetric algorithm (not a signing key)",
            ));
        }
        let scheme = TpmAlgId(r.u16()?);
        if scheme != TpmAlgId::NULL {
            let _scheme_hash = r.u16()?;
        }
        let key = match kind {
            TpmAlgId::RSA => {
                let _key_bits = r.u16()?;
                let exponent = r.u32()?;
                let modulus = r.sized()?;
                PublicKey::Rsa { modulus, exponent }
            }
            TpmAlgId::ECC => {
                let curve = TpmEccCurve(r.u16()?);
                let kdf = TpmAlgId(r.u16()?);
                if kdf != TpmAlgId::NULL {
                    let _kdf_hash = r.u16()?;
                }
                let x = r.sized()?;
                let y = r.sized()?;
                PublicKey::Ecc { curve, x, y }
            }
            other => {
                return Err(malformed(format!(
                    "pubArea type {other:?} is neither RSA nor ECC"
                )));
            }
        };
        r.end()?;
        Ok(Self { name_alg, key })
    }

    /// The public area's key is the credential key.
    fn matches(&self, credential: &CoseKey) -> Result<(), AttestationError> {
        match (&self.key, credential) {
            (PublicKey::Rsa { modulus, exponent }, CoseKey::Rsa(k)) => {
                // An exponent of 0 means the default, 65537 (TPM 2.0 Part 2 §12.2.3.5).
                let e = if *exponent == 0 { 65537 } else { *exponent };
                let e = e.to_be_bytes();
                let start = e.iter().position(|b| *b != 0).unwrap_or(3);
                if k.n() == *modulus && k.e() == &e[start..] {
                    Ok(())
                } else {
                    Err(mismatch("pubArea's RSA key is not the credential key"))
                }
            }
            (PublicKey::Ecc { curve, x, y }, CoseKey::Ec2(k)) => {
                let same_curve = matches!(
                    (*curve, k.curve()),
                    (TpmEccCurve::NIST_P256, EcCurve::P256)
                        | (TpmEccCurve::NIST_P384, EcCurve::P384)
                        | (TpmEccCurve::NIST_P521, EcCurve::P521)
                );
                if same_curve && k.x() == *x && k.y() == *y {
                    Ok(())
                } else {
                    Err(mismatch("pubArea's ECC key is not the credential key"))
                }
            }
            _ => Err(mismatch("pubArea's key type is not the credential key's")),
        }
    }
}

/// TPMS_ATTEST of type TPM_ST_ATTEST_CERTIFY, as far as §8.3.2 reads it.
struct Attest<'a> {
    extra_data: &'a [u8],
    name: &'a [u8],
}

impl<'a> Attest<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Self, AttestationError> {
        let mut r = Reader {
            bytes,
            what: "certInfo",
        };
        if TpmGenerated(r.u32()?) != TpmGenerated::VALUE {
            return Err(malformed("certInfo.magic is not TPM_GENERATED_VALUE"));
        }
        if TpmStructureTag(r.u16()?) != TpmStructureTag::ATTEST_CERTIFY {
            return Err(malformed("certInfo.type is not TPM_ST_ATTEST_CERTIFY"));
        }
        let _qualified_signer = r.sized()?;
        let extra_data = r.sized()?;
        // TPMS_CLOCK_INFO (clock u64, resetCount u32, restartCount u32, safe u8) and
        // firmwareVersion (u64).
        r.take(8 + 4 + 4 + 1 + 8)?;
        let name = r.sized()?;
        let _qualified_name = r.sized()?;
        r.end()?;
        Ok(Self { extra_data, name })
    }
}

/// §8.3.1: version 3, empty subject, a subject alternative name with the TPM
/// manufacturer, model and version, the AIK extended key usage, not a CA, and the AAGUID
/// extension (if present) matching.
fn check_aik_certificate(aik: &Cert<'_>, input: &Input<'_>) -> Result<(), AttestationError> {
    let bad = |reason: String| AttestationError::certificate(FORMAT, reason);
    cert::check_v3(aik).map_err(bad)?;
    if aik.x509.subject().iter_rdn().next().is_some() {
        return Err(bad("the subject is not empty".into()));
    }
    let san = aik
        .x509
        .get_extension_unique(&x509_parser::oid_registry::OID_X509_EXT_SUBJECT_ALT_NAME)
        .map_err(|e| bad(format!("subjectAltName: {e}")))?
        .ok_or_else(|| bad("no subject alternative name".into()))?
        .value;
    for oid in [
        AttestationOid::TCG_AT_TPM_MANUFACTURER,
        AttestationOid::TCG_AT_TPM_MODEL,
        AttestationOid::TCG_AT_TPM_VERSION,
    ] {
        let der = Oid::from_str(oid.as_str()).map_err(|_| bad("bad OID".into()))?;
        if !contains(san, der.as_bytes()) {
            return Err(bad(format!(
                "the subject alternative name lacks {}",
                oid.as_str()
            )));
        }
    }
    let eku = aik
        .x509
        .extended_key_usage()
        .map_err(|e| bad(format!("extendedKeyUsage: {e}")))?
        .ok_or_else(|| bad("no extended key usage".into()))?;
    if !eku
        .value
        .other
        .iter()
        .any(|o| o.to_id_string() == AttestationOid::TCG_KP_AIK_CERTIFICATE.as_str())
    {
        return Err(bad(
            "the extended key usage lacks tcg-kp-AIKCertificate".into()
        ));
    }
    if cert::is_ca(aik).map_err(bad)? {
        return Err(bad("it is a CA certificate".into()));
    }
    cert::check_aaguid_extension(aik, &input.acd.aaguid()).map_err(mismatch)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
