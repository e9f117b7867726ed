//! Conversion between COSE keys and X.509 SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7),
//! the form WebAuthn's `getPublicKey()` and `publicKey` JSON member carry.

use super::der::{self, Reader};
use super::key::{CoseKey, Ec2Key, EcCurve, OkpKey, RsaKey};
use super::{CoseAlgorithm, CoseError};

// Object identifiers, DER content bytes.
/// id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 §2.1.1).
const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// secp256r1, 1.2.840.10045.3.1.7 (RFC 5480 §2.1.1.1).
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// secp384r1, 1.3.132.0.34 (RFC 5480 §2.1.1.1).
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// secp521r1, 1.3.132.0.35 (RFC 5480 §2.1.1.1).
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
/// id-Ed25519, 1.3.101.112 (RFC 8410 §3).
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
/// rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 Appendix C).
const OID_RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

fn curve_oid(curve: EcCurve) -> &'static [u8] {
    match curve {
        EcCurve::P256 => OID_P256,
        EcCurve::P384 => OID_P384,
        EcCurve::P521 => OID_P521,
    }
}

fn spki(algorithm_identifier: &[u8], public_key: &[u8]) -> Vec<u8> {
    let mut bits = Vec::with_capacity(public_key.len() + 1);
    bits.push(0);
    bits.extend_from_slice(public_key);
    let mut content = der::element(der::SEQUENCE, algorithm_identifier);
    der::write(&mut content, der::BIT_STRING, &bits);
    der::element(der::SEQUENCE, &content)
}

fn spki_error(msg: &str) -> CoseError {
    CoseError::InvalidSpki(msg.to_owned())
}

impl CoseKey {
    /// Encodes the key as SubjectPublicKeyInfo DER.
    ///
    /// EC keys use id-ecPublicKey with the named curve, Ed25519 keys id-Ed25519, and RSA
    /// keys (PKCS#1 v1.5 and PSS alike) rsaEncryption, as browsers do for the `publicKey`
    /// member of a registration response. Untyped keys give
    /// [`CoseError::UnsupportedAlgorithm`].
    pub fn to_spki_der(&self) -> Result<Vec<u8>, CoseError> {
        match self {
            CoseKey::Ec2(k) => {
                let mut alg_id = der::element(der::OID, OID_EC_PUBLIC_KEY);
                der::write(&mut alg_id, der::OID, curve_oid(k.curve()));
                Ok(spki(&alg_id, &k.uncompressed_point()))
            }
            CoseKey::Okp(k) => Ok(spki(&der::element(der::OID, OID_ED25519), k.x())),
            CoseKey::Rsa(k) => {
                let mut alg_id = der::element(der::OID, OID_RSA_ENCRYPTION);
                der::write(&mut alg_id, der::NULL, &[]);
                let mut ints = Vec::with_capacity(k.n().len() + k.e().len() + 12);
                der::write_unsigned_integer(&mut ints, k.n());
                der::write_unsigned_integer(&mut ints, k.e());
                Ok(spki(&alg_id, &der::element(der::SEQUENCE, &ints)))
            }
            CoseKey::Other(k) => Err(CoseError::UnsupportedAlgorithm(
                k.alg().unwrap_or(CoseAlgorithm(0)),
            )),
        }
    }

    /// Decodes a SubjectPublicKeyInfo DER as a COSE key for `alg`.
    ///
    /// SPKI does not name the signature algorithm (an EC key does not say which hash, an
    /// RSA key not whether PKCS#1 v1.5 or PSS), so the caller names it; a key of another
    /// kind or curve than `alg` needs is an error.
    pub fn from_spki_der(der_bytes: &[u8], alg: CoseAlgorithm) -> Result<Self, CoseError> {
        let content = der::read_exact(der_bytes, der::SEQUENCE)?;
        let mut r = Reader::new(content);
        let alg_id = r.expect(der::SEQUENCE)?;
        let bits = der::bit_string_bytes(r.expect(der::BIT_STRING)?)?;
        r.finish()?;
        let mut a = Reader::new(alg_id);
        let oid = a.expect(der::OID)?;
        if oid == OID_EC_PUBLIC_KEY {
            let curve_oid_found = a.expect(der::OID)?;
            a.finish()?;
            let curve = EcCurve::for_algorithm(alg)
                .ok_or_else(|| spki_error("an EC key, but the algorithm is not ECDSA"))?;
            if curve_oid_found != curve_oid(curve) {
                return Err(spki_error(
                    "the EC key is on another curve than the algorithm's",
                ));
            }
            return Ok(CoseKey::Ec2(Ec2Key::from_uncompressed_point(alg, bits)?));
        }
        if oid == OID_ED25519 {
            a.finish()?;
            if !matches!(alg, CoseAlgorithm::EDDSA | CoseAlgorithm::ED25519) {
                return Err(spki_error("an Ed25519 key, but the algorithm is not EdDSA"));
            }
            let x: [u8; 32] = bits
                .try_into()
                .map_err(|_| spki_error("an Ed25519 key must be 32 bytes"))?;
            return Ok(CoseKey::Okp(OkpKey::new(alg, x)?));
        }
        if oid == OID_RSA_ENCRYPTION {
            // The parameters must be NULL (RFC 8017 Appendix C); absent is tolerated.
            if !a.is_empty() {
                a.expect(der::NULL)?;
                a.finish()?;
            }
            let ints = der::read_exact(bits, der::SEQUENCE)?;
            let mut i = Reader::new(ints);
            let n = der::unsigned_integer(i.expect(der::INTEGER)?)?;
            let e = der::unsigned_integer(i.expect(der::INTEGER)?)?;
            i.finish()?;
            return match RsaKey::new(alg, n, e) {
                Ok(k) => Ok(CoseKey::Rsa(k)),
                Err(CoseError::UnsupportedAlgorithm(_)) => {
                    Err(spki_error("an RSA key, but the algorithm is not RSA"))
                }
                Err(e) => Err(e),
            };
        }
        Err(spki_error("unknown key algorithm OID"))
    }

    /// Reads the public key of an X.509 certificate (DER) as a COSE key for `alg`. Neither
    /// the certificate's signature nor its validity is checked.
    pub fn from_certificate_der(cert: &[u8], alg: CoseAlgorithm) -> Result<Self, CoseError> {
        Self::from_spki_der(der::certificate_spki(cert)?, alg)
    }
}
