//! UDP, record/replay and the virtual-device extension point, each against the fake device.

mod support;

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fido_ctap::device::{
    CancelToken, CtapDevice, DeviceOpener, DeviceUri, EngineConfig, KeepaliveStatus,
    TransportError, VirtualDeviceFactory,
};
use fido_ctap::hid::record::Recorder;
use fido_ctap::hid::replay::ReplayError;
use fido_ctap::hid::{ReportConnection, memory};
use fido_types::ctaphid::{CtaphidCommand, REPORT_LEN, Report};
use support::{FAKE_CID, FakeDevice, open, spawn, temp_path};

/// The authenticator's end of CTAPHID over UDP: answers whoever sent the last datagram.
struct UdpServerEnd {
    socket: UdpSocket,
    peer: Option<SocketAddr>,
    datagram_sizes: Vec<usize>,
}

impl ReportConnection for UdpServerEnd {
    fn send(&mut self, report: &Report) -> Result<(), TransportError> {
        let peer = self.peer.ok_or(TransportError::Disconnected)?;
        self.socket.send_to(report, peer)?;
        Ok(())
    }

    fn recv(&mut self, deadline: Instant) -> Result<Option<Report>, TransportError> {
        let wait = deadline.saturating_duration_since(Instant::now());
        self.socket
            .set_read_timeout(Some(wait.max(Duration::from_millis(1))))?;
        let mut buffer = [0u8; 128];
        match self.socket.recv_from(&mut buffer) {
            Ok((len, from)) => {
                self.datagram_sizes.push(len);
                self.peer = Some(from);
                Ok(Some(buffer[..REPORT_LEN].try_into().unwrap()))
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// Answers INIT, one PING and one CBOR request (after a PROCESSING keepalive).
fn serve_ping_and_cbor<C: ReportConnection>(dev: &mut FakeDevice<C>) {
    dev.expect_init();
    let ping = dev.expect(CtaphidCommand::PING);
    dev.send(FAKE_CID, CtaphidCommand::PING, &ping.data);
    let cbor = dev.expect(CtaphidCommand::CBOR);
    assert_eq!(cbor.data, vec![0x04]);
    dev.keepalive(KeepaliveStatus::PROCESSING);
    dev.send(FAKE_CID, CtaphidCommand::CBOR, &[0x00, 0xA1, 0x01, 0x02]);
}

fn ping_and_cbor(device: &mut dyn CtapDevice) -> (Vec<u8>, Vec<u8>, Vec<KeepaliveStatus>) {
    let cancel = CancelToken::new();
    let payload: Vec<u8> = (0..200).map(|i| i as u8).collect();
    let echo = device
        .call(CtaphidCommand::PING, &payload, &cancel, &mut |_| {})
        .unwrap();
    let mut seen = Vec::new();
    let cbor = device
        .call(CtaphidCommand::CBOR, &[0x04], &cancel, &mut |s| {
            seen.push(s)
        })
        .unwrap();
    (echo, cbor, seen)
}

#[test]
fn udp_round_trip_on_loopback() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let mut dev = FakeDevice::new(UdpServerEnd {
            socket,
            peer: None,
            datagram_sizes: Vec::new(),
        });
        serve_ping_and_cbor(&mut dev);
        dev.conn.datagram_sizes
    });
    let uri: DeviceUri = format!("udp:127.0.0.1:{port}").parse().unwrap();
    let mut device = DeviceOpener::new().open(&uri).unwrap();
    assert_eq!(device.info().descriptor.uri, uri);
    let (echo, cbor, seen) = ping_and_cbor(&mut *device);
    assert_eq!(echo, (0..200).map(|i| i as u8).collect::<Vec<_>>());
    assert_eq!(cbor, vec![0x00, 0xA1, 0x01, 0x02]);
    assert_eq!(seen, vec![KeepaliveStatus::PROCESSING]);
    let sizes = server.join().unwrap();
    // INIT (1 report) + PING of 200 bytes (4 reports) + CBOR (1 report), 64 bytes each.
    assert_eq!(sizes, vec![REPORT_LEN; 6]);
}

#[test]
fn udp_to_nobody_fails_cleanly() {
    // Bind and drop a socket to get a port where nobody listens.
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = EngineConfig {
        timeouts: fido_ctap::device::Timeouts {
            call: Duration::from_millis(500),
            idle: Duration::from_millis(300),
            ..Default::default()
        },
        ..EngineConfig::default()
    };
    let uri: DeviceUri = format!("udp:127.0.0.1:{port}").parse().unwrap();
    let started = Instant::now();
    let error = DeviceOpener::new()
        .with_config(config)
        .open(&uri)
        .unwrap_err();
    // Linux reports the ICMP port-unreachable as a refused connection; elsewhere it is a
    // timeout. Either way it is typed and quick.
    assert!(
        matches!(
            error,
            TransportError::Io(_) | TransportError::Timeout { .. }
        ),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn record_then_replay() {
    let path = temp_path("record_then_replay.txt");
    let (client, fake) = spawn(serve_ping_and_cbor);
    let recorder = Recorder::to_file(client, &path).unwrap();
    let mut device = open(recorder, EngineConfig::default());
    let recorded = ping_and_cbor(&mut device);
    fake.join().unwrap();
    drop(device);

    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "# fido-rs CTAPHID transcript v1");
    // > INIT, < INIT, > PING ×4, < PING ×4, > CBOR, < KEEPALIVE, < CBOR
    let markers: String = lines[1..].iter().map(|l| &l[..1]).collect();
    assert_eq!(markers, "><>>>><<<<><<");
    assert!(lines[1..].iter().all(|l| l.len() == 2 + 2 * REPORT_LEN));

    // The same session replays deterministically (with a new random INIT nonce).
    let replay_uri = DeviceUri::Replay(path.to_string_lossy().into_owned());
    let mut replayed = DeviceOpener::new().open(&replay_uri).unwrap();
    assert_eq!(replayed.info().descriptor.uri, replay_uri);
    assert_eq!(ping_and_cbor(&mut *replayed), recorded);
    assert_eq!(replayed.capabilities(), support::FAKE_CAPS);

    // A client that deviates gets a clear error naming the line.
    let mut deviating = DeviceOpener::new().open(&replay_uri).unwrap();
    let error = deviating
        .call(
            CtaphidCommand::PING,
            b"something else",
            &CancelToken::new(),
            &mut |_| {},
        )
        .unwrap_err();
    match error {
        TransportError::Replay(ReplayError::Mismatch { line, .. }) => assert_eq!(line, 4),
        other => panic!("expected a replay mismatch, got {other:?}"),
    }
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn opener_records_sessions() {
    let path = temp_path("opener_records.txt");
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let mut dev = FakeDevice::new(UdpServerEnd {
            socket,
            peer: None,
            datagram_sizes: Vec::new(),
        });
        serve_ping_and_cbor(&mut dev);
    });
    let uri: DeviceUri = format!("udp:127.0.0.1:{port}").parse().unwrap();
    let mut device = DeviceOpener::new().record_to(&path).open(&uri).unwrap();
    let live = ping_and_cbor(&mut *device);
    server.join().unwrap();
    drop(device);
    let mut replayed = DeviceOpener::new()
        .open(&DeviceUri::Replay(path.to_string_lossy().into_owned()))
        .unwrap();
    assert_eq!(ping_and_cbor(&mut *replayed), live);
    std::fs::remove_file(&path).unwrap();
}

struct FakeVirtual;

impl VirtualDeviceFactory for FakeVirtual {
    fn connect(&self) -> Result<Box<dyn ReportConnection>, TransportError> {
        let (client, device) = memory::pair();
        std::thread::spawn(move || serve_ping_and_cbor(&mut FakeDevice::new(device)));
        Ok(Box::new(client))
    }
}

#[test]
fn virtual_needs_a_registered_factory() {
    let error = DeviceOpener::new().open(&DeviceUri::Virtual).unwrap_err();
    assert!(matches!(error, TransportError::NotAvailable { .. }));
    assert_eq!(
        error.to_string(),
        "the virtual authenticator is not available in this build"
    );

    let opener = DeviceOpener::new().with_virtual(Arc::new(FakeVirtual));
    let mut device = opener.open(&"virtual".parse().unwrap()).unwrap();
    let (_, cbor, _) = ping_and_cbor(&mut *device);
    assert_eq!(cbor, vec![0x00, 0xA1, 0x01, 0x02]);
}

#[test]
fn missing_transcript_is_an_io_error() {
    let error = DeviceOpener::new()
        .open(&DeviceUri::Replay("/nonexistent/transcript.txt".into()))
        .unwrap_err();
    assert!(matches!(error, TransportError::Io(ref e) if e.kind() == ErrorKind::NotFound));
}

#[test]
fn udp_datagrams_that_are_not_reports_are_refused() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let mut buffer = [0u8; 128];
        let (_, from) = socket.recv_from(&mut buffer).unwrap();
        socket.send_to(&[0u8; 10], from).unwrap();
    });
    let uri: DeviceUri = format!("udp:127.0.0.1:{port}").parse().unwrap();
    let error = DeviceOpener::new().open(&uri).unwrap_err();
    assert!(
        matches!(error, TransportError::BadReportLength { len: 10 }),
        "{error:?}"
    );
    server.join().unwrap();
}
