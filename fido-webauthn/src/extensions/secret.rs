//! The shared secret of one key agreement, whatever the PIN/UV auth protocol, for the
//! extensions that encrypt their inputs (hmac-secret, hmac-secret-mc).

use core::fmt;

use fido_types::cose::CoseKey;
use fido_types::generated::PinUvAuthProtocol;
use fido_types::pin_protocol::{
    KeyAgreementPublicKey, PinProtocol, PinProtocolError, ProtocolOne, ProtocolTwo, SharedSecret,
};
use zeroize::Zeroizing;

/// The protocol-typed secret.
enum AnySecret {
    /// PIN/UV auth protocol one.
    One(SharedSecret<ProtocolOne>),
    /// PIN/UV auth protocol two.
    Two(SharedSecret<ProtocolTwo>),
}

/// The platform's key-agreement key and the shared secret it agreed with the
/// authenticator. `Debug` does not print the secret.
pub struct ExtensionSecret {
    platform_key: CoseKey,
    secret: AnySecret,
}

impl fmt::Debug for ExtensionSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExtensionSecret")
            .field("protocol", &self.protocol())
            .finish_non_exhaustive()
    }
}

impl ExtensionSecret {
    /// The result of a key agreement under protocol `P`.
    ///
    /// # Errors
    /// [`PinProtocolError`] if `P` is neither protocol one nor two (cannot happen for the
    /// protocols this library defines).
    pub fn new<P: PinProtocol>(
        platform_key: &KeyAgreementPublicKey,
        secret: &SharedSecret<P>,
    ) -> Result<Self, PinProtocolError> {
        let bytes = secret.expose_secret();
        let secret = if P::VERSION == ProtocolOne::VERSION {
            AnySecret::One(SharedSecret::from_bytes(bytes)?)
        } else {
            AnySecret::Two(SharedSecret::from_bytes(bytes)?)
        };
        Ok(ExtensionSecret {
            platform_key: CoseKey::from_key_agreement(platform_key),
            secret,
        })
    }

    /// The PIN/UV auth protocol of the secret.
    pub fn protocol(&self) -> PinUvAuthProtocol {
        match self.secret {
            AnySecret::One(_) => ProtocolOne::VERSION,
            AnySecret::Two(_) => ProtocolTwo::VERSION,
        }
    }

    /// The platform's key-agreement key, to send as the extension's `keyAgreement`.
    pub fn platform_key(&self) -> &CoseKey {
        &self.platform_key
    }

    /// The protocol's `encrypt`.
    ///
    /// # Errors
    /// [`PinProtocolError`] for a plaintext that is not a whole number of blocks.
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, PinProtocolError> {
        match &self.secret {
            AnySecret::One(s) => ProtocolOne::encrypt(s, plaintext),
            AnySecret::Two(s) => ProtocolTwo::encrypt(s, plaintext),
        }
    }

    /// The protocol's `decrypt`.
    ///
    /// # Errors
    /// [`PinProtocolError`] for a ciphertext of the wrong length.
    pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, PinProtocolError> {
        match &self.secret {
            AnySecret::One(s) => ProtocolOne::decrypt(s, ciphertext),
            AnySecret::Two(s) => ProtocolTwo::decrypt(s, ciphertext),
        }
    }

    /// The protocol's `authenticate`.
    pub fn authenticate(&self, message: &[u8]) -> Vec<u8> {
        match &self.secret {
            AnySecret::One(s) => ProtocolOne::authenticate(s, message),
            AnySecret::Two(s) => ProtocolTwo::authenticate(s, message),
        }
    }
}
