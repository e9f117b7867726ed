//! Cross-crate and interop tests for fido-rs; the tests live in `tests/tests/`, and this
//! library holds what they share: the virtual authenticator in-process or over UDP (with
//! a tap that records the CTAPHID commands the client sends), a `Fido2Client` for it,
//! and WebAuthn options.

use std::net::{SocketAddr, UdpSocket};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use fido_authenticator::udp::UdpServer;
use fido_authenticator::virtual_device::VirtualAuthenticator;
use fido_authenticator::{Authenticator, Config};
use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::{CtapDevice, DeviceOpener, DeviceUri};
use fido_ctap::pin::Session;
use fido_types::cose::CoseAlgorithm;
use fido_types::generated::{BioEnrollmentParams, BioEnrollmentSubCommand, BioModality};
use fido_types::pin_protocol::{Pin, ProtocolTwo};
use fido_types::webauthn::{
    AuthenticationExtensionsClientInputs, AuthenticatorSelectionCriteria,
    PublicKeyCredentialCreationOptions, PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters, PublicKeyCredentialRequestOptions, PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity, ResidentKeyRequirement, UserVerificationRequirement,
};
use fido_webauthn::Fido2Client;
use fido_webauthn::collector::DefaultClientDataCollector;
use fido_webauthn::interaction::UserInteraction;

/// The origin every client here uses; its RP ID is [`RP_ID`].
pub const ORIGIN: &str = "https://login.example.com";
/// The RP ID of [`ORIGIN`]'s registrable domain.
pub const RP_ID: &str = "example.com";

/// How the client reaches the virtual authenticator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// fido-ctap's `virtual` device, in this process.
    InProcess,
    /// CTAPHID over UDP to a [`UdpServer`] on 127.0.0.1, served by a thread.
    Udp,
}

impl Transport {
    /// Both transports, for tests that run on each.
    pub const ALL: [Transport; 2] = [Transport::InProcess, Transport::Udp];
}

/// Opens a virtual authenticator built from `config` over `transport`.
///
/// # Panics
/// If the authenticator cannot be built or the device opened (a test failure).
pub fn open(config: Config, transport: Transport) -> Box<dyn CtapDevice> {
    match transport {
        Transport::InProcess => DeviceOpener::new()
            .with_virtual(Arc::new(VirtualAuthenticator::new(config)))
            .open(&DeviceUri::Virtual)
            .expect("in-process virtual device"),
        Transport::Udp => open_udp(serve_udp(config)),
    }
}

/// Starts a [`UdpServer`] for `config` on 127.0.0.1 (a free port) in a thread that serves
/// until the test process ends; returns its address.
///
/// # Panics
/// If the authenticator cannot be built or the socket bound.
pub fn serve_udp(config: Config) -> SocketAddr {
    let authenticator = Authenticator::new(config).expect("authenticator");
    let mut server = UdpServer::bind("127.0.0.1:0", authenticator).expect("bind");
    let addr = server.local_addr().expect("local address");
    thread::spawn(move || server.serve());
    addr
}

/// Opens `udp:ADDR`.
///
/// # Panics
/// If the device cannot be opened.
pub fn open_udp(addr: SocketAddr) -> Box<dyn CtapDevice> {
    DeviceOpener::new()
        .open(&DeviceUri::Udp {
            host: addr.ip().to_string(),
            port: addr.port(),
        })
        .expect("udp device")
}

/// A UDP relay between a client and a [`UdpServer`] that records the command byte of
/// every CTAPHID initialization packet the client sends (e.g. 0x10 CBOR, 0x11 CANCEL).
#[derive(Debug, Clone)]
pub struct UdpTap {
    /// The address to connect the client to.
    pub addr: SocketAddr,
    commands: Arc<Mutex<Vec<u8>>>,
}

/// CTAPHID CANCEL (CTAP 2.1 §11.2.9.1.5: command 0x11).
pub const CTAPHID_CANCEL: u8 = 0x11;

impl UdpTap {
    /// Relays datagrams to and from `server` in a thread that runs until the process ends.
    ///
    /// # Panics
    /// If the relay socket cannot be bound.
    pub fn new(server: SocketAddr) -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind relay");
        let addr = socket.local_addr().expect("relay address");
        let commands = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&commands);
        thread::spawn(move || {
            let mut client: Option<SocketAddr> = None;
            let mut buf = [0u8; 2048];
            while let Ok((n, from)) = socket.recv_from(&mut buf) {
                if from == server {
                    if let Some(client) = client {
                        let _ = socket.send_to(&buf[..n], client);
                    }
                    continue;
                }
                client = Some(from);
                // An initialization packet: CID (4 bytes), then CMD with bit 7 set.
                if n > 4 && buf[4] & 0x80 != 0 {
                    log.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(buf[4] & 0x7F);
                }
                let _ = socket.send_to(&buf[..n], server);
            }
        });
        UdpTap { addr, commands }
    }

    /// The CTAPHID commands the client has sent so far, in order.
    pub fn commands(&self) -> Vec<u8> {
        self.commands
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// An authenticator with neither a PIN nor built-in UV, keys from `seed`.
pub fn plain(seed: u64) -> Config {
    Config {
        seed: Some(seed),
        builtin_uv: false,
        ..Config::default()
    }
}

/// A client for `device` at [`ORIGIN`].
///
/// # Panics
/// If the device does not answer getInfo.
pub fn client(
    device: Box<dyn CtapDevice>,
    ui: impl UserInteraction + Send + Sync + 'static,
) -> Fido2Client {
    Fido2Client::new(device, DefaultClientDataCollector::from_origin(ORIGIN), ui).expect("client")
}

/// Enrolls one finger on an authenticator with built-in UV whose PIN is `pin`, then gives
/// the device back.
///
/// # Panics
/// If any step is refused.
pub fn enroll_finger(device: Box<dyn CtapDevice>, pin: &str) -> Box<dyn CtapDevice> {
    let mut session =
        Session::<_, ProtocolTwo>::new(Ctap2::new(device).expect("getInfo")).expect("session");
    {
        let mut token = session
            .pin_token::<fido_ctap::perms![BioEnrollment]>(&Pin::new(pin).expect("PIN"))
            .expect("bioEnrollment token");
        let begin = token
            .bio_enrollment(
                BioModality::FINGERPRINT,
                BioEnrollmentSubCommand::ENROLL_BEGIN,
                Some(BioEnrollmentParams {
                    timeout_milliseconds: Some(10_000),
                    ..Default::default()
                }),
            )
            .expect("enrollBegin");
        let template = begin.template_id.clone().expect("template ID");
        let mut remaining = begin.remaining_samples.expect("remaining samples");
        while remaining > 0 {
            let params = BioEnrollmentParams {
                template_id: Some(template.clone()),
                ..Default::default()
            };
            remaining = token
                .bio_enrollment(
                    BioModality::FINGERPRINT,
                    BioEnrollmentSubCommand::ENROLL_CAPTURE_NEXT_SAMPLE,
                    Some(params),
                )
                .expect("capture")
                .remaining_samples
                .expect("remaining samples");
        }
    }
    session.into_ctap().into_device()
}

/// Registration options for [`RP_ID`] with this user verification and resident key
/// requirement, ES256 only.
pub fn create_options(
    uv: UserVerificationRequirement,
    rk: ResidentKeyRequirement,
) -> PublicKeyCredentialCreationOptions {
    let mut selection = AuthenticatorSelectionCriteria::default();
    selection.user_verification = Some(uv);
    selection.resident_key = Some(rk);
    PublicKeyCredentialCreationOptions::new(
        PublicKeyCredentialRpEntity::new(Some(RP_ID.into()), "Example"),
        PublicKeyCredentialUserEntity::new(b"user-1".to_vec(), "a.user", "A. User"),
        b"registration challenge".to_vec(),
        vec![PublicKeyCredentialParameters::public_key(
            CoseAlgorithm::ES256,
        )],
    )
    .with_authenticator_selection(selection)
}

/// Client extension inputs asking for `credProps`.
pub fn cred_props_input() -> AuthenticationExtensionsClientInputs {
    let mut inputs = AuthenticationExtensionsClientInputs::default();
    inputs.cred_props = Some(true);
    inputs
}

/// Authentication options for [`RP_ID`] allowing these credential IDs.
pub fn get_options(
    allow: &[Vec<u8>],
    uv: UserVerificationRequirement,
) -> PublicKeyCredentialRequestOptions {
    PublicKeyCredentialRequestOptions::new(b"authentication challenge".to_vec())
        .with_rp_id(RP_ID)
        .with_allow_credentials(
            allow
                .iter()
                .map(|id| PublicKeyCredentialDescriptor::public_key(id.clone()))
                .collect(),
        )
        .with_user_verification(uv)
}

/// The `fido` binary next to the running test's own executable (`target/<profile>/deps/..`),
/// built once per test binary with `cargo build -p fido-cli --bin fido`: a bin-only package
/// cannot be a dependency, so `CARGO_BIN_EXE_fido` exists only in fido-cli's own tests.
///
/// # Panics
/// When the test executable's path has no profile directory or the build fails (this is a
/// test helper).
pub fn fido_command() -> std::process::Command {
    static BUILD: std::sync::Once = std::sync::Once::new();
    let exe = std::env::current_exe().expect("test executable");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>")
        .to_path_buf();
    BUILD.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = std::process::Command::new(cargo);
        build
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["build", "--quiet", "-p", "fido-cli", "--bin", "fido"]);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build.status().expect("cargo build");
        assert!(status.success(), "building fido: {status}");
    });
    std::process::Command::new(profile_dir.join(format!("fido{}", std::env::consts::EXE_SUFFIX)))
}
