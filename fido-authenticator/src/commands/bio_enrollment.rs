//! authenticatorBioEnrollment (0x09, and the 0x40 prototype) against a simulated
//! fingerprint sensor: every touch (as the presence policy answers it) is a good sample;
//! three samples enroll a finger. Once a finger is enrolled, built-in UV is available.

use fido_types::cbor::{CborMap, Value};
use fido_types::status::CtapStatus;

use super::{check_token, decode, encode, required_auth_param};
use crate::Authenticator;
use crate::presence::Waiter;
use crate::state::Permissions;

/// bioEnrollment subcommands.
pub mod sub {
    /// enrollBegin.
    pub const ENROLL_BEGIN: u64 = 0x01;
    /// enrollCaptureNextSample.
    pub const ENROLL_CAPTURE_NEXT_SAMPLE: u64 = 0x02;
    /// cancelCurrentEnrollment.
    pub const CANCEL_CURRENT_ENROLLMENT: u64 = 0x03;
    /// enumerateEnrollments.
    pub const ENUMERATE_ENROLLMENTS: u64 = 0x04;
    /// setFriendlyName.
    pub const SET_FRIENDLY_NAME: u64 = 0x05;
    /// removeEnrollment.
    pub const REMOVE_ENROLLMENT: u64 = 0x06;
    /// getFingerprintSensorInfo.
    pub const GET_FINGERPRINT_SENSOR_INFO: u64 = 0x07;
}

/// Samples needed to enroll a finger.
pub const SAMPLES_PER_ENROLLMENT: u64 = 3;
/// The longest template friendly name, in bytes.
pub const MAX_FRIENDLY_NAME: u64 = 16;
/// Room for this many fingers.
pub const MAX_TEMPLATES: usize = 5;
/// The fingerprint modality (CTAP 2.1 §6.7.1).
pub const MODALITY_FINGERPRINT: u64 = 0x01;
/// fingerprintKind: touch sensor.
pub const TOUCH_SENSOR: u64 = 0x01;

pub use fido_types::generated::bio_enrollment::{
    BioEnrollmentParams as SubParams, BioEnrollmentRequest as Request,
    BioEnrollmentResponse as Response, BioModality, FingerprintKind, LastEnrollSampleStatus,
    TemplateInfo,
};

/// The subCommandParams as sent: the MAC covers their encoding, unknown keys included.
#[derive(Debug, Clone, PartialEq, CborMap)]
struct RawParams {
    #[cbor(key = 0x03)]
    params: Option<Value>,
}

/// An enrollment in progress.
#[derive(Debug, Clone, Copy)]
pub struct Enrollment {
    template: u8,
    remaining: u64,
}

/// Handles authenticatorBioEnrollment.
pub fn handle(
    auth: &mut Authenticator,
    params: &[u8],
    waiter: &mut dyn Waiter,
) -> Result<Vec<u8>, CtapStatus> {
    let req: Request = decode(params)?;
    let raw: RawParams = decode(params)?;
    if req.get_modality == Some(true) {
        return encode(&Response {
            modality: Some(BioModality(MODALITY_FINGERPRINT as u32)),
            ..Response::default()
        });
    }
    let sub = u64::from(req.sub_command.ok_or(CtapStatus::MISSING_PARAMETER)?.0);
    if req
        .modality
        .is_some_and(|m| u64::from(m.0) != MODALITY_FINGERPRINT)
    {
        return Err(CtapStatus::INVALID_PARAMETER);
    }
    if sub == sub::GET_FINGERPRINT_SENSOR_INFO {
        return encode(&Response {
            modality: Some(BioModality(MODALITY_FINGERPRINT as u32)),
            fingerprint_kind: Some(FingerprintKind(TOUCH_SENSOR as u32)),
            max_capture_samples_required_for_enroll: Some(SAMPLES_PER_ENROLLMENT as u32),
            max_template_friendly_name: Some(MAX_FRIENDLY_NAME as u32),
            ..Response::default()
        });
    }
    if !(1..=6).contains(&sub) {
        return Err(CtapStatus::INVALID_SUBCOMMAND);
    }
    let sub_params: SubParams = req.sub_command_params.clone().unwrap_or_default();
    if sub != sub::CANCEL_CURRENT_ENROLLMENT {
        let (p, param) =
            required_auth_param(req.pin_uv_auth_param.as_deref(), req.pin_uv_auth_protocol)?;
        // modality ‖ subCommand ‖ subCommandParams (CTAP 2.1 §6.7).
        let mut message = vec![MODALITY_FINGERPRINT as u8, sub as u8];
        if let Some(v) = &raw.params {
            message.extend(encode(v)?);
        }
        check_token(auth, p, param, &message, Permissions::BIO_ENROLLMENT, None)?;
    }
    let template_of = |p: &SubParams| -> Result<u8, CtapStatus> {
        match p.template_id.as_deref() {
            Some([id]) => Ok(*id),
            Some(_) => Err(CtapStatus::INVALID_PARAMETER),
            None => Err(CtapStatus::MISSING_PARAMETER),
        }
    };
    let fingers = &mut auth.persistent.fingerprints;
    let response = match sub {
        sub::ENROLL_BEGIN => {
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
            Response {
                template_id: Some(vec![template]),
                last_enroll_sample_status: Some(LastEnrollSampleStatus(0)),
                remaining_samples: Some(SAMPLES_PER_ENROLLMENT as u32 - 1),
                ..Response::default()
            }
        }
        sub::ENROLL_CAPTURE_NEXT_SAMPLE => {
            let template = template_of(&sub_params)?;
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
            Response {
                last_enroll_sample_status: Some(LastEnrollSampleStatus(0)),
                remaining_samples: Some(e.remaining as u32),
                ..Response::default()
            }
        }
        sub::CANCEL_CURRENT_ENROLLMENT => {
            auth.enrollment = None;
            Response::default()
        }
        sub::ENUMERATE_ENROLLMENTS => {
            if fingers.is_empty() {
                return Err(CtapStatus::INVALID_OPTION);
            }
            Response {
                template_infos: Some(
                    fingers
                        .iter()
                        .map(|(id, name)| TemplateInfo {
                            template_id: vec![*id],
                            // "" until a name is set: python-fido2 expects the key.
                            template_friendly_name: Some(name.clone().unwrap_or_default()),
                        })
                        .collect(),
                ),
                ..Response::default()
            }
        }
        sub::SET_FRIENDLY_NAME => {
            let template = template_of(&sub_params)?;
            let name = sub_params
                .template_friendly_name
                .ok_or(CtapStatus::MISSING_PARAMETER)?;
            if name.len() as u64 > MAX_FRIENDLY_NAME {
                return Err(CtapStatus::INVALID_PARAMETER);
            }
            let entry = fingers
                .iter_mut()
                .find(|(t, _)| *t == template)
                .ok_or(CtapStatus::INVALID_OPTION)?;
            entry.1 = Some(name);
            Response::default()
        }
        _ => {
            let template = template_of(&sub_params)?;
            let before = fingers.len();
            fingers.retain(|(t, _)| *t != template);
            if fingers.len() == before {
                return Err(CtapStatus::INVALID_OPTION);
            }
            Response::default()
        }
    };
    encode(&response)
}
