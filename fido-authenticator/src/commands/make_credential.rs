//! authenticatorMakeCredential (0x01): the algorithms of [`crate::keys`], rk, excludeList, up/uv, enterprise
//! attestation, "packed" self or basic attestation, "none", and the extensions credProtect,
//! hmac-secret, hmac-secret-mc, credBlob, largeBlobKey, minPinLength, thirdPartyPayment.

use fido_types::cbor::{StrMap, Value};
use fido_types::cose::CoseAlgorithm;
use fido_types::generated::extensions::ExtensionId;
use fido_types::generated::webauthn::PublicKeyCredentialType;
use fido_types::status::CtapStatus;
use fido_types::webauthn::{
    Aaguid, AttestationStatement, AttestedCredentialData, AuthenticatorDataFlags,
};

use super::get_assertion::hmac_secret_output;
use super::get_info::MAX_CRED_BLOB_LENGTH;
use super::{
    RequestOptions, auth_data, check_token, decode, encode, param_length_ok, request_protocol,
    sha256,
};
use crate::attestation::AttestationKey;
use crate::presence::Waiter;
use crate::secret::Secret;
use crate::state::Permissions;
use crate::store::{
    Algorithm, Credential, CredentialKey, StoreError, cred_protect, derived_secrets,
};
use crate::{Attestation, Authenticator};

pub use fido_types::generated::make_credential::{
    MakeCredentialRequest as Request, MakeCredentialResponse as Response,
};

/// Collects user presence for a zero-length pinUvAuthParam probe (CTAP 2.1 §6.1.2 step
/// 1), then reports whether a PIN is set.
pub(crate) fn empty_param_probe(
    auth: &mut Authenticator,
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    auth.presence.request(waiter)?;
    Err(if auth.persistent.pin.is_some() {
        CtapStatus::PIN_AUTH_INVALID
    } else {
        CtapStatus::PIN_NOT_SET
    })
}

/// Whether built-in UV is available (configured and a finger enrolled).
pub(crate) fn uv_configured(auth: &Authenticator) -> bool {
    auth.config.builtin_uv && !auth.persistent.fingerprints.is_empty()
}

/// Handles authenticatorMakeCredential.
pub fn handle(
    auth: &mut Authenticator,
    params: &[u8],
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    if req.pin_uv_auth_param.as_ref().is_some_and(Vec::is_empty) {
        return empty_param_probe(auth, waiter);
    }
    let pin_protocol = match &req.pin_uv_auth_param {
        Some(_) => Some(request_protocol(req.pin_uv_auth_protocol)?),
        None => None,
    };
    let alg = req
        .pub_key_cred_params
        .iter()
        .filter(|p| p.credential_type == PublicKeyCredentialType::PUBLIC_KEY)
        .find_map(|p| Algorithm::from_cose(p.alg.0).filter(|a| auth.config.algorithms.contains(a)))
        .ok_or(CtapStatus::UNSUPPORTED_ALGORITHM)?;

    let options = RequestOptions::from_map(req.options.as_ref());
    let rk = options.rk.unwrap_or(false);
    if options.up == Some(false) {
        return Err(CtapStatus::INVALID_OPTION);
    }
    let mut uv_requested = options.uv.unwrap_or(false);
    if pin_protocol.is_some() {
        uv_requested = false;
    } else if uv_requested && !uv_configured(auth) {
        return Err(if auth.config.builtin_uv {
            CtapStatus::INVALID_OPTION
        } else {
            CtapStatus::UNSUPPORTED_OPTION
        });
    }
    let protected = auth.persistent.pin.is_some() || uv_configured(auth);
    if pin_protocol.is_none() && !uv_requested {
        if auth.persistent.always_uv && protected {
            return Err(CtapStatus::PUAT_REQUIRED);
        }
        if auth.persistent.always_uv && !protected {
            return Err(CtapStatus::OPERATION_DENIED);
        }
        if rk && protected {
            return Err(CtapStatus::PUAT_REQUIRED);
        }
    }
    let ep = match req.enterprise_attestation {
        None => false,
        Some(_) if !auth.persistent.enterprise_attestation || !ep_supported(auth) => {
            return Err(CtapStatus::INVALID_PARAMETER);
        }
        // Vendor-facilitated: only for the RP IDs the vendor preconfigured; any other RP
        // gets normal attestation (CTAP 2.1 §7.1).
        Some(1) => auth.config.ep_rp_ids.contains(&req.rp.id),
        // Platform-facilitated: the platform vouches for the RP ID.
        Some(2) => true,
        Some(_) => return Err(CtapStatus::INVALID_OPTION),
    };

    let mut uv = false;
    if let (Some(p), Some(param)) = (pin_protocol, &req.pin_uv_auth_param) {
        if !param_length_ok(p, param) {
            return Err(CtapStatus::PIN_AUTH_INVALID);
        }
        check_token(
            auth,
            p,
            param,
            &req.client_data_hash,
            Permissions::MAKE_CREDENTIAL,
            Some(&req.rp.id),
        )?;
        uv = true;
    }
    if uv_requested {
        super::verify_user(auth, waiter)?;
        uv = true;
    }

    let rp_id_hash = sha256(req.rp.id.as_bytes());
    for excluded in req.exclude_list.iter().flatten() {
        if let Some(cred) = auth.persistent.store.find(&rp_id_hash, &excluded.id) {
            if cred.cred_protect == cred_protect::REQUIRED && !uv {
                continue;
            }
            auth.presence.request(waiter)?;
            return Err(CtapStatus::CREDENTIAL_EXCLUDED);
        }
    }

    // Extensions.
    let exts = req.extensions.clone().unwrap_or_default();
    let mut level = cred_protect::OPTIONAL;
    let mut outputs = StrMap::new();
    if let Some(v) = exts.get(&*ExtensionId::CRED_PROTECT.0) {
        match v {
            Value::Integer(n @ 1..=3) => {
                level = *n as u8;
                outputs.insert(ExtensionId::CRED_PROTECT.0.into(), Value::Integer(*n));
            }
            _ => return Err(CtapStatus::INVALID_PARAMETER),
        }
    }
    let hmac_secret = exts.get(&*ExtensionId::HMAC_SECRET.0) == Some(&Value::Bool(true));
    if hmac_secret {
        outputs.insert(ExtensionId::HMAC_SECRET.0.into(), Value::Bool(true));
    }
    let mut cred_blob = None;
    if let Some(v) = exts.get(&*ExtensionId::CRED_BLOB.0) {
        let Value::Bytes(blob) = v else {
            return Err(CtapStatus::INVALID_PARAMETER);
        };
        let stored = blob.len() <= MAX_CRED_BLOB_LENGTH;
        if stored {
            cred_blob = Some(blob.clone());
        }
        outputs.insert(ExtensionId::CRED_BLOB.0.into(), Value::Bool(stored));
    }
    let large_blob_key = match exts.get(&*ExtensionId::LARGE_BLOB_KEY.0) {
        None => None,
        Some(Value::Bool(true)) => Some(Secret(*auth.rng.secret::<32>())),
        Some(_) => return Err(CtapStatus::INVALID_OPTION),
    };
    if exts.get(&*ExtensionId::MIN_PIN_LENGTH.0) == Some(&Value::Bool(true))
        && auth.persistent.min_pin_length_rp_ids.contains(&req.rp.id)
    {
        outputs.insert(
            ExtensionId::MIN_PIN_LENGTH.0.into(),
            Value::Integer(i128::from(auth.persistent.min_pin_length)),
        );
    }
    let third_party_payment =
        exts.get(&*ExtensionId::THIRD_PARTY_PAYMENT.0) == Some(&Value::Bool(true));

    auth.presence.request(waiter)?;

    let key = loop {
        let bytes = auth.rng.secret::<32>();
        if let Ok(key) = CredentialKey::from_bytes(alg, &bytes) {
            break key;
        }
    };
    let public_key = key.public_key().map_err(|_| CtapStatus::OTHER)?;
    let rk_id = if rk { auth.rng.bytes(32) } else { Vec::new() };
    let (cred_random_uv, cred_random_no_uv, large_blob_key) = if rk {
        (
            Secret(*auth.rng.secret::<32>()),
            Secret(*auth.rng.secret::<32>()),
            large_blob_key,
        )
    } else {
        // A non-discoverable credential lives in its ID: its secrets derive from its key.
        let (uv, no_uv, lbk) = derived_secrets(&key);
        (uv, no_uv, large_blob_key.map(|_| lbk))
    };
    let created = auth.persistent.store.next_sequence();
    let mut credential = Credential {
        id: rk_id,
        rp_id: req.rp.id.clone(),
        rp_id_hash: rp_id_hash.to_vec(),
        rp_name: req.rp.name.clone(),
        user_id: req.user.id.clone(),
        user_name: req.user.name.clone(),
        user_display_name: req.user.display_name.clone(),
        key,
        discoverable: rk,
        cred_protect: level,
        cred_random_uv,
        cred_random_no_uv,
        hmac_secret,
        cred_blob,
        large_blob_key: large_blob_key.clone(),
        third_party_payment,
        created,
    };

    if !rk {
        let mut nonce = [0u8; 12];
        auth.rng.fill(&mut nonce);
        credential.id = auth.persistent.store.wrap(&credential, nonce);
    }
    let id = credential.id.clone();
    let signing_key = credential.key.clone();

    if hmac_secret && let Some(input) = exts.get(&*ExtensionId::HMAC_SECRET_MC.0) {
        let out = hmac_secret_output(auth, &credential, input, uv)?;
        outputs.insert(ExtensionId::HMAC_SECRET_MC.0.into(), Value::Bytes(out));
    }

    auth.persistent
        .store
        .insert(credential)
        .map_err(|e| match e {
            StoreError::Full => CtapStatus::KEY_STORE_FULL,
        })?;

    auth.persistent.sign_count = auth.persistent.sign_count.wrapping_add(1);
    let attested = AttestedCredentialData::new(Aaguid::new(auth.config.aaguid), id, public_key)
        .map_err(|_| CtapStatus::OTHER)?;
    let flags = AuthenticatorDataFlags::UP.with(AuthenticatorDataFlags::UV, uv);
    let auth_data = auth_data(
        rp_id_hash,
        flags,
        auth.persistent.sign_count,
        Some(attested),
        &outputs,
    )?;

    let prefers_none = req
        .attestation_formats_preference
        .as_ref()
        .and_then(|p| p.first())
        .is_some_and(|f| f == "none");
    let message = [auth_data.as_bytes(), &req.client_data_hash].concat();
    let basic = match &auth.config.attestation {
        Attestation::None => None,
        _ if prefers_none => None,
        Attestation::SelfAttestation => Some(None),
        Attestation::Basic if ep => Some(Some(auth.enterprise_key.clone())),
        Attestation::Basic => Some(Some(auth.attestation_key.clone())),
        Attestation::Certificate { key, chain } => Some(Some(AttestationKey {
            key: key.clone(),
            certificate: chain.first().cloned().unwrap_or_default(),
        })),
    };
    let (fmt, att_stmt, ep_att) = match basic {
        None => ("none", AttestationStatement::none(), None),
        Some(None) => {
            let sig = signing_key.sign(&message).map_err(|_| CtapStatus::OTHER)?;
            let alg = CoseAlgorithm(alg.cose());
            (
                "packed",
                AttestationStatement::packed(alg, sig, Vec::new()),
                None,
            )
        }
        Some(Some(key)) => {
            let sig = key.sign(&message).ok_or(CtapStatus::OTHER)?;
            let chain = match &auth.config.attestation {
                Attestation::Certificate { chain, .. } => chain.clone(),
                _ => vec![key.certificate.clone()],
            };
            let stmt = AttestationStatement::packed(CoseAlgorithm::ES256, sig, chain);
            ("packed", stmt, ep.then_some(true))
        }
    };
    encode(&Response {
        fmt: fmt.into(),
        auth_data: auth_data.as_bytes().to_vec(),
        att_stmt: att_stmt.to_str_map(),
        ep_att,
        large_blob_key: large_blob_key.map(|k| k.expose_secret().to_vec()),
        ..Response::default()
    })
}

/// Whether enterprise attestation can be offered (it needs an attestation certificate).
pub(crate) fn ep_supported(auth: &Authenticator) -> bool {
    matches!(
        auth.config.attestation,
        Attestation::Basic | Attestation::Certificate { .. }
    )
}
