//! The cancellation handle.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A cancellation signal shared between the thread that runs a call and any thread that
/// may want to stop it (a "Cancel" button, a Ctrl-C handler, a device-selection race).
///
/// Clones share one flag. Once triggered it stays triggered: use a new token per operation.
///
/// ```
/// use fido_ctap::device::CancelToken;
/// let token = CancelToken::new();
/// let for_ui = token.clone();
/// std::thread::spawn(move || for_ui.cancel()).join().unwrap();
/// assert!(token.is_cancelled());
/// ```
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token that is not triggered.
    pub fn new() -> Self {
        Self::default()
    }

    /// Triggers the token; every clone sees it.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether the token was triggered.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
