//! `Ctap1`: the U2F (CTAP1) raw message protocol over any [`CtapDevice`].
//!
//! python-fido2's `Ctap1` made typed. Requests are ISO 7816-4 command APDUs in extended
//! length form (`CLA INS P1 P2 00 Lc1 Lc2 data 00 00`), sent with CTAPHID_MSG; a status
//! word other than 0x9000 becomes an [`ApduError`]. REGISTER and AUTHENTICATE responses
//! parse into [`RegistrationData`] and [`SignatureData`], which verify their ECDSA P-256
//! signatures with ring.
//!
//! ```no_run
//! use fido_ctap::ctap1::Ctap1;
//! # fn device() -> Box<dyn fido_ctap::device::CtapDevice> {
//! #     let uri = fido_ctap::device::DeviceUri::FirstHid;
//! #     fido_ctap::device::DeviceOpener::new().open(&uri).expect("a FIDO key")
//! # }
//!
//! let mut u2f = Ctap1::new(device());
//! assert_eq!(u2f.get_version()?, "U2F_V2");
//! let (app_param, client_param) = ([1u8; 32], [2u8; 32]);
//! let registration = u2f.register(&client_param, &app_param)?;
//! registration.verify(&app_param, &client_param)?;
//! let assertion = u2f.authenticate(&client_param, &app_param, registration.key_handle(), false)?;
//! assertion.verify(&app_param, &client_param, registration.public_key())?;
//! # Ok::<(), fido_ctap::error::Error>(())
//! ```

use core::fmt;

use fido_types::apdu::ApduStatus;
use fido_types::cose::CoseKey;
use fido_types::error::ApduError;
use ring::signature;

use crate::device::{CancelToken, CtapDevice, CtaphidCommand, KeepaliveStatus};
use crate::error::{Error, RequestError, ResponseError, Result};

/// U2F instruction and AUTHENTICATE control bytes, from the spec tables (`spec/u2f.toml`).
pub use fido_types::generated::u2f::{U2fControl, U2fInstruction};

/// The longest data field an extended-length APDU carries.
pub const MAX_APDU_DATA: usize = 0xFFFF;

/// Encodes a command APDU in extended-length form, the way python-fido2's
/// `Ctap1.send_apdu` does: `CLA INS P1 P2 00 Lc(2) data 00 00` (Le = 0: up to 65536 bytes).
///
/// # Errors
/// [`RequestError::Invalid`] if `data` exceeds 65535 bytes.
pub fn encode_apdu(cla: u8, ins: u8, p1: u8, p2: u8, data: &[u8]) -> Result<Vec<u8>> {
    let len = u16::try_from(data.len())
        .map_err(|_| RequestError::Invalid("APDU data longer than 65535 bytes"))?;
    let mut apdu = Vec::with_capacity(data.len() + 9);
    apdu.extend([cla, ins, p1, p2, 0]);
    apdu.extend(len.to_be_bytes());
    apdu.extend(data);
    apdu.extend([0, 0]);
    Ok(apdu)
}

/// A U2F authenticator.
pub struct Ctap1<D: CtapDevice = Box<dyn CtapDevice>> {
    device: D,
    cancel: CancelToken,
}

impl<D: CtapDevice> fmt::Debug for Ctap1<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctap1").finish_non_exhaustive()
    }
}

impl<D: CtapDevice> Ctap1<D> {
    /// Wraps a device.
    pub fn new(device: D) -> Self {
        Ctap1 {
            device,
            cancel: CancelToken::new(),
        }
    }

    /// The underlying device.
    pub fn device(&mut self) -> &mut D {
        &mut self.device
    }

    /// Gives the device back.
    pub fn into_device(self) -> D {
        self.device
    }

    /// The token that cancels the request in flight.
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    /// Sends one APDU and returns the response data without its status word.
    ///
    /// # Errors
    /// [`Error::Apdu`] for a status word other than 0x9000 (with the data that came with
    /// it); [`ResponseError::Truncated`] for a response without a status word; a
    /// transport error.
    pub fn send_apdu(&mut self, cla: u8, ins: u8, p1: u8, p2: u8, data: &[u8]) -> Result<Vec<u8>> {
        let apdu = encode_apdu(cla, ins, p1, p2, data)?;
        let response = self.device.call(
            CtaphidCommand::MSG,
            &apdu,
            &self.cancel,
            &mut |_: KeepaliveStatus| {},
        )?;
        let (body, status) =
            ApduStatus::split_response(&response).ok_or(ResponseError::Truncated {
                what: "response APDU",
                len: response.len(),
            })?;
        if status.is_ok() {
            Ok(body.to_vec())
        } else {
            Err(ApduError::new(status, body).into())
        }
    }

    /// U2F_VERSION: `"U2F_V2"` for every U2F authenticator.
    ///
    /// # Errors
    /// As [`send_apdu`](Self::send_apdu); [`ResponseError::Invalid`] if not ASCII.
    pub fn get_version(&mut self) -> Result<String> {
        let body = self.send_apdu(0, U2fInstruction::VERSION.0, 0, 0, &[])?;
        String::from_utf8(body).ok().filter(|v| v.is_ascii()).ok_or(
            ResponseError::Invalid {
                what: "U2F version",
                reason: "not ASCII",
            }
            .into(),
        )
    }

    /// U2F_REGISTER with the client data hash (`client_param`) and the application
    /// parameter (`app_param`, SHA-256 of the AppID). Needs a touch: a
    /// `USE_NOT_SATISFIED` status means "not yet"; callers poll.
    ///
    /// # Errors
    /// As [`send_apdu`](Self::send_apdu); a malformed registration as [`ResponseError`].
    pub fn register(
        &mut self,
        client_param: &[u8; 32],
        app_param: &[u8; 32],
    ) -> Result<RegistrationData> {
        let mut data = Vec::with_capacity(64);
        data.extend(client_param);
        data.extend(app_param);
        let body = self.send_apdu(0, U2fInstruction::REGISTER.0, 0, 0, &data)?;
        RegistrationData::parse(&body)
    }

    /// U2F_AUTHENTICATE. With `check_only` the authenticator only says whether the key
    /// handle is its own, by failing with `USE_NOT_SATISFIED` (yes) or `WRONG_DATA` (no);
    /// see [`is_key_handle_known`](Self::is_key_handle_known).
    ///
    /// # Errors
    /// As [`send_apdu`](Self::send_apdu); [`RequestError::Invalid`] for a key handle longer
    /// than 255 bytes; a malformed response as [`ResponseError`].
    pub fn authenticate(
        &mut self,
        client_param: &[u8; 32],
        app_param: &[u8; 32],
        key_handle: &[u8],
        check_only: bool,
    ) -> Result<SignatureData> {
        let p1 = if check_only {
            U2fControl::CHECK_ONLY
        } else {
            U2fControl::ENFORCE_PRESENCE
        };
        self.authenticate_with_control(p1, client_param, app_param, key_handle)
    }

    /// U2F_AUTHENTICATE with an explicit control byte (see [`U2fControl`]).
    ///
    /// # Errors
    /// As [`authenticate`](Self::authenticate).
    pub fn authenticate_with_control(
        &mut self,
        control: U2fControl,
        client_param: &[u8; 32],
        app_param: &[u8; 32],
        key_handle: &[u8],
    ) -> Result<SignatureData> {
        let kh_len = u8::try_from(key_handle.len())
            .map_err(|_| RequestError::Invalid("key handle longer than 255 bytes"))?;
        let mut data = Vec::with_capacity(65 + key_handle.len());
        data.extend(client_param);
        data.extend(app_param);
        data.push(kh_len);
        data.extend(key_handle);
        let body = self.send_apdu(0, U2fInstruction::AUTHENTICATE.0, control.0, 0, &data)?;
        SignatureData::parse(&body)
    }

    /// A check-only AUTHENTICATE: `Ok(true)` if the authenticator knows the key handle
    /// for `app_param`, `Ok(false)` if not.
    ///
    /// # Errors
    /// Any other status or a transport error.
    pub fn is_key_handle_known(&mut self, app_param: &[u8; 32], key_handle: &[u8]) -> Result<bool> {
        match self.authenticate(&[0; 32], app_param, key_handle, true) {
            Err(Error::Apdu(e)) if e.status() == ApduStatus::USE_NOT_SATISFIED => Ok(true),
            Err(Error::Apdu(e)) if e.status() == ApduStatus::WRONG_DATA => Ok(false),
            Err(e) => Err(e),
            Ok(_) => Err(ResponseError::Invalid {
                what: "check-only authenticate",
                reason: "the authenticator signed instead of answering with a status",
            }
            .into()),
        }
    }
}

/// The uncompressed P-256 point a U2F authenticator uses as a credential public key.
pub type PublicKey = [u8; 65];

/// A parsed U2F_REGISTER response (FIDO U2F Raw Message Formats §4.3).
#[derive(Clone, PartialEq, Eq)]
pub struct RegistrationData {
    public_key: PublicKey,
    cose_key: CoseKey,
    key_handle: Vec<u8>,
    certificate: Vec<u8>,
    signature: Vec<u8>,
}

impl fmt::Debug for RegistrationData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistrationData")
            .field("public_key", &hex::encode(self.public_key))
            .field("key_handle", &hex::encode(&self.key_handle))
            .field(
                "certificate",
                &format_args!("{} bytes", self.certificate.len()),
            )
            .field("signature", &hex::encode(&self.signature))
            .finish()
    }
}

fn truncated(what: &'static str, len: usize) -> Error {
    ResponseError::Truncated { what, len }.into()
}

/// The length of the DER element at the start of `der` (header included), checked
/// against `der.len()`.
fn der_element_len(der: &[u8]) -> Option<usize> {
    let (&tag, rest) = der.split_first()?;
    if tag != 0x30 {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, header) = match first {
        0..=0x7F => (usize::from(first), 2),
        0x81..=0x83 => {
            let n = usize::from(first - 0x80);
            let bytes = rest.get(..n)?;
            (
                bytes
                    .iter()
                    .fold(0usize, |acc, b| acc << 8 | usize::from(*b)),
                2 + n,
            )
        }
        _ => return None,
    };
    let total = header + len;
    (total <= der.len()).then_some(total)
}

/// The ASN.1 prefix of a P-256 SubjectPublicKeyInfo (id-ecPublicKey, prime256v1, a
/// 66-byte BIT STRING): RFC 5480 §2.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

impl RegistrationData {
    /// Parses `0x05 || public key (65) || L || key handle (L) || certificate (DER) ||
    /// signature`.
    ///
    /// # Errors
    /// [`ResponseError`] naming what is wrong; lengths are checked against the input.
    pub fn parse(data: &[u8]) -> Result<Self> {
        let what = "registration data";
        if data.len() < 67 {
            return Err(truncated(what, data.len()));
        }
        if data[0] != 0x05 {
            return Err(ResponseError::Invalid {
                what,
                reason: "the reserved byte is not 0x05",
            }
            .into());
        }
        let public_key: PublicKey = data[1..66]
            .try_into()
            .map_err(|_| truncated(what, data.len()))?;
        let cose_key = CoseKey::from_ctap1(&public_key).map_err(|_| ResponseError::Invalid {
            what: "U2F public key",
            reason: "not an uncompressed P-256 point",
        })?;
        let kh_len = usize::from(data[66]);
        let rest = &data[67..];
        let key_handle = rest
            .get(..kh_len)
            .ok_or_else(|| truncated(what, data.len()))?;
        let rest = &rest[kh_len..];
        let cert_len = der_element_len(rest).ok_or(ResponseError::Invalid {
            what: "attestation certificate",
            reason: "not a complete DER SEQUENCE",
        })?;
        let (certificate, signature) = rest.split_at(cert_len);
        if signature.is_empty() {
            return Err(truncated(what, data.len()));
        }
        Ok(RegistrationData {
            public_key,
            cose_key,
            key_handle: key_handle.to_vec(),
            certificate: certificate.to_vec(),
            signature: signature.to_vec(),
        })
    }

    /// The credential's public key, an uncompressed P-256 point.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// The credential's public key as a COSE ES256 key (python-fido2's
    /// `ES256.from_ctap1`), for building a WebAuthn credential from a U2F registration.
    pub fn cose_key(&self) -> &CoseKey {
        &self.cose_key
    }

    /// The key handle (the credential ID).
    pub fn key_handle(&self) -> &[u8] {
        &self.key_handle
    }

    /// The attestation certificate, DER.
    pub fn certificate(&self) -> &[u8] {
        &self.certificate
    }

    /// The attestation signature, DER-encoded ECDSA.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The attestation certificate's P-256 public key (uncompressed point), found by its
    /// SubjectPublicKeyInfo. U2F attestation keys are P-256.
    ///
    /// # Errors
    /// [`ResponseError::Invalid`] if the certificate holds no P-256 key.
    pub fn attestation_key(&self) -> Result<&[u8]> {
        let at = self
            .certificate
            .windows(P256_SPKI_PREFIX.len())
            .position(|w| w == P256_SPKI_PREFIX)
            .ok_or(ResponseError::Invalid {
                what: "attestation certificate",
                reason: "no P-256 public key",
            })?;
        let start = at + P256_SPKI_PREFIX.len();
        self.certificate
            .get(start..start + 65)
            .ok_or_else(|| truncated("attestation certificate", self.certificate.len()))
    }

    /// Verifies the attestation signature over `0x00 || app_param || client_param ||
    /// key handle || public key` with the certificate's key.
    ///
    /// # Errors
    /// [`ResponseError::BadSignature`] if it does not verify.
    pub fn verify(&self, app_param: &[u8; 32], client_param: &[u8; 32]) -> Result<()> {
        let mut message = vec![0x00];
        message.extend(app_param);
        message.extend(client_param);
        message.extend(&self.key_handle);
        message.extend(self.public_key);
        signature::UnparsedPublicKey::new(
            &signature::ECDSA_P256_SHA256_ASN1,
            self.attestation_key()?,
        )
        .verify(&message, &self.signature)
        .map_err(|_| ResponseError::BadSignature("U2F attestation").into())
    }
}

/// A parsed U2F_AUTHENTICATE response (FIDO U2F Raw Message Formats §5.4).
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureData {
    user_presence: u8,
    counter: u32,
    signature: Vec<u8>,
}

impl fmt::Debug for SignatureData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureData")
            .field("user_presence", &self.user_presence)
            .field("counter", &self.counter)
            .field("signature", &hex::encode(&self.signature))
            .finish()
    }
}

impl SignatureData {
    /// Parses `user presence (1) || counter (4, big-endian) || signature`.
    ///
    /// # Errors
    /// [`ResponseError::Truncated`] without a signature.
    pub fn parse(data: &[u8]) -> Result<Self> {
        if data.len() < 6 {
            return Err(truncated("signature data", data.len()));
        }
        Ok(SignatureData {
            user_presence: data[0],
            counter: u32::from_be_bytes([data[1], data[2], data[3], data[4]]),
            signature: data[5..].to_vec(),
        })
    }

    /// The user presence byte (bit 0 set: the user touched the authenticator).
    pub fn user_presence(&self) -> u8 {
        self.user_presence
    }

    /// The signature counter.
    pub fn counter(&self) -> u32 {
        self.counter
    }

    /// The signature, DER-encoded ECDSA.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// Verifies the signature over `app_param || user presence || counter ||
    /// client_param` with the credential's `public_key` (from [`RegistrationData`]).
    ///
    /// # Errors
    /// [`ResponseError::BadSignature`] if it does not verify.
    pub fn verify(
        &self,
        app_param: &[u8; 32],
        client_param: &[u8; 32],
        public_key: &PublicKey,
    ) -> Result<()> {
        let mut message = Vec::with_capacity(69);
        message.extend(app_param);
        message.push(self.user_presence);
        message.extend(self.counter.to_be_bytes());
        message.extend(client_param);
        signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_ASN1, public_key)
            .verify(&message, &self.signature)
            .map_err(|_| ResponseError::BadSignature("U2F authentication").into())
    }
}
