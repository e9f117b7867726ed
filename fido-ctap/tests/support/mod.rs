//! A scripted fake CTAPHID authenticator for the transport tests.

#![allow(dead_code)]

use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fido_ctap::device::{DeviceDescriptor, DeviceUri, EngineConfig};
use fido_ctap::hid::memory::{self, MemoryConnection};
use fido_ctap::hid::{HidDevice, ReportConnection};
use fido_types::ctaphid::{
    Assembler, CapabilityFlags, ChannelId, CtaphidCommand, CtaphidError, InitResponse,
    KeepaliveStatus, Message, Progress, encode_init, split,
};

/// The channel the fake device allocates.
pub const FAKE_CID: ChannelId = ChannelId(0x1122_3344);
/// Its capabilities.
pub const FAKE_CAPS: CapabilityFlags = CapabilityFlags(0x05); // WINK | CBOR

/// The device side of a connection, played by a test script.
pub struct FakeDevice<C> {
    pub conn: C,
    assembler: Assembler,
}

impl<C: ReportConnection> FakeDevice<C> {
    pub fn new(conn: C) -> Self {
        FakeDevice {
            conn,
            assembler: Assembler::any_channel(),
        }
    }

    /// The next complete message, or `None` after `timeout` (or when the client is gone).
    pub fn recv_message(&mut self, timeout: Duration) -> Option<Message> {
        let deadline = Instant::now() + timeout;
        loop {
            let report = self.conn.recv(deadline).ok()??;
            if let Ok(Progress::Complete(message)) = self.assembler.push(&report) {
                return Some(message);
            }
        }
    }

    /// The next message, which must have command `cmd`.
    pub fn expect(&mut self, cmd: CtaphidCommand) -> Message {
        let message = self
            .recv_message(Duration::from_secs(5))
            .unwrap_or_else(|| panic!("fake device: no {cmd} request arrived"));
        assert_eq!(
            message.cmd, cmd,
            "fake device: unexpected request {message:?}"
        );
        message
    }

    pub fn send(&mut self, cid: ChannelId, cmd: CtaphidCommand, data: &[u8]) {
        for report in split(cid, cmd, data).unwrap() {
            // The client may have given up already; the script decides what matters.
            let _ = self.conn.send(&report);
        }
    }

    pub fn send_init_response(&mut self, to: &Message, nonce: [u8; 8], allocated: ChannelId) {
        let init = InitResponse {
            nonce,
            cid: allocated,
            protocol_version: 2,
            major: 5,
            minor: 4,
            build: 3,
            capabilities: FAKE_CAPS,
        };
        self.send(to.cid, CtaphidCommand::INIT, &init.to_bytes());
    }

    /// Waits for INIT and allocates [`FAKE_CID`].
    pub fn expect_init(&mut self) -> Message {
        let message = self.expect(CtaphidCommand::INIT);
        let nonce = message.data[..8].try_into().unwrap();
        self.send_init_response(&message, nonce, FAKE_CID);
        message
    }

    pub fn keepalive(&mut self, status: KeepaliveStatus) {
        let _ = self.conn.send(&encode_init(
            FAKE_CID,
            CtaphidCommand::KEEPALIVE,
            1,
            &[status.0],
        ));
    }

    pub fn error(&mut self, code: CtaphidError) {
        self.send(FAKE_CID, CtaphidCommand::ERROR, &[code.0]);
    }
}

/// Starts a fake device running `script` on the device end of an in-process pair and
/// returns the client end.
pub fn spawn<T, F>(script: F) -> (MemoryConnection, JoinHandle<T>)
where
    T: Send + 'static,
    F: FnOnce(&mut FakeDevice<MemoryConnection>) -> T + Send + 'static,
{
    let (client, device) = memory::pair();
    let handle = std::thread::spawn(move || script(&mut FakeDevice::new(device)));
    (client, handle)
}

pub fn open<C: ReportConnection>(client: C, config: EngineConfig) -> HidDevice<C> {
    HidDevice::open(
        client,
        DeviceDescriptor::from_uri(DeviceUri::Virtual),
        config,
    )
    .expect("INIT with the fake device")
}

/// A unique path in the temporary directory.
pub fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("fido-ctap-{}-{name}", std::process::id()))
}
