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
    let (blocks, rest) = aes::Block::slice_as_chunks_mut(buf);
    if !rest.is_empty() {
        return Err(PinProtocolError::PlaintextLength {
            len: buf_len(blocks, rest),
        });
    }
    cbc::Encryptor::<Aes256>::new(key.into(), iv.into()).encrypt_blocks(blocks);
    Ok(())
}

/// Decrypts `buf` in place. `buf` must be a whole number of blocks.
pub(super) fn decrypt_in_place(
    key: &[u8; 32],
    iv: &[u8; BLOCK_LEN],
    buf: &mut [u8],
) -> Result<(), PinProtocolError> {
    let (blocks, rest) = aes::Block::slice_as_chunks_mut(buf);
    if !rest.is_empty() {
        return Err(PinProtocolError::CiphertextLength {
            len: buf_len(blocks, rest),
        });
    }
    cbc::Decryptor::<Aes256>::new(key.into(), iv.into()).decrypt_blocks(blocks);
    Ok(())
}

fn buf_len(blocks: &[aes::Block], rest: &[u8]) -> usize {
    blocks.len() * BLOCK_LEN + rest.len()
}
