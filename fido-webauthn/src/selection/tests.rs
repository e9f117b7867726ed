//! Device selection with fake devices that are "touched" after a delay, fail, or wait
//! until cancelled.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use fido_ctap::device::{
    CapabilityFlags, CtapDevice, CtaphidCommand, DeviceDescriptor, DeviceInfo, KeepaliveStatus,
    Timeouts, TransportError,
};

use super::*;

/// What a fake device does when called.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Answers success (status 0x00) after this long, unless cancelled first.
    TouchedAfter(Duration),
    /// Fails at once, as an unplugged device.
    Unplugged,
    /// Waits until cancelled (or 10 s, as a device's call timeout would).
    NeverTouched,
}

struct FakeDevice {
    info: DeviceInfo,
    behaviour: Behaviour,
    calls: Arc<AtomicUsize>,
    saw_cancel: Arc<AtomicBool>,
}

impl FakeDevice {
    fn new(behaviour: Behaviour) -> Self {
        FakeDevice {
            info: DeviceInfo {
                descriptor: DeviceDescriptor::from_uri("virtual".parse().unwrap()),
                protocol_version: 2,
                major: 1,
                minor: 0,
                build: 0,
                capabilities: CapabilityFlags::CBOR,
            },
            behaviour,
            calls: Arc::default(),
            saw_cancel: Arc::default(),
        }
    }
}

impl CtapDevice for FakeDevice {
    fn call(
        &mut self,
        _cmd: CtaphidCommand,
        _payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if let Behaviour::Unplugged = self.behaviour {
            return Err(TransportError::Disconnected);
        }
        on_keepalive(KeepaliveStatus::UP_NEEDED);
        let start = Instant::now();
        loop {
            if cancel.is_cancelled() {
                self.saw_cancel.store(true, Ordering::SeqCst);
                return Err(TransportError::Cancelled);
            }
            if let Behaviour::TouchedAfter(delay) = self.behaviour
                && start.elapsed() >= delay
            {
                return Ok(vec![0x00]);
            }
            if start.elapsed() > Duration::from_secs(10) {
                return Err(TransportError::Timeout {
                    waited: start.elapsed(),
                });
            }
            thread::sleep(Duration::from_millis(1));
        }
    }

    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn timeouts(&self) -> Timeouts {
        Timeouts::default()
    }

    fn set_timeouts(&mut self, _timeouts: Timeouts) {}

    fn close(&mut self) {}
}

/// authenticatorSelection on one device.
fn selection_command(
    _index: usize,
    device: &mut impl CtapDevice,
    cancel: &CancelToken,
) -> Result<Vec<u8>, TransportError> {
    device.call(CtaphidCommand::CBOR, &[0x0B], cancel, &mut |_| {})
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn first_touched_wins_and_the_others_are_cancelled() {
    let mut devices = vec![
        FakeDevice::new(Behaviour::NeverTouched),
        FakeDevice::new(Behaviour::TouchedAfter(ms(30))),
        FakeDevice::new(Behaviour::NeverTouched),
    ];
    let flags: Vec<_> = devices.iter().map(|d| Arc::clone(&d.saw_cancel)).collect();
    let started = Instant::now();
    let selected = select(&mut devices, &CancelToken::new(), selection_command).unwrap();
    assert_eq!(
        selected,
        Selected {
            index: 1,
            value: vec![0x00]
        }
    );
    // Both losers were cancelled, and had returned (been joined) before select did.
    assert!(flags[0].load(Ordering::SeqCst));
    assert!(!flags[1].load(Ordering::SeqCst));
    assert!(flags[2].load(Ordering::SeqCst));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(devices.iter().all(|d| d.calls.load(Ordering::SeqCst) == 1));
}

#[test]
fn the_slower_touch_is_cancelled() {
    let mut devices = vec![
        FakeDevice::new(Behaviour::TouchedAfter(ms(20))),
        FakeDevice::new(Behaviour::TouchedAfter(ms(2000))),
    ];
    let slow_cancelled = Arc::clone(&devices[1].saw_cancel);
    let selected = select(&mut devices, &CancelToken::new(), selection_command).unwrap();
    assert_eq!(selected.index, 0);
    assert!(slow_cancelled.load(Ordering::SeqCst));
}

#[test]
fn a_failing_device_drops_out() {
    let mut devices = vec![
        FakeDevice::new(Behaviour::Unplugged),
        FakeDevice::new(Behaviour::TouchedAfter(ms(20))),
    ];
    let selected = select(&mut devices, &CancelToken::new(), selection_command).unwrap();
    assert_eq!(selected.index, 1);
}

#[test]
fn all_failed_lists_every_error_in_device_order() {
    let mut devices = vec![
        FakeDevice::new(Behaviour::Unplugged),
        FakeDevice::new(Behaviour::Unplugged),
        FakeDevice::new(Behaviour::Unplugged),
    ];
    let err = select(&mut devices, &CancelToken::new(), selection_command).unwrap_err();
    let SelectionError::AllFailed(errors) = err else {
        panic!("expected AllFailed, got {err:?}");
    };
    let indices: Vec<usize> = errors.iter().map(|(i, _)| *i).collect();
    assert_eq!(indices, [0, 1, 2]);
    assert!(
        errors
            .iter()
            .all(|(_, e)| matches!(e, TransportError::Disconnected))
    );
}

#[test]
fn the_callers_cancel_stops_every_device() {
    let mut devices = vec![
        FakeDevice::new(Behaviour::NeverTouched),
        FakeDevice::new(Behaviour::NeverTouched),
    ];
    let flags: Vec<_> = devices.iter().map(|d| Arc::clone(&d.saw_cancel)).collect();
    let cancel = CancelToken::new();
    let for_timer = cancel.clone();
    let timer = thread::spawn(move || {
        thread::sleep(ms(30));
        for_timer.cancel();
    });
    let started = Instant::now();
    let err = select(&mut devices, &cancel, selection_command).unwrap_err();
    timer.join().unwrap();
    assert!(matches!(err, SelectionError::Cancelled), "{err:?}");
    assert!(flags.iter().all(|f| f.load(Ordering::SeqCst)));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn nothing_to_do() {
    let mut none: Vec<FakeDevice> = Vec::new();
    assert!(matches!(
        select(&mut none, &CancelToken::new(), selection_command),
        Err(SelectionError::NoDevices)
    ));
    let mut devices = vec![FakeDevice::new(Behaviour::TouchedAfter(ms(0)))];
    let cancel = CancelToken::new();
    cancel.cancel();
    assert!(matches!(
        select(&mut devices, &cancel, selection_command),
        Err(SelectionError::Cancelled)
    ));
    assert_eq!(
        devices[0].calls.load(Ordering::SeqCst),
        0,
        "no call once already cancelled"
    );
}

#[test]
fn a_panic_cancels_the_others_then_propagates() {
    let mut devices = vec![
        FakeDevice::new(Behaviour::NeverTouched),
        FakeDevice::new(Behaviour::NeverTouched),
    ];
    let other_cancelled = Arc::clone(&devices[1].saw_cancel);
    let result = catch_unwind(AssertUnwindSafe(|| {
        select(
            &mut devices,
            &CancelToken::new(),
            |index, device, cancel| {
                if index == 0 {
                    thread::sleep(ms(20));
                    panic!("closure bug");
                }
                selection_command(index, device, cancel)
            },
        )
    }));
    let payload = result.expect_err("the panic is resumed");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"closure bug"));
    assert!(other_cancelled.load(Ordering::SeqCst));
}

#[test]
fn works_with_boxed_devices_and_client_errors() {
    let mut devices: Vec<Box<dyn CtapDevice>> = vec![
        Box::new(FakeDevice::new(Behaviour::Unplugged)),
        Box::new(FakeDevice::new(Behaviour::Unplugged)),
    ];
    let err = select(&mut devices, &CancelToken::new(), |_, device, cancel| {
        device
            .call(CtaphidCommand::CBOR, &[0x0B], cancel, &mut |_| {})
            .map_err(Error::from)
    })
    .unwrap_err();
    let error = Error::from(err);
    assert!(
        matches!(
            error,
            Error::Ctap(fido_ctap::error::Error::Transport(
                TransportError::Disconnected
            ))
        ),
        "{error:?}"
    );
    assert!(Error::from(SelectionError::<Error>::Cancelled).is_cancelled());
    assert!(matches!(
        Error::from(SelectionError::<Error>::NoDevices),
        Error::DeviceIneligible(_)
    ));
}
