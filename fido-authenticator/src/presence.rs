//! User presence as an injectable policy: approve, deny, approve after a delay (while the
//! transport sends KEEPALIVE UPNEEDED and watches for CANCEL), or a script of answers.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use fido_types::status::CtapStatus;

/// How often a waiting authenticator sends KEEPALIVE (CTAP 2.1 §11.2.9.2.1: every 100 ms).
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_millis(100);

pub use fido_types::generated::ctaphid::KeepaliveStatus;

/// One scripted answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The user touches the key.
    Approve,
    /// The user refuses (or never touches: OPERATION_DENIED).
    Deny,
    /// The user touches the key after this delay.
    ApproveAfter(Duration),
}

/// The user-presence policy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PresencePolicy {
    /// Every request is approved at once.
    #[default]
    Approve,
    /// Every request is denied.
    Deny,
    /// Every request is approved after this delay.
    Delay(Duration),
    /// Answers taken in order; when the script runs out, requests are denied.
    Script(VecDeque<Answer>),
}

/// The transport side of waiting for the user: how to send a KEEPALIVE and how to notice a
/// CANCEL. The in-process device and tests use [`NoTransport`].
pub trait Waiter {
    /// Sends a KEEPALIVE with this status byte.
    fn keepalive(&mut self, status: KeepaliveStatus);
    /// Waits up to `timeout`; returns `true` if the request was cancelled meanwhile.
    fn wait_cancelled(&mut self, timeout: Duration) -> bool;
}

/// A [`Waiter`] with no transport: sleeps, never cancelled.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoTransport;

impl Waiter for NoTransport {
    fn keepalive(&mut self, _status: KeepaliveStatus) {}
    fn wait_cancelled(&mut self, timeout: Duration) -> bool {
        std::thread::sleep(timeout);
        false
    }
}

impl PresencePolicy {
    /// Asks for user presence.
    ///
    /// # Errors
    /// `OPERATION_DENIED` if the user refuses, `KEEPALIVE_CANCEL` if the request was
    /// cancelled while waiting.
    pub fn request(&mut self, waiter: &mut dyn Waiter) -> Result<(), CtapStatus> {
        let answer = match self {
            PresencePolicy::Approve => Answer::Approve,
            PresencePolicy::Deny => Answer::Deny,
            PresencePolicy::Delay(d) => Answer::ApproveAfter(*d),
            PresencePolicy::Script(script) => script.pop_front().unwrap_or(Answer::Deny),
        };
        match answer {
            Answer::Approve => Ok(()),
            Answer::Deny => Err(CtapStatus::OPERATION_DENIED),
            Answer::ApproveAfter(delay) => {
                let deadline = Instant::now() + delay;
                loop {
                    let now = Instant::now();
                    if now >= deadline {
                        return Ok(());
                    }
                    waiter.keepalive(KeepaliveStatus::UP_NEEDED);
                    if waiter.wait_cancelled(KEEPALIVE_INTERVAL.min(deadline - now)) {
                        return Err(CtapStatus::KEEPALIVE_CANCEL);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Recorder {
        keepalives: usize,
        cancel_after: Option<usize>,
    }

    impl Waiter for Recorder {
        fn keepalive(&mut self, status: KeepaliveStatus) {
            assert_eq!(status, KeepaliveStatus::UP_NEEDED);
            self.keepalives += 1;
        }
        fn wait_cancelled(&mut self, timeout: Duration) -> bool {
            std::thread::sleep(timeout);
            self.cancel_after.is_some_and(|n| self.keepalives >= n)
        }
    }

    #[test]
    fn approve_and_deny() {
        let mut w = NoTransport;
        assert_eq!(PresencePolicy::Approve.request(&mut w), Ok(()));
        assert_eq!(
            PresencePolicy::Deny.request(&mut w),
            Err(CtapStatus::OPERATION_DENIED)
        );
    }

    #[test]
    fn delay_sends_keepalives() {
        let mut w = Recorder {
            keepalives: 0,
            cancel_after: None,
        };
        let mut p = PresencePolicy::Delay(Duration::from_millis(250));
        assert_eq!(p.request(&mut w), Ok(()));
        assert_eq!(w.keepalives, 3);
    }

    #[test]
    fn delay_honours_cancel() {
        let mut w = Recorder {
            keepalives: 0,
            cancel_after: Some(2),
        };
        let mut p = PresencePolicy::Delay(Duration::from_secs(5));
        assert_eq!(p.request(&mut w), Err(CtapStatus::KEEPALIVE_CANCEL));
        assert_eq!(w.keepalives, 2);
    }

    #[test]
    fn script_runs_in_order_then_denies() {
        let mut w = NoTransport;
        let mut p = PresencePolicy::Script(VecDeque::from([Answer::Approve, Answer::Deny]));
        assert_eq!(p.request(&mut w), Ok(()));
        assert_eq!(p.request(&mut w), Err(CtapStatus::OPERATION_DENIED));
        assert_eq!(p.request(&mut w), Err(CtapStatus::OPERATION_DENIED));
    }
}
