//! WebAuthn enumerations (§5.4) and the lenient reading the spec asks for.
//!
//! WebAuthn dictionaries carry enumeration values as plain DOMStrings "deliberately not
//! referenced" (§2.1.1): a value the client does not know is treated as if the member
//! were absent, never as an error. The [`lenient`] functions do that when reading JSON:
//! an unknown value in an optional member reads as `None`, in a list it is dropped.

use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every known value.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The WebAuthn string.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )+ }
            }
        }

        impl core::str::FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    _ => Err(UnknownValue),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A string that is not one of an enumeration's known values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown enumeration value")]
pub struct UnknownValue;

string_enum! {
    /// The authenticator attachment modality (§5.4.5).
    pub enum AuthenticatorAttachment {
        /// A platform authenticator, built into the client device.
        Platform = "platform",
        /// A roaming authenticator (security key, phone).
        CrossPlatform = "cross-platform",
    }
}

string_enum! {
    /// Whether a client-side discoverable credential is wanted (§5.4.6).
    pub enum ResidentKeyRequirement {
        /// A server-side credential is preferred.
        Discouraged = "discouraged",
        /// A discoverable credential is preferred.
        Preferred = "preferred",
        /// A discoverable credential is required.
        Required = "required",
    }
}

string_enum! {
    /// The relying party's attestation preference (§5.4.7).
    pub enum AttestationConveyancePreference {
        /// No attestation.
        None = "none",
        /// Attestation, possibly anonymized by the client.
        Indirect = "indirect",
        /// The authenticator's attestation as generated.
        Direct = "direct",
        /// Enterprise attestation that may identify the authenticator.
        Enterprise = "enterprise",
    }
}

string_enum! {
    /// The credential type (§5.8.2).
    pub enum PublicKeyCredentialType {
        /// A public key credential.
        PublicKey = "public-key",
    }
}

string_enum! {
    /// A transport the client may use to reach an authenticator (§5.8.4).
    pub enum AuthenticatorTransport {
        /// USB.
        Usb = "usb",
        /// NFC.
        Nfc = "nfc",
        /// Bluetooth Low Energy.
        Ble = "ble",
        /// ISO/IEC 7816 smart card with contacts.
        SmartCard = "smart-card",
        /// Hybrid (e.g. a phone over caBLE).
        Hybrid = "hybrid",
        /// Built into the client device.
        Internal = "internal",
    }
}

string_enum! {
    /// The relying party's user verification requirement (§5.8.6).
    pub enum UserVerificationRequirement {
        /// User verification is required.
        Required = "required",
        /// User verification is preferred (the default).
        Preferred = "preferred",
        /// User verification should not be done.
        Discouraged = "discouraged",
    }
}

string_enum! {
    /// A hint about how to complete the request (§5.8.7).
    pub enum PublicKeyCredentialHint {
        /// A physical security key.
        SecurityKey = "security-key",
        /// A platform authenticator on the client device.
        ClientDevice = "client-device",
        /// A general-purpose authenticator such as a phone.
        Hybrid = "hybrid",
    }
}

string_enum! {
    /// The credProtect extension's policy (CTAP 2.1 §12.1).
    pub enum CredentialProtectionPolicy {
        /// Level 1: no user verification needed.
        UserVerificationOptional = "userVerificationOptional",
        /// Level 2: user verification needed unless the credential ID is given.
        UserVerificationOptionalWithCredentialIdList = "userVerificationOptionalWithCredentialIDList",
        /// Level 3: user verification always needed.
        UserVerificationRequired = "userVerificationRequired",
    }
}

string_enum! {
    /// The largeBlob extension's support requirement (§10.1.5).
    pub enum LargeBlobSupport {
        /// Large blob support is required.
        Required = "required",
        /// Large blob support is preferred.
        Preferred = "preferred",
    }
}

/// Serde helpers that read WebAuthn enumeration members leniently.
pub mod lenient {
    use core::str::FromStr;

    use serde::{Deserialize, Deserializer};

    /// An optional enumeration member: an unknown string reads as `None`.
    pub fn option<'de, D: Deserializer<'de>, T: FromStr>(d: D) -> Result<Option<T>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        Ok(s.and_then(|s| s.parse().ok()))
    }

    /// A list of enumeration values: unknown strings are dropped.
    pub fn list<'de, D: Deserializer<'de>, T: FromStr>(d: D) -> Result<Vec<T>, D::Error> {
        let v: Vec<String> = Vec::deserialize(d)?;
        Ok(v.into_iter().filter_map(|s| s.parse().ok()).collect())
    }

    /// An optional list of enumeration values: unknown strings are dropped.
    pub fn option_list<'de, D: Deserializer<'de>, T: FromStr>(
        d: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        let v: Option<Vec<String>> = Option::deserialize(d)?;
        Ok(v.map(|v| v.into_iter().filter_map(|s| s.parse().ok()).collect()))
    }
}
