//! Format `android-key` (WebAuthn L3 §8.4): a certificate chain from Android Keystore
//! whose leaf holds the credential key and a key description (§8.4.1): the attestation
//! challenge is the client data hash, the key is not for all applications, and the
//! hardware-enforced list says it was generated in the secure hardware for signing.

use fido_types::generated::attestation::{
    AndroidKeyOrigin, AndroidKeyPurpose, AndroidKeyTag, AttestationOid,
};

use super::der::{self, Tlv};
use super::statement::owned;
use super::{AttestationType, Input, Outcome};
use crate::cert::{self, CertSignatureError};
use crate::error::AttestationError;

const FORMAT: &str = "android-key";
/// Universal tags of the KeyDescription fields read.
const OCTET_STRING: u32 = 4;
const SEQUENCE: u32 = 16;
const SET: u32 = 17;
const INTEGER: u32 = 2;
const CONTEXT: u8 = 2;

fn bad(reason: impl Into<String>) -> AttestationError {
    AttestationError::certificate(FORMAT, reason)
}

pub(super) fn verify(input: &Input<'_>) -> Outcome {
    let alg = input.stmt.alg(FORMAT)?;
    let sig = input.stmt.bytes(FORMAT, "sig")?;
    let x5c = input.stmt.required_x5c(FORMAT)?;
    let leaf = cert::parse(x5c[0]).map_err(bad)?;
    cert::verify_signature(&leaf, alg, &input.signed_message(), sig).map_err(|e| match e {
        CertSignatureError::Invalid => AttestationError::InvalidSignature { format: FORMAT },
        CertSignatureError::Unsupported => AttestationError::UnsupportedAlgorithm {
            format: FORMAT,
            alg,
        },
    })?;
    let credential_spki = input
        .acd
        .public_key()
        .to_spki_der()
        .map_err(|e| AttestationError::mismatch(FORMAT, e.to_string()))?;
    if credential_spki.as_slice() != leaf.x509.public_key().raw {
        return Err(AttestationError::mismatch(
            FORMAT,
            "the certificate's key is not the credential key",
        ));
    }
    let (description, _) = cert::extension(&leaf, &AttestationOid::ANDROID_KEY_DESCRIPTION)
        .map_err(bad)?
        .ok_or_else(|| bad("no key description extension"))?;
    check_key_description(description, input.client_data_hash)?;
    Ok((AttestationType::Basic, owned(&x5c)))
}

/// KeyDescription ::= SEQUENCE { attestationVersion, attestationSecurityLevel,
/// keymasterVersion, keymasterSecurityLevel, attestationChallenge OCTET STRING, uniqueId,
/// softwareEnforced AuthorizationList, teeEnforced AuthorizationList }.
fn check_key_description(
    der_bytes: &[u8],
    client_data_hash: &[u8; 32],
) -> Result<(), AttestationError> {
    let (outer, rest) = der::read(der_bytes).map_err(bad)?;
    if outer.tag != SEQUENCE || !rest.is_empty() {
        return Err(bad("the key description is not one SEQUENCE"));
    }
    let fields = der::sequence(outer.content).map_err(bad)?;
    let [_, _, _, _, challenge, _, software, tee, ..] = fields.as_slice() else {
        return Err(bad("the key description has too few fields"));
    };
    if challenge.tag != OCTET_STRING || challenge.content != client_data_hash {
        return Err(AttestationError::mismatch(
            FORMAT,
            "attestationChallenge is not the client data hash",
        ));
    }
    let software = authorization_list(software)?;
    let tee = authorization_list(tee)?;
    if [&software, &tee]
        .iter()
        .any(|list| find(list, AndroidKeyTag::ALL_APPLICATIONS).is_some())
    {
        return Err(AttestationError::mismatch(
            FORMAT,
            "the key is for all applications",
        ));
    }
    let origin = find(&tee, AndroidKeyTag::ORIGIN)
        .ok_or_else(|| AttestationError::mismatch(FORMAT, "teeEnforced has no origin"))?;
    let (origin, _) = der::read(origin).map_err(bad)?;
    if origin.tag != INTEGER
        || der::uint(origin.content).map_err(bad)? != u64::from(AndroidKeyOrigin::GENERATED.0)
    {
        return Err(AttestationError::mismatch(
            FORMAT,
            "the key was not generated in the hardware",
        ));
    }
    let purpose = find(&tee, AndroidKeyTag::PURPOSE)
        .ok_or_else(|| AttestationError::mismatch(FORMAT, "teeEnforced has no purpose"))?;
    let (set, _) = der::read(purpose).map_err(bad)?;
    if set.tag != SET {
        return Err(bad("purpose is not a SET"));
    }
    let signs = der::sequence(set.content).map_err(bad)?.iter().any(|p| {
        p.tag == INTEGER && der::uint(p.content) == Ok(u64::from(AndroidKeyPurpose::SIGN.0))
    });
    if !signs {
        return Err(AttestationError::mismatch(
            FORMAT,
            "the key's purpose is not signing",
        ));
    }
    Ok(())
}

fn authorization_list<'a>(list: &Tlv<'a>) -> Result<Vec<Tlv<'a>>, AttestationError> {
    if list.tag != SEQUENCE {
        return Err(bad("an AuthorizationList is not a SEQUENCE"));
    }
    der::sequence(list.content).map_err(bad)
}

/// The contents of the `[tag] EXPLICIT` entry of an AuthorizationList.
fn find<'a>(list: &[Tlv<'a>], tag: AndroidKeyTag) -> Option<&'a [u8]> {
    list.iter()
        .find(|t| t.class == CONTEXT && t.tag == tag.0)
        .map(|t| t.content)
}
