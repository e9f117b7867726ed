//! Compact JWS (RFC 7515) as android-safetynet statements and FIDO MDS3 BLOBs carry them:
//! a header naming the algorithm and the signing certificate chain (`x5c`), a JSON
//! payload, and a signature made by the first certificate's key.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use fido_types::generated::attestation::JwsAlgorithm;
use ring::signature::{self as ring_sig, VerificationAlgorithm};
use serde::Deserialize;

use crate::cert::Cert;

/// The largest JWS read (an MDS3 BLOB is a few MB; this bounds what is decoded).
pub(crate) const MAX_LEN: usize = 64 << 20;

/// A compact JWS split and decoded; nothing is verified yet.
pub(crate) struct Jws {
    /// The header's `alg`.
    pub alg: String,
    /// The header's `x5c`, DER, leaf first.
    pub x5c: Vec<Vec<u8>>,
    /// The decoded payload.
    pub payload: Vec<u8>,
    /// `BASE64URL(header) '.' BASE64URL(payload)`, what the signature covers.
    pub signing_input: Vec<u8>,
    /// The decoded signature.
    pub signature: Vec<u8>,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    x5c: Vec<String>,
}

/// Why a JWS could not be read or verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JwsError {
    /// Not three base64url parts, or a part does not decode.
    Format(String),
    /// The header is not JSON with `alg` (and `x5c` of base64 DER).
    Header(String),
    /// The algorithm is not one of RS256, PS256, ES256.
    Algorithm(String),
    /// The signature does not verify with the leaf certificate's key.
    Signature,
}

impl Jws {
    /// Splits and decodes `text` (padding and whitespace around it tolerated).
    pub fn parse(text: &[u8]) -> Result<Self, JwsError> {
        if text.len() > MAX_LEN {
            return Err(JwsError::Format(format!("longer than {MAX_LEN} bytes")));
        }
        let text = std::str::from_utf8(text)
            .map_err(|_| JwsError::Format("not UTF-8".into()))?
            .trim();
        let parts: Vec<&str> = text.split('.').collect();
        let [header_b64, payload_b64, sig_b64] = parts.as_slice() else {
            return Err(JwsError::Format(format!(
                "{} parts instead of 3",
                parts.len()
            )));
        };
        let decode = |what: &str, s: &str| {
            URL_SAFE_NO_PAD
                .decode(s.trim_end_matches('='))
                .map_err(|e| JwsError::Format(format!("{what}: {e}")))
        };
        let header: Header = serde_json::from_slice(&decode("header", header_b64)?)
            .map_err(|e| JwsError::Header(e.to_string()))?;
        let x5c = header
            .x5c
            .iter()
            .map(|c| {
                STANDARD
                    .decode(c)
                    .map_err(|e| JwsError::Header(format!("x5c: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            alg: header.alg,
            x5c,
            payload: decode("payload", payload_b64)?,
            signing_input: format!("{header_b64}.{payload_b64}").into_bytes(),
            signature: decode("signature", sig_b64)?,
        })
    }

    /// Verifies the signature with `signer`'s key.
    pub fn verify(&self, signer: &Cert<'_>) -> Result<(), JwsError> {
        let alg: &'static dyn VerificationAlgorithm = match self.alg.as_str() {
            a if a == JwsAlgorithm::RS256.as_str() => &ring_sig::RSA_PKCS1_2048_8192_SHA256,
            a if a == JwsAlgorithm::PS256.as_str() => &ring_sig::RSA_PSS_2048_8192_SHA256,
            // JWS ECDSA signatures are r ‖ s (RFC 7518 §3.4); python-fido2's MDS3 example
            // BLOB carries DER, which is accepted too (64 bytes can only be r ‖ s).
            a if a == JwsAlgorithm::ES256.as_str() && self.signature.len() == 64 => {
                &ring_sig::ECDSA_P256_SHA256_FIXED
            }
            a if a == JwsAlgorithm::ES256.as_str() => &ring_sig::ECDSA_P256_SHA256_ASN1,
            other => return Err(JwsError::Algorithm(other.to_owned())),
        };
        let key = signer.x509.public_key().subject_public_key.data.as_ref();
        ring_sig::UnparsedPublicKey::new(alg, key)
            .verify(&self.signing_input, &self.signature)
            .map_err(|_| JwsError::Signature)
    }
}
