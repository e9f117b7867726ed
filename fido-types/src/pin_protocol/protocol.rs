//! The two protocols as types, the trait they share, and the runtime choice between them.

use core::fmt::Debug;

use ring::rand::{SecureRandom, SystemRandom};
use ring::{digest, hkdf, hmac};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::key_agreement::{self, KeyAgreementPublicKey};
use super::{
    AuthKey, BLOCK_LEN, PinProtocolError, PinUvAuthProtocol, PinUvAuthToken, SharedSecret, Z_LEN,
    cbc, sealed,
};

/// A PIN/UV auth protocol (CTAP 2.1 §6.5.4 and §6.5.5 hold the normative text; the
/// facts here were checked against python-fido2 `fido2/ctap2/pin.py`, libfido2
/// `src/ecdh.c` and `src/aes256.c`, and OpenSK `libraries/opensk/src/ctap/pin_protocol.rs`).
///
/// Implemented by [`ProtocolOne`] and [`ProtocolTwo`] only (sealed). All operations are
/// associated functions: the protocol is a type, and [`SharedSecret<P>`] and
/// [`PinUvAuthToken<P>`] carry it, so mixing protocols does not compile.
///
/// | operation | protocol one | protocol two |
/// |---|---|---|
/// | [`kdf`](Self::kdf) | SHA-256(Z), 32 bytes | HKDF-SHA-256(salt 32×00, info "CTAP2 HMAC key") ‖ HKDF-SHA-256(salt 32×00, info "CTAP2 AES key"), 64 bytes |
/// | [`encrypt`](Self::encrypt) | AES-256-CBC, IV 16×00, no padding | AES-256-CBC with the AES half, random IV prepended, no padding |
/// | [`authenticate`](Self::authenticate) | LEFT(HMAC-SHA-256, 16) | HMAC-SHA-256 (32 bytes), with the HMAC half of a shared secret |
/// | [`validate_token`](Self::validate_token) | 16 or 32 bytes | 32 bytes |
///
/// A secret or token of one protocol does not type-check with the other:
///
/// ```
/// use fido_types::pin_protocol::{PinProtocol, ProtocolTwo};
///
/// let shared = ProtocolTwo::kdf(&[0; 32]);
/// assert_eq!(ProtocolTwo::encrypt(&shared, &[0; 16]).unwrap().len(), 32);
/// ```
///
/// ```compile_fail
/// use fido_types::pin_protocol::{PinProtocol, ProtocolOne, ProtocolTwo};
///
/// let shared = ProtocolTwo::kdf(&[0; 32]);
/// let _ = ProtocolOne::encrypt(&shared, &[0; 16]); // expected `SharedSecret<ProtocolOne>`
/// ```
///
/// ```compile_fail
/// use fido_types::pin_protocol::{PinProtocol, PinUvAuthToken, ProtocolOne, ProtocolTwo};
///
/// let token = PinUvAuthToken::<ProtocolTwo>::from_bytes(&[0; 32]).unwrap();
/// let _ = ProtocolOne::authenticate(&token, b"message"); // `AuthKey<ProtocolOne>` not implemented
/// ```
pub trait PinProtocol:
    sealed::Sealed + Copy + Default + Debug + Eq + Send + Sync + 'static
{
    /// The wire number of this protocol.
    const VERSION: PinUvAuthProtocol;
    /// Length of this protocol's [`SharedSecret`] in bytes (32 or 64).
    const SHARED_SECRET_LEN: usize;
    /// Length of [`authenticate`](Self::authenticate)'s output, the `pinUvAuthParam`
    /// (16 or 32).
    const AUTH_PARAM_LEN: usize;
    /// Bytes that [`encrypt`](Self::encrypt) adds in front of the ciphertext (0, or the
    /// 16-byte IV).
    const IV_LEN: usize;

    /// Derives the shared secret from `Z`, the x-coordinate of the ECDH shared point.
    fn kdf(z: &[u8; Z_LEN]) -> SharedSecret<Self>;

    /// Encrypts `plaintext` (a whole number of 16-byte blocks), drawing any IV from `rng`.
    ///
    /// # Errors
    /// [`PinProtocolError::PlaintextLength`] if `plaintext.len()` is not a multiple of 16;
    /// [`PinProtocolError::Random`] if `rng` fails.
    fn encrypt_with_rng(
        shared: &SharedSecret<Self>,
        plaintext: &[u8],
        rng: &dyn SecureRandom,
    ) -> Result<Vec<u8>, PinProtocolError>;

    /// Decrypts `ciphertext` (for protocol two, IV first). The plaintext is zeroized on
    /// drop, since it usually holds a PIN or a token.
    ///
    /// # Errors
    /// [`PinProtocolError::CiphertextLength`] if the ciphertext (after the IV) is not a
    /// multiple of 16; [`PinProtocolError::CiphertextTooShort`] if a protocol-two
    /// ciphertext is shorter than its IV.
    fn decrypt(
        shared: &SharedSecret<Self>,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, PinProtocolError>;

    /// Checks that `token` has a length this protocol allows and takes it as a token.
    ///
    /// # Errors
    /// [`PinProtocolError::TokenLength`] otherwise.
    fn validate_token(token: &[u8]) -> Result<PinUvAuthToken<Self>, PinProtocolError>;

    /// Encrypts with a fresh IV from the system random number generator (protocol one
    /// needs none).
    ///
    /// # Errors
    /// As [`encrypt_with_rng`](Self::encrypt_with_rng).
    fn encrypt(shared: &SharedSecret<Self>, plaintext: &[u8]) -> Result<Vec<u8>, PinProtocolError> {
        Self::encrypt_with_rng(shared, plaintext, &SystemRandom::new())
    }

    /// Computes `pinUvAuthParam` over `message` with a shared secret or a token.
    fn authenticate<K: AuthKey<Self> + ?Sized>(key: &K, message: &[u8]) -> Vec<u8> {
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key.hmac_key()), message);
        tag.as_ref()[..Self::AUTH_PARAM_LEN].to_vec()
    }

    /// Checks `signature` against [`authenticate`](Self::authenticate)`(key, message)`,
    /// in constant time.
    ///
    /// # Errors
    /// [`PinProtocolError::SignatureLength`] if `signature` is not
    /// [`AUTH_PARAM_LEN`](Self::AUTH_PARAM_LEN) bytes (an authenticator answers
    /// `CTAP1_ERR_INVALID_PARAMETER`, as OpenSK does);
    /// [`PinProtocolError::SignatureMismatch`] if it does not match
    /// (`CTAP2_ERR_PIN_AUTH_INVALID`).
    fn verify<K: AuthKey<Self> + ?Sized>(
        key: &K,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), PinProtocolError> {
        if signature.len() != Self::AUTH_PARAM_LEN {
            return Err(PinProtocolError::SignatureLength {
                protocol: Self::VERSION,
                expected: Self::AUTH_PARAM_LEN,
                actual: signature.len(),
            });
        }
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key.hmac_key()), message);
        if bool::from(tag.as_ref()[..Self::AUTH_PARAM_LEN].ct_eq(signature)) {
            Ok(())
        } else {
            Err(PinProtocolError::SignatureMismatch)
        }
    }

    /// Decrypts an encrypted `pinUvAuthToken` and checks its length.
    ///
    /// # Errors
    /// As [`decrypt`](Self::decrypt) and [`validate_token`](Self::validate_token).
    fn decrypt_token(
        shared: &SharedSecret<Self>,
        ciphertext: &[u8],
    ) -> Result<PinUvAuthToken<Self>, PinProtocolError> {
        let plaintext = Self::decrypt(shared, ciphertext)?;
        Self::validate_token(&plaintext)
    }

    /// The platform side of the key agreement: makes an ephemeral P-256 key (ring), agrees
    /// with the authenticator's key `(peer_x, peer_y)` and derives the shared secret.
    /// Returns the platform's public key, to send as `keyAgreement`, and the secret.
    ///
    /// # Errors
    /// [`PinProtocolError::InvalidPeerKey`] if the peer key is not a point on P-256;
    /// [`PinProtocolError::Random`] if the random number generator fails.
    fn encapsulate(
        peer_x: &[u8; 32],
        peer_y: &[u8; 32],
    ) -> Result<(KeyAgreementPublicKey, SharedSecret<Self>), PinProtocolError> {
        Self::encapsulate_with_rng(peer_x, peer_y, &SystemRandom::new())
    }

    /// As [`encapsulate`](Self::encapsulate), with the given random source for the
    /// ephemeral key.
    ///
    /// # Errors
    /// As [`encapsulate`](Self::encapsulate).
    fn encapsulate_with_rng(
        peer_x: &[u8; 32],
        peer_y: &[u8; 32],
        rng: &dyn SecureRandom,
    ) -> Result<(KeyAgreementPublicKey, SharedSecret<Self>), PinProtocolError> {
        key_agreement::ephemeral_agree(peer_x, peer_y, rng, Self::kdf)
    }
}

/// PIN/UV auth protocol one (CTAP 2.0 and 2.1 §6.5.6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ProtocolOne;

/// PIN/UV auth protocol two (CTAP 2.1 §6.5.7): HKDF-derived separate HMAC and AES keys,
/// random IVs, full-length MACs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ProtocolTwo;

impl sealed::Sealed for ProtocolOne {
    const AES_KEY_HALF: usize = 0;
}

impl PinProtocol for ProtocolOne {
    const VERSION: PinUvAuthProtocol = PinUvAuthProtocol::ONE;
    const SHARED_SECRET_LEN: usize = 32;
    const AUTH_PARAM_LEN: usize = 16;
    const IV_LEN: usize = 0;

    fn kdf(z: &[u8; Z_LEN]) -> SharedSecret<Self> {
        let mut shared = SharedSecret::zeroed();
        shared
            .bytes_mut()
            .copy_from_slice(digest::digest(&digest::SHA256, z).as_ref());
        shared
    }

    fn encrypt_with_rng(
        shared: &SharedSecret<Self>,
        plaintext: &[u8],
        _rng: &dyn SecureRandom,
    ) -> Result<Vec<u8>, PinProtocolError> {
        let mut buf = plaintext.to_vec();
        cbc::encrypt_in_place(shared.aes_key(), &[0; BLOCK_LEN], &mut buf)?;
        Ok(buf)
    }

    fn decrypt(
        shared: &SharedSecret<Self>,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, PinProtocolError> {
        let mut buf = Zeroizing::new(ciphertext.to_vec());
        cbc::decrypt_in_place(shared.aes_key(), &[0; BLOCK_LEN], &mut buf)?;
        Ok(buf)
    }

    fn validate_token(token: &[u8]) -> Result<PinUvAuthToken<Self>, PinProtocolError> {
        match token.len() {
            16 | 32 => Ok(PinUvAuthToken::from_checked(Zeroizing::new(token.to_vec()))),
            len => Err(PinProtocolError::TokenLength {
                protocol: Self::VERSION,
                len,
            }),
        }
    }
}

/// HKDF info strings of protocol two (CTAP 2.1 §6.5.7; the same bytes in python-fido2
/// `PinProtocolV2.HKDF_INFO_*` and libfido2 `src/ecdh.c`).
const HKDF_INFO_HMAC: &[u8] = b"CTAP2 HMAC key";
const HKDF_INFO_AES: &[u8] = b"CTAP2 AES key";

impl sealed::Sealed for ProtocolTwo {
    const AES_KEY_HALF: usize = 1;
}

impl ProtocolTwo {
    /// Encrypts with the given IV instead of a random one: for known-answer tests.
    ///
    /// An IV must never be used twice with the same secret; use
    /// [`encrypt`](PinProtocol::encrypt) everywhere else.
    ///
    /// # Errors
    /// [`PinProtocolError::PlaintextLength`] if `plaintext.len()` is not a multiple of 16.
    pub fn encrypt_with_iv(
        shared: &SharedSecret<Self>,
        iv: &[u8; BLOCK_LEN],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, PinProtocolError> {
        if !plaintext.len().is_multiple_of(BLOCK_LEN) {
            return Err(PinProtocolError::PlaintextLength {
                len: plaintext.len(),
            });
        }
        let mut buf = Vec::with_capacity(BLOCK_LEN + plaintext.len());
        buf.extend_from_slice(iv);
        buf.extend_from_slice(plaintext);
        cbc::encrypt_in_place(shared.aes_key(), iv, &mut buf[BLOCK_LEN..])?;
        Ok(buf)
    }
}

impl PinProtocol for ProtocolTwo {
    const VERSION: PinUvAuthProtocol = PinUvAuthProtocol::TWO;
    const SHARED_SECRET_LEN: usize = 64;
    const AUTH_PARAM_LEN: usize = 32;
    const IV_LEN: usize = BLOCK_LEN;

    fn kdf(z: &[u8; Z_LEN]) -> SharedSecret<Self> {
        // A salt of 32 zero bytes; HMAC pads a shorter key with zeros, so this equals
        // the empty salt OpenSK uses (`hkdf_empty_salt_256`).
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &[0; 32]).extract(z);
        let mut shared = SharedSecret::zeroed();
        let (hmac_key, aes_key) = shared.bytes_mut().split_at_mut(32);
        for (info, out) in [(HKDF_INFO_HMAC, hmac_key), (HKDF_INFO_AES, aes_key)] {
            // Expanding to 32 bytes from SHA-256 cannot fail (the limit is 255 × 32).
            if let Ok(okm) = prk.expand(&[info], hkdf::HKDF_SHA256) {
                let _ = okm.fill(out);
            }
        }
        shared
    }

    fn encrypt_with_rng(
        shared: &SharedSecret<Self>,
        plaintext: &[u8],
        rng: &dyn SecureRandom,
    ) -> Result<Vec<u8>, PinProtocolError> {
        if !plaintext.len().is_multiple_of(BLOCK_LEN) {
            return Err(PinProtocolError::PlaintextLength {
                len: plaintext.len(),
            });
        }
        let mut iv = [0; BLOCK_LEN];
        rng.fill(&mut iv).map_err(|_| PinProtocolError::Random)?;
        Self::encrypt_with_iv(shared, &iv, plaintext)
    }

    fn decrypt(
        shared: &SharedSecret<Self>,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, PinProtocolError> {
        let Some((iv, body)) = ciphertext.split_first_chunk::<BLOCK_LEN>() else {
            return Err(PinProtocolError::CiphertextTooShort {
                len: ciphertext.len(),
                min: BLOCK_LEN,
            });
        };
        if !body.len().is_multiple_of(BLOCK_LEN) {
            return Err(PinProtocolError::CiphertextLength {
                len: ciphertext.len(),
            });
        }
        let mut buf = Zeroizing::new(body.to_vec());
        cbc::decrypt_in_place(shared.aes_key(), iv, &mut buf)?;
        Ok(buf)
    }

    fn validate_token(token: &[u8]) -> Result<PinUvAuthToken<Self>, PinProtocolError> {
        match token.len() {
            32 => Ok(PinUvAuthToken::from_checked(Zeroizing::new(token.to_vec()))),
            len => Err(PinProtocolError::TokenLength {
                protocol: Self::VERSION,
                len,
            }),
        }
    }
}

/// The runtime choice of protocol, for code that learns it from the wire (getInfo's
/// `pinUvAuthProtocols`, a request's `pinUvAuthProtocol`) and then dispatches to the typed
/// API:
///
/// ```
/// use fido_types::pin_protocol::{
///     PinProtocol, PinUvAuthProtocol, ProtocolOne, ProtocolTwo, SupportedProtocol,
/// };
///
/// fn param_len<P: PinProtocol>() -> usize {
///     P::AUTH_PARAM_LEN
/// }
///
/// let offered = [PinUvAuthProtocol::ONE, PinUvAuthProtocol(9), PinUvAuthProtocol::TWO];
/// let chosen = SupportedProtocol::preferred(&offered).unwrap();
/// assert_eq!(chosen, SupportedProtocol::Two);
/// let len = match chosen {
///     SupportedProtocol::One => param_len::<ProtocolOne>(),
///     SupportedProtocol::Two => param_len::<ProtocolTwo>(),
/// };
/// assert_eq!(len, 32);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SupportedProtocol {
    /// [`ProtocolOne`].
    One,
    /// [`ProtocolTwo`].
    Two,
}

impl SupportedProtocol {
    /// The wire number.
    pub const fn version(self) -> PinUvAuthProtocol {
        match self {
            Self::One => ProtocolOne::VERSION,
            Self::Two => ProtocolTwo::VERSION,
        }
    }

    /// The protocol a client should use among those an authenticator lists: two if
    /// offered, else one (python-fido2's `ClientPin.PROTOCOLS` order), else `None`.
    pub fn preferred(offered: &[PinUvAuthProtocol]) -> Option<Self> {
        [Self::Two, Self::One]
            .into_iter()
            .find(|p| offered.contains(&p.version()))
    }
}

impl TryFrom<PinUvAuthProtocol> for SupportedProtocol {
    type Error = PinProtocolError;

    fn try_from(value: PinUvAuthProtocol) -> Result<Self, Self::Error> {
        match value {
            PinUvAuthProtocol::ONE => Ok(Self::One),
            PinUvAuthProtocol::TWO => Ok(Self::Two),
            other => Err(PinProtocolError::UnsupportedProtocol(other)),
        }
    }
}

impl From<SupportedProtocol> for PinUvAuthProtocol {
    fn from(value: SupportedProtocol) -> Self {
        value.version()
    }
}
