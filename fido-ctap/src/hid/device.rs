//! The CTAPHID device: drives [`Exchange`]s over a [`ReportConnection`].

use std::time::{Duration, Instant};

use fido_types::ctaphid::{ChannelId, CtaphidCommand, InitResponse, KeepaliveStatus, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};

use super::ReportConnection;
use super::engine::{EngineConfig, Exchange, Timeouts};
use crate::transport::{CancelToken, CtapDevice, DeviceDescriptor, DeviceInfo, TransportError};

/// How often a waiting call looks at its [`CancelToken`].
const CANCEL_POLL: Duration = Duration::from_millis(20);

/// A CTAPHID authenticator on a [`ReportConnection`]: a channel allocated by INIT, and the
/// [`CtapDevice`] interface on top.
///
/// ```
/// use fido_ctap::device::{CancelToken, CtapDevice, DeviceDescriptor, DeviceUri, EngineConfig};
/// use fido_ctap::hid::{HidDevice, memory};
/// # use fido_ctap::hid::ReportConnection;
/// # use fido_types::ctaphid::*;
/// # use std::time::{Duration, Instant};
///
/// let (client, mut authenticator) = memory::pair();
/// // A tiny device: answers INIT, then echoes one PING.
/// std::thread::spawn(move || {
///     let mut assembler = Assembler::any_channel();
///     let mut answered = 0;
///     while answered < 2 {
///         let deadline = Instant::now() + Duration::from_secs(5);
///         let Some(report) = authenticator.recv(deadline).unwrap() else { return };
///         let Ok(Progress::Complete(m)) = assembler.push(&report) else { continue };
///         let (cid, data) = if m.cmd == CtaphidCommand::INIT {
///             let init = InitResponse {
///                 nonce: m.data[..8].try_into().unwrap(),
///                 cid: ChannelId(7),
///                 protocol_version: 2,
///                 major: 1,
///                 minor: 0,
///                 build: 0,
///                 capabilities: CapabilityFlags::CBOR,
///             };
///             (m.cid, init.to_bytes().to_vec())
///         } else {
///             (m.cid, m.data)
///         };
///         for r in split(cid, m.cmd, &data).unwrap() {
///             authenticator.send(&r).unwrap();
///         }
///         answered += 1;
///     }
/// });
///
/// let descriptor = DeviceDescriptor::from_uri(DeviceUri::Virtual);
/// let mut device = HidDevice::open(client, descriptor, EngineConfig::default())?;
/// assert_eq!(device.channel(), ChannelId(7));
/// assert_eq!(device.ping(b"hi")?, b"hi");
/// # Ok::<(), fido_ctap::device::TransportError>(())
/// ```
#[derive(Debug)]
pub struct HidDevice<C> {
    connection: Option<C>,
    cid: ChannelId,
    info: DeviceInfo,
    config: EngineConfig,
    resync: bool,
}

impl<C: ReportConnection> HidDevice<C> {
    /// Allocates a channel with INIT (a fresh random nonce) and returns the device.
    pub fn open(
        connection: C,
        descriptor: DeviceDescriptor,
        config: EngineConfig,
    ) -> Result<Self, TransportError> {
        Self::open_with_nonce(connection, descriptor, config, random_nonce()?)
    }

    /// Like [`open`](Self::open) with a given INIT nonce (for deterministic tests).
    pub fn open_with_nonce(
        mut connection: C,
        descriptor: DeviceDescriptor,
        config: EngineConfig,
        nonce: [u8; NONCE_LEN],
    ) -> Result<Self, TransportError> {
        let init = run_init(&mut connection, ChannelId::BROADCAST, nonce, config)?;
        if !init.cid.is_allocatable() {
            return Err(TransportError::MalformedResponse {
                cmd: CtaphidCommand::INIT,
                reason: "allocated channel is 0 or broadcast",
            });
        }
        Ok(HidDevice {
            connection: Some(connection),
            cid: init.cid,
            info: DeviceInfo::new(descriptor, &init),
            config,
            resync: false,
        })
    }

    /// The channel allocated to this client.
    pub fn channel(&self) -> ChannelId {
        self.cid
    }

    /// The engine configuration in use.
    pub fn config(&self) -> EngineConfig {
        self.config
    }

    /// Sends PING and returns the echo.
    pub fn ping(&mut self, data: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.call(CtaphidCommand::PING, data, &CancelToken::new(), &mut |_| {})
    }

    /// Asks the authenticator to identify itself (WINK). Devices without
    /// [`CapabilityFlags::WINK`](fido_types::ctaphid::CapabilityFlags::WINK) answer ERR_INVALID_CMD.
    pub fn wink(&mut self) -> Result<(), TransportError> {
        self.call(CtaphidCommand::WINK, &[], &CancelToken::new(), &mut |_| {})
            .map(drop)
    }

    /// Locks the channel for `seconds` (at most 10 per CTAP 2.1 §11.2.9.2.2; 0 unlocks).
    pub fn lock(&mut self, seconds: u8) -> Result<(), TransportError> {
        self.call(
            CtaphidCommand::LOCK,
            &[seconds],
            &CancelToken::new(),
            &mut |_| {},
        )
        .map(drop)
    }

    /// Gives the connection back (the channel stays allocated on the device).
    pub fn into_connection(self) -> Option<C> {
        self.connection
    }

    fn resynchronise(&mut self) -> Result<(), TransportError> {
        let connection = self.connection.as_mut().ok_or(TransportError::Closed)?;
        let init = run_init(connection, self.cid, random_nonce()?, self.config)?;
        if init.cid.is_allocatable() {
            self.cid = init.cid;
        }
        self.resync = false;
        Ok(())
    }
}

impl<C: ReportConnection> CtapDevice for HidDevice<C> {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        if self.connection.is_none() {
            return Err(TransportError::Closed);
        }
        if cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        if self.resync {
            self.resynchronise()?;
        }
        let connection = self.connection.as_mut().ok_or(TransportError::Closed)?;
        let exchange = Exchange::new(self.cid, cmd, payload, Instant::now(), self.config)?;
        let result = drive(connection, exchange, Some(cancel), on_keepalive);
        // After anything that may leave reports of this request in flight, the next call
        // first resynchronises the channel with INIT.
        self.resync = matches!(
            result,
            Err(TransportError::Timeout { .. }
                | TransportError::Cancelled
                | TransportError::Framing(_)
                | TransportError::UnexpectedCommand { .. }
                | TransportError::MalformedResponse { .. })
        );
        result
    }

    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn timeouts(&self) -> Timeouts {
        self.config.timeouts
    }

    fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.config.timeouts = timeouts;
    }

    fn close(&mut self) {
        self.connection = None;
    }
}

fn random_nonce() -> Result<[u8; NONCE_LEN], TransportError> {
    let mut nonce = [0u8; NONCE_LEN];
    SystemRandom::new()
        .fill(&mut nonce)
        .map_err(|_| TransportError::Backend("the system random generator failed".into()))?;
    Ok(nonce)
}

fn run_init<C: ReportConnection>(
    connection: &mut C,
    cid: ChannelId,
    nonce: [u8; NONCE_LEN],
    config: EngineConfig,
) -> Result<InitResponse, TransportError> {
    let exchange = Exchange::init(cid, nonce, Instant::now(), config);
    let data = drive(connection, exchange, None, &mut |_| {})?;
    InitResponse::parse(&data).map_err(|_| TransportError::MalformedResponse {
        cmd: CtaphidCommand::INIT,
        reason: "INIT response shorter than 17 bytes",
    })
}

/// Runs an exchange to its end over a connection.
fn drive<C: ReportConnection + ?Sized>(
    connection: &mut C,
    mut exchange: Exchange,
    cancel: Option<&CancelToken>,
    on_keepalive: &mut dyn FnMut(KeepaliveStatus),
) -> Result<Vec<u8>, TransportError> {
    loop {
        while let Some(report) = exchange.poll_transmit() {
            connection.send(&report)?;
        }
        while let Some(status) = exchange.poll_keepalive() {
            on_keepalive(status);
        }
        if let Some(result) = exchange.take_result() {
            return result;
        }
        if cancel.is_some_and(CancelToken::is_cancelled) && !exchange.is_cancelling() {
            exchange.cancel(Instant::now());
            continue;
        }
        let Some(wake) = exchange.poll_timeout() else {
            // Done without a result: cannot happen, as results are only taken here.
            return Err(TransportError::Closed);
        };
        let wake = match cancel {
            Some(_) if !exchange.is_cancelling() => wake.min(Instant::now() + CANCEL_POLL),
            _ => wake,
        };
        match connection.recv(wake)? {
            Some(report) => exchange.handle_report(&report, Instant::now()),
            None => exchange.handle_timeout(Instant::now()),
        }
    }
}
