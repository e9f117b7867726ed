//! hmac-secret's salts and outputs on the wire (CTAP 2.2 §12.6, §12.7), shared by the
//! `hmac-secret` and `prf` extensions, and PRF's salt derivation (WebAuthn L3 §10.1.4).

use fido_types::cbor::{self, StrMap, Value};
use fido_types::generated::ExtensionId;
use fido_types::generated::extensions::HmacSecretInput;
use fido_types::pin_protocol::PinProtocol;
use fido_types::pin_protocol::ProtocolOne;
use ring::digest;
use zeroize::Zeroizing;

use super::error::ExtensionError;
use super::secret::ExtensionSecret;

/// The hmac-secret inputs of a makeCredential, for the `hmac-secret` and `prf`
/// extensions alike: `hmac-secret: true`, and `hmac-secret-mc` with `salts` (an encrypted
/// [`hmac_secret_input`]) when the secrets are also evaluated at registration.
pub fn insert_registration_inputs(inputs: &mut StrMap<Value>, salts: Option<Value>) {
    inputs.insert(
        ExtensionId::HMAC_SECRET.as_str().to_owned(),
        Value::Bool(true),
    );
    if let Some(salts) = salts {
        inputs.insert(ExtensionId::HMAC_SECRET_MC.as_str().to_owned(), salts);
    }
}

/// The length of one hmac-secret salt and of one output.
pub const SALT_LEN: usize = 32;

/// The hmac-secret salt for a PRF input: SHA-256("WebAuthn PRF" || 0x00 || input)
/// (WebAuthn L3 §10.1.4).
///
/// ```
/// use fido_webauthn::extensions::prf_salt;
/// // The same input always gives the same salt; different inputs, different salts.
/// assert_eq!(prf_salt(b"a"), prf_salt(b"a"));
/// assert_ne!(prf_salt(b"a"), prf_salt(b"b"));
/// ```
pub fn prf_salt(input: &[u8]) -> [u8; SALT_LEN] {
    let mut context = digest::Context::new(&digest::SHA256);
    context.update(b"WebAuthn PRF");
    context.update(&[0x00]);
    context.update(input);
    let mut salt = [0; SALT_LEN];
    salt.copy_from_slice(context.finish().as_ref());
    salt
}

/// The hmac-secret (or hmac-secret-mc) input for one or two 32-byte salts: the salts
/// encrypted under the shared secret, authenticated, with the platform key and (for
/// protocol two) the protocol number, as python-fido2 sends it.
///
/// # Errors
/// [`ExtensionError::Malformed`] for a salt that is not 32 bytes; a failed encryption.
pub fn hmac_secret_input(
    extension: &str,
    secret: &ExtensionSecret,
    salt1: &[u8],
    salt2: Option<&[u8]>,
) -> Result<Value, ExtensionError> {
    let mut salts = Zeroizing::new(Vec::with_capacity(2 * SALT_LEN));
    for salt in std::iter::once(salt1).chain(salt2) {
        if salt.len() != SALT_LEN {
            return Err(ExtensionError::malformed(
                extension,
                format!("a salt is {} bytes, not {SALT_LEN}", salt.len()),
            ));
        }
        salts.extend_from_slice(salt);
    }
    let salt_enc = secret
        .encrypt(&salts)
        .map_err(|e| ExtensionError::ctap(extension, e))?;
    let salt_auth = secret.authenticate(&salt_enc);
    let protocol = secret.protocol();
    let input = HmacSecretInput {
        key_agreement: secret.platform_key().clone(),
        salt_enc,
        salt_auth,
        pin_uv_auth_protocol: (protocol != ProtocolOne::VERSION).then_some(protocol),
    };
    let bytes = cbor::to_vec(&input).map_err(|e| ExtensionError::ctap(extension, e))?;
    cbor::from_slice(&bytes).map_err(|e| ExtensionError::ctap(extension, e))
}

/// The decrypted hmac-secret output: one or two 32-byte outputs. Zeroized on drop.
pub struct HmacOutputs {
    /// HMAC of the first salt.
    pub first: Zeroizing<Vec<u8>>,
    /// HMAC of the second salt, if one was sent.
    pub second: Option<Zeroizing<Vec<u8>>>,
}

/// Decrypts an hmac-secret (or hmac-secret-mc) output; `salts` is how many were sent.
///
/// # Errors
/// [`ExtensionError::InvalidOutput`] for an output that is not a byte string, does not
/// decrypt, or does not hold `salts` outputs.
pub fn hmac_secret_output(
    extension: &str,
    secret: &ExtensionSecret,
    output: &Value,
    salts: usize,
) -> Result<HmacOutputs, ExtensionError> {
    let Value::Bytes(encrypted) = output else {
        return Err(ExtensionError::invalid_output(
            extension,
            "not a byte string",
        ));
    };
    let plain = secret
        .decrypt(encrypted)
        .map_err(|e| ExtensionError::invalid_output(extension, e.to_string()))?;
    if plain.len() != salts * SALT_LEN {
        return Err(ExtensionError::invalid_output(
            extension,
            format!("{} bytes of output for {salts} salts", plain.len()),
        ));
    }
    let first = Zeroizing::new(plain[..SALT_LEN].to_vec());
    let second = (salts == 2).then(|| Zeroizing::new(plain[SALT_LEN..].to_vec()));
    Ok(HmacOutputs { first, second })
}
