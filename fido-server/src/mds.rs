//! FIDO Metadata Service v3 (MDS3): the metadata BLOB, a JWS whose certificate chain must
//! reach the FIDO root the caller gives; its entries' metadata statements and status
//! reports; and the trust store they make.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use fido_types::generated::attestation::AuthenticatorStatus;
use fido_types::webauthn::Aaguid;
use serde::Deserialize;

use crate::cert;
use crate::error::MetadataError;
use crate::jws::{Jws, JwsError};
use crate::trust::{TrustStore, verify_chain};

/// A verified metadata BLOB.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MetadataBlob {
    /// The serial number (`no`).
    pub no: u64,
    /// `nextUpdate` (ISO 8601 date).
    pub next_update: String,
    /// `legalHeader`.
    pub legal_header: Option<String>,
    /// The entries.
    pub entries: Vec<MetadataEntry>,
}

/// One authenticator's entry (`MetadataBLOBPayloadEntry`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MetadataEntry {
    /// The AAGUID of a FIDO2 authenticator.
    pub aaguid: Option<Aaguid>,
    /// The AAID of a UAF authenticator.
    pub aaid: Option<String>,
    /// Key identifiers (hex SHA-1 of the SPKI) of U2F attestation certificates.
    pub attestation_certificate_key_identifiers: Vec<String>,
    /// The metadata statement, if the entry has one.
    pub metadata_statement: Option<MetadataStatement>,
    /// The status reports, in the BLOB's order.
    pub status_reports: Vec<StatusReport>,
}

/// The parts of a metadata statement this crate uses; the whole statement is kept as
/// JSON.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MetadataStatement {
    /// `description`.
    pub description: Option<String>,
    /// `attestationRootCertificates`, DER.
    pub attestation_root_certificates: Vec<Vec<u8>>,
    /// The statement as the BLOB holds it.
    pub json: serde_json::Value,
}

/// A status report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatusReport {
    /// `status`.
    pub status: AuthenticatorStatus,
    /// `effectiveDate` (ISO 8601 date), if given.
    pub effective_date: Option<String>,
}

/// Statuses that make a relying party refuse the authenticator (MDS3 §3.1.4).
const REFUSED: &[AuthenticatorStatus] = &[
    AuthenticatorStatus::USER_VERIFICATION_BYPASS,
    AuthenticatorStatus::ATTESTATION_KEY_COMPROMISE,
    AuthenticatorStatus::USER_KEY_REMOTE_COMPROMISE,
    AuthenticatorStatus::USER_KEY_PHYSICAL_COMPROMISE,
    AuthenticatorStatus::REVOKED,
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PayloadJson {
    no: u64,
    next_update: String,
    #[serde(default)]
    legal_header: Option<String>,
    entries: Vec<EntryJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EntryJson {
    #[serde(default)]
    aaguid: Option<String>,
    #[serde(default)]
    aaid: Option<String>,
    #[serde(default)]
    attestation_certificate_key_identifiers: Vec<String>,
    #[serde(default)]
    metadata_statement: Option<serde_json::Value>,
    #[serde(default)]
    status_reports: Vec<StatusJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusJson {
    status: String,
    #[serde(default)]
    effective_date: Option<String>,
}

fn malformed(part: &'static str, reason: impl Into<String>) -> MetadataError {
    MetadataError::Malformed {
        part,
        reason: reason.into(),
    }
}

impl MetadataBlob {
    /// Verifies `blob` (the compact JWS as downloaded) against the FIDO root `root` (DER)
    /// at `unix_time`, then reads its payload.
    pub fn verify(blob: &[u8], root: &[u8], unix_time: i64) -> Result<Self, MetadataError> {
        let jws = Jws::parse(blob).map_err(|e| match e {
            JwsError::Format(r) => MetadataError::NotJwt(r),
            JwsError::Header(r) => malformed("header", r),
            JwsError::Algorithm(a) => MetadataError::UnsupportedAlgorithm(a),
            JwsError::Signature => MetadataError::InvalidSignature,
        })?;
        let leaf_der = jws
            .x5c
            .first()
            .ok_or_else(|| malformed("header", "no x5c"))?;
        let chain: Vec<&[u8]> = jws.x5c.iter().map(Vec::as_slice).collect();
        verify_chain(&chain, &[root], unix_time).map_err(MetadataError::Chain)?;
        let leaf = cert::parse(leaf_der).map_err(|e| malformed("header", e))?;
        jws.verify(&leaf).map_err(|e| match e {
            JwsError::Algorithm(a) => MetadataError::UnsupportedAlgorithm(a),
            _ => MetadataError::InvalidSignature,
        })?;
        Self::from_payload(&jws.payload)
    }

    /// Reads a BLOB payload (JSON) without any signature check.
    pub fn from_payload(payload: &[u8]) -> Result<Self, MetadataError> {
        let p: PayloadJson =
            serde_json::from_slice(payload).map_err(|e| malformed("payload", e.to_string()))?;
        let entries = p
            .entries
            .into_iter()
            .map(entry)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            no: p.no,
            next_update: p.next_update,
            legal_header: p.legal_header,
            entries,
        })
    }

    /// The entry for `aaguid`.
    pub fn entry_by_aaguid(&self, aaguid: &Aaguid) -> Option<&MetadataEntry> {
        self.entries
            .iter()
            .find(|e| e.aaguid.as_ref() == Some(aaguid))
    }

    /// A trust store of every FIDO2 entry's attestation roots, refusing the
    /// authenticators whose latest status is a compromise or a revocation.
    pub fn trust_store(&self) -> TrustStore {
        let mut store = TrustStore::new();
        for e in &self.entries {
            let Some(aaguid) = e.aaguid else { continue };
            if let Some(status) = e.refusing_status() {
                store.refuse(aaguid, status.as_str().to_owned());
            }
            for root in e
                .metadata_statement
                .iter()
                .flat_map(|s| &s.attestation_root_certificates)
            {
                // Roots that do not parse were refused when the entry was read.
                let _ = store.add_aaguid_root(aaguid, root.clone());
            }
        }
        store
    }
}

impl MetadataEntry {
    /// The latest status report (by `effectiveDate`, ties and undated ones in BLOB order).
    pub fn latest_status(&self) -> Option<&StatusReport> {
        self.status_reports
            .iter()
            .enumerate()
            .max_by(|(i, a), (j, b)| a.effective_date.cmp(&b.effective_date).then(i.cmp(j)))
            .map(|(_, s)| s)
    }

    /// The latest status when it refuses the authenticator.
    pub fn refusing_status(&self) -> Option<&AuthenticatorStatus> {
        self.latest_status()
            .map(|s| &s.status)
            .filter(|s| REFUSED.contains(s))
    }
}

fn entry(e: EntryJson) -> Result<MetadataEntry, MetadataError> {
    let aaguid = e
        .aaguid
        .map(|a| {
            a.parse::<Aaguid>()
                .map_err(|err| malformed("payload", format!("aaguid {a:?}: {err}")))
        })
        .transpose()?;
    let metadata_statement = e.metadata_statement.map(statement).transpose()?;
    Ok(MetadataEntry {
        aaguid,
        aaid: e.aaid,
        attestation_certificate_key_identifiers: e.attestation_certificate_key_identifiers,
        metadata_statement,
        status_reports: e
            .status_reports
            .into_iter()
            .map(|s| StatusReport {
                status: AuthenticatorStatus(s.status.into()),
                effective_date: s.effective_date,
            })
            .collect(),
    })
}

fn statement(json: serde_json::Value) -> Result<MetadataStatement, MetadataError> {
    let roots = match json.get("attestationRootCertificates") {
        None => Vec::new(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|c| {
                let der = c
                    .as_str()
                    .and_then(|s| STANDARD.decode(s).ok())
                    .ok_or_else(|| {
                        malformed("payload", "attestationRootCertificates entry is not base64")
                    })?;
                cert::parse(&der).map_err(|e| malformed("payload", e))?;
                Ok(der)
            })
            .collect::<Result<Vec<_>, MetadataError>>()?,
        Some(_) => {
            return Err(malformed(
                "payload",
                "attestationRootCertificates is not an array",
            ));
        }
    };
    Ok(MetadataStatement {
        description: json
            .get("description")
            .and_then(|d| d.as_str())
            .map(str::to_owned),
        attestation_root_certificates: roots,
        json,
    })
}
