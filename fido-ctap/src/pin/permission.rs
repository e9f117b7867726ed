//! Permissions as types: one marker type per pinUvAuthToken permission, permission sets as
//! types, and the [`Grants`] bound that gates every operation on a token.
//!
//! A permission set is a [`PermSet`] of seven type-level flags, one per permission, built
//! with the [`perms!`](crate::perms) macro. The macro adds permissions one by one through
//! [`With`], so the order they are listed in does not matter:
//! `perms![GetAssertion, MakeCredential]` and `perms![MakeCredential, GetAssertion]` are
//! the same type. The permission bits sent to the authenticator are
//! [`PermissionSet::BITS`], computed from the same flags, so the bits requested and the
//! operations allowed cannot drift apart.
//!
//! ```
//! use fido_ctap::perms;
//! use fido_ctap::pin::{PermissionSet, Grants, CredentialManagement};
//!
//! type Both = perms![CredentialManagement, LargeBlobWrite];
//! assert_eq!(<Both as PermissionSet>::BITS, 0x04 | 0x10);
//!
//! fn needs_cm<S: Grants<CredentialManagement>>() {}
//! needs_cm::<Both>();
//! needs_cm::<perms![LargeBlobWrite, CredentialManagement]>();
//! ```
//!
//! A set without the permission does not satisfy the bound, and the compiler says which
//! permission is missing:
//!
//! ```compile_fail
//! use fido_ctap::perms;
//! use fido_ctap::pin::{Grants, CredentialManagement};
//!
//! fn needs_cm<S: Grants<CredentialManagement>>() {}
//! needs_cm::<perms![LargeBlobWrite]>(); // this PIN/UV auth token lacks the `CredentialManagement` permission
//! ```

use core::fmt;
use core::marker::PhantomData;

use fido_types::generated::Permissions;

use crate::error::PermissionError;

mod sealed {
    pub trait Sealed {}
    /// Seals [`Permits`](super::Permits): typed sets and `DynPermissions` only.
    pub trait Checked {}
}

/// One pinUvAuthToken permission (CTAP 2.1 §6.5.5.7). Implemented by the seven marker
/// types of this module only.
pub trait Permission: sealed::Sealed + Copy + Default + fmt::Debug + 'static {
    /// The permission's bit in the `permissions` parameter of `getPinUvAuthToken*`.
    const BIT: u32;
    /// The marker type's name, e.g. `"CredentialManagement"`.
    const NAME: &'static str;
    /// The specification's abbreviation, e.g. `"cm"`.
    const ABBREVIATION: &'static str;
    /// Whether the authenticator requires a permissions RP ID with this permission
    /// (`mc` and `ga`).
    const NEEDS_RP_ID: bool;
}

macro_rules! permissions {
    ($( $(#[$doc:meta])* $name:ident = $bit:expr, $abbr:literal, $rp:literal; )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
            pub struct $name;

            impl sealed::Sealed for $name {}

            impl Permission for $name {
                const BIT: u32 = $bit;
                const NAME: &'static str = stringify!($name);
                const ABBREVIATION: &'static str = $abbr;
                const NEEDS_RP_ID: bool = $rp;
            }
        )*

        /// Every permission as `(name, abbreviation, bit)`, in bit order.
        pub const ALL_PERMISSIONS: &[(&str, &str, u32)] = &[ $( (stringify!($name), $abbr, $bit), )* ];
    };
}

// Bits: the generated registry (CTAP 2.1 §6.5.5.7).
permissions! {
    /// `mc` (0x01): authenticatorMakeCredential. Needs a permissions RP ID.
    MakeCredential = Permissions::MAKE_CREDENTIAL.0, "mc", true;
    /// `ga` (0x02): authenticatorGetAssertion. Needs a permissions RP ID.
    GetAssertion = Permissions::GET_ASSERTION.0, "ga", true;
    /// `cm` (0x04): authenticatorCredentialManagement.
    CredentialManagement = Permissions::CREDENTIAL_MANAGEMENT.0, "cm", false;
    /// `be` (0x08): authenticatorBioEnrollment.
    BioEnrollment = Permissions::BIO_ENROLLMENT.0, "be", false;
    /// `lbw` (0x10): writing with authenticatorLargeBlobs.
    LargeBlobWrite = Permissions::LARGE_BLOB_WRITE.0, "lbw", false;
    /// `acfg` (0x20): authenticatorConfig.
    AuthenticatorConfig = Permissions::AUTHENTICATOR_CONFIG.0, "acfg", false;
    /// `pcmr` (0x40): the read-only subcommands of authenticatorCredentialManagement.
    PersistentCredentialManagementReadOnly =
        Permissions::PERSISTENT_CREDENTIAL_MANAGEMENT_READ_ONLY.0, "pcmr", false;
}

/// The type-level flag "this permission is in the set".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Yes;
/// The type-level flag "this permission is not in the set".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct No;

/// A type-level boolean: [`Yes`] or [`No`].
pub trait Flag: sealed::Sealed + 'static {
    /// The flag's value.
    const VALUE: bool;
}
impl sealed::Sealed for Yes {}
impl sealed::Sealed for No {}
impl Flag for Yes {
    const VALUE: bool = true;
}
impl Flag for No {
    const VALUE: bool = false;
}

/// A set of permissions as a type: one [`Flag`] per permission, in bit order
/// (`mc`, `ga`, `cm`, `be`, `lbw`, `acfg`, `pcmr`).
///
/// Name sets with [`perms!`](crate::perms) rather than spelling the flags. A `PermSet` is
/// never a value: it only parameterises tokens.
pub struct PermSet<Mc, Ga, Cm, Be, Lbw, Acfg, Pcmr> {
    _never: core::convert::Infallible,
    #[allow(clippy::type_complexity)]
    _flags: PhantomData<fn() -> (Mc, Ga, Cm, Be, Lbw, Acfg, Pcmr)>,
}

/// The empty permission set, `perms![]`.
pub type NoPermissions = PermSet<No, No, No, No, No, No, No>;

/// A permission set: [`PermSet`] with any flags. Sealed: no other type is a set, so no
/// set can be forged outside this crate.
pub trait PermissionSet: sealed::Sealed + 'static {
    /// The permission bits to request (CTAP 2.1 §6.5.5.7).
    const BITS: u32;
    /// Whether a permissions RP ID is required (the set holds `mc` or `ga`).
    const NEEDS_RP_ID: bool;

    /// The names of the permissions in the set, in bit order.
    fn names() -> Vec<&'static str> {
        ALL_PERMISSIONS
            .iter()
            .filter(|(_, _, bit)| Self::BITS & bit != 0)
            .map(|(name, _, _)| *name)
            .collect()
    }
}

impl<Mc, Ga, Cm, Be, Lbw, Acfg, Pcmr> sealed::Sealed for PermSet<Mc, Ga, Cm, Be, Lbw, Acfg, Pcmr> {}

impl<Mc: Flag, Ga: Flag, Cm: Flag, Be: Flag, Lbw: Flag, Acfg: Flag, Pcmr: Flag> PermissionSet
    for PermSet<Mc, Ga, Cm, Be, Lbw, Acfg, Pcmr>
{
    const BITS: u32 = bit::<Mc, MakeCredential>()
        | bit::<Ga, GetAssertion>()
        | bit::<Cm, CredentialManagement>()
        | bit::<Be, BioEnrollment>()
        | bit::<Lbw, LargeBlobWrite>()
        | bit::<Acfg, AuthenticatorConfig>()
        | bit::<Pcmr, PersistentCredentialManagementReadOnly>();
    const NEEDS_RP_ID: bool = Mc::VALUE || Ga::VALUE;
}

const fn bit<F: Flag, P: Permission>() -> u32 {
    if F::VALUE { P::BIT } else { 0 }
}

/// Adds permission `P` to a set: `<S as With<P>>::Output` is `S ∪ {P}`.
/// [`perms!`](crate::perms) is built on it.
pub trait With<P: Permission>: PermissionSet {
    /// The set with `P` added.
    type Output: PermissionSet;
}

/// The set `Self` grants permission `P`.
///
/// A typed token's operation that needs `P` requires it (through [`Permits`]), and generic
/// code can name it, e.g. `S: Grants<CredentialManagement>`. Implemented for exactly the
/// [`PermSet`]s whose flag for `P` is [`Yes`]; sealed through [`PermissionSet`].
#[diagnostic::on_unimplemented(
    message = "this PIN/UV auth token lacks the `{P}` permission",
    label = "this operation needs a token with the `{P}` permission",
    note = "add `{P}` to the permission set when acquiring the token, e.g. `session.pin_token::<perms![{P}]>(&pin)` or `perms![{P}, ...]` together with the permissions you already request"
)]
pub trait Grants<P: Permission>: PermissionSet {}

/// The set holds neither `MakeCredential` nor `GetAssertion`, so a token with it needs no
/// permissions RP ID. [`Session::pin_token`](crate::pin::Session::pin_token) requires it;
/// sets with `mc` or `ga` go through
/// [`Session::pin_token_for_rp`](crate::pin::Session::pin_token_for_rp).
#[diagnostic::on_unimplemented(
    message = "a token with the `MakeCredential` or `GetAssertion` permission needs a permissions RP ID",
    label = "this permission set holds `MakeCredential` or `GetAssertion`",
    note = "acquire it with `session.pin_token_for_rp::<...>(&pin, rp_id)` instead"
)]
pub trait WithoutRpId: PermissionSet {}

impl<Cm: Flag, Be: Flag, Lbw: Flag, Acfg: Flag, Pcmr: Flag> WithoutRpId
    for PermSet<No, No, Cm, Be, Lbw, Acfg, Pcmr>
{
}

/// The requirement of the read-only credential management subcommands: `CredentialManagement`
/// or `PersistentCredentialManagementReadOnly`. Not a permission of its own: the check
/// `Permits<CredentialRead>` that every [`ReadsCredentials`] set passes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CredentialRead;

/// The set may read credential metadata: it holds `CredentialManagement` or
/// `PersistentCredentialManagementReadOnly` (CTAP 2.1 §6.8: the read-only subcommands
/// getCredsMetadata, enumerateRPs and enumerateCredentials accept either). A typed set
/// proves it at compile time; [`DynPermissions`] implements it and is checked at run time
/// ([`Permits<CredentialRead>`](Permits)).
#[diagnostic::on_unimplemented(
    message = "this PIN/UV auth token cannot read credentials: it lacks both the `CredentialManagement` and the `PersistentCredentialManagementReadOnly` permission",
    label = "this operation needs `CredentialManagement` or `PersistentCredentialManagementReadOnly`",
    note = "add one of them when acquiring the token, e.g. `session.pin_token::<perms![PersistentCredentialManagementReadOnly]>(&pin)`"
)]
pub trait ReadsCredentials: sealed::Checked {}

impl<Mc: Flag, Ga: Flag, Be: Flag, Lbw: Flag, Acfg: Flag, Pcmr: Flag> ReadsCredentials
    for PermSet<Mc, Ga, Yes, Be, Lbw, Acfg, Pcmr>
{
}

impl<Mc: Flag, Ga: Flag, Be: Flag, Lbw: Flag, Acfg: Flag> ReadsCredentials
    for PermSet<Mc, Ga, No, Be, Lbw, Acfg, Yes>
{
}

/// Checked at run time, through [`Permits<CredentialRead>`](Permits).
impl ReadsCredentials for DynPermissions {}

macro_rules! slots {
    ($perm:ident: [$($before:ident),*] $slot:ident [$($after:ident),*]) => {
        impl<$($before: Flag,)* $slot: Flag, $($after: Flag),*> With<$perm>
            for PermSet<$($before,)* $slot, $($after),*>
        {
            type Output = PermSet<$($before,)* Yes, $($after),*>;
        }

        impl<$($before: Flag,)* $($after: Flag),*> Grants<$perm>
            for PermSet<$($before,)* Yes, $($after),*>
        {
        }
    };
}

slots!(MakeCredential: [] Mc [Ga, Cm, Be, Lbw, Acfg, Pcmr]);
slots!(GetAssertion: [Mc] Ga [Cm, Be, Lbw, Acfg, Pcmr]);
slots!(CredentialManagement: [Mc, Ga] Cm [Be, Lbw, Acfg, Pcmr]);
slots!(BioEnrollment: [Mc, Ga, Cm] Be [Lbw, Acfg, Pcmr]);
slots!(LargeBlobWrite: [Mc, Ga, Cm, Be] Lbw [Acfg, Pcmr]);
slots!(AuthenticatorConfig: [Mc, Ga, Cm, Be, Lbw] Acfg [Pcmr]);
slots!(PersistentCredentialManagementReadOnly: [Mc, Ga, Cm, Be, Lbw, Acfg] Pcmr []);

/// A permission set known only at run time, checked against what an operation needs before
/// anything is sent (the escape hatch beside the typed sets).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DynPermissions(u32);

impl DynPermissions {
    /// No permission.
    pub const EMPTY: Self = Self(0);

    /// The set with the given bits. Unknown bits are kept and sent as they are.
    pub const fn from_bits(bits: u32) -> Self {
        Self(bits)
    }

    /// The set with the permissions of a typed set.
    pub const fn of<S: PermissionSet>() -> Self {
        Self(S::BITS)
    }

    /// The set plus permission `P`.
    #[must_use]
    pub const fn with<P: Permission>(self) -> Self {
        Self(self.0 | P::BIT)
    }

    /// The bits to request.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether the set holds permission `P`.
    pub const fn contains<P: Permission>(self) -> bool {
        self.0 & P::BIT != 0
    }

    /// Whether the set holds every bit of `bits`.
    pub const fn contains_bits(self, bits: u32) -> bool {
        self.0 & bits == bits
    }

    /// Whether a permissions RP ID is required (`mc` or `ga` present).
    pub const fn needs_rp_id(self) -> bool {
        self.0 & (MakeCredential::BIT | GetAssertion::BIT) != 0
    }

    fn require(self, bit: u32, name: &'static str) -> Result<(), PermissionError> {
        if self.contains_bits(bit) {
            Ok(())
        } else {
            Err(PermissionError::Missing {
                missing: name,
                granted: self.0,
            })
        }
    }
}

impl fmt::Debug for DynPermissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_set();
        for (name, _, bit) in ALL_PERMISSIONS {
            if self.0 & bit != 0 {
                list.entry(&format_args!("{name}"));
            }
        }
        let unknown = self.0 & !Permissions::ALL_KNOWN.0;
        if unknown != 0 {
            list.entry(&format_args!("{unknown:#x}"));
        }
        list.finish()
    }
}

/// The permission check of a token whose permissions are `Self`, before an operation that
/// needs `R` (a [`Permission`], or [`CredentialRead`]). Every token operation is written
/// once, bounded by `S: Permits<R>` (or [`ReadsCredentials`], which implies
/// `Permits<CredentialRead>`), and runs the check before building its request.
///
/// Two implementations:
/// - at compile time, for a typed set ([`PermSet`]): it exists only where the set
///   [`Grants`] the permission, so a missing permission is a compile error naming it, and
///   the check itself always passes;
/// - at run time, for [`DynPermissions`]: it exists for every requirement and fails with
///   [`PermissionError::Missing`] unless the token's bits hold the permission, before
///   anything is sent.
// The compiler reports a missing `Grants<R>` under this trait's message, so it is the same.
#[diagnostic::on_unimplemented(
    message = "this PIN/UV auth token lacks the `{R}` permission",
    label = "this operation needs a token with the `{R}` permission",
    note = "add `{R}` to the permission set when acquiring the token, e.g. `session.pin_token::<perms![{R}]>(&pin)` or `perms![{R}, ...]` together with the permissions you already request"
)]
pub trait Permits<R>: sealed::Checked {
    /// `Ok` when a token requested with `granted` may do an operation that needs `R`.
    ///
    /// # Errors
    /// [`PermissionError::Missing`] (run-time sets only).
    fn check(granted: DynPermissions) -> Result<(), PermissionError>;
}

impl<Mc, Ga, Cm, Be, Lbw, Acfg, Pcmr> sealed::Checked for PermSet<Mc, Ga, Cm, Be, Lbw, Acfg, Pcmr> {}
impl sealed::Checked for DynPermissions {}

impl<Mc, Ga, Cm, Be, Lbw, Acfg, Pcmr, P: Permission> Permits<P>
    for PermSet<Mc, Ga, Cm, Be, Lbw, Acfg, Pcmr>
where
    Self: Grants<P>,
{
    fn check(_: DynPermissions) -> Result<(), PermissionError> {
        Ok(())
    }
}

impl<P: Permission> Permits<P> for DynPermissions {
    fn check(granted: DynPermissions) -> Result<(), PermissionError> {
        granted.require(P::BIT, P::NAME)
    }
}

/// Typed sets that read credentials pass at compile time (their bits hold `cm` or
/// `pcmr`); run-time sets are tested.
impl<S: ReadsCredentials> Permits<CredentialRead> for S {
    fn check(granted: DynPermissions) -> Result<(), PermissionError> {
        if granted.contains::<PersistentCredentialManagementReadOnly>() {
            return Ok(());
        }
        granted.require(CredentialManagement::BIT, CredentialManagement::NAME)
    }
}

/// Names a permission set type from its permissions, in any order.
///
/// `perms![CredentialManagement, LargeBlobWrite]` is the [`PermSet`] with those two
/// permissions; `perms![]` is [`NoPermissions`]. Permission names are resolved in
/// [`fido_ctap::pin`](crate::pin), so they need no import.
///
/// ```
/// use fido_ctap::perms;
/// use fido_ctap::pin::PermissionSet;
///
/// fn same<T>(_: core::marker::PhantomData<T>, _: core::marker::PhantomData<T>) {}
/// same(
///     core::marker::PhantomData::<perms![MakeCredential, GetAssertion]>,
///     core::marker::PhantomData::<perms![GetAssertion, MakeCredential]>,
/// );
/// assert_eq!(<perms![GetAssertion, MakeCredential] as PermissionSet>::BITS, 0x03);
/// ```
#[macro_export]
macro_rules! perms {
    () => { $crate::pin::NoPermissions };
    ($first:ident $(, $rest:ident)* $(,)?) => {
        <$crate::perms![$($rest),*] as $crate::pin::With<$crate::pin::$first>>::Output
    };
}
