//! Which user verification to perform: the UV/PIN decision as one pure function
//! ([`decide`]), and the retries after an authenticator refuses ([`UvRetry`]).
//!
//! This is python-fido2 2.2.1's `_Ctap2ClientBackend._should_use_uv`, `_get_token` and
//! `_get_auth_params` (fido2/client/__init__.py), with the CTAP 2.1 rules they stand
//! on, made explicit: every input is a field of [`UvInputs`], every outcome a variant of
//! [`UvDecision`], and [`UvReason`] says which rule asked for verification.
//! [`resolve`] adds the user: it asks [`UserInteraction`] for consent to built-in UV or
//! for the PIN, in python-fido2's order, and yields a [`Verification`].
//!
//! # The decision
//!
//! 1. **Is verification needed?** The first matching rule wins:
//!    - [`UvReason::Required`]: `userVerification` is `required` (WebAuthn L3 §5.4.6).
//!    - [`UvReason::PreferredAndSupported`]: `preferred` (or absent) and the
//!      authenticator has any UV method, configured or not (python-fido2; its
//!      maintainers keep this on purpose, python-fido2 PR #148).
//!    - [`UvReason::AlwaysUv`]: getInfo `alwaysUv` is true (CTAP 2.1 §6.1.2 / §6.2.2).
//!    - [`UvReason::MakeCredentialProtected`]: a makeCredential on an authenticator
//!      "protected by some form of user verification" (PIN set or built-in UV
//!      configured), unless `makeCredUvNotRqd` is true and the credential is not
//!      discoverable (CTAP 2.1 §6.1.2 step "if the makeCredUvNotRqd option … is true
//!      and the rk option is false"; python-fido2 ignores `rk` here and relies on the
//!      PUAT_REQUIRED retry instead).
//!    - [`UvReason::ExtraPermissions`]: the token needs permissions beyond `mc`/`ga`
//!      (e.g. `lbw` for largeBlob writes, or `cm`/`be`/`acfg` operations), which only
//!      a pinUvAuthToken grants (CTAP 2.1 §6.5.5.7), and a method is configured.
//!    - otherwise [`UvDecision::NoUv`] ([`UvReason::NotNeeded`]).
//! 2. **Needed, but nothing configured** (no PIN set, no built-in UV configured):
//!    [`UvDecision::NotConfigured`] (python-fido2 CONFIGURATION_UNSUPPORTED).
//! 3. **How**, built-in UV first (python-fido2 `_get_token`, "Prefer UV"), if it is
//!    configured and allowed ([`UvInputs::uv_allowed`]):
//!    - with `pinUvAuthToken`: [`UvDecision::UvToken`]
//!      (getPinUvAuthTokenUsingUvWithPermissions, CTAP 2.1 §6.5.5.7.3);
//!    - without, and only `mc`/`ga` needed: [`UvDecision::UvOption`] (the CTAP 2.0
//!      `uv` option of the request itself).
//! 4. Else the PIN, if one is set and usable (see below): [`UvDecision::PinToken`] (with permissions when
//!    `pinUvAuthToken` is supported, else CTAP 2.0 getPinToken, as python-fido2
//!    `ClientPin.get_pin_token`), or [`UvDecision::PinRequired`] when the caller cannot
//!    supply one (python-fido2 `PinRequiredError`).
//! 5. Else [`UvDecision::NotConfigured`] (built-in UV configured but not allowed or not
//!    usable, and no PIN).
//!
//! The PIN is not usable for makeCredential/getAssertion when getInfo
//! `noMcGaPermissionsWithClientPin` is true (CTAP 2.1 §6.4: such tokens cannot carry `mc`
//! or `ga`); then only built-in UV can verify and, failing it, the decision is
//! [`UvDecision::NotConfigured`]. python-fido2 does not read this option.
//!
//! `bioEnroll` is not an input: python-fido2 counts it like `uv`, but an authenticator
//! with enrolled fingerprints reports `uv: true` (CTAP 2.1 §6.4), so it adds nothing.
//!
//! ```
//! use fido_webauthn::uv::*;
//!
//! let inputs = UvInputs {
//!     requirement: UvRequirement::Preferred,
//!     client_pin: ClientPinState::Set,
//!     built_in_uv: BuiltInUvState::Unsupported,
//!     pin_uv_auth_token: true,
//!     always_uv: false,
//!     make_cred_uv_not_rqd: false,
//!     no_mc_ga_permissions_with_client_pin: false,
//!     discoverable: false,
//!     operation: Operation::GetAssertion,
//!     extra_permissions: false,
//!     uv_allowed: true,
//!     pin_available: true,
//! };
//! let plan = decide(&inputs);
//! assert_eq!(plan.decision, UvDecision::PinToken { with_permissions: true });
//! assert_eq!(plan.reason, UvReason::PreferredAndSupported);
//! ```

use fido_types::generated::{Info, InfoOption, Permissions};
use fido_types::pin_protocol::Pin;
use fido_types::status::CtapStatus;
use fido_types::webauthn::UserVerificationRequirement;

use crate::error::Error;
use crate::interaction::UserInteraction;

/// WebAuthn `userVerification` (L3 §5.4.6). Absent means [`UvRequirement::Preferred`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum UvRequirement {
    /// The operation fails without user verification.
    Required,
    /// Verify if possible (the WebAuthn default).
    #[default]
    Preferred,
    /// Do not verify unless the authenticator insists.
    Discouraged,
}

impl UvRequirement {
    /// Every value.
    pub const ALL: [UvRequirement; 3] = [Self::Required, Self::Preferred, Self::Discouraged];

    /// Reads the WebAuthn string; absent or unknown values are `preferred` (WebAuthn
    /// §2.1.1: unknown enumeration values are ignored, so the default applies).
    pub fn from_webauthn(value: Option<&str>) -> Self {
        match value {
            Some("required") => Self::Required,
            Some("discouraged") => Self::Discouraged,
            _ => Self::Preferred,
        }
    }
}

impl From<Option<UserVerificationRequirement>> for UvRequirement {
    /// The options' `userVerification` member; absent (or a value this crate does not
    /// know) is `preferred`.
    fn from(value: Option<UserVerificationRequirement>) -> Self {
        match value {
            Some(uv) if uv == UserVerificationRequirement::REQUIRED => Self::Required,
            Some(uv) if uv == UserVerificationRequirement::DISCOURAGED => Self::Discouraged,
            _ => Self::Preferred,
        }
    }
}

/// The getInfo `clientPin` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientPinState {
    /// Absent: the authenticator has no PIN support.
    Unsupported,
    /// `false`: a PIN can be set but is not.
    NotSet,
    /// `true`: a PIN is set.
    Set,
}

impl ClientPinState {
    /// Every value.
    pub const ALL: [ClientPinState; 3] = [Self::Unsupported, Self::NotSet, Self::Set];

    fn from_option(option: Option<bool>) -> Self {
        match option {
            None => Self::Unsupported,
            Some(false) => Self::NotSet,
            Some(true) => Self::Set,
        }
    }
}

/// The getInfo `uv` option (built-in user verification, e.g. a fingerprint reader).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltInUvState {
    /// Absent: no built-in UV.
    Unsupported,
    /// `false`: built-in UV exists but is not configured (e.g. no fingerprint enrolled).
    NotConfigured,
    /// `true`: built-in UV is ready.
    Configured,
}

impl BuiltInUvState {
    /// Every value.
    pub const ALL: [BuiltInUvState; 3] = [Self::Unsupported, Self::NotConfigured, Self::Configured];

    fn from_option(option: Option<bool>) -> Self {
        match option {
            None => Self::Unsupported,
            Some(false) => Self::NotConfigured,
            Some(true) => Self::Configured,
        }
    }
}

/// What the verification is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// authenticatorMakeCredential (token permission `mc`, plus `ga` with an exclude list).
    MakeCredential,
    /// authenticatorGetAssertion (token permission `ga`).
    GetAssertion,
    /// Anything needing other permissions: credential management, bio enrollment,
    /// authenticator config, large-blob writes.
    Other,
}

impl Operation {
    /// Every value.
    pub const ALL: [Operation; 3] = [Self::MakeCredential, Self::GetAssertion, Self::Other];
}

/// Everything the decision depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UvInputs {
    /// The relying party's `userVerification`.
    pub requirement: UvRequirement,
    /// getInfo `clientPin`.
    pub client_pin: ClientPinState,
    /// getInfo `uv`.
    pub built_in_uv: BuiltInUvState,
    /// getInfo `pinUvAuthToken` is true (CTAP 2.1 tokens with permissions).
    pub pin_uv_auth_token: bool,
    /// getInfo `alwaysUv` is true.
    pub always_uv: bool,
    /// getInfo `makeCredUvNotRqd` is true.
    pub make_cred_uv_not_rqd: bool,
    /// getInfo `noMcGaPermissionsWithClientPin` is true: PIN tokens cannot carry `mc`/`ga`.
    pub no_mc_ga_permissions_with_client_pin: bool,
    /// makeCredential asks for a discoverable credential (`rk`).
    pub discoverable: bool,
    /// What the token is for.
    pub operation: Operation,
    /// The token needs permissions beyond `mc`/`ga` (extensions such as largeBlob
    /// writes). Implied by [`Operation::Other`].
    pub extra_permissions: bool,
    /// Built-in UV may be used: not blocked (see [`UvRetry`]) and the user interaction
    /// agreed (python-fido2 `UserInteraction.request_uv`).
    pub uv_allowed: bool,
    /// The caller can supply a PIN (python-fido2 `UserInteraction.request_pin` returns one).
    pub pin_available: bool,
}

impl UvInputs {
    /// The inputs read from getInfo: `clientPin`, `uv`, `pinUvAuthToken`, `alwaysUv`,
    /// `makeCredUvNotRqd`, `noMcGaPermissionsWithClientPin`. UV and PIN are assumed available; set
    /// [`uv_allowed`](Self::uv_allowed) and [`pin_available`](Self::pin_available) as
    /// the situation says.
    pub fn from_info(info: &Info, requirement: UvRequirement, operation: Operation) -> Self {
        UvInputs {
            requirement,
            client_pin: ClientPinState::from_option(info.option(InfoOption::CLIENT_PIN)),
            built_in_uv: BuiltInUvState::from_option(info.option(InfoOption::UV)),
            pin_uv_auth_token: info.supports_pin_uv_auth_token(),
            always_uv: info.supports_option(InfoOption::ALWAYS_UV),
            make_cred_uv_not_rqd: info.supports_option(InfoOption::MAKE_CRED_UV_NOT_RQD),
            no_mc_ga_permissions_with_client_pin: info
                .supports_option(InfoOption::NO_MC_GA_PERMISSIONS_WITH_CLIENT_PIN),
            discoverable: false,
            operation,
            extra_permissions: false,
            uv_allowed: true,
            pin_available: true,
        }
    }

    /// Whether the authenticator has any UV method at all (python-fido2 `uv_supported`).
    pub fn uv_supported(&self) -> bool {
        self.client_pin != ClientPinState::Unsupported
            || self.built_in_uv != BuiltInUvState::Unsupported
    }

    /// CTAP 2.1 "protected by some form of user verification": a PIN is set or built-in
    /// UV is configured (python-fido2 `uv_configured`).
    pub fn uv_configured(&self) -> bool {
        self.client_pin == ClientPinState::Set || self.built_in_uv == BuiltInUvState::Configured
    }

    /// Whether a PIN token can serve this operation (not so for makeCredential and
    /// getAssertion under `noMcGaPermissionsWithClientPin`).
    pub fn pin_usable(&self) -> bool {
        !(self.no_mc_ga_permissions_with_client_pin && self.operation != Operation::Other)
    }

    /// Whether the token needs permissions beyond `mc`/`ga`.
    pub fn needs_extra_permissions(&self) -> bool {
        self.extra_permissions || self.operation == Operation::Other
    }

    /// The base permissions of the operation (`mc`, or `ga`; none for
    /// [`Operation::Other`], whose caller names them).
    pub fn base_permissions(&self) -> Permissions {
        match self.operation {
            Operation::MakeCredential => Permissions::MAKE_CREDENTIAL,
            Operation::GetAssertion => Permissions::GET_ASSERTION,
            Operation::Other => Permissions::EMPTY,
        }
    }
}

/// What to do about user verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UvDecision {
    /// No verification: no pinUvAuthParam, no `uv` option.
    NoUv,
    /// Get a token with built-in UV (clientPin getPinUvAuthTokenUsingUvWithPermissions,
    /// subcommand 0x06) and send pinUvAuthParam.
    UvToken,
    /// Ask for built-in UV through the request's own `uv` option (CTAP 2.0 style: the
    /// authenticator has no pinUvAuthToken support).
    UvOption,
    /// Ask the user for the PIN and get a token with it: getPinUvAuthTokenUsingPinWith
    /// Permissions (0x09) when `with_permissions`, else the CTAP 2.0 getPinToken (0x05).
    PinToken {
        /// Whether the token carries permissions (the authenticator supports `pinUvAuthToken`).
        with_permissions: bool,
    },
    /// A PIN is needed but the caller cannot supply one: fail with
    /// [`PinRequiredError`](fido_types::error::PinRequiredError).
    PinRequired,
    /// Verification is needed but no usable method is configured: fail with
    /// CONFIGURATION_UNSUPPORTED.
    NotConfigured,
}

impl UvDecision {
    /// The error this decision stands for, if it is a failure.
    pub fn error(self) -> Option<Error> {
        match self {
            UvDecision::PinRequired => {
                Some(Error::PinRequired(fido_types::error::PinRequiredError))
            }
            UvDecision::NotConfigured => Some(Error::UvNotConfigured),
            _ => None,
        }
    }

    /// `Ok(self)` for a plan, the error for a failure.
    ///
    /// # Errors
    /// [`Error::PinRequired`] or [`Error::UvNotConfigured`].
    pub fn into_result(self) -> Result<UvDecision, Error> {
        match self.error() {
            Some(error) => Err(error),
            None => Ok(self),
        }
    }
}

/// Why verification was (or was not) asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UvReason {
    /// No rule asks for verification.
    NotNeeded,
    /// `userVerification` is `required` (WebAuthn L3 §5.4.6).
    Required,
    /// `preferred` and the authenticator supports some UV method (python-fido2).
    PreferredAndSupported,
    /// getInfo `alwaysUv` (CTAP 2.1 §6.1.2, §6.2.2).
    AlwaysUv,
    /// makeCredential on a protected authenticator without the `makeCredUvNotRqd`
    /// exemption (CTAP 2.1 §6.1.2).
    MakeCredentialProtected,
    /// The token needs permissions beyond `mc`/`ga` (CTAP 2.1 §6.5.5.7).
    ExtraPermissions,
}

/// The decision and the rule behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UvPlan {
    /// What to do.
    pub decision: UvDecision,
    /// Which rule asked for verification ([`UvReason::NotNeeded`] for [`UvDecision::NoUv`]).
    pub reason: UvReason,
}

/// The UV/PIN decision (see the [module docs](self) for the rules in order).
pub fn decide(inputs: &UvInputs) -> UvPlan {
    let reason = match why_verify(inputs) {
        Some(reason) => reason,
        None => {
            return UvPlan {
                decision: UvDecision::NoUv,
                reason: UvReason::NotNeeded,
            };
        }
    };
    let decision = if !inputs.uv_configured() {
        UvDecision::NotConfigured
    } else {
        how_to_verify(inputs)
    };
    UvPlan { decision, reason }
}

/// python-fido2 `_should_use_uv`, with the `rk` refinement of `makeCredUvNotRqd`.
fn why_verify(inputs: &UvInputs) -> Option<UvReason> {
    match inputs.requirement {
        UvRequirement::Required => return Some(UvReason::Required),
        UvRequirement::Preferred if inputs.uv_supported() => {
            return Some(UvReason::PreferredAndSupported);
        }
        _ => {}
    }
    if inputs.always_uv {
        return Some(UvReason::AlwaysUv);
    }
    if !inputs.uv_configured() {
        return None;
    }
    let exempt = inputs.make_cred_uv_not_rqd && !inputs.discoverable;
    if inputs.operation == Operation::MakeCredential && !exempt {
        Some(UvReason::MakeCredentialProtected)
    } else if inputs.needs_extra_permissions() {
        Some(UvReason::ExtraPermissions)
    } else {
        None
    }
}

/// python-fido2 `_get_token`: built-in UV first, then the PIN.
fn how_to_verify(inputs: &UvInputs) -> UvDecision {
    if inputs.uv_allowed && inputs.built_in_uv == BuiltInUvState::Configured {
        if inputs.pin_uv_auth_token {
            return UvDecision::UvToken;
        }
        if !inputs.needs_extra_permissions() {
            return UvDecision::UvOption;
        }
    }
    if !inputs.pin_usable() {
        return UvDecision::NotConfigured;
    }
    match (inputs.client_pin, inputs.pin_available) {
        (ClientPinState::Set, true) => UvDecision::PinToken {
            with_permissions: inputs.pin_uv_auth_token,
        },
        (ClientPinState::Set, false) => UvDecision::PinRequired,
        _ => UvDecision::NotConfigured,
    }
}

/// How the operation will be verified, after asking the user: the outcome of
/// [`resolve`].
#[derive(Debug)]
pub enum Verification {
    /// No verification.
    None,
    /// Get a token with built-in UV (getPinUvAuthTokenUsingUvWithPermissions).
    UvToken,
    /// Set the request's `uv` option (CTAP 2.0 built-in UV).
    UvOption,
    /// Get a token with this PIN.
    Pin {
        /// The PIN the user gave.
        pin: Pin,
        /// getPinUvAuthTokenUsingPinWithPermissions (`true`) or getPinToken (`false`).
        with_permissions: bool,
    },
}

/// [`decide`], then ask the user as python-fido2's `_get_token` does: before built-in UV,
/// [`UserInteraction::request_uv`] (a refusal falls back to the PIN); before the PIN,
/// [`UserInteraction::request_pin`] (no PIN is [`Error::PinRequired`]). The user is asked
/// at most once for each. `inputs.uv_allowed` and `inputs.pin_available` are the
/// starting point (e.g. from [`UvRetry::uv_allowed`]); the answers refine them.
///
/// # Errors
/// [`Error::PinRequired`], [`Error::UvNotConfigured`].
pub fn resolve(
    inputs: &UvInputs,
    permissions: Permissions,
    rp_id: Option<&str>,
    ui: &dyn UserInteraction,
) -> Result<Verification, Error> {
    let mut inputs = *inputs;
    loop {
        match decide(&inputs).decision {
            UvDecision::NoUv => return Ok(Verification::None),
            decision @ (UvDecision::UvToken | UvDecision::UvOption) => {
                if ui.request_uv(permissions, rp_id) {
                    return Ok(if decision == UvDecision::UvToken {
                        Verification::UvToken
                    } else {
                        Verification::UvOption
                    });
                }
                // Declined: decide again without built-in UV (the loop ends: UV is
                // never chosen twice).
                inputs.uv_allowed = false;
            }
            UvDecision::PinToken { with_permissions } => {
                return match ui.request_pin(permissions, rp_id) {
                    Some(pin) => Ok(Verification::Pin {
                        pin,
                        with_permissions,
                    }),
                    None => Err(Error::PinRequired(fido_types::error::PinRequiredError)),
                };
            }
            UvDecision::PinRequired => {
                return Err(Error::PinRequired(fido_types::error::PinRequiredError));
            }
            UvDecision::NotConfigured => return Err(Error::UvNotConfigured),
        }
    }
}

/// What to do after the authenticator refused a step of the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryAction {
    /// Decide again and retry: the requirement was raised to `required`
    /// (after PUAT_REQUIRED).
    RetryWithVerification,
    /// Try built-in UV again (after UV_INVALID, attempts left).
    RetryUv,
    /// Decide again without built-in UV, so with the PIN (after UV_BLOCKED, or
    /// UV_INVALID with no attempts left).
    RetryWithPin,
    /// Report the error.
    GiveUp,
}

/// The retry state of one operation: python-fido2's retry loop in `do_make_credential`
/// / `do_get_assertion`, plus UV_INVALID handling.
///
/// - PUAT_REQUIRED: the authenticator wants a token although none was planned. python-
///   fido2 retries once with `required` when the RP said `discouraged`; here any
///   requirement below `required` is raised, once (a `preferred` request without UV
///   support then ends in a clear NotConfigured instead of PUAT_REQUIRED).
/// - UV_BLOCKED: built-in UV is locked; retry once with the PIN (python-fido2
///   `allow_uv = False`).
/// - UV_INVALID: the user failed built-in UV. python-fido2 reports it at once; here UV is
///   retried until `max_uv_attempts` attempts were made (getInfo
///   `preferredPlatformUvAttempts`, CTAP 2.1 §6.4: the platform should not try more
///   often), then the PIN is used.
///
/// ```
/// use fido_types::status::CtapStatus;
/// use fido_webauthn::uv::{RetryAction, UvRequirement, UvRetry};
///
/// let mut retry = UvRetry::new(UvRequirement::Discouraged, 1);
/// assert_eq!(retry.on_error(CtapStatus::PUAT_REQUIRED), RetryAction::RetryWithVerification);
/// assert_eq!(retry.requirement(), UvRequirement::Required);
/// assert_eq!(retry.on_error(CtapStatus::UV_BLOCKED), RetryAction::RetryWithPin);
/// assert!(!retry.uv_allowed());
/// assert_eq!(retry.on_error(CtapStatus::UV_BLOCKED), RetryAction::GiveUp);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UvRetry {
    requirement: UvRequirement,
    uv_allowed: bool,
    uv_attempts: u64,
    max_uv_attempts: u64,
}

impl UvRetry {
    /// The most built-in UV attempts per operation, whatever getInfo claims, so a
    /// misbehaving authenticator cannot keep the client retrying.
    pub const MAX_UV_ATTEMPTS: u64 = 10;

    /// A fresh state for an operation with the RP's `requirement`; `max_uv_attempts` is
    /// getInfo `preferredPlatformUvAttempts` (0 or absent counts as 1, more than
    /// [`MAX_UV_ATTEMPTS`](Self::MAX_UV_ATTEMPTS) as that).
    pub fn new(requirement: UvRequirement, max_uv_attempts: u64) -> Self {
        UvRetry {
            requirement,
            uv_allowed: true,
            uv_attempts: 0,
            max_uv_attempts: max_uv_attempts.clamp(1, Self::MAX_UV_ATTEMPTS),
        }
    }

    /// The requirement to decide with now.
    pub fn requirement(&self) -> UvRequirement {
        self.requirement
    }

    /// Whether built-in UV may still be used (feeds [`UvInputs::uv_allowed`], together
    /// with the user's consent).
    pub fn uv_allowed(&self) -> bool {
        self.uv_allowed
    }

    /// Built-in UV attempts that failed with UV_INVALID so far.
    pub fn uv_attempts(&self) -> u64 {
        self.uv_attempts
    }

    /// Applies the authenticator's error `status` and says what to do next.
    pub fn on_error(&mut self, status: CtapStatus) -> RetryAction {
        match status {
            CtapStatus::PUAT_REQUIRED if self.requirement != UvRequirement::Required => {
                self.requirement = UvRequirement::Required;
                RetryAction::RetryWithVerification
            }
            CtapStatus::UV_BLOCKED if self.uv_allowed => {
                self.uv_allowed = false;
                RetryAction::RetryWithPin
            }
            CtapStatus::UV_INVALID if self.uv_allowed => {
                self.uv_attempts += 1;
                if self.uv_attempts < self.max_uv_attempts {
                    RetryAction::RetryUv
                } else {
                    self.uv_allowed = false;
                    RetryAction::RetryWithPin
                }
            }
            _ => RetryAction::GiveUp,
        }
    }
}

#[cfg(test)]
mod tests;
