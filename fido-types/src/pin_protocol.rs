//! PIN/UV auth protocols 1 and 2: KDF, encrypt, decrypt and authenticate, as pure functions of a shared secret.
//!
//! This module holds the cryptographic primitives of CTAP 2.1 §6.5 ("PIN/UV Auth
//! Protocol One" and "Two"), shared by the client (`fido-ctap`) and the software
//! authenticator. It does no I/O and knows nothing about CBOR or COSE: public keys travel
//! as raw P-256 coordinates (`[u8; 32]` x and y) and everything else as byte slices.
//!
//! - [`PinUvAuthProtocol`] is the wire number (`1`, `2`, or an unknown value kept as is).
//! - [`ProtocolOne`] and [`ProtocolTwo`] are the two protocols as types, both implementing
//!   [`PinProtocol`], so that secrets and tokens carry their protocol in their type:
//!   a [`SharedSecret<ProtocolTwo>`] cannot be handed to protocol one by mistake.
//!   [`SupportedProtocol`] is the runtime choice between them.
//! - [`SharedSecret`] and [`PinUvAuthToken`] hold key material: zeroized on drop, never
//!   printed by `Debug`, not `Clone`.
//! - [`encapsulate`](PinProtocol::encapsulate) is the platform side of the key agreement
//!   (ring's ephemeral ECDH); [`KeyAgreementKey`] is the authenticator side (a reusable
//!   P-256 key).
//! - [`Pin`] applies the PIN rules (length in code points and bytes, padding, `pinHash`).
//!
//! # Example: the platform side of `setPIN`
//!
//! ```
//! use fido_types::pin_protocol::{KeyAgreementKey, Pin, PinProtocol, ProtocolTwo};
//!
//! // The authenticator's key-agreement key (normally fetched with getKeyAgreement).
//! let authenticator = KeyAgreementKey::generate().unwrap();
//! let peer = authenticator.public_key();
//!
//! // Platform: agree on a shared secret, encrypt and authenticate the new PIN.
//! let (platform_key, shared) = ProtocolTwo::encapsulate(&peer.x, &peer.y).unwrap();
//! let pin = Pin::new("1234").unwrap();
//! let new_pin_enc = ProtocolTwo::encrypt(&shared, pin.padded().as_slice()).unwrap();
//! let pin_uv_auth_param = ProtocolTwo::authenticate(&shared, &new_pin_enc);
//! assert_eq!(pin_uv_auth_param.len(), 32);
//!
//! // Authenticator: derive the same secret, check the MAC, decrypt the PIN.
//! let shared2 = authenticator
//!     .decapsulate::<ProtocolTwo>(&platform_key.x, &platform_key.y)
//!     .unwrap();
//! ProtocolTwo::verify(&shared2, &new_pin_enc, &pin_uv_auth_param).unwrap();
//! let padded = ProtocolTwo::decrypt(&shared2, &new_pin_enc).unwrap();
//! assert_eq!(Pin::from_padded(&padded, 4).unwrap().pin_hash(), pin.pin_hash());
//! ```

mod cbc;
mod error;
mod key_agreement;
mod pin;
mod protocol;
mod secret;
mod wire;

pub use error::{PinError, PinProtocolError};
pub use key_agreement::{KeyAgreementKey, KeyAgreementPublicKey};
pub use pin::{MAX_PIN_BYTES, MIN_PIN_LENGTH, PADDED_PIN_LEN, PIN_HASH_LEN, Pin};
pub use protocol::{PinProtocol, ProtocolOne, ProtocolTwo, SupportedProtocol};
pub use secret::{AuthKey, PinUvAuthToken, SharedSecret};
pub use wire::PinUvAuthProtocol;

/// Length of an AES block, of the protocol-two IV, and the unit of every plaintext and
/// ciphertext length in these protocols.
pub const BLOCK_LEN: usize = 16;

/// Length of the ECDH shared point's x-coordinate `Z` (P-256).
pub const Z_LEN: usize = 32;

/// Length of a pinUvAuthToken that an authenticator generates (both protocols).
pub const TOKEN_LEN: usize = 32;

/// Keeps [`PinProtocol`] and [`AuthKey`] implemented only by this module's types.
mod sealed {
    /// Supertrait of [`PinProtocol`](super::PinProtocol).
    pub trait Sealed {
        /// Which 32-byte half of the shared secret is the AES key (0 or 1).
        const AES_KEY_HALF: usize;
    }
    /// Supertrait of [`AuthKey`](super::AuthKey).
    pub trait SealedKey {
        /// The HMAC-SHA-256 key bytes.
        fn hmac_key(&self) -> &[u8];
    }
}
