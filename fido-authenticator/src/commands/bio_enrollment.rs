//! authenticatorBioEnrollment (0x09, and the 0x40 prototype) against a simulated
//! fingerprint sensor: every touch (as the presence policy answers it) is a good sample;
//! three samples enroll a finger. Once a finger is enrolled, built-in UV is available.

use fido_types::generated::bio_enrollment::BioEnrollmentSubCommand as Sub;
use fido_types::status::CtapStatus;

use super::shared::{bio_sub_command_params, check_token, decode, encode, required_auth_param};
use crate::Authenticator;
use crate::presence::Waiter;
use crate::state::Permissions;

/// Samples needed to enroll a finger.
pub const SAMPLES_PER_ENROLLMENT: u32 = 3;
/// The longest template friendly name, in bytes.
pub const MAX_FRIENDLY_NAME: u32 = 16;
/// Room for this many fingers.
pub const MAX_TEMPLATES: usize = 5;

pub use fido_types::generated::bio_enrollment::{
    BioEnrollmentParams as SubParams, BioEnrollmentRequest as Request,
    BioEnrollmentResponse as Response, BioModality, FingerprintKind, LastEnrollSampleStatus,
    TemplateInfo,
};

/// An enrollment in progress.
#[derive(Debug, Clone, Copy)]
pub struct Enrollment {
    template: u8,
    remaining: u32,
}

/// Handles authenticatorBioEnrollment: getModality and getFingerprintSensorInfo need no
/// token; every other subcommand but cancelCurrentEnrollment checks one.
pub fn handle(
    auth: &mut Authenticator,
    params: &[u8],
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    if req.get_modality == Some(true) {
        return encode(&Response {
            modality: Some(BioModality::FINGERPRINT),
            ..Response::default()
        });
    }
    let sub = req.sub_command.ok_or(CtapStatus::MISSING_PARAMETER)?;
    if req.modality.is_some_and(|m| m != BioModality::FINGERPRINT) {
        return Err(CtapStatus::INVALID_PARAMETER);
    }
    if sub == Sub::GET_FINGERPRINT_SENSOR_INFO {
        return encode(&sensor_info());
    }
    if !Sub::KNOWN.contains(&sub) {
        return Err(CtapStatus::INVALID_SUBCOMMAND);
    }
    if sub != Sub::CANCEL_CURRENT_ENROLLMENT {
        authorize(auth, &req, sub, params)?;
    }
    let sub_params = req.sub_command_params.unwrap_or_default();
    let response = match sub {
        Sub::ENROLL_BEGIN => enroll_begin(auth, waiter)?,
        Sub::ENROLL_CAPTURE_NEXT_SAMPLE => capture_next_sample(auth, waiter, &sub_params)?,
        Sub::CANCEL_CURRENT_ENROLLMENT => {
            auth.enrollment = None;
            Response::default()
        }
        Sub::ENUMERATE_ENROLLMENTS => enumerate(auth)?,
        Sub::SET_FRIENDLY_NAME => set_friendly_name(auth, sub_params)?,
        _ => remove(auth, &sub_params)?,
    };
    encode(&response)
}

/// getFingerprintSensorInfo: a touch sensor.
fn sensor_info() -> Response {
    Response {
        modality: Some(BioModality::FINGERPRINT),
        fingerprint_kind: Some(FingerprintKind::TOUCH),
        max_capture_samples_required_for_enroll: Some(SAMPLES_PER_ENROLLMENT),
        max_template_friendly_name: Some(MAX_FRIENDLY_NAME),
        ..Response::default()
    }
}

/// The pinUvAuthParam over modality ‖ subCommand ‖ subCommandParams (CTAP 2.1 §6.7),
/// with the bioEnrollment permission.
fn authorize(
    auth: &mut Authenticator,
    req: &Request,
    sub: Sub,
    params: &[u8],
) -> Result<(), CtapStatus> {
    let (p, param) =
        required_auth_param(req.pin_uv_auth_param.as_deref(), req.pin_uv_auth_protocol)?;
    let modality = u8::try_from(BioModality::FINGERPRINT.0).unwrap_or_default();
    let mut message = vec![modality, sub.0];
    message.extend(bio_sub_command_params(params)?);
    check_token(auth, p, param, &message, Permissions::BIO_ENROLLMENT, None)
}

/// The template ID a subcommand names (one byte).
fn template_of(p: &SubParams) -> Result<u8, CtapStatus> {
    match p.template_id.as_deref() {
        Some([id]) => Ok(*id),
        Some(_) => Err(CtapStatus::INVALID_PARAMETER),
        None => Err(CtapStatus::MISSING_PARAMETER),
    }
}

/// enrollBegin: a free template ID and the first sample (a touch).
fn enroll_begin(auth: &mut Authenticator, waiter: &mut dyn Waiter) -> Result<Response, CtapStatus> {
    let fingers = &auth.persistent.fingerprints;
    if fingers.len() >= MAX_TEMPLATES {
        return Err(CtapStatus::FP_DATABASE_FULL);
    }
    let template = (1..=u8::MAX)
        .find(|id| !fingers.iter().any(|(t, _)| t == id))
        .ok_or(CtapStatus::FP_DATABASE_FULL)?;
    auth.enrollment = None;
    auth.presence.request(waiter)?;
    auth.enrollment = Some(Enrollment {
        template,
        remaining: SAMPLES_PER_ENROLLMENT - 1,
    });
    Ok(Response {
        template_id: Some(vec![template]),
        last_enroll_sample_status: Some(LastEnrollSampleStatus::GOOD),
        remaining_samples: Some(SAMPLES_PER_ENROLLMENT - 1),
        ..Response::default()
    })
}

/// enrollCaptureNextSample: one more touch; the last one stores the finger.
fn capture_next_sample(
    auth: &mut Authenticator,
    waiter: &mut dyn Waiter,
    sub_params: &SubParams,
) -> Result<Response, CtapStatus> {
    let template = template_of(sub_params)?;
    let mut e = auth
        .enrollment
        .filter(|e| e.template == template)
        .ok_or(CtapStatus::INVALID_PARAMETER)?;
    auth.presence.request(waiter)?;
    e.remaining = e.remaining.saturating_sub(1);
    if e.remaining == 0 {
        auth.persistent.fingerprints.push((template, None));
        auth.enrollment = None;
    } else {
        auth.enrollment = Some(e);
    }
    Ok(Response {
        last_enroll_sample_status: Some(LastEnrollSampleStatus::GOOD),
        remaining_samples: Some(e.remaining),
        ..Response::default()
    })
}

/// enumerateEnrollments: every template with its name ("" until one is set: python-fido2
/// expects the key).
fn enumerate(auth: &Authenticator) -> Result<Response, CtapStatus> {
    let fingers = &auth.persistent.fingerprints;
    if fingers.is_empty() {
        return Err(CtapStatus::INVALID_OPTION);
    }
    let infos = fingers
        .iter()
        .map(|(id, name)| TemplateInfo {
            template_id: vec![*id],
            template_friendly_name: Some(name.clone().unwrap_or_default()),
        })
        .collect();
    Ok(Response {
        template_infos: Some(infos),
        ..Response::default()
    })
}

/// setFriendlyName.
fn set_friendly_name(
    auth: &mut Authenticator,
    sub_params: SubParams,
) -> Result<Response, CtapStatus> {
    let template = template_of(&sub_params)?;
    let name = sub_params
        .template_friendly_name
        .ok_or(CtapStatus::MISSING_PARAMETER)?;
    if name.len() as u64 > u64::from(MAX_FRIENDLY_NAME) {
        return Err(CtapStatus::INVALID_PARAMETER);
    }
    let entry = auth
        .persistent
        .fingerprints
        .iter_mut()
        .find(|(t, _)| *t == template)
        .ok_or(CtapStatus::INVALID_OPTION)?;
    entry.1 = Some(name);
    Ok(Response::default())
}

/// removeEnrollment.
fn remove(auth: &mut Authenticator, sub_params: &SubParams) -> Result<Response, CtapStatus> {
    let template = template_of(sub_params)?;
    let fingers = &mut auth.persistent.fingerprints;
    let before = fingers.len();
    fingers.retain(|(t, _)| *t != template);
    if fingers.len() == before {
        return Err(CtapStatus::INVALID_OPTION);
    }
    Ok(Response::default())
}
