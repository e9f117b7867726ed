//! Reading and writing the serialized large-blob array in fragments (CTAP 2.1 §6.10.2):
//! at most maxFragmentLength = maxMsgSize - 64 bytes per authenticatorLargeBlobs call, the
//! total bounded by maxSerializedLargeBlobArray; writes need a pinUvAuthToken with the
//! largeBlobWrite permission.

use fido_types::ctap2::Info;
use fido_types::generated::LargeBlobsRequest;

use super::array::LargeBlobArray;
use super::error::LargeBlobError;
use crate::ctap2::Ctap2;
use crate::device::CtapDevice;
use crate::error::{Error, PermissionError};
use crate::pin::{LargeBlobWrite, Permits, PinToken};
use fido_types::pin_protocol::PinProtocol;

/// The minimum maxSerializedLargeBlobArray (CTAP 2.1 §6.4), assumed when getInfo omits it.
pub const MIN_ARRAY_SIZE: u64 = 1024;

/// The overhead maxFragmentLength leaves to the rest of the message (CTAP 2.1 §6.10).
const FRAGMENT_OVERHEAD: u64 = 64;

/// Fragment reads and writes of the serialized array.
pub trait LargeBlobAccess {
    /// The authenticator's cached getInfo (for maxMsgSize and
    /// maxSerializedLargeBlobArray).
    fn info(&mut self) -> Info;

    /// Reads at most `count` bytes at `offset`.
    ///
    /// # Errors
    /// The authenticator's or the transport's.
    fn read_fragment(&mut self, offset: u32, count: u32) -> Result<Vec<u8>, Error>;

    /// Writes `fragment` at `offset`; `total_length` goes with the first fragment.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] without a token that may write; the authenticator's
    /// or the transport's.
    fn write_fragment(
        &mut self,
        offset: u32,
        fragment: Vec<u8>,
        total_length: Option<u32>,
    ) -> Result<(), Error>;
}

/// maxFragmentLength and maxSerializedLargeBlobArray of `info`.
fn limits(info: &Info) -> (u64, u64) {
    let fragment = info.max_msg_size().saturating_sub(FRAGMENT_OVERHEAD).max(1);
    let array = info.max_serialized_large_blob_array().max(MIN_ARRAY_SIZE);
    (fragment, array)
}

/// Reads the whole serialized array and parses it.
///
/// # Errors
/// [`LargeBlobError::TooLarge`] when the authenticator sends more than
/// maxSerializedLargeBlobArray or a fragment longer than asked; as
/// [`LargeBlobArray::parse`]; the authenticator's.
pub fn read_array(access: &mut dyn LargeBlobAccess) -> Result<LargeBlobArray, LargeBlobError> {
    let (fragment, max) = limits(&access.info());
    let count = u32::try_from(fragment).unwrap_or(u32::MAX);
    let mut data = Vec::new();
    loop {
        let offset = u32::try_from(data.len()).map_err(|_| too_large(data.len(), max))?;
        let chunk = access.read_fragment(offset, count)?;
        if chunk.len() as u64 > fragment {
            return Err(LargeBlobError::TooLarge {
                what: "a fragment",
                size: chunk.len() as u64,
                limit: fragment,
            });
        }
        data.extend_from_slice(&chunk);
        if data.len() as u64 > max {
            return Err(too_large(data.len(), max));
        }
        if (chunk.len() as u64) < fragment {
            break;
        }
    }
    LargeBlobArray::parse(&data)
}

/// Writes `array` in fragments.
///
/// # Errors
/// [`LargeBlobError::TooLarge`] over maxSerializedLargeBlobArray (nothing sent); the
/// authenticator's.
pub fn write_array(
    access: &mut dyn LargeBlobAccess,
    array: &LargeBlobArray,
) -> Result<(), LargeBlobError> {
    let (fragment, max) = limits(&access.info());
    let data = array.serialize();
    if data.len() as u64 > max {
        return Err(too_large(data.len(), max));
    }
    let total = u32::try_from(data.len()).map_err(|_| too_large(data.len(), max))?;
    let step = usize::try_from(fragment).unwrap_or(usize::MAX);
    let mut offset = 0u32;
    for chunk in data.chunks(step) {
        let length = (offset == 0).then_some(total);
        access.write_fragment(offset, chunk.to_vec(), length)?;
        offset += chunk.len() as u32;
    }
    Ok(())
}

fn too_large(size: usize, limit: u64) -> LargeBlobError {
    LargeBlobError::TooLarge {
        what: "the serialized array",
        size: size as u64,
        limit,
    }
}

/// A read request.
fn get(offset: u32, count: u32) -> LargeBlobsRequest {
    LargeBlobsRequest {
        get: Some(count),
        offset,
        ..LargeBlobsRequest::default()
    }
}

/// The bare authenticator reads; it cannot write.
impl<D: CtapDevice> LargeBlobAccess for Ctap2<D> {
    fn info(&mut self) -> Info {
        Ctap2::info(self).clone()
    }

    fn read_fragment(&mut self, offset: u32, count: u32) -> Result<Vec<u8>, Error> {
        Ok(self
            .large_blobs(&get(offset, count))?
            .config
            .unwrap_or_default())
    }

    fn write_fragment(&mut self, _: u32, _: Vec<u8>, _: Option<u32>) -> Result<(), Error> {
        Err(PermissionError::Missing {
            missing: "largeBlobWrite",
            granted: 0,
        }
        .into())
    }
}

/// A token reads, and writes when it holds largeBlobWrite.
impl<S: Permits<LargeBlobWrite>, P: PinProtocol, D: CtapDevice> LargeBlobAccess
    for PinToken<'_, S, P, D>
{
    fn info(&mut self) -> Info {
        self.ctap().info().clone()
    }

    fn read_fragment(&mut self, offset: u32, count: u32) -> Result<Vec<u8>, Error> {
        Ok(self
            .ctap()
            .large_blobs(&get(offset, count))?
            .config
            .unwrap_or_default())
    }

    fn write_fragment(
        &mut self,
        offset: u32,
        fragment: Vec<u8>,
        total_length: Option<u32>,
    ) -> Result<(), Error> {
        self.large_blob_write(offset, fragment, total_length)
    }
}
