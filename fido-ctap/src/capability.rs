//! Capability proofs: what getInfo says an authenticator supports, as values only a check
//! of [`Info`] can build.
//!
//! Each proof ([`CredMgmtSupport`], [`BioEnrollSupport`], [`ConfigSupport`],
//! [`LargeBlobSupport`]) has private
//! fields, so the only way to hold one is its `check`; the helpers of
//! [`manage`](crate::manage) take the proof, so "this device supports X" is no longer a
//! bool nothing ties to the call. A proof also records which command variant getInfo
//! names: the CTAP 2.1 command or the FIDO_2_1_PRE prototype (credential management on
//! 0x41, bio enrollment on 0x40), and what the variant rules out (updateUserInformation
//! and the persistent read-only token exist only in the standard variant).
//!
//! Passing anything else where a helper wants its proof fails to compile with a message
//! that names the check to call:
//!
//! ```compile_fail
//! # use fido_ctap::{perms, pin::PinToken, manage::CredentialManager};
//! # fn f(token: &mut PinToken<'_, perms![CredentialManagement]>) {
//! let manager = CredentialManager::new(token, true); // `bool` is not a proof
//! # }
//! ```

use fido_types::generated::{CommandCode, ConfigSubCommand, Info, InfoOption};

use crate::error::RequestError;

/// Which command variant getInfo names for a management command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// The CTAP 2.1 command (credential management 0x0A, bio enrollment 0x09).
    Standard,
    /// The FIDO_2_1_PRE prototype (credential management 0x41, bio enrollment 0x40).
    Preview,
}

/// Proof that getInfo lists credential management (`credMgmt`, or
/// `credentialMgmtPreview` for the prototype). Built only by [`CredMgmtSupport::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredMgmtSupport {
    variant: Variant,
    persistent_read_only: bool,
}

impl CredMgmtSupport {
    /// The getInfo check: `credMgmt` true gives the standard variant, else
    /// `credentialMgmtPreview` listed gives the prototype (python-fido2
    /// `CredentialManagement.is_supported`).
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] when getInfo lists neither.
    pub fn check(info: &Info) -> Result<Self, RequestError> {
        let variant = match info.credential_management_command() {
            Some(CommandCode::CREDENTIAL_MANAGEMENT) => Variant::Standard,
            Some(_) => Variant::Preview,
            None => return Err(RequestError::Unsupported("credential management")),
        };
        Ok(CredMgmtSupport {
            variant,
            persistent_read_only: variant == Variant::Standard
                && info.supports_option(InfoOption::PER_CRED_MGMT_RO),
        })
    }

    /// The command variant getInfo names.
    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// Whether updateUserInformation exists (not in the prototype).
    pub fn can_update_user(&self) -> bool {
        self.variant == Variant::Standard
    }

    /// Whether the persistent read-only token (`perCredMgmtRO`, permission pcmr, CTAP
    /// 2.2) may authorize the read-only subcommands.
    pub fn persistent_read_only(&self) -> bool {
        self.persistent_read_only
    }
}

/// Proof that getInfo lists fingerprint bio enrollment (`bioEnroll`, or
/// `userVerificationMgmtPreview` for the prototype). Built only by
/// [`BioEnrollSupport::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BioEnrollSupport {
    variant: Variant,
    enrolled: bool,
}

impl BioEnrollSupport {
    /// The getInfo check: `bioEnroll` listed gives the standard variant, else
    /// `userVerificationMgmtPreview` listed the prototype (python-fido2
    /// `FPBioEnrollment.is_supported`). Listed at all means a sensor; the value says
    /// whether a finger is enrolled.
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] when getInfo lists neither.
    pub fn check(info: &Info) -> Result<Self, RequestError> {
        let (variant, option) = match info.bio_enrollment_command() {
            Some(CommandCode::BIO_ENROLLMENT) => (Variant::Standard, InfoOption::BIO_ENROLL),
            Some(_) => (Variant::Preview, InfoOption::USER_VERIFICATION_MGMT_PREVIEW),
            None => return Err(RequestError::Unsupported("bio enrollment")),
        };
        Ok(BioEnrollSupport {
            variant,
            enrolled: info.supports_option(option),
        })
    }

    /// The command variant getInfo names.
    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// Whether getInfo said a finger was enrolled when checked.
    pub fn enrolled(&self) -> bool {
        self.enrolled
    }
}

/// Proof that getInfo lists authenticatorConfig (`authnrCfg` true), with the
/// subcommands it allows. Built only by [`ConfigSupport::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSupport {
    enterprise_attestation: bool,
    set_min_pin_length: bool,
    always_uv: bool,
    vendor_commands: Vec<u64>,
}

impl ConfigSupport {
    /// The getInfo check: `authnrCfg` must be true; which subcommands are allowed follows
    /// from `ep` (listed), `setMinPINLength` (true), `alwaysUv` (listed),
    /// vendorPrototypeConfigCommands and, when present, authenticatorConfigCommands
    /// (python-fido2 `Config.is_supported` and `Config._call`).
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] without `authnrCfg`.
    pub fn check(info: &Info) -> Result<Self, RequestError> {
        if !info.supports_option(InfoOption::AUTHNR_CFG) {
            return Err(RequestError::Unsupported("authenticatorConfig"));
        }
        let allowed = |sub| info.supports_config_command(sub);
        Ok(ConfigSupport {
            enterprise_attestation: info.has_option(InfoOption::EP)
                && allowed(ConfigSubCommand::ENABLE_ENTERPRISE_ATTESTATION),
            set_min_pin_length: info.supports_option(InfoOption::SET_MIN_PIN_LENGTH)
                && allowed(ConfigSubCommand::SET_MIN_PIN_LENGTH),
            always_uv: info.has_option(InfoOption::ALWAYS_UV)
                && allowed(ConfigSubCommand::TOGGLE_ALWAYS_UV),
            vendor_commands: if allowed(ConfigSubCommand::VENDOR_PROTOTYPE) {
                info.vendor_prototype_config_commands().to_vec()
            } else {
                Vec::new()
            },
        })
    }

    /// Whether enableEnterpriseAttestation may be sent (`ep` listed).
    pub fn enterprise_attestation(&self) -> bool {
        self.enterprise_attestation
    }

    /// Whether setMinPINLength may be sent (`setMinPINLength` true).
    pub fn set_min_pin_length(&self) -> bool {
        self.set_min_pin_length
    }

    /// Whether toggleAlwaysUv may be sent (`alwaysUv` listed).
    pub fn always_uv(&self) -> bool {
        self.always_uv
    }

    /// The vendorCommandIds getInfo lists (vendorPrototypeConfigCommands).
    pub fn vendor_commands(&self) -> &[u64] {
        &self.vendor_commands
    }
}

/// Proof that getInfo lists the large-blob store (`largeBlobs` true), with its size.
/// Built only by [`LargeBlobSupport::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeBlobSupport {
    max_array: Option<u64>,
}

impl LargeBlobSupport {
    /// The getInfo check: `largeBlobs` must be true (python-fido2
    /// `LargeBlobs.is_supported`); the size is maxSerializedLargeBlobArray as given.
    ///
    /// # Errors
    /// [`RequestError::Unsupported`] without `largeBlobs`.
    pub fn check(info: &Info) -> Result<Self, RequestError> {
        if !info.supports_option(InfoOption::LARGE_BLOBS) {
            return Err(RequestError::Unsupported("large blobs"));
        }
        Ok(LargeBlobSupport {
            max_array: info.max_serialized_large_blob_array,
        })
    }

    /// maxSerializedLargeBlobArray as getInfo gives it (`None` when omitted: then the
    /// CTAP 2.1 minimum, 1024 bytes, applies, as
    /// [`LargeBlobs::max_array`](crate::manage::LargeBlobs::max_array) says).
    pub fn declared_max_array(&self) -> Option<u64> {
        self.max_array
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::LargeBlobSupport {}
    impl Sealed for &super::LargeBlobSupport {}
    impl Sealed for super::CredMgmtSupport {}
    impl Sealed for &super::CredMgmtSupport {}
    impl Sealed for super::BioEnrollSupport {}
    impl Sealed for &super::BioEnrollSupport {}
    impl Sealed for super::ConfigSupport {}
    impl Sealed for &super::ConfigSupport {}
}

/// A proof of credential management support: a [`CredMgmtSupport`] or a reference to
/// one. Sealed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a proof that the authenticator supports credential management",
    label = "expected a `CredMgmtSupport`",
    note = "call the getInfo check `CredMgmtSupport::check(ctap.info())` and pass its result"
)]
pub trait ProvesCredMgmt: sealed::Sealed {
    /// The proof.
    fn proof(&self) -> CredMgmtSupport;
}

impl ProvesCredMgmt for CredMgmtSupport {
    fn proof(&self) -> CredMgmtSupport {
        *self
    }
}

impl ProvesCredMgmt for &CredMgmtSupport {
    fn proof(&self) -> CredMgmtSupport {
        **self
    }
}

/// A proof of bio enrollment support: a [`BioEnrollSupport`] or a reference to one.
/// Sealed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a proof that the authenticator supports bio enrollment",
    label = "expected a `BioEnrollSupport`",
    note = "call the getInfo check `BioEnrollSupport::check(ctap.info())` and pass its result"
)]
pub trait ProvesBioEnroll: sealed::Sealed {
    /// The proof.
    fn proof(&self) -> BioEnrollSupport;
}

impl ProvesBioEnroll for BioEnrollSupport {
    fn proof(&self) -> BioEnrollSupport {
        *self
    }
}

impl ProvesBioEnroll for &BioEnrollSupport {
    fn proof(&self) -> BioEnrollSupport {
        **self
    }
}

/// A proof of authenticatorConfig support: a [`ConfigSupport`] or a reference to one.
/// Sealed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a proof that the authenticator supports authenticatorConfig",
    label = "expected a `ConfigSupport`",
    note = "call the getInfo check `ConfigSupport::check(ctap.info())` and pass its result"
)]
pub trait ProvesConfig: sealed::Sealed {
    /// The proof.
    fn proof(&self) -> ConfigSupport;
}

impl ProvesConfig for ConfigSupport {
    fn proof(&self) -> ConfigSupport {
        self.clone()
    }
}

impl ProvesConfig for &ConfigSupport {
    fn proof(&self) -> ConfigSupport {
        (*self).clone()
    }
}

/// A proof of large-blob support: a [`LargeBlobSupport`] or a reference to one. Sealed.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a proof that the authenticator supports large blobs",
    label = "expected a `LargeBlobSupport`",
    note = "call the getInfo check `LargeBlobSupport::check(ctap.info())` and pass its result"
)]
pub trait ProvesLargeBlobs: sealed::Sealed {
    /// The proof.
    fn proof(&self) -> LargeBlobSupport;
}

impl ProvesLargeBlobs for LargeBlobSupport {
    fn proof(&self) -> LargeBlobSupport {
        *self
    }
}

impl ProvesLargeBlobs for &LargeBlobSupport {
    fn proof(&self) -> LargeBlobSupport {
        **self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fido_types::cbor::StrMap;
    use fido_types::generated::CtapVersion;

    fn info(options: &[(&str, bool)]) -> Info {
        let mut map = StrMap::new();
        for (name, value) in options {
            map.insert((*name).to_owned(), *value);
        }
        Info {
            options: Some(map),
            ..Info::new(vec![CtapVersion::FIDO_2_1], [0; 16])
        }
    }

    #[test]
    fn cred_mgmt_variants() {
        let standard =
            CredMgmtSupport::check(&info(&[("credMgmt", true), ("perCredMgmtRO", true)])).unwrap();
        assert_eq!(standard.variant(), Variant::Standard);
        assert!(standard.can_update_user() && standard.persistent_read_only());
        let preview = CredMgmtSupport::check(&info(&[("credentialMgmtPreview", true)])).unwrap();
        assert_eq!(preview.variant(), Variant::Preview);
        assert!(!preview.can_update_user() && !preview.persistent_read_only());
        assert!(CredMgmtSupport::check(&info(&[("credMgmt", false)])).is_err());
        assert!(CredMgmtSupport::check(&info(&[])).is_err());
    }

    #[test]
    fn bio_variants() {
        let listed = BioEnrollSupport::check(&info(&[("bioEnroll", false)])).unwrap();
        assert_eq!(listed.variant(), Variant::Standard);
        assert!(!listed.enrolled());
        let preview =
            BioEnrollSupport::check(&info(&[("userVerificationMgmtPreview", true)])).unwrap();
        assert_eq!(preview.variant(), Variant::Preview);
        assert!(preview.enrolled());
        assert!(BioEnrollSupport::check(&info(&[("uv", true)])).is_err());
    }

    #[test]
    fn large_blobs_needs_the_option_true() {
        assert!(LargeBlobSupport::check(&info(&[])).is_err());
        assert!(LargeBlobSupport::check(&info(&[("largeBlobs", false)])).is_err());
        let listed = LargeBlobSupport::check(&info(&[("largeBlobs", true)])).unwrap();
        assert_eq!(listed.declared_max_array(), None);
        let mut sized = info(&[("largeBlobs", true)]);
        sized.max_serialized_large_blob_array = Some(4096);
        let sized = LargeBlobSupport::check(&sized).unwrap();
        assert_eq!(sized.declared_max_array(), Some(4096));
    }

    #[test]
    fn config_subcommands() {
        assert!(ConfigSupport::check(&info(&[("authnrCfg", false)])).is_err());
        let all = ConfigSupport::check(&info(&[
            ("authnrCfg", true),
            ("ep", false),
            ("alwaysUv", false),
            ("setMinPINLength", true),
        ]))
        .unwrap();
        assert!(all.enterprise_attestation() && all.always_uv() && all.set_min_pin_length());
        let bare = ConfigSupport::check(&info(&[("authnrCfg", true)])).unwrap();
        assert!(!bare.enterprise_attestation() && !bare.always_uv() && !bare.set_min_pin_length());
        let mut restricted = info(&[("authnrCfg", true), ("ep", true), ("alwaysUv", true)]);
        restricted.authenticator_config_commands = Some(vec![ConfigSubCommand::TOGGLE_ALWAYS_UV]);
        let restricted = ConfigSupport::check(&restricted).unwrap();
        assert!(restricted.always_uv() && !restricted.enterprise_attestation());
    }
}
