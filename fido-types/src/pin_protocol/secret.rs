//! Holders of key material: the shared secret and the pinUvAuthToken.

use core::fmt;
use core::marker::PhantomData;

use ring::rand::{SecureRandom, SystemRandom};
use zeroize::{Zeroize, Zeroizing};

use super::{PinProtocol, PinProtocolError, PinUvAuthProtocol, TOKEN_LEN, sealed};

/// The secret both sides derive from the ECDH key agreement with `P`'s KDF
/// (protocol one: 32 bytes; protocol two: a 32-byte HMAC key followed by a 32-byte AES
/// key).
///
/// Zeroized on drop, kept on the heap so moves leave no copies behind, not `Clone`, and
/// its `Debug` output names only the protocol and length:
///
/// ```
/// use fido_types::pin_protocol::{PinProtocol, ProtocolTwo};
///
/// let shared = ProtocolTwo::kdf(&[0x55; 32]);
/// assert_eq!(format!("{shared:?}"), "SharedSecret(v2, 64 bytes)");
/// ```
///
/// ```compile_fail
/// use fido_types::pin_protocol::{PinProtocol, ProtocolTwo};
///
/// let shared = ProtocolTwo::kdf(&[0x55; 32]);
/// let copy = shared.clone(); // not `Clone`
/// ```
pub struct SharedSecret<P: PinProtocol> {
    /// Protocol one uses `halves[0]` only; protocol two holds the HMAC key in `halves[0]`
    /// and the AES key in `halves[1]`.
    halves: Box<[[u8; 32]; 2]>,
    protocol: PhantomData<P>,
}

impl<P: PinProtocol> SharedSecret<P> {
    /// An all-zero secret, to be filled by a KDF.
    pub(super) fn zeroed() -> Self {
        Self {
            halves: Box::new([[0; 32]; 2]),
            protocol: PhantomData,
        }
    }

    /// The bytes of this protocol's secret, for a KDF to fill.
    pub(super) fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.halves.as_flattened_mut()[..P::SHARED_SECRET_LEN]
    }

    /// Takes a shared secret computed elsewhere, e.g. a test vector.
    ///
    /// # Errors
    /// [`PinProtocolError::SharedSecretLength`] unless `bytes` is exactly
    /// [`P::SHARED_SECRET_LEN`](PinProtocol::SHARED_SECRET_LEN) long.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PinProtocolError> {
        if bytes.len() != P::SHARED_SECRET_LEN {
            return Err(PinProtocolError::SharedSecretLength {
                protocol: P::VERSION,
                expected: P::SHARED_SECRET_LEN,
                actual: bytes.len(),
            });
        }
        let mut secret = Self::zeroed();
        secret.bytes_mut().copy_from_slice(bytes);
        Ok(secret)
    }

    /// The secret bytes. Named so that every use is easy to find and review.
    pub fn expose_secret(&self) -> &[u8] {
        &self.halves.as_flattened()[..P::SHARED_SECRET_LEN]
    }

    /// The protocol this secret belongs to.
    pub fn protocol(&self) -> PinUvAuthProtocol {
        P::VERSION
    }

    /// The AES-256 key: the whole secret for protocol one, its second half for two.
    pub(super) fn aes_key(&self) -> &[u8; 32] {
        &self.halves[<P as sealed::Sealed>::AES_KEY_HALF]
    }
}

impl<P: PinProtocol> Drop for SharedSecret<P> {
    fn drop(&mut self) {
        self.halves.zeroize();
    }
}

impl<P: PinProtocol> fmt::Debug for SharedSecret<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SharedSecret({}, {} bytes)",
            P::VERSION,
            P::SHARED_SECRET_LEN
        )
    }
}

/// A pinUvAuthToken: the key with which a platform authenticates commands, bound to the
/// protocol `P` that delivered it.
///
/// Protocol one allows 16- or 32-byte tokens, protocol two only 32-byte ones
/// ([`PinProtocol::validate_token`]). Zeroized on drop, not `Clone`, and its `Debug`
/// output names only the protocol and length:
///
/// ```
/// use fido_types::pin_protocol::{PinUvAuthToken, ProtocolOne};
///
/// let token = PinUvAuthToken::<ProtocolOne>::from_bytes(&[0x91; 16]).unwrap();
/// assert_eq!(format!("{token:?}"), "PinUvAuthToken(v1, 16 bytes)");
/// ```
pub struct PinUvAuthToken<P: PinProtocol> {
    bytes: Zeroizing<Vec<u8>>,
    protocol: PhantomData<P>,
}

impl<P: PinProtocol> PinUvAuthToken<P> {
    /// Checks the length of a token (decrypted from `pinUvAuthToken`) and takes a copy.
    ///
    /// # Errors
    /// [`PinProtocolError::TokenLength`] if the protocol does not allow this length.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PinProtocolError> {
        P::validate_token(bytes)
    }

    /// Takes a token whose length was already checked.
    pub(super) fn from_checked(bytes: Zeroizing<Vec<u8>>) -> Self {
        Self {
            bytes,
            protocol: PhantomData,
        }
    }

    /// A fresh random 32-byte token, as an authenticator makes at power-up and on
    /// `resetPinUvAuthToken`.
    ///
    /// # Errors
    /// [`PinProtocolError::Random`] if the system random number generator fails.
    pub fn generate() -> Result<Self, PinProtocolError> {
        Self::generate_with_rng(&SystemRandom::new())
    }

    /// As [`generate`](Self::generate), with the given random source.
    ///
    /// # Errors
    /// [`PinProtocolError::Random`] if `rng` fails.
    pub fn generate_with_rng(rng: &dyn SecureRandom) -> Result<Self, PinProtocolError> {
        let mut bytes = Zeroizing::new(vec![0; TOKEN_LEN]);
        rng.fill(&mut bytes).map_err(|_| PinProtocolError::Random)?;
        Ok(Self::from_checked(bytes))
    }

    /// The token bytes (e.g. for an authenticator to encrypt them for the platform).
    pub fn expose_secret(&self) -> &[u8] {
        &self.bytes
    }

    /// Length of the token in bytes (16 or 32).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always `false`: no protocol allows an empty token. Present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The protocol this token belongs to.
    pub fn protocol(&self) -> PinUvAuthProtocol {
        P::VERSION
    }
}

impl<P: PinProtocol> fmt::Debug for PinUvAuthToken<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PinUvAuthToken({}, {} bytes)",
            P::VERSION,
            self.bytes.len()
        )
    }
}

/// A key that [`PinProtocol::authenticate`] and [`PinProtocol::verify`] accept: a
/// [`SharedSecret`] (protocol two uses its HMAC half) or a [`PinUvAuthToken`] (used
/// whole). Sealed: implemented only by those two, and its key bytes are reachable only
/// through their `expose_secret`.
pub trait AuthKey<P: PinProtocol>: sealed::SealedKey {}

impl<P: PinProtocol> sealed::SealedKey for SharedSecret<P> {
    fn hmac_key(&self) -> &[u8] {
        // Protocol one: the whole 32-byte secret; protocol two: the first 32 bytes
        // (the "CTAP2 HMAC key" half). Both are the first half.
        &self.halves[0]
    }
}
impl<P: PinProtocol> AuthKey<P> for SharedSecret<P> {}

impl<P: PinProtocol> sealed::SealedKey for PinUvAuthToken<P> {
    fn hmac_key(&self) -> &[u8] {
        &self.bytes
    }
}
impl<P: PinProtocol> AuthKey<P> for PinUvAuthToken<P> {}
