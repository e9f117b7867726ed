//! How the client talks to the user: python-fido2's `UserInteraction`.
//!
//! The client calls [`UserInteraction::prompt_up`] when the authenticator waits for a
//! touch, [`UserInteraction::request_pin`] when it needs the PIN, and
//! [`UserInteraction::request_uv`] before it asks the authenticator for built-in user
//! verification. The default methods do what python-fido2's base class does: nothing,
//! no PIN, UV allowed. [`NoInteraction`] is that default; [`ScriptedInteraction`] is a
//! test double that answers from a script and records every call.
//!
//! ```
//! use fido_types::generated::Permissions;
//! use fido_types::pin_protocol::Pin;
//! use fido_webauthn::interaction::UserInteraction;
//!
//! struct Terminal;
//! impl UserInteraction for Terminal {
//!     fn prompt_up(&self) {
//!         eprintln!("Touch your security key");
//!     }
//!     fn request_pin(&self, _permissions: Permissions, rp_id: Option<&str>) -> Option<Pin> {
//!         // A real UI would read the PIN without echo here.
//!         let _ = rp_id;
//!         Pin::new("123456").ok()
//!     }
//! }
//! assert!(Terminal.request_pin(Permissions::GET_ASSERTION, Some("example.com")).is_some());
//! assert!(Terminal.request_uv(Permissions::GET_ASSERTION, None));
//! ```

use std::sync::{Arc, Mutex, PoisonError};

use fido_types::generated::Permissions;
use fido_types::pin_protocol::Pin;
use zeroize::Zeroizing;

/// The user-facing side of a client operation. Methods take `&self` and the trait is
/// object safe; implementations that keep state use interior mutability.
pub trait UserInteraction {
    /// The authenticator waits for user presence (a touch). Called once per wait.
    fn prompt_up(&self) {}

    /// The operation needs the PIN, for a token with `permissions` (scoped to `rp_id`
    /// when given). Return `None` to cancel: the operation then fails with
    /// [`PinRequiredError`](fido_types::error::PinRequiredError).
    fn request_pin(&self, permissions: Permissions, rp_id: Option<&str>) -> Option<Pin> {
        let _ = (permissions, rp_id);
        None
    }

    /// The client is about to ask for built-in user verification (e.g. a fingerprint)
    /// for `permissions`. Return `false` to use the PIN instead.
    fn request_uv(&self, permissions: Permissions, rp_id: Option<&str>) -> bool {
        let _ = (permissions, rp_id);
        true
    }
}

impl<T: UserInteraction + ?Sized> UserInteraction for &T {
    fn prompt_up(&self) {
        (**self).prompt_up()
    }
    fn request_pin(&self, permissions: Permissions, rp_id: Option<&str>) -> Option<Pin> {
        (**self).request_pin(permissions, rp_id)
    }
    fn request_uv(&self, permissions: Permissions, rp_id: Option<&str>) -> bool {
        (**self).request_uv(permissions, rp_id)
    }
}

impl<T: UserInteraction + ?Sized> UserInteraction for Box<T> {
    fn prompt_up(&self) {
        (**self).prompt_up()
    }
    fn request_pin(&self, permissions: Permissions, rp_id: Option<&str>) -> Option<Pin> {
        (**self).request_pin(permissions, rp_id)
    }
    fn request_uv(&self, permissions: Permissions, rp_id: Option<&str>) -> bool {
        (**self).request_uv(permissions, rp_id)
    }
}

impl<T: UserInteraction + ?Sized> UserInteraction for Arc<T> {
    fn prompt_up(&self) {
        (**self).prompt_up()
    }
    fn request_pin(&self, permissions: Permissions, rp_id: Option<&str>) -> Option<Pin> {
        (**self).request_pin(permissions, rp_id)
    }
    fn request_uv(&self, permissions: Permissions, rp_id: Option<&str>) -> bool {
        (**self).request_uv(permissions, rp_id)
    }
}

/// python-fido2's `UserInteraction()` as is: no prompts, no PIN, UV allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoInteraction;

impl UserInteraction for NoInteraction {}

/// One call made to a [`ScriptedInteraction`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InteractionEvent {
    /// [`UserInteraction::prompt_up`].
    PromptUp,
    /// [`UserInteraction::request_pin`], with its arguments and whether a PIN was given.
    RequestPin {
        /// The permissions asked for.
        permissions: Permissions,
        /// The RP ID the token is scoped to.
        rp_id: Option<String>,
        /// Whether the script had a PIN to give.
        answered: bool,
    },
    /// [`UserInteraction::request_uv`], with its arguments and the answer.
    RequestUv {
        /// The permissions asked for.
        permissions: Permissions,
        /// The RP ID the token is scoped to.
        rp_id: Option<String>,
        /// What the script answered.
        allowed: bool,
    },
}

/// A test double: gives PINs from a list (one per request, `None` once it runs out),
/// answers UV requests with a fixed value, and records every call in order.
///
/// ```
/// use fido_types::generated::Permissions;
/// use fido_webauthn::interaction::{InteractionEvent, ScriptedInteraction, UserInteraction};
///
/// let ui = ScriptedInteraction::new().with_pins(["1234"]).with_uv(false);
/// let pin = ui.request_pin(Permissions::MAKE_CREDENTIAL, Some("example.com")).unwrap();
/// assert_eq!(pin.expose_secret(), "1234");
/// assert!(ui.request_pin(Permissions::MAKE_CREDENTIAL, None).is_none());
/// assert!(!ui.request_uv(Permissions::GET_ASSERTION, None));
/// assert_eq!(ui.events().len(), 3);
/// ```
#[derive(Default)]
pub struct ScriptedInteraction {
    pins: Mutex<Vec<Zeroizing<String>>>,
    uv: Option<bool>,
    events: Mutex<Vec<InteractionEvent>>,
}

impl ScriptedInteraction {
    /// No PINs, UV allowed.
    pub fn new() -> Self {
        Self::default()
    }

    /// The PINs to give, in order. A PIN that breaks the PIN rules is given as `None`.
    pub fn with_pins<I, S>(self, pins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut list: Vec<Zeroizing<String>> = pins
            .into_iter()
            .map(|p| Zeroizing::new(p.as_ref().to_owned()))
            .collect();
        list.reverse();
        *self.pins.lock().unwrap_or_else(PoisonError::into_inner) = list;
        self
    }

    /// The answer to every UV request.
    pub fn with_uv(mut self, allowed: bool) -> Self {
        self.uv = Some(allowed);
        self
    }

    /// Every call so far, in order.
    pub fn events(&self) -> Vec<InteractionEvent> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn record(&self, event: InteractionEvent) {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event);
    }
}

impl std::fmt::Debug for ScriptedInteraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pins = self.pins.lock().map_or(0, |p| p.len());
        f.debug_struct("ScriptedInteraction")
            .field("pins_left", &pins)
            .field("uv", &self.uv)
            .field("events", &self.events())
            .finish()
    }
}

impl UserInteraction for ScriptedInteraction {
    fn prompt_up(&self) {
        self.record(InteractionEvent::PromptUp);
    }

    fn request_pin(&self, permissions: Permissions, rp_id: Option<&str>) -> Option<Pin> {
        let next = self
            .pins
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let pin = next.and_then(|p| Pin::new(&p).ok());
        self.record(InteractionEvent::RequestPin {
            permissions,
            rp_id: rp_id.map(str::to_owned),
            answered: pin.is_some(),
        });
        pin
    }

    fn request_uv(&self, permissions: Permissions, rp_id: Option<&str>) -> bool {
        let allowed = self.uv.unwrap_or(true);
        self.record(InteractionEvent::RequestUv {
            permissions,
            rp_id: rp_id.map(str::to_owned),
            allowed,
        });
        allowed
    }
}

#[cfg(test)]
mod tests;
