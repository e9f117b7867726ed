//! Trust: roots by AAGUID (and by format, for U2F authenticators, which have no AAGUID),
//! statuses that refuse an authenticator, and certificate path validation.
//!
//! Path validation walks the statement's `x5c` from the attestation certificate: each
//! certificate must be within its validity and signed by the next (x509-parser checks the
//! signature through ring), every issuer must be a CA (basicConstraints), and the last one
//! must be a root of the store or be signed by one whose subject is its issuer.

use std::collections::BTreeMap;
use std::path::Path;

use fido_types::generated::webauthn::AttestationFormat;
use fido_types::webauthn::Aaguid;

use crate::attestation::{AttestationType, VerifiedAttestation};
use crate::cert::{self, Cert};
use crate::error::TrustError;

/// Trusted attestation roots and refused authenticators.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustStore {
    by_aaguid: BTreeMap<Aaguid, Vec<Vec<u8>>>,
    by_format: BTreeMap<String, Vec<Vec<u8>>>,
    refused: BTreeMap<Aaguid, String>,
}

/// Why a trust store file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrustStoreError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A file name is neither an AAGUID nor a format name.
    #[error("{0}: the file name is neither an AAGUID nor an attestation format")]
    Name(String),
    /// A file holds no certificate, or a malformed one.
    #[error("{path}: {reason}")]
    Certificate {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

impl TrustStore {
    /// An empty store: nothing is trusted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts `root` (DER) for authenticators with `aaguid`.
    pub fn add_aaguid_root(&mut self, aaguid: Aaguid, root: Vec<u8>) -> Result<(), String> {
        cert::parse(&root)?;
        self.by_aaguid.entry(aaguid).or_default().push(root);
        Ok(())
    }

    /// Trusts `root` (DER) for every statement of `format` (for `fido-u2f`, whose
    /// authenticators have no AAGUID).
    pub fn add_format_root(&mut self, format: &str, root: Vec<u8>) -> Result<(), String> {
        cert::parse(&root)?;
        self.by_format
            .entry(format.to_owned())
            .or_default()
            .push(root);
        Ok(())
    }

    /// Refuses authenticators with `aaguid`, giving `status` as the reason.
    pub fn refuse(&mut self, aaguid: Aaguid, status: impl Into<String>) {
        self.refused.insert(aaguid, status.into());
    }

    /// Reads a directory of roots: each file is named `AAGUID.pem` / `AAGUID.der`
    /// (canonical UUID form) or `FORMAT.pem` / `FORMAT.der` (e.g. `fido-u2f.pem`), and
    /// holds one or more certificates (PEM) or one (DER).
    pub fn from_dir(dir: &Path) -> Result<Self, TrustStoreError> {
        let io = |path: &Path, source| TrustStoreError::Io {
            path: path.display().to_string(),
            source,
        };
        let mut store = Self::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        for path in entries {
            let shown = path.display().to_string();
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or_else(|| TrustStoreError::Name(shown.clone()))?;
            let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
            let certs = certificates(&bytes).map_err(|reason| TrustStoreError::Certificate {
                path: shown.clone(),
                reason,
            })?;
            for der in certs {
                let added = if let Ok(aaguid) = stem.parse::<Aaguid>() {
                    store.add_aaguid_root(aaguid, der)
                } else if AttestationFormat::KNOWN.iter().any(|f| f.as_str() == stem) {
                    store.add_format_root(stem, der)
                } else {
                    return Err(TrustStoreError::Name(shown));
                };
                added.map_err(|reason| TrustStoreError::Certificate {
                    path: shown.clone(),
                    reason,
                })?;
            }
        }
        Ok(store)
    }

    /// The roots that may anchor a statement of `format` from `aaguid`.
    pub fn roots_for(&self, format: &str, aaguid: &Aaguid) -> Vec<&[u8]> {
        let by_aaguid = self.by_aaguid.get(aaguid).into_iter().flatten();
        let by_format = self.by_format.get(format).into_iter().flatten();
        by_aaguid.chain(by_format).map(Vec::as_slice).collect()
    }

    /// Decides whether `attestation` is trusted at `unix_time`: the authenticator is not
    /// refused, the attestation has a trust path, and the path reaches one of its roots
    /// (for `compound`, every member's does).
    pub fn verify(
        &self,
        attestation: &VerifiedAttestation,
        unix_time: i64,
    ) -> Result<(), TrustError> {
        if let Some(status) = self.refused.get(&attestation.aaguid) {
            return Err(TrustError::StatusRefused {
                aaguid: attestation.aaguid,
                status: status.clone(),
            });
        }
        match attestation.attestation_type {
            AttestationType::None => return Err(TrustError::Untrusted("none")),
            AttestationType::SelfAttestation => {
                return Err(TrustError::Untrusted("self attestation"));
            }
            // Valid only if every member is (WebAuthn L3 §8.9); so is its trust.
            AttestationType::Compound if attestation.members.is_empty() => {
                return Err(TrustError::Untrusted("compound without members"));
            }
            AttestationType::Compound => {
                return attestation
                    .members
                    .iter()
                    .try_for_each(|member| self.verify(member, unix_time));
            }
            _ => {}
        }
        let roots = self.roots_for(&attestation.format, &attestation.aaguid);
        if roots.is_empty() {
            return Err(TrustError::NoTrustAnchor(attestation.aaguid.to_string()));
        }
        let chain: Vec<&[u8]> = attestation.trust_path.iter().map(Vec::as_slice).collect();
        verify_chain(&chain, &roots, unix_time)
    }
}

/// The certificates of a PEM file (every CERTIFICATE block) or of one DER certificate.
pub fn certificates(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    if bytes.starts_with(b"-----BEGIN") || bytes.iter().take(64).all(u8::is_ascii) {
        let mut out = Vec::new();
        for pem in x509_parser::pem::Pem::iter_from_buffer(bytes) {
            let pem = pem.map_err(|e| format!("not PEM: {e}"))?;
            if pem.label == "CERTIFICATE" {
                out.push(pem.contents);
            }
        }
        if out.is_empty() {
            return Err("no CERTIFICATE block".into());
        }
        return Ok(out);
    }
    cert::parse(bytes)?;
    Ok(vec![bytes.to_vec()])
}

/// Validates `chain` (attestation certificate first) up to one of `roots` at `unix_time`.
pub fn verify_chain(chain: &[&[u8]], roots: &[&[u8]], unix_time: i64) -> Result<(), TrustError> {
    let bad = |index: usize| move |reason: String| TrustError::Certificate { index, reason };
    let certs = chain
        .iter()
        .enumerate()
        .map(|(i, der)| cert::parse(der).map_err(bad(i)))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(last) = certs.last() else {
        return Err(TrustError::ChainNotToRoot("the chain is empty".into()));
    };
    for (i, c) in certs.iter().enumerate() {
        cert::valid_at(c, unix_time).map_err(bad(i))?;
    }
    for (i, pair) in certs.windows(2).enumerate() {
        signed_by(&pair[0], &pair[1]).map_err(bad(i))?;
        if !cert::is_ca(&pair[1]).map_err(bad(i + 1))? {
            return Err(bad(i + 1)("it issues a certificate but is not a CA".into()));
        }
    }
    if roots.contains(&last.der) {
        return Ok(());
    }
    let mut reasons = Vec::new();
    for root in roots {
        let root = match cert::parse(root) {
            Ok(r) => r,
            Err(e) => {
                reasons.push(e);
                continue;
            }
        };
        if root.x509.subject() != last.x509.issuer() {
            continue;
        }
        match signed_by(last, &root).and_then(|()| cert::valid_at(&root, unix_time)) {
            Ok(()) => return Ok(()),
            Err(e) => reasons.push(e),
        }
    }
    Err(TrustError::ChainNotToRoot(if reasons.is_empty() {
        "no trusted root issued the last certificate".into()
    } else {
        reasons.join("; ")
    }))
}

fn signed_by(cert: &Cert<'_>, issuer: &Cert<'_>) -> Result<(), String> {
    if cert.x509.issuer() != issuer.x509.subject() {
        return Err("its issuer is not the next certificate's subject".into());
    }
    cert.x509
        .verify_signature(Some(issuer.x509.public_key()))
        .map_err(|e| format!("its signature does not verify with its issuer's key: {e}"))
}
