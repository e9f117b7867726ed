//! A CTAP2 request running on its own thread while the card answers polls with the
//! keepalive status word.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::Authenticator;
use crate::presence::{KeepaliveStatus, Waiter};

/// What the request thread and the card share.
#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    keepalive: Option<KeepaliveStatus>,
    cancelled: bool,
    response: Option<Vec<u8>>,
}

/// One CTAP2 request in progress.
#[derive(Debug)]
pub struct Pending {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// The [`Waiter`] of the request thread: keepalives are remembered for the next poll, a
/// cancel comes from NFCCTAP_GETRESPONSE or power off.
struct ThreadWaiter(Arc<Shared>);

impl Waiter for ThreadWaiter {
    fn keepalive(&mut self, status: KeepaliveStatus) {
        lock(&self.0.state).keepalive = Some(status);
    }

    fn wait_cancelled(&mut self, timeout: Duration) -> bool {
        let state = lock(&self.0.state);
        let (state, _) = self
            .0
            .changed
            .wait_timeout_while(state, timeout, |s| !s.cancelled)
            .unwrap_or_else(PoisonError::into_inner);
        state.cancelled
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Pending {
    /// Starts `request` (`[command][CBOR]`) on a new thread.
    pub fn start(authenticator: Arc<Mutex<Authenticator>>, request: Vec<u8>) -> Self {
        let shared = Arc::new(Shared::default());
        let for_thread = Arc::clone(&shared);
        let thread = std::thread::spawn(move || {
            let mut waiter = ThreadWaiter(Arc::clone(&for_thread));
            let response = lock(&authenticator).handle(&request, &mut waiter);
            lock(&for_thread.state).response = Some(response);
            for_thread.changed.notify_all();
        });
        Pending {
            shared,
            thread: Some(thread),
        }
    }

    /// Asks the request to stop waiting for the user.
    pub fn cancel(&self) {
        lock(&self.shared.state).cancelled = true;
        self.shared.changed.notify_all();
    }

    /// Waits up to `window` for the response: `Ok(response)` once there is one (the
    /// thread is joined), else `Err(keepalive status)`.
    pub fn wait(&mut self, window: Duration) -> Result<Vec<u8>, KeepaliveStatus> {
        // `None`: no deadline (a window too long to add to now).
        let deadline = Instant::now().checked_add(window);
        let mut state = lock(&self.shared.state);
        loop {
            if let Some(response) = state.response.take() {
                drop(state);
                self.join();
                return Ok(response);
            }
            let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if left == Some(Duration::ZERO) {
                return Err(state.keepalive.unwrap_or(KeepaliveStatus::PROCESSING));
            }
            let changed = &self.shared.changed;
            state = match left {
                Some(left) => {
                    changed
                        .wait_timeout(state, left)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => changed.wait(state).unwrap_or_else(PoisonError::into_inner),
            };
        }
    }

    /// Cancels and waits for the thread to end, dropping its response.
    pub fn abandon(mut self) {
        self.cancel();
        self.join();
    }

    fn join(&mut self) {
        if let Some(thread) = self.thread.take() {
            // A panic in the request thread already printed itself; nothing to hand on.
            let _ = thread.join();
        }
    }
}
