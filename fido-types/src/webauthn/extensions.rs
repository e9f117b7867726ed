//! Client extension inputs and outputs in their JSON forms (WebAuthn §9, §10; CTAP 2.1 §12).
//!
//! Known extensions are typed; any other member is kept as JSON in `other`, so unknown
//! extensions survive a round trip.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use super::enums::lenient;
use super::{Base64UrlBytes, CredProtectPolicy, LargeBlobSupport};

/// PRF salts or results (§10.1.4, `AuthenticationExtensionsPRFValuesJSON`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PrfValues {
    /// The first value.
    pub first: Base64UrlBytes,
    /// The optional second value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second: Option<Base64UrlBytes>,
}

impl PrfValues {
    /// PRF values.
    pub fn new(first: impl Into<Base64UrlBytes>, second: Option<Base64UrlBytes>) -> Self {
        Self {
            first: first.into(),
            second,
        }
    }
}

/// PRF inputs (`AuthenticationExtensionsPRFInputsJSON`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PrfInputs {
    /// Salts for any credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eval: Option<PrfValues>,
    /// Salts per credential ID (base64url keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eval_by_credential: Option<BTreeMap<String, PrfValues>>,
}

/// PRF outputs (`AuthenticationExtensionsPRFOutputsJSON`). `Debug` does not print the
/// results, which are secrets.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PrfOutputs {
    /// Whether the credential supports PRF (registration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The PRF results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<PrfValues>,
}

impl HmacGetSecretInputs {
    /// hmacGetSecret inputs.
    pub fn new(salt1: impl Into<Base64UrlBytes>, salt2: Option<Base64UrlBytes>) -> Self {
        Self {
            salt1: salt1.into(),
            salt2,
        }
    }
}

impl HmacGetSecretOutputs {
    /// hmacGetSecret outputs.
    pub fn new(output1: impl Into<Base64UrlBytes>, output2: Option<Base64UrlBytes>) -> Self {
        Self {
            output1: output1.into(),
            output2,
        }
    }
}

impl PrfInputs {
    /// PRF inputs: salts for any credential, and salts per credential ID (base64url).
    pub fn new(
        eval: Option<PrfValues>,
        eval_by_credential: Option<BTreeMap<String, PrfValues>>,
    ) -> Self {
        Self {
            eval,
            eval_by_credential,
        }
    }
}

impl PrfOutputs {
    /// PRF outputs.
    pub fn new(enabled: Option<bool>, results: Option<PrfValues>) -> Self {
        Self { enabled, results }
    }
}

impl LargeBlobInputs {
    /// largeBlob inputs.
    pub fn new(
        support: Option<LargeBlobSupport>,
        read: Option<bool>,
        write: Option<Base64UrlBytes>,
    ) -> Self {
        Self {
            support,
            read,
            write,
        }
    }
}

impl LargeBlobOutputs {
    /// largeBlob outputs.
    pub fn new(
        supported: Option<bool>,
        blob: Option<Base64UrlBytes>,
        written: Option<bool>,
    ) -> Self {
        Self {
            supported,
            blob,
            written,
        }
    }
}

/// largeBlob inputs (`AuthenticationExtensionsLargeBlobInputsJSON`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LargeBlobInputs {
    /// Registration: whether support is required or preferred (unknown reads as absent).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::option"
    )]
    pub support: Option<LargeBlobSupport>,
    /// Authentication: read the blob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<bool>,
    /// Authentication: write this blob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<Base64UrlBytes>,
}

/// largeBlob outputs (`AuthenticationExtensionsLargeBlobOutputsJSON`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LargeBlobOutputs {
    /// Registration: whether the credential supports large blobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported: Option<bool>,
    /// Authentication: the blob read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blob: Option<Base64UrlBytes>,
    /// Authentication: whether the blob was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<bool>,
}

/// credProps output (`CredentialPropertiesOutput`, §10.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CredentialPropertiesOutput {
    /// Whether the credential is client-side discoverable, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rk: Option<bool>,
}

impl CredentialPropertiesOutput {
    /// A credProps output.
    pub fn new(rk: Option<bool>) -> Self {
        Self { rk }
    }
}

/// hmacGetSecret inputs (CTAP 2.1 §12.5 WebAuthn mapping; python-fido2's JSON shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HmacGetSecretInputs {
    /// 32-byte salt.
    pub salt1: Base64UrlBytes,
    /// Optional second 32-byte salt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt2: Option<Base64UrlBytes>,
}

/// hmacGetSecret outputs. `Debug` does not print them: they are secrets.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HmacGetSecretOutputs {
    /// HMAC of salt1.
    pub output1: Base64UrlBytes,
    /// HMAC of salt2, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output2: Option<Base64UrlBytes>,
}

/// Client extension inputs (`AuthenticationExtensionsClientInputsJSON`).
///
/// ```
/// use fido_types::webauthn::AuthenticationExtensionsClientInputs;
/// let json = r#"{"credProps":true,"credentialProtectionPolicy":"someFuturePolicy","example.future":{"a":1}}"#;
/// let inputs: AuthenticationExtensionsClientInputs = serde_json::from_str(json).unwrap();
/// assert_eq!(inputs.cred_props, Some(true));
/// assert_eq!(inputs.credential_protection_policy, None); // unknown value: absent
/// assert_eq!(inputs.other["example.future"]["a"], 1); // unknown extension: kept
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuthenticationExtensionsClientInputs {
    /// FIDO AppID (§10.1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    /// FIDO AppID exclusion (§10.1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid_exclude: Option<String>,
    /// Credential properties (§10.1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cred_props: Option<bool>,
    /// Pseudo-random function (§10.1.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prf: Option<PrfInputs>,
    /// Large blob storage (§10.1.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub large_blob: Option<LargeBlobInputs>,
    /// credProtect: the wanted policy, by its spec name (unknown reads as absent).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "policy_by_name"
    )]
    pub credential_protection_policy: Option<CredProtectPolicy>,
    /// credProtect: fail if the policy cannot be applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforce_credential_protection_policy: Option<bool>,
    /// credBlob: the blob to store with a new credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cred_blob: Option<Base64UrlBytes>,
    /// credBlob: read the stored blob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_cred_blob: Option<bool>,
    /// minPinLength: ask for the authenticator's minimum PIN length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_pin_length: Option<bool>,
    /// hmac-secret at registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_create_secret: Option<bool>,
    /// hmac-secret at authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_get_secret: Option<HmacGetSecretInputs>,
    /// thirdPartyPayment (CTAP 2.2 §12.8): mark or ask whether the credential is usable
    /// for third-party payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party_payment: Option<bool>,
    /// Any other extension, as JSON.
    #[serde(flatten)]
    pub other: Map<String, Json>,
}

/// Client extension outputs (`AuthenticationExtensionsClientOutputsJSON`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuthenticationExtensionsClientOutputs {
    /// Whether the AppID was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<bool>,
    /// Whether the AppID exclusion was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid_exclude: Option<bool>,
    /// Credential properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cred_props: Option<CredentialPropertiesOutput>,
    /// PRF outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prf: Option<PrfOutputs>,
    /// Large blob outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub large_blob: Option<LargeBlobOutputs>,
    /// credBlob at registration: whether the blob was stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cred_blob: Option<bool>,
    /// credBlob at authentication: the stored blob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_cred_blob: Option<Base64UrlBytes>,
    /// hmac-secret at registration: whether it is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_create_secret: Option<bool>,
    /// hmac-secret at authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_get_secret: Option<HmacGetSecretOutputs>,
    /// minPinLength: the authenticator's minimum PIN length, when it tells this RP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_pin_length: Option<u64>,
    /// thirdPartyPayment: whether the credential is usable for third-party payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party_payment: Option<bool>,
    /// Any other extension output, as JSON.
    #[serde(flatten)]
    pub other: Map<String, Json>,
}

impl core::fmt::Debug for PrfOutputs {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PrfOutputs")
            .field("enabled", &self.enabled)
            .field("results", &self.results.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl core::fmt::Debug for HmacGetSecretOutputs {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HmacGetSecretOutputs")
            .field("output1", &"<redacted>")
            .field("output2", &self.output2.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// credProtect's `credentialProtectionPolicy` in its JSON form: the level's spec name from
/// the generated registry (`"userVerificationRequired"`); an unknown name reads as absent.
mod policy_by_name {
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::CredProtectPolicy;

    /// Writes the level's spec name; a level without one cannot be written.
    pub fn serialize<S: Serializer>(
        policy: &Option<CredProtectPolicy>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match policy {
            None => s.serialize_none(),
            Some(p) => match p.spec_name() {
                Some(name) => s.serialize_str(name),
                None => Err(S::Error::custom(format_args!(
                    "credProtect level {} has no WebAuthn name",
                    p.0
                ))),
            },
        }
    }

    /// Reads a spec name; any other string reads as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<CredProtectPolicy>, D::Error> {
        let name: Option<String> = Option::deserialize(d)?;
        Ok(name.and_then(|name| {
            CredProtectPolicy::KNOWN
                .iter()
                .copied()
                .find(|p| p.spec_name() == Some(name.as_str()))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every known input and an unknown one, as WebAuthn L3 JSON (binary values base64url).
    const INPUTS: &str = r#"{"appid":"https://example.com/app","appidExclude":"https://example.com/x","credProps":true,"prf":{"eval":{"first":"AQ","second":"Ag"},"evalByCredential":{"AAAA":{"first":"Aw"}}},"largeBlob":{"support":"required"},"credentialProtectionPolicy":"userVerificationRequired","enforceCredentialProtectionPolicy":true,"credBlob":"YmxvYg","getCredBlob":true,"minPinLength":true,"hmacCreateSecret":true,"hmacGetSecret":{"salt1":"AQ","salt2":"Ag"},"thirdPartyPayment":true,"example.future":{"a":1}}"#;

    /// Every known output and an unknown one.
    const OUTPUTS: &str = r#"{"appid":true,"appidExclude":true,"credProps":{"rk":false},"prf":{"enabled":true,"results":{"first":"AQ"}},"largeBlob":{"blob":"Ag","written":true},"credBlob":true,"getCredBlob":"Aw","hmacCreateSecret":true,"hmacGetSecret":{"output1":"BA"},"minPinLength":6,"thirdPartyPayment":false,"example.future":[1]}"#;

    #[test]
    fn inputs_round_trip_l3_json() {
        let inputs: AuthenticationExtensionsClientInputs = serde_json::from_str(INPUTS).unwrap();
        assert_eq!(inputs.cred_blob.as_deref(), Some(&b"blob"[..]));
        assert_eq!(inputs.third_party_payment, Some(true));
        assert_eq!(
            inputs.credential_protection_policy,
            Some(CredProtectPolicy::USER_VERIFICATION_REQUIRED)
        );
        let by_credential = inputs
            .prf
            .as_ref()
            .unwrap()
            .eval_by_credential
            .as_ref()
            .unwrap();
        assert_eq!(by_credential["AAAA"].first.as_bytes(), [3]);
        let again: serde_json::Value = serde_json::to_value(&inputs).unwrap();
        let original: serde_json::Value = serde_json::from_str(INPUTS).unwrap();
        assert_eq!(again, original);
    }

    #[test]
    fn outputs_round_trip_l3_json() {
        let outputs: AuthenticationExtensionsClientOutputs = serde_json::from_str(OUTPUTS).unwrap();
        assert_eq!(outputs.min_pin_length, Some(6));
        assert_eq!(outputs.third_party_payment, Some(false));
        assert_eq!(outputs.get_cred_blob.as_deref(), Some(&[3u8][..]));
        let again: serde_json::Value = serde_json::to_value(&outputs).unwrap();
        let original: serde_json::Value = serde_json::from_str(OUTPUTS).unwrap();
        assert_eq!(again, original);
    }

    #[test]
    fn secrets_are_not_printed() {
        let outputs: AuthenticationExtensionsClientOutputs = serde_json::from_str(OUTPUTS).unwrap();
        let debug = format!("{outputs:?}");
        assert!(debug.contains("<redacted>"), "{debug}");
        assert!(!debug.contains("[1]") && !debug.contains("[4]"), "{debug}");
    }
}
