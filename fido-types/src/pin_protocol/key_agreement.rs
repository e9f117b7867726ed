//! ECDH on P-256: the platform's one-shot key (ring) and the authenticator's reusable key
//! (RustCrypto `p256`).

use core::fmt;

use p256::elliptic_curve::sec1::ToSec1Point;
use ring::agreement;
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use super::{PinProtocol, PinProtocolError, SharedSecret, Z_LEN};

/// Tag byte of an uncompressed SEC1 point.
const UNCOMPRESSED: u8 = 0x04;

/// A P-256 public key as the raw affine coordinates that a COSE_Key (`-2`, `-3`) carries.
/// Public data: `Debug` prints the coordinates.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyAgreementPublicKey {
    /// The x-coordinate, big-endian.
    pub x: [u8; 32],
    /// The y-coordinate, big-endian.
    pub y: [u8; 32],
}

impl KeyAgreementPublicKey {
    /// The uncompressed SEC1 encoding `04 ‖ x ‖ y`.
    pub fn to_uncompressed(&self) -> [u8; 65] {
        let mut out = [0; 65];
        out[0] = UNCOMPRESSED;
        out[1..33].copy_from_slice(&self.x);
        out[33..].copy_from_slice(&self.y);
        out
    }

    /// Reads an uncompressed SEC1 encoding (`04 ‖ x ‖ y`, 65 bytes). Checks the form
    /// only, not that the point is on the curve.
    pub fn from_uncompressed(bytes: &[u8]) -> Option<Self> {
        let (&tag, rest) = bytes.split_first()?;
        let (x, y) = rest.split_first_chunk::<32>()?;
        let y: &[u8; 32] = y.try_into().ok()?;
        (tag == UNCOMPRESSED).then_some(Self { x: *x, y: *y })
    }
}

impl fmt::Debug for KeyAgreementPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyAgreementPublicKey")
            .field("x", &Hex(&self.x))
            .field("y", &Hex(&self.y))
            .finish()
    }
}

struct Hex<'a>(&'a [u8]);

impl fmt::Debug for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// The platform side: a fresh ring ephemeral key, agreed with the peer, `Z` handed to
/// `kdf`.
pub(super) fn ephemeral_agree<S>(
    peer_x: &[u8; 32],
    peer_y: &[u8; 32],
    rng: &dyn SecureRandom,
    kdf: impl FnOnce(&[u8; Z_LEN]) -> S,
) -> Result<(KeyAgreementPublicKey, S), PinProtocolError> {
    let private = agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, rng)
        .map_err(|_| PinProtocolError::Random)?;
    // Only a failed RNG can make ring fail before the peer key is looked at: computing
    // the public key of a valid private key always succeeds, in the uncompressed form.
    let public = private
        .compute_public_key()
        .map_err(|_| PinProtocolError::Random)?;
    let platform = KeyAgreementPublicKey::from_uncompressed(public.as_ref())
        .ok_or(PinProtocolError::Random)?;
    let peer = KeyAgreementPublicKey {
        x: *peer_x,
        y: *peer_y,
    }
    .to_uncompressed();
    // ring validates the peer point (coordinates below p, on the curve) and fails
    // otherwise; Z is the 32-byte x-coordinate of the shared point.
    let shared = agreement::agree_ephemeral(
        private,
        &agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, peer),
        |z| <&[u8; Z_LEN]>::try_from(z).ok().map(kdf),
    )
    .ok()
    .flatten()
    .ok_or(PinProtocolError::InvalidPeerKey)?;
    Ok((platform, shared))
}

/// The authenticator's key-agreement key (CTAP 2.1 §6.5.4 `initialize` and
/// `getPublicKey`): a P-256 key that answers every clientPin exchange until it is
/// regenerated at the next power cycle. The private scalar is zeroized on drop (by
/// `p256`); `Debug` prints only the public key.
///
/// ```
/// use fido_types::pin_protocol::{KeyAgreementKey, PinProtocol, ProtocolOne};
///
/// let authenticator = KeyAgreementKey::generate().unwrap();
/// let peer = authenticator.public_key();
/// let (platform, client_secret) = ProtocolOne::encapsulate(&peer.x, &peer.y).unwrap();
/// let authenticator_secret = authenticator
///     .decapsulate::<ProtocolOne>(&platform.x, &platform.y)
///     .unwrap();
/// assert_eq!(client_secret.expose_secret(), authenticator_secret.expose_secret());
/// ```
pub struct KeyAgreementKey {
    secret: p256::SecretKey,
    public: KeyAgreementPublicKey,
}

/// How many random candidates [`KeyAgreementKey::generate_with_rng`] tries before giving
/// up. A uniform 256-bit string is not a valid scalar with probability below 2⁻³², so a
/// working generator never gets near this.
const GENERATE_ATTEMPTS: usize = 16;

impl KeyAgreementKey {
    /// A new key from the system random number generator.
    ///
    /// # Errors
    /// [`PinProtocolError::Random`] if the generator fails.
    pub fn generate() -> Result<Self, PinProtocolError> {
        Self::generate_with_rng(&SystemRandom::new())
    }

    /// A new key from `rng`: 32 random bytes taken as the scalar, drawn again in the
    /// (negligible) case that they are zero or not below the group order.
    ///
    /// # Errors
    /// [`PinProtocolError::Random`] if `rng` fails or gives no valid scalar in 16 draws.
    pub fn generate_with_rng(rng: &dyn SecureRandom) -> Result<Self, PinProtocolError> {
        let mut candidate = Zeroizing::new([0; 32]);
        for _ in 0..GENERATE_ATTEMPTS {
            rng.fill(candidate.as_mut())
                .map_err(|_| PinProtocolError::Random)?;
            if let Ok(key) = Self::from_secret_bytes(&candidate) {
                return Ok(key);
            }
        }
        Err(PinProtocolError::Random)
    }

    /// The key with this big-endian private scalar (for tests and known-answer vectors).
    ///
    /// # Errors
    /// [`PinProtocolError::InvalidPrivateKey`] unless the scalar is in `1..n`.
    pub fn from_secret_bytes(scalar: &[u8; 32]) -> Result<Self, PinProtocolError> {
        let secret =
            p256::SecretKey::from_slice(scalar).map_err(|_| PinProtocolError::InvalidPrivateKey)?;
        let point = secret.public_key().as_affine().to_sec1_point(false);
        let public = KeyAgreementPublicKey::from_uncompressed(point.as_bytes())
            .ok_or(PinProtocolError::InvalidPrivateKey)?;
        Ok(Self { secret, public })
    }

    /// The public key, to return in getKeyAgreement's `keyAgreement`.
    pub fn public_key(&self) -> KeyAgreementPublicKey {
        self.public
    }

    /// ECDH with the platform's key: returns `Z`, the shared point's x-coordinate, for a
    /// [`PinProtocol::kdf`].
    ///
    /// # Errors
    /// [`PinProtocolError::InvalidPeerKey`] if the peer key is not a point on P-256.
    pub fn agree(
        &self,
        peer_x: &[u8; 32],
        peer_y: &[u8; 32],
    ) -> Result<Zeroizing<[u8; Z_LEN]>, PinProtocolError> {
        let peer = KeyAgreementPublicKey {
            x: *peer_x,
            y: *peer_y,
        }
        .to_uncompressed();
        let peer = p256::PublicKey::from_sec1_bytes(&peer)
            .map_err(|_| PinProtocolError::InvalidPeerKey)?;
        let shared = p256::ecdh::diffie_hellman(self.secret.to_nonzero_scalar(), peer.as_affine());
        let mut z = Zeroizing::new([0; Z_LEN]);
        z.copy_from_slice(shared.raw_secret_bytes());
        Ok(z)
    }

    /// [`agree`](Self::agree) followed by `P`'s KDF: the authenticator's `decapsulate`.
    ///
    /// # Errors
    /// As [`agree`](Self::agree).
    pub fn decapsulate<P: PinProtocol>(
        &self,
        peer_x: &[u8; 32],
        peer_y: &[u8; 32],
    ) -> Result<SharedSecret<P>, PinProtocolError> {
        Ok(P::kdf(&*self.agree(peer_x, peer_y)?))
    }
}

impl fmt::Debug for KeyAgreementKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyAgreementKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}
