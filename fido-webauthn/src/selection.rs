//! Device selection: ask every device at once, the first one touched wins, the others
//! get a CANCEL.
//!
//! [`select`] runs one closure per device, each on its own thread with its own
//! [`CancelToken`]. The first `Ok` wins: every other token is triggered, so their
//! pending calls end with a CTAPHID CANCEL (CTAP 2.1 §11.2.9.1.5: the authenticator
//! answers CTAP2_ERR_KEEPALIVE_CANCEL), and all threads are joined before `select`
//! returns. A device that fails (unplugged, unsupported command) drops out without
//! ending the selection. The caller's `cancel` token stops everything.
//!
//! The closure is where the actual request lives: CTAP 2.1 authenticatorSelection
//! (0x0B), or for CTAP 2.0 devices python-fido2's trick of a dummy makeCredential with
//! an empty pinUvAuthParam, whose PIN_NOT_SET / PIN_INVALID / PIN_AUTH_INVALID answer
//! means "touched". It must pass the token it is given to
//! [`CtapDevice::call`](fido_ctap::device::CtapDevice::call), which guarantees the call
//! ends soon after the token is triggered.
//!
//! ```no_run
//! use fido_ctap::device::{CancelToken, CtaphidCommand, DeviceOpener};
//! use fido_webauthn::selection::select;
//!
//! let opener = DeviceOpener::new();
//! let mut devices = opener
//!     .list()?
//!     .into_iter()
//!     .map(|d| opener.open(&d.uri))
//!     .collect::<Result<Vec<_>, _>>()?;
//! let chosen = select(&mut devices, &CancelToken::new(), |_, device, cancel| {
//!     // authenticatorSelection (CTAP 2.1 §6.9): 0x0B, no parameters.
//!     device.call(CtaphidCommand::CBOR, &[0x0B], cancel, &mut |_| {})
//! })?;
//! println!("selected {:?}", devices[chosen.index]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use fido_ctap::device::CancelToken;

use crate::error::Error;

/// How often the collecting thread looks at the caller's cancel token.
const CANCEL_POLL: Duration = Duration::from_millis(10);

/// The device that won, and what its closure returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected<T> {
    /// Its index in the slice given to [`select`].
    pub index: usize,
    /// The closure's result.
    pub value: T,
}

/// Why no device was selected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SelectionError<E> {
    /// The slice of devices was empty.
    #[error("no devices to select from")]
    NoDevices,
    /// The caller's cancel token was triggered before any device was touched.
    #[error("device selection was cancelled")]
    Cancelled,
    /// Every device failed; the errors by device index, ascending.
    #[error("every device failed ({} devices)", .0.len())]
    AllFailed(Vec<(usize, E)>),
}

impl From<SelectionError<Error>> for Error {
    /// `NoDevices` → [`Error::DeviceIneligible`], `Cancelled` → [`Error::cancelled`],
    /// `AllFailed` → the error of the first device.
    fn from(error: SelectionError<Error>) -> Self {
        match error {
            SelectionError::NoDevices => Error::DeviceIneligible("no devices".into()),
            SelectionError::Cancelled => Error::cancelled(),
            SelectionError::AllFailed(errors) => match errors.into_iter().next() {
                Some((_, first)) => first,
                None => Error::DeviceIneligible("no devices".into()),
            },
        }
    }
}

enum Outcome<T, E> {
    Done(Result<T, E>),
    Panicked(Box<dyn Any + Send + 'static>),
}

/// Runs `attempt(index, device, token)` for every device in parallel and returns the
/// first success; see the [module docs](self).
///
/// A panic in `attempt` cancels the other devices, waits for them, and is then resumed
/// on the caller's thread.
///
/// # Errors
/// [`SelectionError::NoDevices`], [`SelectionError::Cancelled`] (the caller's token,
/// checked before any success), or [`SelectionError::AllFailed`].
pub fn select<D, T, E, F>(
    devices: &mut [D],
    cancel: &CancelToken,
    attempt: F,
) -> Result<Selected<T>, SelectionError<E>>
where
    D: Send,
    T: Send,
    E: Send,
    F: Fn(usize, &mut D, &CancelToken) -> Result<T, E> + Sync,
{
    if devices.is_empty() {
        return Err(SelectionError::NoDevices);
    }
    if cancel.is_cancelled() {
        return Err(SelectionError::Cancelled);
    }
    let tokens: Vec<CancelToken> = devices.iter().map(|_| CancelToken::new()).collect();
    let cancel_all = || tokens.iter().for_each(CancelToken::cancel);
    let (tx, rx) = mpsc::channel::<(usize, Outcome<T, E>)>();

    thread::scope(|scope| {
        for (index, (device, token)) in devices.iter_mut().zip(&tokens).enumerate() {
            let tx = tx.clone();
            let attempt = &attempt;
            scope.spawn(move || {
                let outcome = match catch_unwind(AssertUnwindSafe(|| attempt(index, device, token)))
                {
                    Ok(result) => Outcome::Done(result),
                    Err(payload) => Outcome::Panicked(payload),
                };
                // The receiver outlives every sender in this scope.
                let _ = tx.send((index, outcome));
            });
        }
        drop(tx);

        let mut winner: Option<Selected<T>> = None;
        let mut errors = Vec::new();
        let mut cancelled = false;
        let mut panic = None;
        loop {
            match rx.recv_timeout(CANCEL_POLL) {
                Ok((index, Outcome::Done(Ok(value)))) => {
                    if winner.is_none() && !cancelled && panic.is_none() {
                        winner = Some(Selected { index, value });
                        cancel_all();
                    }
                }
                Ok((index, Outcome::Done(Err(error)))) => errors.push((index, error)),
                Ok((_, Outcome::Panicked(payload))) => {
                    panic.get_or_insert(payload);
                    cancel_all();
                }
                Err(RecvTimeoutError::Timeout) => {
                    if !cancelled && winner.is_none() && cancel.is_cancelled() {
                        cancelled = true;
                        cancel_all();
                    }
                }
                // Every thread has finished and sent its outcome.
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        if let Some(payload) = panic {
            resume_unwind(payload);
        }
        match winner {
            Some(selected) => Ok(selected),
            None if cancelled => Err(SelectionError::Cancelled),
            None => {
                errors.sort_by_key(|(index, _)| *index);
                Err(SelectionError::AllFailed(errors))
            }
        }
    })
}

#[cfg(test)]
mod tests;
