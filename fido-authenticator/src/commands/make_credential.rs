//! authenticatorMakeCredential (0x01): the algorithms of [`crate::keys`], rk, excludeList, up/uv, enterprise
//! attestation, "packed" self or basic attestation, "none", and the extensions credProtect,
//! hmac-secret, hmac-secret-mc, credBlob, largeBlobKey, minPinLength, thirdPartyPayment.
//!
//! [`handle`] runs the steps of CTAP 2.1 §6.1.2 in order, one function each: the
//! request's choices (algorithm, options, UV, enterprise attestation), user verification,
//! the exclude list, the extensions, the new credential, and its attestation.

use fido_types::cbor::{StrMap, Value};
use fido_types::cose::CoseAlgorithm;
use fido_types::generated::extensions::ExtensionId;
use fido_types::generated::make_credential::EnterpriseAttestationKind;
use fido_types::generated::webauthn::{AttestationFormat, PublicKeyCredentialType};
use fido_types::status::CtapStatus;
use fido_types::webauthn::{Aaguid, AttestationStatement, AttestedCredentialData};

use super::shared::{
    ExtensionOutputs, MAX_CRED_BLOB_LENGTH, RequestOptions, UvRequest, auth_data, collect_presence,
    decode, empty_param_probe, encode, ep_supported, extension_flag, extension_input,
    hmac_secret_output, pin_protocol, presence_flags, sha256, uv_request,
};
use crate::attestation::AttestationKey;
use crate::presence::Waiter;
use crate::secret::Secret;
use crate::state::Permissions;
use crate::store::{
    Algorithm, CredProtectPolicy, Credential, CredentialKey, StoreError, derived_secrets,
};
use crate::{Attestation, Authenticator};

pub use fido_types::generated::make_credential::{
    MakeCredentialRequest as Request, MakeCredentialResponse as Response,
};

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
    let pin_protocol = pin_protocol(req.pin_uv_auth_param.as_ref(), req.pin_uv_auth_protocol)?;
    let alg = choose_algorithm(auth, &req)?;
    let options = RequestOptions::from_map(req.options.as_ref());
    let rk = options.rk.unwrap_or(false);
    if options.up == Some(false) {
        return Err(CtapStatus::INVALID_OPTION);
    }
    let uv_req = uv_request(auth, pin_protocol, &options)?;
    check_uv_policy(auth, &uv_req, rk)?;
    let ep = enterprise_attestation(auth, &req)?;
    let uv = uv_req.verify(
        auth,
        waiter,
        req.pin_uv_auth_param.as_ref(),
        &req.client_data_hash,
        Permissions::MAKE_CREDENTIAL,
        &req.rp.id,
    )?;
    let rp_id_hash = sha256(req.rp.id.as_bytes());
    check_exclude_list(auth, waiter, &req, &rp_id_hash, uv)?;
    let mut exts = read_extensions(auth, &req)?;
    collect_presence(auth, waiter, &uv_req)?;
    let credential = new_credential(auth, &req, alg, rk, &exts);
    if exts.hmac_secret
        && let Some(input) = extension_input(&exts.inputs, &ExtensionId::HMAC_SECRET_MC)
    {
        let out = hmac_secret_output(auth, &credential, input, uv)?;
        exts.outputs
            .insert(ExtensionId::HMAC_SECRET_MC, Value::Bytes(out));
    }
    let made = store_and_describe(auth, credential, rp_id_hash, uv, &exts.outputs)?;
    let (fmt, att_stmt, ep_att) = attest(auth, &req, ep, alg, &made)?;
    encode(&Response {
        fmt: fmt.0.into_owned(),
        auth_data: made.auth_data,
        att_stmt: att_stmt.to_str_map(),
        ep_att,
        large_blob_key: made.large_blob_key,
        ..Response::default()
    })
}

/// The first "public-key" algorithm in the request this authenticator is configured for.
fn choose_algorithm(auth: &Authenticator, req: &Request) -> Result<Algorithm, CtapStatus> {
    req.pub_key_cred_params
        .iter()
        .filter(|p| p.credential_type == PublicKeyCredentialType::PUBLIC_KEY)
        .find_map(|p| Algorithm::from_cose(p.alg.0).filter(|a| auth.config.algorithms.contains(a)))
        .ok_or(CtapStatus::UNSUPPORTED_ALGORITHM)
}

/// alwaysUv and discoverable credentials need user verification once the authenticator
/// is protected (CTAP 2.1 §6.1.2 steps 6-7).
fn check_uv_policy(auth: &Authenticator, uv_req: &UvRequest, rk: bool) -> Result<(), CtapStatus> {
    if uv_req.verifies() {
        return Ok(());
    }
    if auth.persistent.always_uv {
        return Err(if uv_req.protected {
            CtapStatus::PUAT_REQUIRED
        } else {
            CtapStatus::OPERATION_DENIED
        });
    }
    if rk && uv_req.protected {
        return Err(CtapStatus::PUAT_REQUIRED);
    }
    Ok(())
}

/// Whether the attestation is an enterprise one (CTAP 2.1 §7.1): vendor-facilitated only
/// for the RP IDs the vendor preconfigured (any other RP gets normal attestation);
/// platform-managed because the platform vouches for the RP ID.
fn enterprise_attestation(auth: &Authenticator, req: &Request) -> Result<bool, CtapStatus> {
    let Some(kind) = req.enterprise_attestation else {
        return Ok(false);
    };
    if !auth.persistent.enterprise_attestation || !ep_supported(auth) {
        return Err(CtapStatus::INVALID_PARAMETER);
    }
    match EnterpriseAttestationKind(kind) {
        EnterpriseAttestationKind::VENDOR_FACILITATED => {
            Ok(auth.config.ep_rp_ids.contains(&req.rp.id))
        }
        EnterpriseAttestationKind::PLATFORM_MANAGED => Ok(true),
        _ => Err(CtapStatus::INVALID_OPTION),
    }
}

/// CREDENTIAL_EXCLUDED (after a touch) if a listed credential exists here, skipping
/// credentials that need UV when the user is not verified.
fn check_exclude_list(
    auth: &mut Authenticator,
    waiter: &mut dyn Waiter,
    req: &Request,
    rp_id_hash: &[u8; 32],
    uv: bool,
) -> Result<(), CtapStatus> {
    for excluded in req.exclude_list.iter().flatten() {
        if let Some(cred) = auth.persistent.store.find(rp_id_hash, &excluded.id) {
            if cred.cred_protect == CredProtectPolicy::USER_VERIFICATION_REQUIRED && !uv {
                continue;
            }
            auth.presence.request(waiter)?;
            return Err(CtapStatus::CREDENTIAL_EXCLUDED);
        }
    }
    Ok(())
}

/// The extensions as requested, and the outputs known before the credential exists.
struct Extensions {
    inputs: StrMap<Value>,
    outputs: ExtensionOutputs,
    cred_protect: CredProtectPolicy,
    hmac_secret: bool,
    cred_blob: Option<Vec<u8>>,
    large_blob_key: Option<Secret<32>>,
    third_party_payment: bool,
}

/// Reads the extension inputs and writes the outputs that do not need the credential:
/// credProtect, hmac-secret, credBlob, largeBlobKey, minPinLength, thirdPartyPayment.
fn read_extensions(auth: &mut Authenticator, req: &Request) -> Result<Extensions, CtapStatus> {
    let inputs = req.extensions.clone().unwrap_or_default();
    let mut outputs = ExtensionOutputs::default();
    let cred_protect = match extension_input(&inputs, &ExtensionId::CRED_PROTECT) {
        None => CredProtectPolicy::USER_VERIFICATION_OPTIONAL,
        Some(v) => {
            let policy = cred_protect_policy(v).ok_or(CtapStatus::INVALID_PARAMETER)?;
            outputs.insert(ExtensionId::CRED_PROTECT, v.clone());
            policy
        }
    };
    let hmac_secret = extension_flag(&inputs, &ExtensionId::HMAC_SECRET);
    if hmac_secret {
        outputs.insert(ExtensionId::HMAC_SECRET, Value::Bool(true));
    }
    let cred_blob = read_cred_blob(&inputs, &mut outputs)?;
    let large_blob_key = match extension_input(&inputs, &ExtensionId::LARGE_BLOB_KEY) {
        None => None,
        Some(Value::Bool(true)) => Some(Secret(*auth.rng.secret::<32>())),
        Some(_) => return Err(CtapStatus::INVALID_OPTION),
    };
    if extension_flag(&inputs, &ExtensionId::MIN_PIN_LENGTH)
        && auth.persistent.min_pin_length_rp_ids.contains(&req.rp.id)
    {
        let length = Value::Integer(i128::from(auth.persistent.min_pin_length));
        outputs.insert(ExtensionId::MIN_PIN_LENGTH, length);
    }
    let third_party_payment = extension_flag(&inputs, &ExtensionId::THIRD_PARTY_PAYMENT);
    Ok(Extensions {
        inputs,
        outputs,
        cred_protect,
        hmac_secret,
        cred_blob,
        large_blob_key,
        third_party_payment,
    })
}

/// A credProtect input that names a policy of the registry.
fn cred_protect_policy(input: &Value) -> Option<CredProtectPolicy> {
    let Value::Integer(n) = input else {
        return None;
    };
    let policy = CredProtectPolicy(u32::try_from(*n).ok()?);
    CredProtectPolicy::KNOWN.contains(&policy).then_some(policy)
}

/// The credBlob to store, if it fits; the output says whether it was stored.
fn read_cred_blob(
    inputs: &StrMap<Value>,
    outputs: &mut ExtensionOutputs,
) -> Result<Option<Vec<u8>>, CtapStatus> {
    let Some(input) = extension_input(inputs, &ExtensionId::CRED_BLOB) else {
        return Ok(None);
    };
    let Value::Bytes(blob) = input else {
        return Err(CtapStatus::INVALID_PARAMETER);
    };
    let stored = blob.len() <= MAX_CRED_BLOB_LENGTH;
    outputs.insert(ExtensionId::CRED_BLOB, Value::Bool(stored));
    Ok(stored.then(|| blob.clone()))
}

/// A new credential: a fresh key, and either a random ID (discoverable) or the sealed
/// credential as its ID, whose secrets then derive from its key.
fn new_credential(
    auth: &mut Authenticator,
    req: &Request,
    alg: Algorithm,
    rk: bool,
    exts: &Extensions,
) -> Credential {
    let key = loop {
        let bytes = auth.rng.secret::<32>();
        if let Ok(key) = CredentialKey::from_bytes(alg, &bytes) {
            break key;
        }
    };
    let id = if rk { auth.rng.bytes(32) } else { Vec::new() };
    let (cred_random_uv, cred_random_no_uv, large_blob_key) = if rk {
        let uv = Secret(*auth.rng.secret::<32>());
        let no_uv = Secret(*auth.rng.secret::<32>());
        (uv, no_uv, exts.large_blob_key.clone())
    } else {
        let (uv, no_uv, lbk) = derived_secrets(&key);
        (uv, no_uv, exts.large_blob_key.as_ref().map(|_| lbk))
    };
    let mut credential = Credential {
        id,
        rp_id: req.rp.id.clone(),
        rp_id_hash: sha256(req.rp.id.as_bytes()).to_vec(),
        rp_name: req.rp.name.clone(),
        user_id: req.user.id.clone(),
        user_name: req.user.name.clone(),
        user_display_name: req.user.display_name.clone(),
        key,
        discoverable: rk,
        cred_protect: exts.cred_protect,
        cred_random_uv,
        cred_random_no_uv,
        hmac_secret: exts.hmac_secret,
        cred_blob: exts.cred_blob.clone(),
        large_blob_key,
        third_party_payment: exts.third_party_payment,
        created: auth.persistent.store.next_sequence(),
    };
    if !rk {
        let mut nonce = [0u8; 12];
        auth.rng.fill(&mut nonce);
        credential.id = auth.persistent.store.wrap(&credential, nonce);
    }
    credential
}

/// What the response and the attestation need of a stored credential.
struct MadeCredential {
    auth_data: Vec<u8>,
    signing_key: CredentialKey,
    large_blob_key: Option<Vec<u8>>,
}

/// Stores the credential, counts a signature, and builds the authenticator data with
/// its attested credential data.
fn store_and_describe(
    auth: &mut Authenticator,
    credential: Credential,
    rp_id_hash: [u8; 32],
    uv: bool,
    outputs: &ExtensionOutputs,
) -> Result<MadeCredential, CtapStatus> {
    let public_key = credential.key.public_key().map_err(|_| CtapStatus::OTHER)?;
    let signing_key = credential.key.clone();
    let id = credential.id.clone();
    let large_blob_key = credential
        .large_blob_key
        .as_ref()
        .map(|k| k.expose_secret().to_vec());
    auth.persistent
        .store
        .insert(credential)
        .map_err(|e| match e {
            StoreError::Full => CtapStatus::KEY_STORE_FULL,
        })?;
    let sign_count = auth.persistent.counters.increment(&id);
    let attested = AttestedCredentialData::new(Aaguid::new(auth.config.aaguid), id, public_key)
        .map_err(|_| CtapStatus::OTHER)?;
    let flags = presence_flags(true, uv);
    let data = auth_data(rp_id_hash, flags, sign_count, Some(attested), outputs)?;
    Ok(MadeCredential {
        auth_data: data.as_bytes().to_vec(),
        signing_key,
        large_blob_key,
    })
}

/// The attestation: format, statement and epAtt. "none" when configured or when the
/// platform prefers it; "packed" self attestation with the credential key; "packed"
/// basic attestation (ES256) with the attestation or enterprise key and its chain.
fn attest(
    auth: &Authenticator,
    req: &Request,
    ep: bool,
    alg: Algorithm,
    made: &MadeCredential,
) -> Result<(AttestationFormat, AttestationStatement, Option<bool>), CtapStatus> {
    let prefers_none = req
        .attestation_formats_preference
        .as_ref()
        .and_then(|p| p.first())
        .is_some_and(|f| *f == *AttestationFormat::NONE.0);
    let message = [&made.auth_data[..], &req.client_data_hash].concat();
    let signer = match &auth.config.attestation {
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
    Ok(match signer {
        None => (AttestationFormat::NONE, AttestationStatement::none(), None),
        Some(None) => {
            let sig = made
                .signing_key
                .sign(&message)
                .map_err(|_| CtapStatus::OTHER)?;
            let stmt = AttestationStatement::packed(alg.cose_algorithm(), sig, Vec::new());
            (AttestationFormat::PACKED, stmt, None)
        }
        Some(Some(key)) => {
            let sig = key.sign(&message).ok_or(CtapStatus::OTHER)?;
            let chain = match &auth.config.attestation {
                Attestation::Certificate { chain, .. } => chain.clone(),
                _ => vec![key.certificate.clone()],
            };
            let stmt = AttestationStatement::packed(CoseAlgorithm::ES256, sig, chain);
            (AttestationFormat::PACKED, stmt, ep.then_some(true))
        }
    })
}
