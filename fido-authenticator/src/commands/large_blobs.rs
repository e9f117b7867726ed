//! authenticatorLargeBlobs (0x0C): the serialized large-blob array, offset reads and
//! fragmented writes checked against the trailing hash.

use fido_types::generated::commands::CommandCode;
use fido_types::status::CtapStatus;

use super::shared::{
    MAX_FRAGMENT_LENGTH, MAX_LARGE_BLOB_ARRAY, check_token, decode, encode, required_auth_param,
    sha256, uv_configured,
};
use crate::Authenticator;
use crate::state::Permissions;

pub use fido_types::generated::large_blobs::{
    LargeBlobsRequest as Request, LargeBlobsResponse as Response,
};

/// The shortest serialized array: an empty CBOR array and its 16-byte truncated hash.
const MIN_ARRAY_LENGTH: usize = 17;

/// A write in progress.
#[derive(Debug)]
pub struct LargeBlobWrite {
    expected: usize,
    buffer: Vec<u8>,
}

/// Handles authenticatorLargeBlobs: exactly one of `get` and `set`.
pub fn handle(auth: &mut Authenticator, params: &[u8]) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    let offset = usize::try_from(req.offset).map_err(|_| CtapStatus::INVALID_PARAMETER)?;
    match (req.get, &req.set) {
        (Some(get), None) => read(auth, &req, offset, get),
        (None, Some(set)) => {
            start_or_continue_write(auth, &req, offset, set)?;
            authorize_write(auth, &req, offset, set)?;
            append(auth, set)?;
            Ok(Vec::new())
        }
        _ => Err(CtapStatus::INVALID_PARAMETER),
    }
}

/// `get` bytes of the array from `offset`.
fn read(
    auth: &Authenticator,
    req: &Request,
    offset: usize,
    get: u32,
) -> Result<Vec<u8>, CtapStatus> {
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

/// Offset 0 starts a write of `length` bytes; any other offset must continue the write in
/// progress where it stopped.
fn start_or_continue_write(
    auth: &mut Authenticator,
    req: &Request,
    offset: usize,
    set: &[u8],
) -> Result<(), CtapStatus> {
    if set.len() > MAX_FRAGMENT_LENGTH {
        return Err(CtapStatus::INVALID_LENGTH);
    }
    if offset != 0 {
        if req.length.is_some() {
            return Err(CtapStatus::INVALID_PARAMETER);
        }
        return match &auth.large_blob_write {
            Some(w) if w.buffer.len() == offset => Ok(()),
            _ => Err(CtapStatus::INVALID_SEQ),
        };
    }
    let length = req.length.ok_or(CtapStatus::INVALID_PARAMETER)?;
    let length = usize::try_from(length).unwrap_or(usize::MAX);
    if length > MAX_LARGE_BLOB_ARRAY {
        return Err(CtapStatus::LARGE_BLOB_STORAGE_FULL);
    }
    if length < MIN_ARRAY_LENGTH {
        return Err(CtapStatus::INVALID_PARAMETER);
    }
    auth.large_blob_write = Some(LargeBlobWrite {
        expected: length,
        buffer: Vec::new(),
    });
    Ok(())
}

/// Once a PIN or built-in UV protects the authenticator, the pinUvAuthParam over
/// 32×0xff ‖ 0x0c ‖ 0x00 ‖ uint32LE(offset) ‖ SHA-256(set) (CTAP 2.1 §6.10.3) with the
/// largeBlobWrite permission.
fn authorize_write(
    auth: &mut Authenticator,
    req: &Request,
    offset: usize,
    set: &[u8],
) -> Result<(), CtapStatus> {
    if auth.persistent.pin.is_none() && !uv_configured(auth) {
        return Ok(());
    }
    let (p, param) =
        required_auth_param(req.pin_uv_auth_param.as_deref(), req.pin_uv_auth_protocol)?;
    let mut message = vec![0xff; 32];
    message.extend_from_slice(&[CommandCode::LARGE_BLOBS.0, 0x00]);
    message.extend_from_slice(&(offset as u32).to_le_bytes());
    message.extend_from_slice(&sha256(set));
    check_token(
        auth,
        p,
        param,
        &message,
        Permissions::LARGE_BLOB_WRITE,
        None,
    )
}

/// Appends the fragment; the last one must end with the truncated SHA-256 of the array
/// before it, which then replaces the stored array.
fn append(auth: &mut Authenticator, set: &[u8]) -> Result<(), CtapStatus> {
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
    Ok(())
}
