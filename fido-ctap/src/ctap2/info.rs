//! The part of authenticatorGetInfo (0x04) the session needs.
//!
//! This is a subset of the getInfo response with the member names of the spec tables;
//! it gives way to the generated `fido_types::generated::Info` once that is available.
//! Unknown keys are skipped.

use fido_types::cbor::{CborMap, StrMap};
use fido_types::pin_protocol::PinUvAuthProtocol;

/// The authenticatorGetInfo members the CTAP layer acts on (CTAP 2.1 §6.4).
#[derive(Debug, Clone, PartialEq, CborMap)]
pub struct Info {
    /// `versions` (0x01), e.g. `"FIDO_2_0"`, `"FIDO_2_1"`, `"U2F_V2"`.
    #[cbor(key = 0x01)]
    pub versions: Vec<String>,
    /// `extensions` (0x02).
    #[cbor(key = 0x02)]
    pub extensions: Option<Vec<String>>,
    /// `aaguid` (0x03).
    #[cbor(key = 0x03)]
    pub aaguid: [u8; 16],
    /// `options` (0x04).
    #[cbor(key = 0x04)]
    pub options: Option<StrMap<bool>>,
    /// `maxMsgSize` (0x05); python-fido2 assumes 1024 when absent.
    #[cbor(key = 0x05)]
    pub max_msg_size: Option<u64>,
    /// `pinUvAuthProtocols` (0x06), in the authenticator's order of preference.
    #[cbor(key = 0x06)]
    pub pin_uv_auth_protocols: Option<Vec<PinUvAuthProtocol>>,
    /// `forcePINChange` (0x0C).
    #[cbor(key = 0x0C)]
    pub force_pin_change: Option<bool>,
    /// `minPINLength` (0x0D); 4 when absent.
    #[cbor(key = 0x0D)]
    pub min_pin_length: Option<u64>,
}

/// `maxMsgSize` when getInfo omits it (python-fido2 `Info.max_msg_size` default, 1024).
pub const DEFAULT_MAX_MSG_SIZE: usize = 1024;

impl Info {
    /// The value of option `name`, `None` when absent.
    pub fn option(&self, name: &str) -> Option<bool> {
        self.options.as_ref()?.get(name).copied()
    }

    /// `maxMsgSize`, or 1024 when absent.
    pub fn max_msg_size(&self) -> usize {
        self.max_msg_size.map_or(DEFAULT_MAX_MSG_SIZE, |n| {
            usize::try_from(n).unwrap_or(usize::MAX)
        })
    }

    /// `minPINLength`, or 4 when absent.
    pub fn min_pin_length(&self) -> usize {
        self.min_pin_length
            .map_or(fido_types::pin_protocol::MIN_PIN_LENGTH, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            })
    }

    /// The PIN/UV auth protocols offered; CTAP 2.0 authenticators that list none but
    /// support a PIN speak protocol one.
    pub fn pin_protocols(&self) -> Vec<PinUvAuthProtocol> {
        match &self.pin_uv_auth_protocols {
            Some(list) => list.clone(),
            None if self.option("clientPin").is_some() => vec![PinUvAuthProtocol::ONE],
            None => Vec::new(),
        }
    }

    /// Whether `versions` lists `version`.
    pub fn supports_version(&self, version: &str) -> bool {
        self.versions.iter().any(|v| v == version)
    }
}
