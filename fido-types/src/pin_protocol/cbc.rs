//! AES-256-CBC without padding, in place, as both protocols use it.

use aes::Aes256;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};

use super::{BLOCK_LEN, PinProtocolError};

/// Encrypts `buf` in place. `buf` must be a whole number of blocks.
pub(super) fn encrypt_in_place(
    key: &[u8; 32],
    iv: &[u8; BLOCK_LEN],
    buf: &mut [u8],
) -> Result<(), PinProtocolError> {
    let blocks = whole_blocks(buf, |len| PinProtocolError::PlaintextLength { len })?;
    cbc::Encryptor::<Aes256>::new(key.into(), iv.into()).encrypt_blocks(blocks);
    Ok(())
}

/// Decrypts `buf` in place. `buf` must be a whole number of blocks.
pub(super) fn decrypt_in_place(
    key: &[u8; 32],
    iv: &[u8; BLOCK_LEN],
    buf: &mut [u8],
) -> Result<(), PinProtocolError> {
    let blocks = whole_blocks(buf, |len| PinProtocolError::CiphertextLength { len })?;
    cbc::Decryptor::<Aes256>::new(key.into(), iv.into()).decrypt_blocks(blocks);
    Ok(())
}

/// `buf` as AES blocks, or `error(buf.len())` when it is not a whole number of them.
fn whole_blocks(
    buf: &mut [u8],
    error: impl FnOnce(usize) -> PinProtocolError,
) -> Result<&mut [aes::Block], PinProtocolError> {
    let len = buf.len();
    match aes::Block::slice_as_chunks_mut(buf) {
        (blocks, []) => Ok(blocks),
        _ => Err(error(len)),
    }
}
