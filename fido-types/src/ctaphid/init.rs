//! The payload of the CTAPHID INIT response (CTAP 2.1 §11.2.9.1.3).
//!
//! ```text
//! nonce(8) | allocated CID(4, big-endian) | CTAPHID version(1) | major(1) | minor(1) | build(1) | capabilities(1)
//! ```
//! Cross-checked against libfido2 (`src/dev.c`, `fido_dev_open_rx`: a 17-byte reply whose
//! nonce is compared with the request's) and python-fido2 (`CtapHidConnection`: version
//! triple and capabilities from the INIT reply).

use super::{CapabilityFlags, ChannelId};

#[cfg(test)]
mod tests;

/// Length of the INIT nonce.
pub const NONCE_LEN: usize = 8;
/// Length of an INIT response payload.
pub const INIT_RESPONSE_LEN: usize = 17;

/// The INIT response payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitResponse {
    /// The nonce of the request, echoed.
    pub nonce: [u8; NONCE_LEN],
    /// The channel allocated (or, on an allocated channel, resynchronised).
    pub cid: ChannelId,
    /// The CTAPHID protocol version (2 for CTAP 2.x).
    pub protocol_version: u8,
    /// Device version, major.
    pub major: u8,
    /// Device version, minor.
    pub minor: u8,
    /// Device version, build.
    pub build: u8,
    /// The capability flags.
    pub capabilities: CapabilityFlags,
}

/// The INIT response payload is too short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("INIT response has {len} bytes, at least {min} are needed", min = INIT_RESPONSE_LEN)]
pub struct InitResponseError {
    /// The length received.
    pub len: usize,
}

impl InitResponse {
    /// Reads an INIT response. Bytes beyond the 17 defined ones are ignored, as libfido2
    /// and python-fido2 do.
    pub fn parse(data: &[u8]) -> Result<Self, InitResponseError> {
        let Some((head, _)) = data.split_first_chunk::<INIT_RESPONSE_LEN>() else {
            return Err(InitResponseError { len: data.len() });
        };
        let [
            n0,
            n1,
            n2,
            n3,
            n4,
            n5,
            n6,
            n7,
            c0,
            c1,
            c2,
            c3,
            protocol_version,
            major,
            minor,
            build,
            caps,
        ] = *head;
        Ok(InitResponse {
            nonce: [n0, n1, n2, n3, n4, n5, n6, n7],
            cid: ChannelId::from_bytes([c0, c1, c2, c3]),
            protocol_version,
            major,
            minor,
            build,
            capabilities: CapabilityFlags(caps),
        })
    }

    /// The 17-byte payload.
    pub fn to_bytes(&self) -> [u8; INIT_RESPONSE_LEN] {
        let mut out = [0u8; INIT_RESPONSE_LEN];
        out[..8].copy_from_slice(&self.nonce);
        out[8..12].copy_from_slice(&self.cid.to_bytes());
        out[12] = self.protocol_version;
        out[13] = self.major;
        out[14] = self.minor;
        out[15] = self.build;
        out[16] = self.capabilities.0;
        out
    }
}
