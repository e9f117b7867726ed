//! The options' `timeout`: an operation ends when it passes, as when the caller cancels.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use fido_ctap::device::CancelToken;

/// Runs `f` with a token that is triggered by `cancel` or when `timeout_ms` (the
/// options' `timeout`, python-fido2's `Timer(options.timeout / 1000, event.set)`) has
/// passed. The watcher thread ends with `f`.
pub(crate) fn with_timeout<T>(
    timeout_ms: Option<u32>,
    cancel: &CancelToken,
    f: impl FnOnce(&CancelToken) -> T,
) -> T {
    let Some(ms) = timeout_ms.filter(|ms| *ms > 0) else {
        return f(cancel);
    };
    let deadline = Instant::now() + Duration::from_millis(u64::from(ms));
    let token = CancelToken::new();
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::SeqCst) {
                if cancel.is_cancelled() || Instant::now() >= deadline {
                    token.cancel();
                    return;
                }
                thread::sleep(Duration::from_millis(10));
            }
        });
        let result = f(&token);
        done.store(true, Ordering::SeqCst);
        result
    })
}
