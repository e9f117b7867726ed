//! CTAP1/U2F over CTAPHID MSG: VERSION, REGISTER, AUTHENTICATE (incl. check-only).
//!
//! U2F obeys the CTAP2 policy (CTAP 2.1 §7.2, §12.1): while alwaysUv is on, REGISTER and
//! AUTHENTICATE are refused with SW_COMMAND_NOT_ALLOWED (U2F cannot verify the user; the
//! status word OpenSK uses), and a credential whose credProtect level is
//! userVerificationRequired is unknown to U2F (SW_WRONG_DATA, as for a foreign key handle).

use crate::Authenticator;
use crate::presence::Waiter;
use crate::secret::Secret;
use crate::store::{Algorithm, CredProtectPolicy, Credential, CredentialKey};
use fido_types::apdu::ApduStatus;
use fido_types::generated::u2f::{U2fControl, U2fInstruction};

fn status(sw: ApduStatus) -> Vec<u8> {
    sw.to_bytes().to_vec()
}

/// Parses a short or extended-length command APDU into (CLA, INS, P1, data).
fn parse(apdu: &[u8]) -> Option<(u8, u8, u8, &[u8])> {
    let (header, body) = apdu.split_at_checked(4)?;
    let data: &[u8] = match body {
        [] => &[],
        // Extended length: 00 Lc1 Lc2 data [Le1 Le2].
        [0, hi, lo, rest @ ..] => {
            let lc = usize::from(*hi) << 8 | usize::from(*lo);
            if lc == 0 { &[] } else { rest.get(..lc)? }
        }
        // Short: Lc data [Le].
        [lc, rest @ ..] => rest.get(..usize::from(*lc))?,
    };
    Some((header[0], header[1], header[2], data))
}

/// Handles one U2F request APDU.
pub fn handle(auth: &mut Authenticator, apdu: &[u8], waiter: &mut dyn Waiter) -> Vec<u8> {
    let Some((cla, ins, p1, data)) = parse(apdu) else {
        return status(ApduStatus::WRONG_LENGTH);
    };
    if cla != 0 {
        return status(ApduStatus::CLA_NOT_SUPPORTED);
    }
    let instruction = U2fInstruction(ins);
    if auth.persistent.always_uv
        && (instruction == U2fInstruction::REGISTER || instruction == U2fInstruction::AUTHENTICATE)
    {
        return status(ApduStatus::COMMAND_NOT_ALLOWED);
    }
    match instruction {
        U2fInstruction::VERSION => {
            let mut out = b"U2F_V2".to_vec();
            out.extend(status(ApduStatus::OK));
            out
        }
        U2fInstruction::REGISTER => register(auth, data, waiter),
        U2fInstruction::AUTHENTICATE => authenticate(auth, p1, data, waiter),
        _ => status(ApduStatus::INS_NOT_SUPPORTED),
    }
}

fn register(auth: &mut Authenticator, data: &[u8], waiter: &mut dyn Waiter) -> Vec<u8> {
    if data.len() != 64 {
        return status(ApduStatus::WRONG_LENGTH);
    }
    let (challenge, application) = data.split_at(32);
    if auth.presence.request(waiter).is_err() {
        return status(ApduStatus::USE_NOT_SATISFIED);
    }
    let key = loop {
        let bytes = auth.rng.secret::<32>();
        if let Ok(key) = CredentialKey::from_bytes(Algorithm::Es256, &bytes) {
            break key;
        }
    };
    let Some(public) = key.public_point() else {
        return status(ApduStatus::WRONG_DATA);
    };
    let credential = Credential {
        id: Vec::new(),
        rp_id: hex::encode(application),
        rp_id_hash: application.to_vec(),
        rp_name: None,
        user_id: Vec::new(),
        user_name: None,
        user_display_name: None,
        key,
        discoverable: false,
        cred_protect: CredProtectPolicy::USER_VERIFICATION_OPTIONAL,
        cred_random_uv: Secret([0; 32]),
        cred_random_no_uv: Secret([0; 32]),
        hmac_secret: false,
        cred_blob: None,
        large_blob_key: None,
        third_party_payment: false,
        created: 0,
    };
    // The key handle is the sealed credential (see `Store::wrap`).
    let mut nonce = [0u8; 12];
    auth.rng.fill(&mut nonce);
    let handle = auth.persistent.store.wrap(&credential, nonce);
    let mut message = vec![0x00];
    message.extend_from_slice(application);
    message.extend_from_slice(challenge);
    message.extend_from_slice(&handle);
    message.extend_from_slice(&public);
    let attestation = &auth.attestation_key;
    let Some(signature) = attestation.sign(&message) else {
        return status(ApduStatus::WRONG_DATA);
    };
    let mut out = vec![0x05];
    out.extend_from_slice(&public);
    out.push(handle.len() as u8);
    out.extend_from_slice(&handle);
    out.extend_from_slice(&attestation.certificate);
    out.extend(signature);
    out.extend(status(ApduStatus::OK));
    out
}

fn authenticate(auth: &mut Authenticator, p1: u8, data: &[u8], waiter: &mut dyn Waiter) -> Vec<u8> {
    if data.len() < 65 {
        return status(ApduStatus::WRONG_LENGTH);
    }
    let (challenge, rest) = data.split_at(32);
    let (application, rest) = rest.split_at(32);
    let (len, handle) = (usize::from(rest[0]), &rest[1..]);
    if handle.len() != len {
        return status(ApduStatus::WRONG_LENGTH);
    }
    let found = auth.persistent.store.find(application, handle);
    let Some(cred) =
        found.filter(|c| c.cred_protect != CredProtectPolicy::USER_VERIFICATION_REQUIRED)
    else {
        return status(ApduStatus::WRONG_DATA);
    };
    match U2fControl(p1) {
        U2fControl::CHECK_ONLY => return status(ApduStatus::USE_NOT_SATISFIED),
        U2fControl::ENFORCE_PRESENCE | U2fControl::DONT_ENFORCE_PRESENCE => {}
        _ => return status(ApduStatus::WRONG_DATA),
    }
    let mut presence = 0x00;
    if U2fControl(p1) == U2fControl::ENFORCE_PRESENCE {
        if auth.presence.request(waiter).is_err() {
            return status(ApduStatus::USE_NOT_SATISFIED);
        }
        presence = 0x01;
    }
    let counter = auth.persistent.counters.increment(&cred.id).to_be_bytes();
    let mut message = application.to_vec();
    message.push(presence);
    message.extend_from_slice(&counter);
    message.extend_from_slice(challenge);
    let Ok(signature) = cred.key.sign(&message) else {
        return status(ApduStatus::WRONG_DATA);
    };
    let mut out = vec![presence];
    out.extend_from_slice(&counter);
    out.extend(signature);
    out.extend(status(ApduStatus::OK));
    out
}
