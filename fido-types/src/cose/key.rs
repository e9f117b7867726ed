//! COSE keys (RFC 9052 §7, RFC 9053): typed keys for the algorithms WebAuthn uses, and any
//! other key kept as its raw map.

use std::collections::BTreeMap;

use ring::{agreement, rand::SystemRandom, signature};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{CoseAlgorithm, CoseError};
use crate::cbor::{self, Decoder, Value};
use crate::generated::cose::CoseEllipticCurve;

/// COSE key common parameter labels and key-type-specific labels (RFC 9052 §7.1,
/// RFC 9053 §7, RFC 8230 §4), as values of the generated
/// [`CoseKeyParameter`](crate::generated::cose::CoseKeyParameter) registry.
pub mod label {
    use crate::generated::cose::CoseKeyParameter as P;

    /// `kty`: key type.
    pub const KTY: i64 = P::KTY.0;
    /// `kid`: key identifier.
    pub const KID: i64 = P::KID.0;
    /// `alg`: algorithm.
    pub const ALG: i64 = P::ALG.0;
    /// `crv` (EC2, OKP): curve.
    pub const CRV: i64 = P::CRV.0;
    /// `x` (EC2, OKP): x coordinate or public key.
    pub const X: i64 = P::X.0;
    /// `y` (EC2): y coordinate.
    pub const Y: i64 = P::Y.0;
    /// `n` (RSA): modulus (the label EC2/OKP use for `crv`).
    pub const N: i64 = P::CRV.0;
    /// `e` (RSA): public exponent (the label EC2/OKP use for `x`).
    pub const E: i64 = P::X.0;
}

/// COSE key types (IANA "COSE Key Types"), as values of the generated
/// [`CoseKeyType`](crate::generated::cose::CoseKeyType) registry.
pub mod kty {
    use crate::generated::cose::CoseKeyType;

    /// Octet key pair (EdDSA).
    pub const OKP: i64 = CoseKeyType::OKP.0;
    /// Elliptic curve with x and y coordinates.
    pub const EC2: i64 = CoseKeyType::EC2.0;
    /// RSA.
    pub const RSA: i64 = CoseKeyType::RSA.0;
}

/// Elliptic curves of the EC2 keys this crate types (IANA "COSE Elliptic Curves").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EcCurve {
    /// NIST P-256 (crv 1).
    P256,
    /// NIST P-384 (crv 2).
    P384,
    /// NIST P-521 (crv 3).
    P521,
}

impl EcCurve {
    /// The COSE curve identifier.
    pub const fn cose_id(self) -> i64 {
        match self {
            EcCurve::P256 => CoseEllipticCurve::P256.0,
            EcCurve::P384 => CoseEllipticCurve::P384.0,
            EcCurve::P521 => CoseEllipticCurve::P521.0,
        }
    }

    /// The length in bytes of one coordinate.
    pub const fn coordinate_len(self) -> usize {
        match self {
            EcCurve::P256 => 32,
            EcCurve::P384 => 48,
            EcCurve::P521 => 66,
        }
    }

    /// The curve an ECDSA algorithm signs with, if `alg` is one.
    pub const fn for_algorithm(alg: CoseAlgorithm) -> Option<EcCurve> {
        match alg {
            CoseAlgorithm::ES256 | CoseAlgorithm::ESP256 => Some(EcCurve::P256),
            CoseAlgorithm::ES384 | CoseAlgorithm::ESP384 => Some(EcCurve::P384),
            CoseAlgorithm::ES512 | CoseAlgorithm::ESP512 => Some(EcCurve::P521),
            _ => None,
        }
    }
}

/// The COSE curve identifier of Ed25519.
pub const CRV_ED25519: i64 = CoseEllipticCurve::ED25519.0;
/// The COSE curve identifier of Ed448.
pub const CRV_ED448: i64 = CoseEllipticCurve::ED448.0;

/// A COSE public key.
///
/// Keys of the algorithms WebAuthn uses are typed and checked when decoded (right key type
/// and curve, coordinates of the right length and on the curve); any other key is kept as
/// its raw map, so it survives a round trip.
///
/// ```
/// use fido_types::cose::{CoseAlgorithm, CoseKey};
/// // An ES256 key (python-fido2 tests/test_cose.py, _ES256_KEY).
/// let bytes = hex::decode(concat!(
///     "a5010203262001215820a5fd5ce1b1c458c530a54fa61b31bf6b04be8b97afde54dd8cbb69275a8a1be1",
///     "225820fa3a3231dd9deed9d1897be5a6228c59501e4bcd12975d3dff730f01278ea61c"
/// )).unwrap();
/// let key = CoseKey::from_cbor(&bytes)?;
/// assert_eq!(key.alg(), Some(CoseAlgorithm::ES256));
/// assert_eq!(key.to_cbor(), bytes);
/// # Ok::<(), fido_types::cose::CoseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CoseKey {
    /// An ECDSA key: ES256, ESP256, ES384, ESP384, ES512 or ESP512.
    Ec2(Ec2Key),
    /// An Ed25519 key: EdDSA or Ed25519.
    Okp(OkpKey),
    /// An RSA key: RS256, RS384, RS512, PS256, PS384 or PS512.
    Rsa(RsaKey),
    /// Any other key, kept as decoded.
    Other(RawCoseKey),
}

/// An ECDSA public key on a NIST curve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ec2Key {
    alg: CoseAlgorithm,
    curve: EcCurve,
    x: Vec<u8>,
    y: Vec<u8>,
}

/// An Ed25519 public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OkpKey {
    alg: CoseAlgorithm,
    x: [u8; 32],
}

/// An RSA public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaKey {
    alg: CoseAlgorithm,
    n: Vec<u8>,
    e: Vec<u8>,
}

/// A COSE key of an algorithm this crate does not type, kept as its decoded map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCoseKey {
    map: BTreeMap<Value, Value>,
}

fn check_point_on_curve(curve: EcCurve, point: &[u8]) -> Result<(), CoseError> {
    let alg = match curve {
        EcCurve::P256 => &agreement::ECDH_P256,
        EcCurve::P384 => &agreement::ECDH_P384,
        // ring has no P-521 arithmetic: such points are length-checked only.
        EcCurve::P521 => return Ok(()),
    };
    // ring validates a peer's public key (on the curve, not the identity) before an ECDH
    // agreement; an agreement with a throw-away key is our point check.
    let rng = SystemRandom::new();
    let ours = agreement::EphemeralPrivateKey::generate(alg, &rng).map_err(|_| CoseError::Rng)?;
    agreement::agree_ephemeral(ours, &agreement::UnparsedPublicKey::new(alg, point), |_| ())
        .map_err(|_| CoseError::PointNotOnCurve)
}

impl Ec2Key {
    /// Builds an ECDSA key for `alg` from its coordinates, checking their length and that
    /// they name a point on the curve (P-521 points are length-checked only).
    pub fn new(alg: CoseAlgorithm, x: &[u8], y: &[u8]) -> Result<Self, CoseError> {
        let curve = EcCurve::for_algorithm(alg).ok_or(CoseError::UnsupportedAlgorithm(alg))?;
        let len = curve.coordinate_len();
        for (label, c) in [(label::X, x), (label::Y, y)] {
            if c.len() != len {
                return Err(CoseError::WrongLength {
                    label,
                    expected: len,
                    found: c.len(),
                });
            }
        }
        let key = Self {
            alg,
            curve,
            x: x.to_vec(),
            y: y.to_vec(),
        };
        check_point_on_curve(curve, &key.uncompressed_point())?;
        Ok(key)
    }

    /// Builds a key for `alg` from an uncompressed SEC1 point (`0x04 || x || y`).
    pub fn from_uncompressed_point(alg: CoseAlgorithm, point: &[u8]) -> Result<Self, CoseError> {
        let curve = EcCurve::for_algorithm(alg).ok_or(CoseError::UnsupportedAlgorithm(alg))?;
        let len = curve.coordinate_len();
        match point.split_first() {
            Some((0x04, xy)) if xy.len() == 2 * len => Self::new(alg, &xy[..len], &xy[len..]),
            Some((0x04, _)) => Err(CoseError::InvalidPoint("wrong length")),
            Some(_) => Err(CoseError::InvalidPoint("not in uncompressed form")),
            None => Err(CoseError::InvalidPoint("empty")),
        }
    }

    /// Builds an ES256 key from a CTAP1/U2F public key: the 65-byte uncompressed P-256
    /// point of a U2F registration response.
    pub fn from_ctap1(public_key: &[u8]) -> Result<Self, CoseError> {
        Self::from_uncompressed_point(CoseAlgorithm::ES256, public_key)
    }

    /// The uncompressed SEC1 point `0x04 || x || y`.
    pub fn uncompressed_point(&self) -> Vec<u8> {
        let mut p = Vec::with_capacity(1 + self.x.len() + self.y.len());
        p.push(0x04);
        p.extend_from_slice(&self.x);
        p.extend_from_slice(&self.y);
        p
    }

    /// The algorithm.
    pub fn alg(&self) -> CoseAlgorithm {
        self.alg
    }

    /// The curve.
    pub fn curve(&self) -> EcCurve {
        self.curve
    }

    /// The x coordinate (big-endian, fixed length).
    pub fn x(&self) -> &[u8] {
        &self.x
    }

    /// The y coordinate (big-endian, fixed length).
    pub fn y(&self) -> &[u8] {
        &self.y
    }
}

impl OkpKey {
    /// Builds an Ed25519 key for `alg` (EdDSA or Ed25519) from its 32 bytes.
    pub fn new(alg: CoseAlgorithm, x: [u8; 32]) -> Result<Self, CoseError> {
        match alg {
            CoseAlgorithm::EDDSA | CoseAlgorithm::ED25519 => Ok(Self { alg, x }),
            _ => Err(CoseError::UnsupportedAlgorithm(alg)),
        }
    }

    /// The algorithm.
    pub fn alg(&self) -> CoseAlgorithm {
        self.alg
    }

    /// The public key bytes (RFC 8032).
    pub fn x(&self) -> &[u8; 32] {
        &self.x
    }
}

/// The RSA algorithms typed by this crate.
const RSA_ALGS: [CoseAlgorithm; 6] = [
    CoseAlgorithm::RS256,
    CoseAlgorithm::RS384,
    CoseAlgorithm::RS512,
    CoseAlgorithm::PS256,
    CoseAlgorithm::PS384,
    CoseAlgorithm::PS512,
];

fn strip_leading_zeros(b: &[u8]) -> &[u8] {
    let i = b.iter().position(|x| *x != 0).unwrap_or(b.len());
    &b[i..]
}

impl RsaKey {
    /// Builds an RSA key for `alg` from its modulus and public exponent (big-endian;
    /// leading zero bytes are dropped). The modulus must be 1 to 8192 bits and the exponent
    /// 1 to 64 bits.
    pub fn new(alg: CoseAlgorithm, n: &[u8], e: &[u8]) -> Result<Self, CoseError> {
        if !RSA_ALGS.contains(&alg) {
            return Err(CoseError::UnsupportedAlgorithm(alg));
        }
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        if n.is_empty() || n.len() > 1024 {
            return Err(CoseError::InvalidRsaKey("modulus must be 1 to 8192 bits"));
        }
        if e.is_empty() || e.len() > 8 {
            return Err(CoseError::InvalidRsaKey("exponent must be 1 to 64 bits"));
        }
        Ok(Self {
            alg,
            n: n.to_vec(),
            e: e.to_vec(),
        })
    }

    /// The algorithm.
    pub fn alg(&self) -> CoseAlgorithm {
        self.alg
    }

    /// The modulus (big-endian, no leading zeros).
    pub fn n(&self) -> &[u8] {
        &self.n
    }

    /// The public exponent (big-endian, no leading zeros).
    pub fn e(&self) -> &[u8] {
        &self.e
    }
}

impl RawCoseKey {
    /// Keeps `map` as an untyped key if it encodes as CTAP2-canonical CBOR (input read
    /// leniently may hold floats or tags, which it cannot carry).
    fn checked(map: BTreeMap<Value, Value>) -> Result<Self, CoseError> {
        cbor::to_vec(&map).map_err(CoseError::NotEncodable)?;
        Ok(Self { map })
    }

    /// An untyped key of integer and byte-string parameters, which always encode.
    pub(super) fn of_ints_and_bytes(params: [(i64, Value); 5]) -> Self {
        Self {
            map: params
                .into_iter()
                .map(|(k, v)| (Value::Integer(k.into()), v))
                .collect(),
        }
    }

    /// Builds an untyped key from integer-labelled parameters, e.g. an AKP (ML-DSA) key
    /// `{1: 7, 3: alg, -1: public key}` this crate does not type. Fails if a parameter
    /// cannot be encoded as CTAP2-canonical CBOR.
    pub fn from_params(params: impl IntoIterator<Item = (i64, Value)>) -> Result<Self, CoseError> {
        Self::checked(
            params
                .into_iter()
                .map(|(k, v)| (Value::Integer(k.into()), v))
                .collect(),
        )
    }

    /// The key type (label 1), if present and an integer.
    pub fn kty(&self) -> Option<i128> {
        match get_int(&self.map, label::KTY) {
            Some(Value::Integer(i)) => Some(*i),
            _ => None,
        }
    }

    /// The algorithm (label 3), if present and within the i64 range.
    pub fn alg(&self) -> Option<CoseAlgorithm> {
        match get_int(&self.map, label::ALG) {
            Some(Value::Integer(i)) => i64::try_from(*i).ok().map(CoseAlgorithm),
            _ => None,
        }
    }

    /// The byte-string parameter with integer label `label`, if present.
    pub fn bytes_param(&self, label: i64) -> Option<&[u8]> {
        match get_int(&self.map, label) {
            Some(Value::Bytes(b)) => Some(b),
            _ => None,
        }
    }

    /// The parameter with integer label `label`, whatever its type, if present.
    pub fn param(&self, label: i64) -> Option<&Value> {
        get_int(&self.map, label)
    }

    /// The integer parameter with integer label `label`, if present.
    pub fn int_param(&self, label: i64) -> Option<i128> {
        match get_int(&self.map, label) {
            Some(Value::Integer(i)) => Some(*i),
            _ => None,
        }
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the map has no parameters.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

fn int_param(map: &BTreeMap<Value, Value>, label: i64) -> Result<i128, CoseError> {
    match get_int(map, label) {
        Some(Value::Integer(i)) => Ok(*i),
        Some(_) => Err(CoseError::InvalidParameter { label }),
        None => Err(CoseError::MissingParameter { label }),
    }
}

fn bytes_param(map: &BTreeMap<Value, Value>, label: i64) -> Result<&[u8], CoseError> {
    match get_int(map, label) {
        Some(Value::Bytes(b)) => Ok(b),
        Some(_) => Err(CoseError::InvalidParameter { label }),
        None => Err(CoseError::MissingParameter { label }),
    }
}

fn expect_kty(
    map: &BTreeMap<Value, Value>,
    alg: CoseAlgorithm,
    want: i64,
) -> Result<(), CoseError> {
    let found = int_param(map, label::KTY)?;
    if found != i128::from(want) {
        return Err(CoseError::WrongKeyType {
            alg,
            expected: want,
            found,
        });
    }
    Ok(())
}

/// Looks up an integer label in a decoded map.
pub(crate) fn get_int(map: &BTreeMap<Value, Value>, label: i64) -> Option<&Value> {
    map.get(&Value::Integer(label.into()))
}

fn ints(entries: &[(i64, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| (Value::Integer(i128::from(*k)), v.clone()))
            .collect(),
    )
}

impl CoseKey {
    /// Decodes a COSE key that fills all of `bytes`.
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, CoseError> {
        let (key, used) = Self::from_cbor_prefix(bytes)?;
        if used != bytes.len() {
            return Err(CoseError::TrailingBytes(bytes.len() - used));
        }
        Ok(key)
    }

    /// Decodes a COSE key at the start of `bytes`; returns it and the number of bytes used.
    ///
    /// The key is read with `fido_types::cbor`'s lenient decoder (any well-formed CBOR, as
    /// authenticators send it; duplicate labels are refused), so a CBOR error carries its
    /// byte offset. Inside a generated message, a key is read by the message's own decoder
    /// (strict by default) through this type's `Deserialize`.
    pub fn from_cbor_prefix(bytes: &[u8]) -> Result<(Self, usize), CoseError> {
        Self::from_cbor_prefix_with(bytes, &Decoder::new().lenient())
    }

    /// As [`from_cbor_prefix`](Self::from_cbor_prefix), with `decoder`'s rules: a strict
    /// decoder (what a client reading an authenticator's answer uses by default) also
    /// refuses non-canonical encodings.
    pub fn from_cbor_prefix_with(
        bytes: &[u8],
        decoder: &Decoder,
    ) -> Result<(Self, usize), CoseError> {
        let (value, used) = decoder
            .decode_prefix::<Value>(bytes)
            .map_err(CoseError::InvalidCbor)?;
        Ok((Self::from_value(value)?, used))
    }

    pub(crate) fn from_value(value: Value) -> Result<Self, CoseError> {
        let Value::Map(map) = value else {
            return Err(CoseError::NotAMap);
        };
        let alg = match get_int(&map, label::ALG) {
            None => return RawCoseKey::checked(map).map(CoseKey::Other),
            Some(Value::Integer(i)) => match i64::try_from(*i) {
                Ok(a) => CoseAlgorithm(a),
                Err(_) => return RawCoseKey::checked(map).map(CoseKey::Other),
            },
            Some(_) => return Err(CoseError::InvalidParameter { label: label::ALG }),
        };
        if let Some(curve) = EcCurve::for_algorithm(alg) {
            expect_kty(&map, alg, kty::EC2)?;
            let crv = int_param(&map, label::CRV)?;
            if crv != i128::from(curve.cose_id()) {
                return Err(CoseError::WrongCurve { alg, found: crv });
            }
            let x = bytes_param(&map, label::X)?;
            let y = bytes_param(&map, label::Y)?;
            return Ok(CoseKey::Ec2(Ec2Key::new(alg, x, y)?));
        }
        match alg {
            CoseAlgorithm::EDDSA | CoseAlgorithm::ED25519 => {
                expect_kty(&map, alg, kty::OKP)?;
                let crv = int_param(&map, label::CRV)?;
                if alg == CoseAlgorithm::EDDSA && crv == i128::from(CRV_ED448) {
                    // EdDSA over Ed448: a valid key this crate does not type.
                    return RawCoseKey::checked(map).map(CoseKey::Other);
                }
                if crv != i128::from(CRV_ED25519) {
                    return Err(CoseError::WrongCurve { alg, found: crv });
                }
                let x = bytes_param(&map, label::X)?;
                let x: [u8; 32] = x.try_into().map_err(|_| CoseError::WrongLength {
                    label: label::X,
                    expected: 32,
                    found: x.len(),
                })?;
                Ok(CoseKey::Okp(OkpKey::new(alg, x)?))
            }
            a if RSA_ALGS.contains(&a) => {
                expect_kty(&map, alg, kty::RSA)?;
                let n = bytes_param(&map, label::N)?;
                let e = bytes_param(&map, label::E)?;
                Ok(CoseKey::Rsa(RsaKey::new(alg, n, e)?))
            }
            _ => RawCoseKey::checked(map).map(CoseKey::Other),
        }
    }

    pub(crate) fn to_value(&self) -> Value {
        match self {
            CoseKey::Ec2(k) => ints(&[
                (label::KTY, Value::Integer(kty::EC2.into())),
                (label::ALG, Value::Integer(k.alg.0.into())),
                (label::CRV, Value::Integer(k.curve.cose_id().into())),
                (label::X, Value::Bytes(k.x.clone())),
                (label::Y, Value::Bytes(k.y.clone())),
            ]),
            CoseKey::Okp(k) => ints(&[
                (label::KTY, Value::Integer(kty::OKP.into())),
                (label::ALG, Value::Integer(k.alg.0.into())),
                (label::CRV, Value::Integer(CRV_ED25519.into())),
                (label::X, Value::Bytes(k.x.to_vec())),
            ]),
            CoseKey::Rsa(k) => ints(&[
                (label::KTY, Value::Integer(kty::RSA.into())),
                (label::ALG, Value::Integer(k.alg.0.into())),
                (label::N, Value::Bytes(k.n.clone())),
                (label::E, Value::Bytes(k.e.clone())),
            ]),
            CoseKey::Other(k) => Value::Map(k.map.clone()),
        }
    }

    /// Encodes the key as CTAP2-canonical CBOR (labels in the order 1, 3, -1, -2, -3).
    pub fn to_cbor(&self) -> Vec<u8> {
        // Typed keys hold integers and byte strings only, and an untyped key was checked to
        // encode when it was built: the canonical writer cannot fail here.
        cbor::to_vec(&self.to_value()).unwrap_or_default()
    }

    /// The key's algorithm; `None` only for an untyped key without one.
    pub fn alg(&self) -> Option<CoseAlgorithm> {
        match self {
            CoseKey::Ec2(k) => Some(k.alg),
            CoseKey::Okp(k) => Some(k.alg),
            CoseKey::Rsa(k) => Some(k.alg),
            CoseKey::Other(k) => k.alg(),
        }
    }

    /// Builds an ES256 key from a CTAP1/U2F public key (65-byte uncompressed P-256 point).
    pub fn from_ctap1(public_key: &[u8]) -> Result<Self, CoseError> {
        Ec2Key::from_ctap1(public_key).map(CoseKey::Ec2)
    }

    fn unsupported(&self) -> CoseError {
        CoseError::UnsupportedAlgorithm(self.alg().unwrap_or(CoseAlgorithm(0)))
    }

    /// Verifies `signature` over `message` with this key, using ring.
    ///
    /// ECDSA signatures are ASN.1 DER (as WebAuthn and CTAP carry them). ES512/ESP512 (no
    /// P-521 in ring) and untyped keys give [`CoseError::UnsupportedAlgorithm`].
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), CoseError> {
        use signature::VerificationAlgorithm;
        let result = match self {
            CoseKey::Ec2(k) => {
                let alg: &'static dyn VerificationAlgorithm = match k.curve {
                    EcCurve::P256 => &signature::ECDSA_P256_SHA256_ASN1,
                    EcCurve::P384 => &signature::ECDSA_P384_SHA384_ASN1,
                    EcCurve::P521 => return Err(self.unsupported()),
                };
                let point = k.uncompressed_point();
                signature::UnparsedPublicKey::new(alg, point).verify(message, signature)
            }
            CoseKey::Okp(k) => signature::UnparsedPublicKey::new(&signature::ED25519, k.x)
                .verify(message, signature),
            CoseKey::Rsa(k) => {
                let params = match k.alg {
                    CoseAlgorithm::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
                    CoseAlgorithm::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
                    CoseAlgorithm::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
                    CoseAlgorithm::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
                    CoseAlgorithm::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
                    CoseAlgorithm::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
                    _ => return Err(self.unsupported()),
                };
                signature::RsaPublicKeyComponents { n: &k.n, e: &k.e }
                    .verify(params, message, signature)
            }
            CoseKey::Other(_) => return Err(self.unsupported()),
        };
        result.map_err(|_| CoseError::InvalidSignature)
    }
}

impl Serialize for CoseKey {
    /// Writes the key as the COSE map [`CoseKey::to_cbor`] encodes.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CoseKey {
    /// Reads a COSE map and checks it as [`CoseKey::from_cbor`] does; a [`CoseError`]
    /// becomes the decoder's error, which `fido_types::cbor` places at the member's offset
    /// and field path.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        CoseKey::from_value(value).map_err(serde::de::Error::custom)
    }
}
