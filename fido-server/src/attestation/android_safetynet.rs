//! Format `android-safetynet` (WebAuthn L3 §8.5): a SafetyNet attestation JWS whose
//! payload's `nonce` is base64(SHA-256(authenticatorData ‖ clientDataHash)), signed by a
//! certificate issued to attest.android.com, with `ctsProfileMatch` true.
//!
//! The response's `timestampMs` is not checked against the clock: recorded responses
//! (and the test vectors) would all fail; a relying party that wants freshness compares
//! it itself.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::digest;
use serde::Deserialize;

use super::{AttestationType, Input, Outcome};
use crate::cert;
use crate::error::AttestationError;
use crate::jws::{Jws, JwsError};

const FORMAT: &str = "android-safetynet";
/// The host name SafetyNet attestation certificates are issued to (WebAuthn L3 §8.5).
const ATTESTATION_HOST: &str = "attest.android.com";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    nonce: String,
    #[serde(default)]
    cts_profile_match: bool,
}

pub(super) fn verify(input: &Input<'_>) -> Outcome {
    let ver = input.stmt.text(FORMAT, "ver")?;
    if ver.is_empty() {
        return Err(AttestationError::malformed(FORMAT, "ver is empty"));
    }
    let jws = Jws::parse(input.stmt.bytes(FORMAT, "response")?).map_err(|e| match e {
        JwsError::Format(r) | JwsError::Header(r) => AttestationError::malformed(FORMAT, r),
        JwsError::Algorithm(a) => AttestationError::malformed(FORMAT, format!("JWS alg {a}")),
        JwsError::Signature => AttestationError::InvalidSignature { format: FORMAT },
    })?;
    let payload: Payload = serde_json::from_slice(&jws.payload)
        .map_err(|e| AttestationError::malformed(FORMAT, format!("payload: {e}")))?;
    let nonce = digest::digest(&digest::SHA256, &input.signed_message());
    if payload.nonce != STANDARD.encode(nonce.as_ref()) {
        return Err(AttestationError::mismatch(
            FORMAT,
            "the nonce is not the expected hash",
        ));
    }
    let leaf_der = jws
        .x5c
        .first()
        .ok_or_else(|| AttestationError::malformed(FORMAT, "the JWS header has no x5c"))?;
    let leaf = cert::parse(leaf_der).map_err(|e| AttestationError::certificate(FORMAT, e))?;
    if cert::texts(leaf.x509.subject().iter_common_name()) != [ATTESTATION_HOST] {
        return Err(AttestationError::certificate(
            FORMAT,
            format!("it is not issued to {ATTESTATION_HOST}"),
        ));
    }
    jws.verify(&leaf).map_err(|e| match e {
        JwsError::Algorithm(a) => AttestationError::malformed(FORMAT, format!("JWS alg {a}")),
        _ => AttestationError::InvalidSignature { format: FORMAT },
    })?;
    if !payload.cts_profile_match {
        return Err(AttestationError::mismatch(
            FORMAT,
            "ctsProfileMatch is not true",
        ));
    }
    Ok((AttestationType::Basic, jws.x5c.clone()))
}
