//! How long a call may take and how busy channels are retried: the configuration of the
//! CTAPHID engine, applied by every device.

use std::time::Duration;

/// How long an exchange may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Upper bound for one whole call, waiting for a touch included.
    pub call: Duration,
    /// Longest silence on the channel once the request is sent. Authenticators send
    /// KEEPALIVE every 100 ms while they work (CTAP 2.1 §11.2.9.2.1), so a silent device is a
    /// lost one.
    pub idle: Duration,
    /// How long to wait for the authenticator to confirm a CANCEL.
    pub cancel_grace: Duration,
}

impl Default for Timeouts {
    /// 60 s per call, 5 s of silence, 1 s to confirm a cancel.
    fn default() -> Self {
        Timeouts {
            call: Duration::from_secs(60),
            idle: Duration::from_secs(5),
            cancel_grace: Duration::from_secs(1),
        }
    }
}

/// How ERR_CHANNEL_BUSY is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusyRetry {
    /// Retries after the first busy answer (0: fail at once).
    pub max_retries: u32,
    /// Wait before the first retry; it doubles with each retry.
    pub initial_backoff: Duration,
    /// Upper bound of one wait.
    pub max_backoff: Duration,
}

impl Default for BusyRetry {
    /// 8 retries waiting 50 ms, 100 ms, … capped at 1 s (about 4.5 s in all).
    fn default() -> Self {
        BusyRetry {
            max_retries: 8,
            initial_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_secs(1),
        }
    }
}

impl BusyRetry {
    /// The wait before retry number `retry` (1-based).
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }
}

/// Everything the engine needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EngineConfig {
    /// Timeouts of each exchange.
    pub timeouts: Timeouts,
    /// Handling of busy channels.
    pub busy: BusyRetry,
}
