//! What the `manage_*` tests share: a virtual authenticator with a PIN, resident
//! credentials, and a device wrapper that rewrites getInfo (to drop a capability or to
//! offer only the FIDO_2_1_PRE prototype commands) and logs the command bytes sent.

#![allow(dead_code)]

use std::sync::{Arc, Mutex, PoisonError};

use fido_authenticator::Config;
use fido_authenticator::virtual_device::VirtualAuthenticator;
use fido_ctap::ctap2::Ctap2;
use fido_ctap::device::{
    CancelToken, CtapDevice, DeviceInfo, DeviceOpener, DeviceUri, Timeouts, TransportError,
};
use fido_ctap::perms;
use fido_ctap::pin::Session;
use fido_types::generated::{
    CoseAlgorithm, CtaphidCommand, Info, KeepaliveStatus, MakeCredentialRequest,
    PublicKeyCredentialParameters, PublicKeyCredentialRpEntity, PublicKeyCredentialType,
    PublicKeyCredentialUserEntity,
};
use fido_types::pin_protocol::{Pin, PinProtocol};

pub const PIN: &str = "123456";

pub fn pin() -> Pin {
    Pin::new(PIN).unwrap()
}

/// A fresh virtual authenticator (deterministic) with `config`'s other settings.
pub fn authenticator(config: Config) -> Arc<VirtualAuthenticator> {
    Arc::new(VirtualAuthenticator::new(Config {
        seed: Some(13),
        ..config
    }))
}

/// A device on `auth`.
pub fn open(auth: &Arc<VirtualAuthenticator>) -> Box<dyn CtapDevice> {
    DeviceOpener::new()
        .with_virtual(auth.clone())
        .open(&DeviceUri::Virtual)
        .unwrap()
}

/// A session of protocol `P` on `device`, with the PIN set if none is.
pub fn session<P: PinProtocol, D: CtapDevice>(device: D) -> Session<D, P> {
    let mut session = Session::<D, P>::new(Ctap2::new(device).unwrap()).unwrap();
    if !session.ctap().info().supports_option("clientPin") {
        session.set_pin(&pin()).unwrap();
        session.ctap_mut().get_info().unwrap();
    }
    session
}

/// A makeCredential request for a discoverable credential of `user` at `rp`.
pub fn resident(rp: &str, user: &str) -> MakeCredentialRequest {
    let mut options = fido_types::cbor::StrMap::new();
    options.insert("rk".to_owned(), true);
    MakeCredentialRequest {
        client_data_hash: vec![0x42; 32],
        rp: PublicKeyCredentialRpEntity {
            id: rp.into(),
            name: None,
        },
        user: PublicKeyCredentialUserEntity {
            id: user.as_bytes().to_vec(),
            name: Some(format!("{user}@{rp}")),
            display_name: Some(user.to_uppercase()),
        },
        pub_key_cred_params: vec![PublicKeyCredentialParameters {
            alg: CoseAlgorithm(-7),
            credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        }],
        options: Some(options),
        ..Default::default()
    }
}

/// Registers a discoverable credential for each `(rp, user)`.
pub fn register<P: PinProtocol, D: CtapDevice>(
    session: &mut Session<D, P>,
    creds: &[(&str, &str)],
) {
    for (rp, user) in creds {
        let mut token = session
            .pin_token_for_rp::<perms![MakeCredential]>(&pin(), rp)
            .unwrap();
        token.make_credential(resident(rp, user)).unwrap();
    }
}

/// How [`Rewriting`] changes getInfo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewrite {
    /// Offer the prototype commands (credentialMgmtPreview, userVerificationMgmtPreview)
    /// instead of credMgmt and bioEnroll, and forward 0x41/0x40 to 0x0A/0x09.
    Preview,
    /// Drop credMgmt, bioEnroll and authnrCfg.
    Without,
}

/// A device that rewrites getInfo answers and logs the CTAP command byte of every CBOR
/// message.
pub struct Rewriting<D> {
    inner: D,
    rewrite: Rewrite,
    pub commands: Arc<Mutex<Vec<u8>>>,
}

impl<D: CtapDevice> Rewriting<D> {
    pub fn new(inner: D, rewrite: Rewrite) -> Self {
        Rewriting {
            inner,
            rewrite,
            commands: Arc::default(),
        }
    }

    fn info(&self, body: &[u8]) -> Vec<u8> {
        let mut info: Info = fido_types::cbor::from_slice(body).unwrap();
        let options = info.options.as_mut().unwrap();
        for name in ["credMgmt", "bioEnroll", "authnrCfg", "perCredMgmtRO"] {
            if let Some(value) = options.remove(name) {
                match (self.rewrite, name) {
                    (Rewrite::Preview, "credMgmt") => {
                        options.insert("credentialMgmtPreview".into(), value);
                    }
                    (Rewrite::Preview, "bioEnroll") => {
                        options.insert("userVerificationMgmtPreview".into(), value);
                    }
                    (Rewrite::Preview, _) => {
                        options.insert(name.into(), value);
                    }
                    _ => {}
                }
            }
        }
        fido_types::cbor::to_vec(&info).unwrap()
    }
}

impl<D: CtapDevice> CtapDevice for Rewriting<D> {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        if cmd != CtaphidCommand::CBOR || payload.is_empty() {
            return self.inner.call(cmd, payload, cancel, on_keepalive);
        }
        let command = payload[0];
        self.commands
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(command);
        let mut forwarded = payload.to_vec();
        forwarded[0] = match command {
            0x41 => 0x0A,
            0x40 => 0x09,
            other => other,
        };
        let mut answer = self.inner.call(cmd, &forwarded, cancel, on_keepalive)?;
        if command == 0x04 && answer.first() == Some(&0) {
            let body = self.info(&answer[1..]);
            answer.truncate(1);
            answer.extend(body);
        }
        Ok(answer)
    }

    fn info(&self) -> &DeviceInfo {
        self.inner.info()
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

/// Answers a CBOR message: `Some(answer)` replaces the authenticator's, `None` forwards.
pub type Answer = Box<dyn FnMut(&[u8]) -> Option<Vec<u8>> + Send>;

/// A device that lets `answer` reply in the authenticator's place (a misbehaving
/// authenticator), and forwards everything else.
pub struct Intercept<D> {
    inner: D,
    answer: Answer,
}

impl<D: CtapDevice> Intercept<D> {
    pub fn new(inner: D, answer: Answer) -> Self {
        Intercept { inner, answer }
    }
}

impl<D: CtapDevice> CtapDevice for Intercept<D> {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        if cmd == CtaphidCommand::CBOR
            && let Some(answer) = (self.answer)(payload)
        {
            return Ok(answer);
        }
        self.inner.call(cmd, payload, cancel, on_keepalive)
    }

    fn info(&self) -> &DeviceInfo {
        self.inner.info()
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

/// A success answer with the CBOR `body`.
pub fn ok_answer(body: Vec<u8>) -> Vec<u8> {
    let mut answer = vec![0];
    answer.extend(body);
    answer
}
