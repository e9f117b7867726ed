//! The COSE form of a PIN/UV auth protocol key-agreement key (CTAP 2.1 §6.5.6,
//! getPublicKey): `{1: 2 (EC2), 3: -25 (ECDH-ES+HKDF-256), -1: 1 (P-256), -2: x, -3: y}`.
//!
//! Platform and authenticator both read the key with [`CoseKey::to_key_agreement`], so the
//! two sides check the same things. `alg` -25 names the key's use, not an algorithm this
//! crate types, so such a key is a [`CoseKey::Other`] until it is checked here; whether the
//! point is on the curve is left to the key agreement itself (which must fail with its own
//! error, CTAP's `CTAP1_ERR_INVALID_PARAMETER` on the authenticator).

use super::key::{RawCoseKey, kty, label};
use super::{CoseAlgorithm, CoseError, CoseKey, EcCurve};
use crate::cbor::Value;
use crate::pin_protocol::KeyAgreementPublicKey;

/// The algorithm a key-agreement key carries.
const ALG: CoseAlgorithm = CoseAlgorithm::ECDH_ES_HKDF_256;

impl CoseKey {
    /// The COSE key a PIN/UV key-agreement public key travels as.
    ///
    /// ```
    /// use fido_types::cose::CoseKey;
    /// use fido_types::pin_protocol::KeyAgreementPublicKey;
    /// let public = KeyAgreementPublicKey { x: [1; 32], y: [2; 32] };
    /// let key = CoseKey::from_key_agreement(&public);
    /// assert_eq!(&key.to_cbor()[..7], [0xa5, 0x01, 0x02, 0x03, 0x38, 0x18, 0x20]);
    /// assert_eq!(key.to_key_agreement(), Ok(public));
    /// ```
    pub fn from_key_agreement(public: &KeyAgreementPublicKey) -> Self {
        let params = [
            (label::KTY, Value::Integer(kty::EC2.into())),
            (label::ALG, Value::Integer(ALG.0.into())),
            (label::CRV, Value::Integer(EcCurve::P256.cose_id().into())),
            (label::X, Value::Bytes(public.x.to_vec())),
            (label::Y, Value::Bytes(public.y.to_vec())),
        ];
        CoseKey::Other(RawCoseKey::of_ints_and_bytes(params))
    }

    /// Reads a PIN/UV key-agreement public key: kty EC2, alg ECDH-ES+HKDF-256, crv P-256
    /// and 32-byte coordinates (CTAP 2.1 §6.5.6). Whether the point is on the curve is
    /// checked by the key agreement.
    ///
    /// # Errors
    /// [`CoseError::MissingParameter`] for an absent member, [`CoseError::WrongKeyType`],
    /// [`CoseError::WrongAlgorithm`], [`CoseError::WrongCurve`], or
    /// [`CoseError::InvalidParameter`] / [`CoseError::WrongLength`] for a coordinate.
    pub fn to_key_agreement(&self) -> Result<KeyAgreementPublicKey, CoseError> {
        let raw = match self {
            CoseKey::Other(raw) => raw,
            typed => {
                return Err(CoseError::WrongAlgorithm {
                    expected: ALG,
                    found: typed.alg().unwrap_or(CoseAlgorithm(0)),
                });
            }
        };
        let int = |l| {
            raw.int_param(l)
                .ok_or(CoseError::MissingParameter { label: l })
        };
        let kty = int(label::KTY)?;
        if kty != i128::from(kty::EC2) {
            return Err(CoseError::WrongKeyType {
                alg: ALG,
                expected: kty::EC2,
                found: kty,
            });
        }
        let alg = raw
            .alg()
            .ok_or(CoseError::MissingParameter { label: label::ALG })?;
        if alg != ALG {
            return Err(CoseError::WrongAlgorithm {
                expected: ALG,
                found: alg,
            });
        }
        let crv = int(label::CRV)?;
        if crv != i128::from(EcCurve::P256.cose_id()) {
            return Err(CoseError::WrongCurve { alg, found: crv });
        }
        Ok(KeyAgreementPublicKey {
            x: coordinate(raw, label::X)?,
            y: coordinate(raw, label::Y)?,
        })
    }
}

fn coordinate(raw: &RawCoseKey, l: i64) -> Result<[u8; 32], CoseError> {
    let bytes = match raw.param(l) {
        None => return Err(CoseError::MissingParameter { label: l }),
        Some(Value::Bytes(b)) => b,
        Some(_) => return Err(CoseError::InvalidParameter { label: l }),
    };
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| CoseError::WrongLength {
        label: l,
        expected: 32,
        found: bytes.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(params: &[(i64, Value)]) -> CoseKey {
        CoseKey::Other(RawCoseKey::from_params(params.iter().cloned()).unwrap())
    }

    #[test]
    fn round_trips_through_cbor() {
        let public = KeyAgreementPublicKey {
            x: [7; 32],
            y: [9; 32],
        };
        let bytes = CoseKey::from_key_agreement(&public).to_cbor();
        let decoded = CoseKey::from_cbor(&bytes).unwrap();
        assert_eq!(decoded.to_key_agreement(), Ok(public));
    }

    #[test]
    fn checks_kty_alg_crv_and_coordinates() {
        let good = [
            (1, Value::Integer(2)),
            (3, Value::Integer(-25)),
            (-1, Value::Integer(1)),
            (-2, Value::Bytes(vec![1; 32])),
            (-3, Value::Bytes(vec![2; 32])),
        ];
        let with = |i: usize, v: Option<Value>| {
            let mut p: Vec<_> = good.to_vec();
            match v {
                Some(v) => p[i].1 = v,
                None => {
                    p.remove(i);
                }
            }
            key(&p).to_key_agreement()
        };
        assert!(matches!(
            with(0, Some(Value::Integer(1))),
            Err(CoseError::WrongKeyType { found: 1, .. })
        ));
        assert_eq!(with(1, None), Err(CoseError::MissingParameter { label: 3 }));
        assert!(matches!(
            with(1, Some(Value::Integer(-7))),
            Err(CoseError::WrongAlgorithm { .. })
        ));
        assert!(matches!(
            with(2, Some(Value::Integer(2))),
            Err(CoseError::WrongCurve { found: 2, .. })
        ));
        assert_eq!(
            with(4, None),
            Err(CoseError::MissingParameter { label: -3 })
        );
        assert_eq!(
            with(3, Some(Value::Text("x".into()))),
            Err(CoseError::InvalidParameter { label: -2 })
        );
        assert!(matches!(
            with(3, Some(Value::Bytes(vec![1; 31]))),
            Err(CoseError::WrongLength { found: 31, .. })
        ));
        assert!(with(0, Some(Value::Integer(2))).is_ok());
    }

    #[test]
    fn a_bad_key_in_a_message_is_an_error_at_its_member() {
        use crate::cbor::{self, DecodeErrorKind};
        use crate::generated::client_pin::ClientPinResponse;
        // {1: {1: 2, 3: -7 (ES256), -1: 2 (P-384), -2: h'', -3: h''}}
        let bytes = [
            0xa1, 0x01, 0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x02, 0x21, 0x40, 0x22, 0x40,
        ];
        let err = cbor::from_slice::<ClientPinResponse>(&bytes).unwrap_err();
        assert!(matches!(err.kind(), DecodeErrorKind::Mismatch(_)));
        assert_eq!(
            err.path_string(),
            "ClientPinResponse.key_agreement (key 0x01)"
        );
        assert_eq!(err.offset(), 2);
    }
}
