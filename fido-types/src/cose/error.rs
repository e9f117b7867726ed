//! Errors of the COSE module.

use super::CoseAlgorithm;

/// Why a COSE key could not be decoded, built, converted, or could not verify a signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoseError {
    /// The bytes are not well-formed CBOR (the error has the offset).
    #[error("COSE key is not valid CBOR: {0}")]
    InvalidCbor(crate::cbor::DecodeError),
    /// The key holds a value CTAP2-canonical CBOR cannot carry (a float or a tag).
    #[error("COSE key cannot be encoded canonically: {0}")]
    NotEncodable(crate::cbor::EncodeError),
    /// The CBOR item is not a map.
    #[error("COSE key is not a CBOR map")]
    NotAMap,
    /// Bytes follow the COSE key where none may.
    #[error("{0} trailing bytes after the COSE key")]
    TrailingBytes(usize),
    /// A parameter the key's algorithm needs is absent.
    #[error("COSE key parameter {label} is missing")]
    MissingParameter {
        /// The COSE key parameter label (1 = kty, 3 = alg, -1 = crv or n, -2 = x or e, -3 = y).
        label: i64,
    },
    /// A parameter has the wrong CBOR type (e.g. text where bytes are needed).
    #[error("COSE key parameter {label} has the wrong type")]
    InvalidParameter {
        /// The COSE key parameter label.
        label: i64,
    },
    /// The key type (kty) does not fit the algorithm.
    #[error("algorithm {alg} needs key type {expected}, found {found}")]
    WrongKeyType {
        /// The key's algorithm.
        alg: CoseAlgorithm,
        /// The key type the algorithm needs (1 = OKP, 2 = EC2, 3 = RSA).
        expected: i64,
        /// The key type found.
        found: i128,
    },
    /// The key's algorithm is not the one its use needs (e.g. a key-agreement key whose
    /// alg is not ECDH-ES+HKDF-256).
    #[error("expected a key for algorithm {expected}, found {found}")]
    WrongAlgorithm {
        /// The algorithm the use needs.
        expected: CoseAlgorithm,
        /// The key's algorithm (0 when it has none).
        found: CoseAlgorithm,
    },
    /// The curve (crv) does not fit the algorithm.
    #[error("algorithm {alg} does not use curve {found}")]
    WrongCurve {
        /// The key's algorithm.
        alg: CoseAlgorithm,
        /// The curve identifier found.
        found: i128,
    },
    /// A byte-string parameter has the wrong length.
    #[error("COSE key parameter {label} must be {expected} bytes, found {found}")]
    WrongLength {
        /// The COSE key parameter label.
        label: i64,
        /// The length the curve needs.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// The coordinates do not name a point on the curve.
    #[error("the EC public key is not a point on its curve")]
    PointNotOnCurve,
    /// An encoded EC point is not in uncompressed form (0x04 || x || y) of the right size.
    #[error("invalid uncompressed EC point: {0}")]
    InvalidPoint(&'static str),
    /// The RSA modulus or exponent is empty or out of range.
    #[error("invalid RSA public key: {0}")]
    InvalidRsaKey(&'static str),
    /// The operation is not available for this algorithm (e.g. ES512 signatures: ring has no
    /// P-521), or the algorithm is not one this crate knows. A key without an algorithm is
    /// reported with the reserved value 0.
    #[error("algorithm {0} is not supported for this operation")]
    UnsupportedAlgorithm(CoseAlgorithm),
    /// The signature does not verify.
    #[error("signature verification failed")]
    InvalidSignature,
    /// A SubjectPublicKeyInfo (or the certificate holding it) could not be read, or names
    /// another kind of key than the one expected.
    #[error("invalid SubjectPublicKeyInfo: {0}")]
    InvalidSpki(String),
    /// The system random number generator failed (needed to check EC points).
    #[error("the system random number generator failed")]
    Rng,
}

impl From<super::der::DerError> for CoseError {
    fn from(e: super::der::DerError) -> Self {
        CoseError::InvalidSpki(format!("{e:?}"))
    }
}
