//! The persistent read-only token (permission pcmr, CTAP 2.2 §6.5.5.7): kept across
//! sessions, and the key to getInfo's encIdentifier and encCredStoreState.

use core::fmt;

use aes::Aes128;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use fido_types::generated::Info;
use fido_types::pin_protocol::{BLOCK_LEN, Pin, PinProtocol, PinUvAuthToken, ProtocolTwo};
use ring::hkdf;
use zeroize::Zeroizing;

use super::permission::DynPermissions;
use super::session::Session;
use super::token::PinToken;
use crate::capability::ProvesCredMgmt;
use crate::device::CtapDevice;
use crate::error::{RequestError, ResponseError, Result};
use crate::perms;

/// The permission set of a token made from a [`PersistentToken`]: read-only credential
/// management, nothing else.
pub type ReadOnlySet = perms![PersistentCredentialManagementReadOnly];

/// A persistent pinUvAuthToken with only the pcmr permission, owned rather than borrowed:
/// it outlives its session and survives power cycles until the authenticator replaces it
/// (a new pcmr token, a PIN change or a reset), after which requests made with it fail
/// with `PIN_AUTH_INVALID` and the caller drops it.
///
/// Its bytes leave only through [`expose_secret`](Self::expose_secret) and come back
/// through [`from_bytes`](Self::from_bytes) (e.g. to keep it in a 0600 file); it is not
/// `Clone`, is zeroized on drop and `Debug` prints no key.
pub struct PersistentToken<P: PinProtocol = ProtocolTwo> {
    key: PinUvAuthToken<P>,
}

impl<P: PinProtocol> fmt::Debug for PersistentToken<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersistentToken")
            .field("protocol", &P::VERSION)
            .finish_non_exhaustive()
    }
}

/// The device identifier from encIdentifier: stable for an authenticator until reset.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DeviceIdentifier(pub [u8; 16]);

impl fmt::Debug for DeviceIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceIdentifier({})", hex::encode(self.0))
    }
}

impl<P: PinProtocol> PersistentToken<P> {
    /// A token kept from an earlier session.
    ///
    /// # Errors
    /// [`Error::PinProtocol`](crate::error::Error::PinProtocol) if `bytes` is not a token
    /// of protocol `P`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        Ok(PersistentToken {
            key: PinUvAuthToken::from_bytes(bytes)?,
        })
    }

    /// The token's bytes, to keep it (treat them as a secret).
    pub fn expose_secret(&self) -> &[u8] {
        self.key.expose_secret()
    }

    /// The device identifier, decrypted from getInfo's encIdentifier; `None` when
    /// getInfo has none (python-fido2 `Info.get_identifier`).
    ///
    /// # Errors
    /// [`ResponseError::Invalid`] if encIdentifier is not an IV and one block.
    pub fn identifier(&self, info: &Info) -> Result<Option<DeviceIdentifier>> {
        info.enc_identifier
            .as_deref()
            .map(|data| self.decrypt(b"encIdentifier", data).map(DeviceIdentifier))
            .transpose()
    }

    /// The credential store state, decrypted from getInfo's encCredStoreState: a value
    /// that changes whenever the discoverable credentials do; `None` when getInfo has
    /// none.
    ///
    /// # Errors
    /// [`ResponseError::Invalid`] if encCredStoreState is not an IV and one block.
    pub fn cred_store_state(&self, info: &Info) -> Result<Option<[u8; 16]>> {
        info.enc_cred_store_state
            .as_deref()
            .map(|data| self.decrypt(b"encCredStoreState", data))
            .transpose()
    }

    /// IV ‖ AES-128-CBC(key, block) with key = HKDF-SHA-256(salt = 32 zero bytes,
    /// ikm = token, info = `label`, 16 bytes) (CTAP 2.2 §6.4, encIdentifier; python-fido2
    /// `Info.get_identifier` reads it the same way).
    fn decrypt(&self, label: &'static [u8], data: &[u8]) -> Result<[u8; 16]> {
        let invalid = || ResponseError::Invalid {
            what: "encIdentifier or encCredStoreState",
            reason: "not a 16-byte IV and one AES block",
        };
        if data.len() != 2 * BLOCK_LEN {
            return Err(invalid().into());
        }
        let (iv, block) = data.split_at(BLOCK_LEN);
        let iv: [u8; BLOCK_LEN] = iv.try_into().map_err(|_| invalid())?;
        let block: [u8; BLOCK_LEN] = block.try_into().map_err(|_| invalid())?;
        let mut key = Zeroizing::new([0u8; 16]);
        hkdf::Salt::new(hkdf::HKDF_SHA256, &[0; 32])
            .extract(self.key.expose_secret())
            .expand(&[label], Len16)
            .and_then(|okm| okm.fill(key.as_mut()))
            .map_err(|_| invalid())?;
        let mut out = [aes::Block::from(block)];
        let key_bytes: &[u8; 16] = &key;
        cbc::Decryptor::<Aes128>::new(key_bytes.into(), &iv.into()).decrypt_blocks(&mut out);
        Ok(out[0].into())
    }
}

/// The output length of the HKDF above.
struct Len16;

impl hkdf::KeyType for Len16 {
    fn len(&self) -> usize {
        16
    }
}

impl<D: CtapDevice, P: PinProtocol> Session<D, P> {
    /// Acquires the persistent read-only token with the PIN
    /// (getPinUvAuthTokenUsingPinWithPermissions with pcmr alone), given the proof of
    /// credential management support.
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] before sending unless the proof says getInfo has
    /// `perCredMgmtRO`; otherwise as [`pin_token`](Session::pin_token).
    pub fn persistent_token(
        &mut self,
        pin: &Pin,
        support: impl ProvesCredMgmt,
    ) -> Result<PersistentToken<P>> {
        if !support.proof().persistent_read_only() {
            return Err(RequestError::Unsupported(
                "the persistent read-only token (getInfo has no perCredMgmtRO)",
            )
            .into());
        }
        let token = self.pin_token::<ReadOnlySet>(pin)?;
        Ok(PersistentToken {
            key: token.into_key(),
        })
    }

    /// Uses a kept persistent token in this session: a token with only the read-only
    /// credential management operations, borrowing the session like any other. Nothing
    /// is sent; if the authenticator has replaced the token, the first request fails
    /// with `PIN_AUTH_INVALID`.
    ///
    /// # Errors
    /// [`Error::PinProtocol`](crate::error::Error::PinProtocol) only if the key cannot be
    /// copied (never for a token of this protocol).
    pub fn resume(
        &mut self,
        persistent: &PersistentToken<P>,
    ) -> Result<PinToken<'_, ReadOnlySet, P, D>> {
        let key = PinUvAuthToken::from_bytes(persistent.key.expose_secret())?;
        Ok(PinToken::new(
            self.ctap_mut(),
            key,
            None,
            DynPermissions::of::<ReadOnlySet>(),
        ))
    }
}
