//! Attestation keys and certificates: a minimal DER writer for a self-signed P-256
//! X.509 v3 certificate meeting the "packed" attestation certificate requirements
//! (WebAuthn §8.2.1: C, O, OU = "Authenticator Attestation", CN; basic constraints CA
//! false), also used as the U2F attestation certificate.

use p256::ecdsa::signature::Signer;

use crate::secret::Secret;
use crate::store::der_signature;

/// An attestation key and its certificate.
#[derive(Debug, Clone)]
pub struct AttestationKey {
    /// The P-256 private scalar.
    pub key: Secret<32>,
    /// The DER certificate.
    pub certificate: Vec<u8>,
}

impl AttestationKey {
    /// Signs `message` with ECDSA P-256 SHA-256 (DER signature).
    pub fn sign(&self, message: &[u8]) -> Option<Vec<u8>> {
        let sk = p256::ecdsa::SigningKey::from_slice(self.key.expose_secret()).ok()?;
        let sig: p256::ecdsa::Signature = sk.sign(message);
        let raw = sig.to_bytes();
        Some(der_signature(&raw[..32], &raw[32..]))
    }

    /// A self-signed certificate for `key`, with this common name and serial number.
    /// `None` if `key` is not a valid P-256 scalar.
    pub fn self_signed(key: Secret<32>, common_name: &str, serial: u8) -> Option<Self> {
        let sk = p256::ecdsa::SigningKey::from_slice(key.expose_secret()).ok()?;
        let point = sk.verifying_key().to_sec1_point(false);
        let name = subject_name(common_name);
        let validity = tlv(
            0x30,
            &[tlv(0x17, b"200101000000Z"), tlv(0x18, b"99991231235959Z")].concat(),
        );
        let tbs = tlv(
            0x30,
            &[
                tlv(0xA0, &tlv(0x02, &[0x02])),
                tlv(0x02, &[serial & 0x7F]),
                ecdsa_sha256(),
                name.clone(),
                validity,
                name,
                p256_spki(point.as_bytes()),
                ca_false_extension(),
            ]
            .concat(),
        );
        let sig: p256::ecdsa::Signature = sk.sign(&tbs);
        let raw = sig.to_bytes();
        let mut sig_bits = vec![0x00];
        sig_bits.extend(der_signature(&raw[..32], &raw[32..]));
        let certificate = tlv(0x30, &[tbs, ecdsa_sha256(), tlv(0x03, &sig_bits)].concat());
        Some(AttestationKey { key, certificate })
    }
}

/// AlgorithmIdentifier ecdsa-with-SHA256 (1.2.840.10045.4.3.2).
fn ecdsa_sha256() -> Vec<u8> {
    tlv(
        0x30,
        &tlv(0x06, &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]),
    )
}

/// The subject (and issuer): C, O, OU = "Authenticator Attestation", CN.
fn subject_name(common_name: &str) -> Vec<u8> {
    tlv(
        0x30,
        &[
            rdn(&[0x55, 0x04, 0x06], 0x13, "US"),
            rdn(&[0x55, 0x04, 0x0A], 0x0C, "fido-rs"),
            rdn(&[0x55, 0x04, 0x0B], 0x0C, "Authenticator Attestation"),
            rdn(&[0x55, 0x04, 0x03], 0x0C, common_name),
        ]
        .concat(),
    )
}

/// SubjectPublicKeyInfo of an uncompressed P-256 point (id-ecPublicKey, prime256v1).
fn p256_spki(point: &[u8]) -> Vec<u8> {
    let mut bits = vec![0x00];
    bits.extend_from_slice(point);
    tlv(
        0x30,
        &[
            tlv(
                0x30,
                &[
                    tlv(0x06, &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]),
                    tlv(0x06, &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]),
                ]
                .concat(),
            ),
            tlv(0x03, &bits),
        ]
        .concat(),
    )
}

/// The extensions: basicConstraints (2.5.29.19), critical, CA false (an empty SEQUENCE).
fn ca_false_extension() -> Vec<u8> {
    tlv(
        0xA3,
        &tlv(
            0x30,
            &tlv(
                0x30,
                &[
                    tlv(0x06, &[0x55, 0x1D, 0x13]),
                    tlv(0x01, &[0xFF]),
                    tlv(0x04, &tlv(0x30, &[])),
                ]
                .concat(),
            ),
        ),
    )
}

fn rdn(oid: &[u8], string_tag: u8, value: &str) -> Vec<u8> {
    tlv(
        0x31,
        &tlv(
            0x30,
            &[tlv(0x06, oid), tlv(string_tag, value.as_bytes())].concat(),
        ),
    )
}

/// A DER tag-length-value.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}
