//! Test doubles for the CTAP layer: a `CtapDevice` driven by a closure, and a small
//! scripted CTAP2 authenticator (getInfo, ClientPIN with both protocols, getCredsMetadata,
//! toggleAlwaysUv, reset, selection) written from the spec with `fido_types`'
//! authenticator-side primitives, independently of the client code under test.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use fido_ctap::device::CancelToken;
use fido_ctap::device::{
    CapabilityFlags, CtapDevice, CtaphidCommand, DeviceDescriptor, DeviceInfo, DeviceUri,
    KeepaliveStatus, Timeouts, TransportError,
};
use fido_types::cbor::{self, Value};
use fido_types::pin_protocol::{
    KeyAgreementKey, Pin, PinProtocol, PinUvAuthToken, ProtocolOne, ProtocolTwo,
};
use ring::digest;

/// Every request a device received, in order.
pub type Log = Arc<Mutex<Vec<(CtaphidCommand, Vec<u8>)>>>;

/// A `CtapDevice` that answers with a closure and logs every request.
pub struct FnDevice<F> {
    handler: F,
    /// Keepalive statuses reported before every answer.
    pub keepalives: Vec<KeepaliveStatus>,
    info: DeviceInfo,
    timeouts: Timeouts,
    pub log: Log,
}

impl<F: FnMut(CtaphidCommand, &[u8]) -> Vec<u8> + Send> FnDevice<F> {
    pub fn new(handler: F) -> Self {
        FnDevice {
            handler,
            keepalives: Vec::new(),
            info: DeviceInfo {
                descriptor: DeviceDescriptor::from_uri(DeviceUri::Virtual),
                protocol_version: 2,
                major: 1,
                minor: 0,
                build: 0,
                capabilities: CapabilityFlags(0x05),
            },
            timeouts: Timeouts::default(),
            log: Log::default(),
        }
    }
}

impl<F: FnMut(CtaphidCommand, &[u8]) -> Vec<u8> + Send> CtapDevice for FnDevice<F> {
    fn call(
        &mut self,
        cmd: CtaphidCommand,
        payload: &[u8],
        cancel: &CancelToken,
        on_keepalive: &mut dyn FnMut(KeepaliveStatus),
    ) -> Result<Vec<u8>, TransportError> {
        if cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        for status in &self.keepalives {
            on_keepalive(*status);
        }
        self.log.lock().unwrap().push((cmd, payload.to_vec()));
        Ok((self.handler)(cmd, payload))
    }

    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.timeouts = timeouts;
    }

    fn close(&mut self) {}
}

/// A device that answers every request with `response`.
pub fn fixed(response: Vec<u8>) -> FnDevice<impl FnMut(CtaphidCommand, &[u8]) -> Vec<u8> + Send> {
    FnDevice::new(move |_, _| response.clone())
}

/// A device that answers with the scripted responses in order (and panics past the end).
pub fn scripted(
    responses: Vec<Vec<u8>>,
) -> FnDevice<impl FnMut(CtaphidCommand, &[u8]) -> Vec<u8> + Send> {
    let mut responses = responses.into_iter();
    FnDevice::new(move |cmd, req| {
        responses
            .next()
            .unwrap_or_else(|| panic!("no scripted response left for {cmd} {}", hex::encode(req)))
    })
}

/// `status || CBOR(value)`.
pub fn ok(value: &Value) -> Vec<u8> {
    let mut out = vec![0];
    out.extend(cbor::to_vec(value).unwrap());
    out
}

pub fn int_map(entries: Vec<(i128, Value)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (Value::Integer(k), v))
            .collect(),
    )
}

fn text_map(entries: &[(&str, bool)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| (Value::Text((*k).to_owned()), Value::Bool(*v)))
            .collect(),
    )
}

// Status bytes, CTAP 2.1 §8.2 (the same values as `fido_types::status::CtapStatus`).
pub const OK: u8 = 0x00;
pub const INVALID_COMMAND: u8 = 0x01;
pub const INVALID_PARAMETER: u8 = 0x02;
pub const MISSING_PARAMETER: u8 = 0x14;
pub const OPERATION_DENIED: u8 = 0x27;
pub const NOT_ALLOWED: u8 = 0x30;
pub const PIN_INVALID: u8 = 0x31;
pub const PIN_BLOCKED: u8 = 0x32;
pub const PIN_AUTH_INVALID: u8 = 0x33;
pub const PIN_AUTH_BLOCKED: u8 = 0x34;
pub const PIN_NOT_SET: u8 = 0x35;
pub const PUAT_REQUIRED: u8 = 0x36;
pub const PIN_POLICY_VIOLATION: u8 = 0x37;
pub const UV_BLOCKED: u8 = 0x3C;
pub const UV_INVALID: u8 = 0x3F;
pub const UNAUTHORIZED_PERMISSION: u8 = 0x40;

/// python-fido2 tests/test_ctap2.py `_MC_RESP`: a YubiKey's packed makeCredential
/// response for example.com.
pub const MC_RESPONSE: &str = "a301667061636b65640258c40021f5fc0b85cd22e60623bcd7d1ca48948909249b4776eb515154e57b66ae12410000001cf8a011f38c0a4d15800617111f9edc7d0040fe3aac036d14c1e1c65518b698dd1da8f596bc33e11072813466c6bf3845691509b80fb76d59309b8d39e0a93452688f6ca3a39a76f3fc52744fb73948b15783a5010203262001215820643566c206dd00227005fa5de69320616ca268043a38f08bde2e9dc45a5cafaf225820171353b2932434703726aae579fa6542432861fe591e481ea22d63997e1a529003a363616c67266373696758483046022100cc1ef43edf07de8f208c21619c78a565ddcf4150766ad58781193be8e0a742ed022100f1ed7c7243e45b7d8e5bda6b1abf10af7391789d1ef21b70bd69fed48dba4cb163783563815901973082019330820138a003020102020900859b726cb24b4c29300a06082a8648ce3d0403023047310b300906035504061302555331143012060355040a0c0b59756269636f205465737431223020060355040b0c1941757468656e74696361746f72204174746573746174696f6e301e170d3136313230343131353530305a170d3236313230323131353530305a3047310b300906035504061302555331143012060355040a0c0b59756269636f205465737431223020060355040b0c1941757468656e74696361746f72204174746573746174696f6e3059301306072a8648ce3d020106082a8648ce3d03010703420004ad11eb0e8852e53ad5dfed86b41e6134a18ec4e1af8f221a3c7d6e636c80ea13c3d504ff2e76211bb44525b196c44cb4849979cf6f896ecd2bb860de1bf4376ba30d300b30090603551d1304023000300a06082a8648ce3d0403020349003046022100e9a39f1b03197525f7373e10ce77e78021731b94d0c03f3fda1fd22db3d030e7022100c4faec3445a820cf43129cdb00aabefd9ae2d874f9c5d343cb2f113da23723f3";
/// python-fido2 tests/test_ctap2.py `_GA_RESP`: the same YubiKey's getAssertion response.
pub const GA_RESPONSE: &str = "a301a26269645840fe3aac036d14c1e1c65518b698dd1da8f596bc33e11072813466c6bf3845691509b80fb76d59309b8d39e0a93452688f6ca3a39a76f3fc52744fb73948b1578364747970656a7075626c69632d6b65790258250021f5fc0b85cd22e60623bcd7d1ca48948909249b4776eb515154e57b66ae12010000001d035846304402206765cbf6e871d3af7f01ae96f06b13c90f26f54b905c5166a2c791274fc2397102200b143893586cc799fba4da83b119eaea1bd80ac3ce88fcedb3efbd596a1f4f63";

/// What the fake authenticator is and how it behaves.
pub struct FakeAuthenticator {
    pub versions: Vec<&'static str>,
    pub protocols: Vec<u64>,
    pub max_msg_size: u64,
    pub min_pin_length: u64,
    /// `pinUvAuthToken` option (CTAP 2.1 tokens with permissions).
    pub token_support: bool,
    /// Built-in UV present (`uv` option).
    pub uv: bool,
    /// Whether the next UV attempt succeeds.
    pub uv_matches: bool,
    pub uv_retries: u32,
    pub pin_hash: Option<[u8; 16]>,
    pub pin_retries: u32,
    pub consecutive_failures: u32,
    pub key_agreement: KeyAgreementKey,
    pub token: Option<[u8; 32]>,
    pub token_permissions: u32,
    pub token_rp_id: Option<String>,
    pub credentials: u64,
    pub always_uv: bool,
    pub reset_allowed: bool,
    pub reset_denied: bool,
    /// Every ClientPIN request map, decoded.
    pub client_pin_requests: Vec<BTreeMap<Value, Value>>,
    /// The makeCredential response body (CBOR).
    pub make_credential_response: Vec<u8>,
    /// The getAssertion answers, first and then each getNextAssertion.
    pub assertions: Vec<Value>,
    pub next_assertion: usize,
    /// Discoverable credentials: (RP ID, credential ID, user ID), grouped by RP.
    pub resident: Vec<(String, Vec<u8>, Vec<u8>)>,
    pub cursor: Vec<String>,
    pub credential_cursor: Vec<(String, Vec<u8>, Vec<u8>)>,
    /// Issue this token instead of a random one (for known-answer tests).
    pub fixed_token: Option<[u8; 32]>,
    /// Answer authenticatorBioEnrollment (and list `bioEnroll`).
    pub bio: bool,
}

impl Default for FakeAuthenticator {
    fn default() -> Self {
        FakeAuthenticator {
            versions: vec!["FIDO_2_0", "FIDO_2_1"],
            protocols: vec![2, 1],
            max_msg_size: 1200,
            min_pin_length: 4,
            token_support: true,
            uv: false,
            uv_matches: true,
            uv_retries: 8,
            pin_hash: None,
            pin_retries: 8,
            consecutive_failures: 0,
            key_agreement: KeyAgreementKey::generate().unwrap(),
            token: None,
            token_permissions: 0,
            token_rp_id: None,
            credentials: 3,
            always_uv: false,
            reset_allowed: true,
            reset_denied: false,
            client_pin_requests: Vec::new(),
            make_credential_response: hex::decode(MC_RESPONSE).unwrap(),
            assertions: Vec::new(),
            next_assertion: 0,
            resident: vec![
                ("example.com".into(), vec![1; 16], b"alice".to_vec()),
                ("example.com".into(), vec![2; 16], b"bob".to_vec()),
                ("example.org".into(), vec![3; 16], b"carol".to_vec()),
            ],
            cursor: Vec::new(),
            credential_cursor: Vec::new(),
            fixed_token: None,
            bio: false,
        }
    }
}

type Reply = Result<Option<Value>, u8>;

fn get(map: &BTreeMap<Value, Value>, key: i128) -> Option<&Value> {
    map.get(&Value::Integer(key))
}

fn bytes(map: &BTreeMap<Value, Value>, key: i128) -> Result<Vec<u8>, u8> {
    match get(map, key) {
        Some(Value::Bytes(b)) => Ok(b.clone()),
        Some(_) => Err(0x11),
        None => Err(MISSING_PARAMETER),
    }
}

fn uint(map: &BTreeMap<Value, Value>, key: i128) -> Option<i128> {
    match get(map, key) {
        Some(Value::Integer(i)) => Some(*i),
        _ => None,
    }
}

pub fn pin_hash(pin: &str) -> [u8; 16] {
    digest::digest(&digest::SHA256, pin.as_bytes()).as_ref()[..16]
        .try_into()
        .unwrap()
}

impl FakeAuthenticator {
    /// A fake with `pin` already set.
    pub fn with_pin(pin: &str) -> Self {
        FakeAuthenticator {
            pin_hash: Some(pin_hash(pin)),
            ..Self::default()
        }
    }

    /// Shares the fake between the device and the test.
    pub fn into_shared(self) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(self))
    }

    pub fn info(&self) -> Value {
        let mut options = vec![
            ("rk", true),
            ("up", true),
            ("credMgmt", true),
            ("authnrCfg", true),
        ];
        options.push(("clientPin", self.pin_hash.is_some()));
        if self.token_support {
            options.push(("pinUvAuthToken", true));
        }
        if self.uv {
            options.push(("uv", true));
        }
        if self.bio {
            options.push(("bioEnroll", true));
        }
        let mut entries = vec![
            (
                1,
                Value::Array(
                    self.versions
                        .iter()
                        .map(|v| Value::Text((*v).into()))
                        .collect(),
                ),
            ),
            (3, Value::Bytes(vec![0xAA; 16])),
            (4, text_map(&options)),
            (5, Value::Integer(self.max_msg_size.into())),
            (
                6,
                Value::Array(
                    self.protocols
                        .iter()
                        .map(|p| Value::Integer((*p).into()))
                        .collect(),
                ),
            ),
        ];
        if self.min_pin_length != 4 {
            entries.push((0x0D, Value::Integer(self.min_pin_length.into())));
        }
        int_map(entries)
    }

    /// Handles one CTAPHID_CBOR message.
    pub fn handle(&mut self, cmd: CtaphidCommand, data: &[u8]) -> Vec<u8> {
        assert_eq!(cmd, CtaphidCommand::CBOR, "the fake speaks CTAP2 only");
        let (&command, params) = data.split_first().expect("empty CTAP2 message");
        let params = if params.is_empty() {
            BTreeMap::new()
        } else {
            // Requests must be canonical: decode strictly.
            match cbor::from_slice::<Value>(params) {
                Ok(Value::Map(map)) => map,
                _ => return vec![0x12],
            }
        };
        let reply = match command {
            0x04 => Ok(Some(self.info())),
            0x06 => self.client_pin(&params),
            0x07 => self.reset(),
            0x0A => self.credential_management(&params),
            0x01 => self.make_credential(&params),
            0x02 => self.get_assertion(&params),
            0x08 => self.get_next_assertion(),
            0x0B => Ok(None),
            0x09 if self.bio => self.bio_enrollment(&params),
            0x0D => self.config(&params),
            _ => Err(INVALID_COMMAND),
        };
        match reply {
            Ok(Some(value)) => ok(&value),
            Ok(None) => vec![OK],
            Err(status) => vec![status],
        }
    }

    fn reset(&mut self) -> Reply {
        if !self.reset_allowed {
            return Err(NOT_ALLOWED);
        }
        if self.reset_denied {
            return Err(OPERATION_DENIED);
        }
        self.pin_hash = None;
        self.pin_retries = 8;
        self.credentials = 0;
        self.token = None;
        Ok(None)
    }

    fn client_pin(&mut self, req: &BTreeMap<Value, Value>) -> Reply {
        self.client_pin_requests.push(req.clone());
        match uint(req, 1) {
            Some(1) => self.client_pin_with::<ProtocolOne>(req),
            Some(2) => self.client_pin_with::<ProtocolTwo>(req),
            Some(_) => Err(INVALID_PARAMETER),
            None => Err(MISSING_PARAMETER),
        }
    }

    fn shared<P: PinProtocol>(
        &self,
        req: &BTreeMap<Value, Value>,
    ) -> Result<fido_types::pin_protocol::SharedSecret<P>, u8> {
        let Some(Value::Map(key)) = get(req, 3) else {
            return Err(MISSING_PARAMETER);
        };
        let coord = |label: i128| match key.get(&Value::Integer(label)) {
            Some(Value::Bytes(b)) => {
                <[u8; 32]>::try_from(b.as_slice()).map_err(|_| INVALID_PARAMETER)
            }
            _ => Err(INVALID_PARAMETER),
        };
        self.key_agreement
            .decapsulate::<P>(&coord(-2)?, &coord(-3)?)
            .map_err(|_| INVALID_PARAMETER)
    }

    fn check_pin_hash<P: PinProtocol>(
        &mut self,
        shared: &fido_types::pin_protocol::SharedSecret<P>,
        pin_hash_enc: &[u8],
    ) -> Result<(), u8> {
        let Some(stored) = self.pin_hash else {
            return Err(PIN_NOT_SET);
        };
        if self.pin_retries == 0 {
            return Err(PIN_BLOCKED);
        }
        if self.consecutive_failures >= 3 {
            return Err(PIN_AUTH_BLOCKED);
        }
        let hash = P::decrypt(shared, pin_hash_enc).map_err(|_| INVALID_PARAMETER)?;
        if hash.as_slice() != stored {
            self.pin_retries -= 1;
            self.consecutive_failures += 1;
            self.key_agreement = KeyAgreementKey::generate().unwrap();
            return Err(if self.pin_retries == 0 {
                PIN_BLOCKED
            } else if self.consecutive_failures >= 3 {
                PIN_AUTH_BLOCKED
            } else {
                PIN_INVALID
            });
        }
        self.pin_retries = 8;
        self.consecutive_failures = 0;
        Ok(())
    }

    fn issue_token<P: PinProtocol>(
        &mut self,
        shared: &fido_types::pin_protocol::SharedSecret<P>,
        permissions: u32,
        rp_id: Option<String>,
    ) -> Reply {
        let bytes: [u8; 32] = match self.fixed_token {
            Some(fixed) => fixed,
            None => PinUvAuthToken::<ProtocolTwo>::generate()
                .unwrap()
                .expose_secret()
                .try_into()
                .unwrap(),
        };
        self.token = Some(bytes);
        self.token_permissions = permissions;
        self.token_rp_id = rp_id;
        let encrypted = P::encrypt(shared, &bytes).unwrap();
        Ok(Some(int_map(vec![(2, Value::Bytes(encrypted))])))
    }

    fn set_new_pin<P: PinProtocol>(
        &mut self,
        shared: &fido_types::pin_protocol::SharedSecret<P>,
        new_pin_enc: &[u8],
    ) -> Result<(), u8> {
        let padded = P::decrypt(shared, new_pin_enc).map_err(|_| INVALID_PARAMETER)?;
        let pin = Pin::from_padded(&padded, self.min_pin_length as usize)
            .map_err(|_| PIN_POLICY_VIOLATION)?;
        self.pin_hash = Some(pin_hash(pin.expose_secret()));
        self.pin_retries = 8;
        Ok(())
    }

    fn client_pin_with<P: PinProtocol>(&mut self, req: &BTreeMap<Value, Value>) -> Reply {
        let sub = uint(req, 2).ok_or(MISSING_PARAMETER)?;
        match sub {
            0x01 => Ok(Some(int_map(vec![
                (3, Value::Integer(self.pin_retries.into())),
                (4, Value::Bool(self.consecutive_failures >= 3)),
            ]))),
            0x02 => {
                let public = self.key_agreement.public_key();
                Ok(Some(int_map(vec![(
                    1,
                    int_map(vec![
                        (1, Value::Integer(2)),
                        (3, Value::Integer(-25)),
                        (-1, Value::Integer(1)),
                        (-2, Value::Bytes(public.x.to_vec())),
                        (-3, Value::Bytes(public.y.to_vec())),
                    ]),
                )])))
            }
            0x03 => {
                if self.pin_hash.is_some() {
                    return Err(NOT_ALLOWED);
                }
                let shared = self.shared::<P>(req)?;
                let new_pin_enc = bytes(req, 5)?;
                P::verify(&shared, &new_pin_enc, &bytes(req, 4)?).map_err(|_| PIN_AUTH_INVALID)?;
                self.set_new_pin(&shared, &new_pin_enc)?;
                Ok(None)
            }
            0x04 => {
                let shared = self.shared::<P>(req)?;
                let new_pin_enc = bytes(req, 5)?;
                let pin_hash_enc = bytes(req, 6)?;
                let mut message = new_pin_enc.clone();
                message.extend(&pin_hash_enc);
                P::verify(&shared, &message, &bytes(req, 4)?).map_err(|_| PIN_AUTH_INVALID)?;
                self.check_pin_hash(&shared, &pin_hash_enc)?;
                self.set_new_pin(&shared, &new_pin_enc)?;
                Ok(None)
            }
            0x05 | 0x09 => {
                let shared = self.shared::<P>(req)?;
                self.check_pin_hash(&shared, &bytes(req, 6)?)?;
                let (permissions, rp_id) = if sub == 0x09 {
                    let permissions = uint(req, 9).ok_or(MISSING_PARAMETER)? as u32;
                    if permissions == 0 {
                        return Err(INVALID_PARAMETER);
                    }
                    let rp_id = match get(req, 10) {
                        Some(Value::Text(t)) => Some(t.clone()),
                        _ => None,
                    };
                    (permissions, rp_id)
                } else {
                    // getPinToken: mc and ga, as CTAP 2.1 §6.5.5.7.1 grants legacy tokens.
                    (0x03, None)
                };
                self.issue_token(&shared, permissions, rp_id)
            }
            0x06 => {
                if !self.uv {
                    return Err(0x3E);
                }
                if self.uv_retries == 0 {
                    return Err(UV_BLOCKED);
                }
                let shared = self.shared::<P>(req)?;
                if !self.uv_matches {
                    self.uv_retries -= 1;
                    return Err(if self.uv_retries == 0 {
                        UV_BLOCKED
                    } else {
                        UV_INVALID
                    });
                }
                let permissions = uint(req, 9).ok_or(MISSING_PARAMETER)? as u32;
                let rp_id = match get(req, 10) {
                    Some(Value::Text(t)) => Some(t.clone()),
                    _ => None,
                };
                self.issue_token(&shared, permissions, rp_id)
            }
            0x07 => Ok(Some(int_map(vec![(
                5,
                Value::Integer(self.uv_retries.into()),
            )]))),
            _ => Err(0x3E),
        }
    }

    /// Checks `pinUvAuthParam` (key 4) over `message` with the current token, for a
    /// request whose protocol is key 3, and that the token holds `permission`.
    fn check_token(
        &self,
        req: &BTreeMap<Value, Value>,
        message: &[u8],
        permission: u32,
    ) -> Result<(), u8> {
        self.check_token_at(req, 4, 3, message, permission)
    }

    /// As `check_token`, with the param and protocol at the given keys.
    fn check_token_at(
        &self,
        req: &BTreeMap<Value, Value>,
        param_key: i128,
        protocol_key: i128,
        message: &[u8],
        permission: u32,
    ) -> Result<(), u8> {
        let param = match get(req, param_key) {
            Some(Value::Bytes(b)) => b.clone(),
            _ => return Err(PUAT_REQUIRED),
        };
        let token = self.token.ok_or(PIN_AUTH_INVALID)?;
        let verified = match uint(req, protocol_key) {
            Some(1) => ProtocolOne::verify(
                &PinUvAuthToken::<ProtocolOne>::from_bytes(&token).unwrap(),
                message,
                &param,
            ),
            Some(2) => ProtocolTwo::verify(
                &PinUvAuthToken::<ProtocolTwo>::from_bytes(&token).unwrap(),
                message,
                &param,
            ),
            _ => return Err(MISSING_PARAMETER),
        };
        verified.map_err(|_| PIN_AUTH_INVALID)?;
        if self.token_permissions & permission == 0 {
            return Err(UNAUTHORIZED_PERMISSION);
        }
        Ok(())
    }

    fn bio_enrollment(&mut self, req: &BTreeMap<Value, Value>) -> Reply {
        let modality = uint(req, 1).ok_or(MISSING_PARAMETER)?;
        let sub = uint(req, 2).ok_or(MISSING_PARAMETER)?;
        let mut message = vec![modality as u8, sub as u8];
        if let Some(params) = get(req, 3) {
            message.extend(cbor::to_vec(params).unwrap());
        }
        self.check_token_at(req, 5, 4, &message, 0x08)?;
        // enrollBegin: a template ID, the sample was good, two more to go.
        Ok(Some(int_map(vec![
            (4, Value::Bytes(vec![0x7E])),
            (5, Value::Integer(0)),
            (6, Value::Integer(2)),
        ])))
    }

    fn check_rp(&self, rp_id: &str) -> Result<(), u8> {
        match &self.token_rp_id {
            Some(bound) if bound != rp_id => Err(PIN_AUTH_INVALID),
            _ => Ok(()),
        }
    }

    fn make_credential(&mut self, req: &BTreeMap<Value, Value>) -> Reply {
        let cdh = bytes(req, 1)?;
        let Some(Value::Map(rp)) = get(req, 2) else {
            return Err(MISSING_PARAMETER);
        };
        let Some(Value::Text(rp_id)) = rp.get(&Value::Text("id".into())) else {
            return Err(MISSING_PARAMETER);
        };
        if self.pin_hash.is_some() {
            self.check_token_at(req, 8, 9, &cdh, 0x01)?;
            self.check_rp(rp_id)?;
        }
        self.credentials += 1;
        Ok(Some(
            cbor::from_slice(&self.make_credential_response).unwrap(),
        ))
    }

    fn get_assertion(&mut self, req: &BTreeMap<Value, Value>) -> Reply {
        let cdh = bytes(req, 2)?;
        let Some(Value::Text(rp_id)) = get(req, 1) else {
            return Err(MISSING_PARAMETER);
        };
        if get(req, 6).is_some() {
            self.check_token_at(req, 6, 7, &cdh, 0x02)?;
            self.check_rp(rp_id)?;
        }
        if self.assertions.is_empty() {
            return Err(0x2E);
        }
        self.next_assertion = 1;
        Ok(Some(self.assertions[0].clone()))
    }

    fn get_next_assertion(&mut self) -> Reply {
        let Some(next) = self.assertions.get(self.next_assertion).cloned() else {
            return Err(NOT_ALLOWED);
        };
        self.next_assertion += 1;
        Ok(Some(next))
    }

    fn credential_management(&mut self, req: &BTreeMap<Value, Value>) -> Reply {
        // Read-only subcommands accept cm or pcmr (CTAP 2.1 §6.8), the others cm only.
        const READ: u32 = 0x04 | 0x40;
        let sub = uint(req, 1).ok_or(MISSING_PARAMETER)?;
        let mut message = vec![u8::try_from(sub).map_err(|_| INVALID_PARAMETER)?];
        if let Some(params) = get(req, 2) {
            message.extend(cbor::to_vec(params).unwrap());
        }
        let rp_hash = |rp: &str| {
            Value::Bytes(
                digest::digest(&digest::SHA256, rp.as_bytes())
                    .as_ref()
                    .to_vec(),
            )
        };
        let credential_entry = |(_, id, user): &(String, Vec<u8>, Vec<u8>),
                                total: Option<usize>| {
            let text = |t: &str| Value::Text(t.into());
            let mut entries = vec![
                (
                    6,
                    Value::Map(BTreeMap::from([(text("id"), Value::Bytes(user.clone()))])),
                ),
                (
                    7,
                    Value::Map(BTreeMap::from([
                        (text("id"), Value::Bytes(id.clone())),
                        (text("type"), text("public-key")),
                    ])),
                ),
                (8, int_map(vec![(1, Value::Integer(2))])),
            ];
            if let Some(total) = total {
                entries.push((9, Value::Integer(total as i128)));
            }
            int_map(entries)
        };
        match sub {
            0x01 => {
                self.check_token(req, &message, READ)?;
                Ok(Some(int_map(vec![
                    (1, Value::Integer(self.credentials.into())),
                    (2, Value::Integer((25 - self.credentials).into())),
                ])))
            }
            0x02 => {
                self.check_token(req, &message, READ)?;
                let mut rps: Vec<String> =
                    self.resident.iter().map(|(rp, _, _)| rp.clone()).collect();
                rps.dedup();
                if rps.is_empty() {
                    return Err(0x2E);
                }
                self.cursor = rps.clone();
                let first = self.cursor.remove(0);
                Ok(Some(int_map(vec![
                    (
                        3,
                        Value::Map(BTreeMap::from([(
                            Value::Text("id".into()),
                            Value::Text(first.clone()),
                        )])),
                    ),
                    (4, rp_hash(&first)),
                    (5, Value::Integer(rps.len() as i128)),
                ])))
            }
            0x03 => {
                if self.cursor.is_empty() {
                    return Err(NOT_ALLOWED);
                }
                let next = self.cursor.remove(0);
                Ok(Some(int_map(vec![
                    (
                        3,
                        Value::Map(BTreeMap::from([(
                            Value::Text("id".into()),
                            Value::Text(next.clone()),
                        )])),
                    ),
                    (4, rp_hash(&next)),
                ])))
            }
            0x04 => {
                self.check_token(req, &message, READ)?;
                let Some(Value::Map(params)) = get(req, 2) else {
                    return Err(MISSING_PARAMETER);
                };
                let wanted = bytes(params, 1)?;
                let creds: Vec<_> = self
                    .resident
                    .iter()
                    .filter(|(rp, _, _)| rp_hash(rp) == Value::Bytes(wanted.clone()))
                    .cloned()
                    .collect();
                if creds.is_empty() {
                    return Err(0x2E);
                }
                self.credential_cursor = creds[1..].to_vec();
                Ok(Some(credential_entry(&creds[0], Some(creds.len()))))
            }
            0x05 => {
                if self.credential_cursor.is_empty() {
                    return Err(NOT_ALLOWED);
                }
                let next = self.credential_cursor.remove(0);
                Ok(Some(credential_entry(&next, None)))
            }
            0x06 => {
                self.check_token(req, &message, 0x04)?;
                let Some(Value::Map(params)) = get(req, 2) else {
                    return Err(MISSING_PARAMETER);
                };
                let Some(Value::Map(descriptor)) = get(params, 2) else {
                    return Err(MISSING_PARAMETER);
                };
                let Some(Value::Bytes(id)) = descriptor.get(&Value::Text("id".into())) else {
                    return Err(MISSING_PARAMETER);
                };
                let before = self.resident.len();
                self.resident.retain(|(_, cred, _)| cred != id);
                if self.resident.len() == before {
                    return Err(0x2E);
                }
                Ok(None)
            }
            _ => Err(0x3E),
        }
    }

    fn config(&mut self, req: &BTreeMap<Value, Value>) -> Reply {
        match uint(req, 1) {
            Some(0x02) => {
                let mut message = vec![0xff; 32];
                message.extend([0x0d, 0x02]);
                self.check_token(req, &message, 0x20)?;
                self.always_uv = !self.always_uv;
                Ok(None)
            }
            _ => Err(0x3E),
        }
    }
}

/// A device backed by a shared fake authenticator.
pub fn device(
    fake: &Arc<Mutex<FakeAuthenticator>>,
) -> FnDevice<impl FnMut(CtaphidCommand, &[u8]) -> Vec<u8> + Send + use<>> {
    let fake = Arc::clone(fake);
    FnDevice::new(move |cmd, data| fake.lock().unwrap().handle(cmd, data))
}
