//! authenticatorLargeBlobs (0x0C): the serialized large-blob array, offset reads and
//! fragmented writes checked against the trailing hash.

use fido_types::status::CtapStatus;

use super::get_info::{MAX_LARGE_BLOB_ARRAY, MAX_MSG_SIZE};
use super::make_credential::uv_configured;
use super::{check_token, decode, encode, required_auth_param, sha256};
use crate::Authenticator;
use crate::state::Permissions;

/// The largest fragment read or written at once: maxMsgSize - 64 (CTAP 2.1 §6.10).
pub const MAX_FRAGMENT_LENGTH: usize = MAX_MSG_SIZE - 64;

pub use fido_types::generated::large_blobs::{
    LargeBlobsRequest as Request, LargeBlobsResponse as Response,
};

/// A write in progress.
#[derive(Debug)]
pub struct LargeBlobWrite {
    expected: usize,
    buffer: Vec<u8>,
}

/// Handles authenticatorLargeBlobs.
pub fn handle(auth: &mut Authenticator, params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    let offset = usize::try_from(req.offset).map_err(|_| CtapStatus::INVALID_PARAMETER)?;
    match (req.get, &req.set) {
        (Some(get), None) => {
            if req.length.is_some() {
                return Err(CtapStatus::INVALID_PARAMETER);
            }
            let get = usize::try_from(get).map_err(|_| CtapStatus::INVALID_LENGTH)?;
            if get > MAX_FRAGMENT_LENGTH {
                return Err(CtapStatus::INVALID_LENGTH);
            }
            let array = &auth.persistent.large_blob_array;
            if offset > array.len() {
                return Err(CtapStatus::INVALID_PARAMETER);
            }
            let end = offset.saturating_add(get).min(array.len());
            encode(&Response {
                config: Some(array[offset..end].to_vec()),
                ..Response::default()
            })
        }
        (None, Some(set)) => {
            if set.len() > MAX_FRAGMENT_LENGTH {
                return Err(CtapStatus::INVALID_LENGTH);
            }
            if offset == 0 {
                let length = req.length.ok_or(CtapStatus::INVALID_PARAMETER)?;
                let length = usize::try_from(length).unwrap_or(usize::MAX);
                if length > MAX_LARGE_BLOB_ARRAY {
                    return Err(CtapStatus::LARGE_BLOB_STORAGE_FULL);
                }
                if length < 17 {
                    return Err(CtapStatus::INVALID_PARAMETER);
                }
                auth.large_blob_write = Some(LargeBlobWrite {
                    expected: length,
                    buffer: Vec::new(),
                });
            } else {
                if req.length.is_some() {
                    return Err(CtapStatus::INVALID_PARAMETER);
                }
                match &auth.large_blob_write {
                    Some(w) if w.buffer.len() == offset => {}
                    _ => return Err(CtapStatus::INVALID_SEQ),
                }
            }
            if auth.persistent.pin.is_some() || uv_configured(auth) {
                let (p, param) = required_auth_param(
                    req.pin_uv_auth_param.as_deref(),
                    req.pin_uv_auth_protocol,
                )?;
                // 32×0xff ‖ h'0c00' ‖ uint32LE(offset) ‖ SHA-256(set) (CTAP 2.1 §6.10.3).
                let mut message = vec![0xff; 32];
                message.extend_from_slice(&[0x0c, 0x00]);
                message.extend_from_slice(&(offset as u32).to_le_bytes());
                message.extend_from_slice(&sha256(set));
                check_token(
                    auth,
                    p,
                    param,
                    &message,
                    Permissions::LARGE_BLOB_WRITE,
                    None,
                )?;
            }
            let write = auth
                .large_blob_write
                .as_mut()
                .ok_or(CtapStatus::INVALID_SEQ)?;
            if write.buffer.len() + set.len() > write.expected {
                auth.large_blob_write = None;
                return Err(CtapStatus::INVALID_PARAMETER);
            }
            write.buffer.extend_from_slice(set);
            if write.buffer.len() == write.expected {
                let done = auth
                    .large_blob_write
                    .take()
                    .ok_or(CtapStatus::INVALID_SEQ)?;
                let (array, hash) = done.buffer.split_at(done.buffer.len() - 16);
                if sha256(array)[..16] != *hash {
                    return Err(CtapStatus::INTEGRITY_FAILURE);
                }
                auth.persistent.large_blob_array = done.buffer;
            }
            Ok(Vec::new())
        }
        _ => Err(CtapStatus::INVALID_PARAMETER),
    }
}
