//! CTAP over ISO 7816 APDUs (NFC and contact smart cards): the sans-IO client engine
//! ([`engine`]) and the [`NfcDevice`] that drives it over an [`ApduLink`] (PC/SC readers
//! with the `pcsc` feature; an in-process card in tests). The APDU codec is
//! `fido_types::apdu`, shared with the software authenticator's card side.

mod device;
pub mod engine;

pub use device::NfcDevice;

use crate::transport::TransportError;

/// Something that carries one command APDU to a card and brings back its response APDU
/// (data and status word).
pub trait ApduLink: Send {
    /// Transmits `apdu` and returns the response.
    ///
    /// # Errors
    /// Whatever the link fails with; a card that went away is
    /// [`TransportError::Disconnected`].
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError>;
}
