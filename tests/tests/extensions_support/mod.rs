//! What the extension tests share: one virtual authenticator reached by several clients
//! (in-process through a shared state file, or one UDP server), a device wrapper that
//! records the CTAP2 requests and can make the client see PIN/UV auth protocol one only,
//! and option builders.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use fido_authenticator::Config;
use fido_ctap::device::{
    CancelToken, CapabilityFlags, CtapDevice, CtaphidCommand, DeviceInfo, KeepaliveStatus,
    Timeouts, TransportError,
};
use fido_tests::{ORIGIN, Transport, open, open_udp, serve_udp};
use fido_types::cbor;
use fido_types::ctap2::Info;
use fido_types::generated::{CommandCode, PinUvAuthProtocol};
use fido_types::webauthn::{
    AuthenticationExtensionsClientInputs, ResidentKeyRequirement, UserVerificationRequirement,
};
use fido_webauthn::Fido2Client;
use fido_webauthn::collector::DefaultClientDataCollector;
use fido_webauthn::extensions::{ClientExtension, default_extensions};
use fido_webauthn::interaction::ScriptedInteraction;

/// The PIN of [`with_pin`] authenticators.
pub const PIN: &str = "1234";

/// An authenticator with PIN [`PIN`], no built-in UV, keys from `seed`.
pub fn with_pin(seed: u64) -> Config {
    Config {
        seed: Some(seed),
        pin: Some(PIN.into()),
        builtin_uv: false,
        ..Config::default()
    }
}

/// One authenticator that several clients reach one after the other.
#[derive(Debug, Clone)]
pub enum Shared {
    /// In-process: each connection loads the state file the previous one left.
    InProcess(Box<Config>),
    /// One UDP server.
    Udp(SocketAddr),
}

static FILES: AtomicUsize = AtomicUsize::new(0);

impl Shared {
    /// An authenticator built from `config`, reached over `transport`.
    pub fn new(mut config: Config, transport: Transport) -> Self {
        match transport {
            Transport::InProcess => {
                let n = FILES.fetch_add(1, Ordering::Relaxed);
                let path: PathBuf = std::env::temp_dir().join(format!(
                    "fido-rs-extensions-{}-{n}.json",
                    std::process::id()
                ));
                let _ = std::fs::remove_file(&path);
                config.state_file = Some(path);
                Shared::InProcess(Box::new(config))
            }
            Transport::Udp => Shared::Udp(serve_udp(config)),
        }
    }

    /// A new connection.
    pub fn device(&self) -> Box<dyn CtapDevice> {
        match self {
            Shared::InProcess(config) => open((**config).clone(), Transport::InProcess),
            Shared::Udp(addr) => open_udp(*addr),
        }
    }

    /// A client on a new connection, on PIN/UV auth protocol `protocol`, with the
    /// default extensions; the returned log records its CTAP2 requests.
    pub fn client(&self, protocol: PinUvAuthProtocol) -> (Fido2Client, RequestLog) {
        self.client_with(protocol, default_extensions())
    }

    /// As [`client`](Self::client) with these extensions.
    pub fn client_with(
        &self,
        protocol: PinUvAuthProtocol,
        extensions: Vec<Box<dyn ClientExtension>>,
    ) -> (Fido2Client, RequestLog) {
        self.client_hiding(protocol, extensions, &[])
    }

    /// As [`client_with`](Self::client_with), the client seeing getInfo without the
    /// extensions and options `hidden`.
    pub fn client_hiding(
        &self,
        protocol: PinUvAuthProtocol,
        extensions: Vec<Box<dyn ClientExtension>>,
        hidden: &[&str],
    ) -> (Fido2Client, RequestLog) {
        let recorder = Recorder::new(self.device(), protocol).hiding(hidden);
        let log = recorder.log();
        let ui = ScriptedInteraction::new().with_pins([PIN; 64]);
        let client = Fido2Client::with_extensions(
            Box::new(recorder) as Box<dyn CtapDevice>,
            DefaultClientDataCollector::from_origin(ORIGIN),
            ui,
            extensions,
        )
        .expect("client");
        (client, log)
    }
}

/// The CTAP2 requests (command byte and CBOR) a client sent.
#[derive(Debug, Clone, Default)]
pub struct RequestLog(Arc<Mutex<Vec<Vec<u8>>>>);

impl RequestLog {
    /// Every request so far.
    pub fn all(&self) -> Vec<Vec<u8>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The requests with this command byte.
    pub fn of(&self, command: CommandCode) -> Vec<Vec<u8>> {
        self.all()
            .into_iter()
            .filter(|r| r.first() == Some(&command.0))
            .collect()
    }

    /// Forgets what was recorded.
    pub fn clear(&self) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// Records CTAP2 requests; for protocol one, rewrites getInfo's pinUvAuthProtocols to
/// `[1]` so the client binds to it.
#[derive(Debug)]
pub struct Recorder {
    inner: Box<dyn CtapDevice>,
    protocol: PinUvAuthProtocol,
    hidden: Vec<String>,
    log: RequestLog,
}

impl Recorder {
    /// Wraps `inner`.
    pub fn new(inner: Box<dyn CtapDevice>, protocol: PinUvAuthProtocol) -> Self {
        Recorder {
            inner,
            protocol,
            hidden: Vec::new(),
            log: RequestLog::default(),
        }
    }

    /// Also removes these extension identifiers and options from getInfo, so the client
    /// sees an authenticator without them.
    pub fn hiding(mut self, hidden: &[&str]) -> Self {
        self.hidden = hidden.iter().map(|s| (*s).to_owned()).collect();
        self
    }

    /// The request log.
    pub fn log(&self) -> RequestLog {
        self.log.clone()
    }
}

impl CtapDevice for Recorder {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        if cmd == CtaphidCommand::CBOR {
            self.log
                .0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(payload.to_vec());
        }
        let response = self.inner.call(cmd, payload, cancel, on_keepalive)?;
        let get_info =
            cmd == CtaphidCommand::CBOR && payload.first() == Some(&CommandCode::GET_INFO.0);
        let rewrite = self.protocol == PinUvAuthProtocol::ONE || !self.hidden.is_empty();
        if get_info && response.first() == Some(&0) && rewrite {
            let mut info: Info = cbor::from_slice(&response[1..]).expect("getInfo");
            if self.protocol == PinUvAuthProtocol::ONE {
                info.pin_uv_auth_protocols = Some(vec![PinUvAuthProtocol::ONE]);
            }
            if let Some(extensions) = info.extensions.as_mut() {
                extensions.retain(|e| !self.hidden.contains(e));
            }
            if let Some(options) = info.options.as_mut() {
                for hidden in &self.hidden {
                    options.remove(hidden.as_str());
                }
            }
            let mut out = vec![0];
            out.extend(cbor::to_vec(&info).expect("encode getInfo"));
            return Ok(out);
        }
        Ok(response)
    }

    fn info(&self) -> &DeviceInfo {
        self.inner.info()
    }

    fn capabilities(&self) -> CapabilityFlags {
        self.inner.capabilities()
    }

    fn timeouts(&self) -> Timeouts {
        self.inner.timeouts()
    }

    fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.inner.set_timeouts(timeouts);
    }

    fn close(&mut self) {
        self.inner.close();
    }
}

/// Both protocols.
pub const PROTOCOLS: [PinUvAuthProtocol; 2] = [PinUvAuthProtocol::ONE, PinUvAuthProtocol::TWO];

/// UV required.
pub const REQUIRED: UserVerificationRequirement = UserVerificationRequirement::REQUIRED;
/// A discoverable credential.
pub const RK: ResidentKeyRequirement = ResidentKeyRequirement::REQUIRED;
/// A non-discoverable credential.
pub const NO_RK: ResidentKeyRequirement = ResidentKeyRequirement::DISCOURAGED;

/// Extension inputs from their L3 JSON.
pub fn inputs(json: &str) -> AuthenticationExtensionsClientInputs {
    serde_json::from_str(json).expect("extension inputs JSON")
}
