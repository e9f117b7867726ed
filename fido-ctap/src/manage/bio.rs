//! Fingerprint bio enrollment: python-fido2's `FPBioEnrollment` with per-sample feedback
//! that the caller can cancel.

use core::ops::ControlFlow;

use fido_types::generated::{
    BioEnrollmentParams, BioEnrollmentRequest, BioEnrollmentResponse, BioEnrollmentSubCommand,
    BioModality, FingerprintKind, LastEnrollSampleStatus,
};
use fido_types::pin_protocol::PinProtocol;
use fido_types::status::CtapStatus;

use crate::capability::{BioEnrollSupport, ProvesBioEnroll};
use crate::device::CtapDevice;
use crate::error::{Error, ResponseError, Result};
use crate::pin::{BioEnrollment, Permits, PinToken};

/// The most samples one enrollment captures: the authenticator decides when it is done
/// (remainingSamples 0), and this bounds an authenticator that never is.
pub const MAX_CAPTURES: u32 = 64;

/// What getFingerprintSensorInfo reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SensorInfo {
    /// Touch or swipe sensor.
    pub kind: Option<FingerprintKind>,
    /// maxCaptureSamplesRequiredForEnroll.
    pub max_samples: Option<u32>,
    /// maxTemplateFriendlyName (bytes).
    pub max_name_length: Option<u32>,
}

/// One captured sample, as the enrollment reports it to the feedback callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// lastEnrollSampleStatus: good, too high, too fast, ….
    pub status: LastEnrollSampleStatus,
    /// How many more good samples the authenticator wants.
    pub remaining: u32,
}

/// How an enrollment ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrollOutcome {
    /// The finger is enrolled under this template ID.
    Enrolled(Vec<u8>),
    /// The feedback callback stopped it; cancelCurrentEnrollment was sent.
    Cancelled,
}

/// An enrolled finger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// templateId.
    pub id: Vec<u8>,
    /// templateFriendlyName; `None` when absent or empty.
    pub name: Option<String>,
}

/// Fingerprint enrollment through a token, with the proof that the authenticator has a
/// sensor.
#[derive(Debug)]
pub struct BioEnroller<'t, 's, S, P: PinProtocol, D: CtapDevice> {
    token: &'t mut PinToken<'s, S, P, D>,
    support: BioEnrollSupport,
}

impl<'t, 's, S, P: PinProtocol, D: CtapDevice> BioEnroller<'t, 's, S, P, D>
where
    S: Permits<BioEnrollment>,
{
    /// An enroller using `token`, given the proof from
    /// [`BioEnrollSupport::check`](crate::capability::BioEnrollSupport::check).
    pub fn new(token: &'t mut PinToken<'s, S, P, D>, proof: impl ProvesBioEnroll) -> Self {
        BioEnroller {
            token,
            support: proof.proof(),
        }
    }

    /// The proof the enroller was built with.
    pub fn support(&self) -> BioEnrollSupport {
        self.support
    }

    fn call(
        &mut self,
        sub_command: BioEnrollmentSubCommand,
        params: Option<BioEnrollmentParams>,
    ) -> Result<BioEnrollmentResponse> {
        self.token
            .bio_enrollment(BioModality::FINGERPRINT, sub_command, params)
    }

    /// getFingerprintSensorInfo (needs no token).
    ///
    /// # Errors
    /// As [`Ctap2::bio_enrollment`](crate::ctap2::Ctap2::bio_enrollment).
    pub fn sensor_info(&mut self) -> Result<SensorInfo> {
        let request = BioEnrollmentRequest {
            modality: Some(BioModality::FINGERPRINT),
            sub_command: Some(BioEnrollmentSubCommand::GET_FINGERPRINT_SENSOR_INFO),
            ..BioEnrollmentRequest::default()
        };
        let r = self.token.ctap().bio_enrollment(&request)?;
        Ok(SensorInfo {
            kind: r.fingerprint_kind,
            max_samples: r.max_capture_samples_required_for_enroll,
            max_name_length: r.max_template_friendly_name,
        })
    }

    /// Enrolls a finger: enrollBegin, then enrollCaptureNextSample until the
    /// authenticator wants no more samples. `feedback` sees every sample (including the
    /// first) and may stop the enrollment with [`ControlFlow::Break`], which sends
    /// cancelCurrentEnrollment. `timeout_ms` goes to the authenticator with each capture.
    ///
    /// # Errors
    /// CTAP errors as [`Error::Ctap`] (e.g. `FP_DATABASE_FULL`, `USER_ACTION_TIMEOUT`);
    /// [`ResponseError::Missing`] without templateId or remainingSamples;
    /// [`ResponseError::Invalid`] after [`MAX_CAPTURES`] samples.
    pub fn enroll(
        &mut self,
        timeout_ms: Option<u32>,
        mut feedback: impl FnMut(Sample) -> ControlFlow<()>,
    ) -> Result<EnrollOutcome> {
        let params = timeout_ms.map(|t| BioEnrollmentParams {
            timeout_milliseconds: Some(t),
            ..BioEnrollmentParams::default()
        });
        let first = self.call(BioEnrollmentSubCommand::ENROLL_BEGIN, params)?;
        let template = first
            .template_id
            .clone()
            .ok_or(ResponseError::Missing("templateId"))?;
        let mut sample = sample_of(&first)?;
        for _ in 0..MAX_CAPTURES {
            if feedback(sample).is_break() {
                self.cancel()?;
                return Ok(EnrollOutcome::Cancelled);
            }
            if sample.remaining == 0 {
                return Ok(EnrollOutcome::Enrolled(template));
            }
            let params = BioEnrollmentParams {
                template_id: Some(template.clone()),
                timeout_milliseconds: timeout_ms,
                ..BioEnrollmentParams::default()
            };
            let next = self.call(
                BioEnrollmentSubCommand::ENROLL_CAPTURE_NEXT_SAMPLE,
                Some(params),
            )?;
            sample = sample_of(&next)?;
        }
        Err(ResponseError::Invalid {
            what: "remainingSamples",
            reason: "still above zero after MAX_CAPTURES samples",
        }
        .into())
    }

    /// cancelCurrentEnrollment.
    ///
    /// # Errors
    /// As [`PinToken::bio_enrollment`].
    pub fn cancel(&mut self) -> Result<()> {
        self.call(BioEnrollmentSubCommand::CANCEL_CURRENT_ENROLLMENT, None)
            .map(drop)
    }

    /// enumerateEnrollments; empty when none is enrolled (the authenticator answers
    /// `INVALID_OPTION`, as python-fido2 reads it).
    ///
    /// # Errors
    /// As [`PinToken::bio_enrollment`].
    pub fn enrollments(&mut self) -> Result<Vec<Template>> {
        let r = match self.call(BioEnrollmentSubCommand::ENUMERATE_ENROLLMENTS, None) {
            Err(Error::Ctap(e)) if e.status() == CtapStatus::INVALID_OPTION => {
                return Ok(Vec::new());
            }
            other => other?,
        };
        Ok(r.template_infos
            .unwrap_or_default()
            .into_iter()
            .map(|t| Template {
                id: t.template_id,
                name: t.template_friendly_name.filter(|n| !n.is_empty()),
            })
            .collect())
    }

    /// setFriendlyName.
    ///
    /// # Errors
    /// As [`PinToken::bio_enrollment`]; an unknown template as `INVALID_OPTION`.
    pub fn rename(&mut self, template_id: &[u8], name: &str) -> Result<()> {
        let params = BioEnrollmentParams {
            template_id: Some(template_id.to_vec()),
            template_friendly_name: Some(name.to_owned()),
            ..BioEnrollmentParams::default()
        };
        self.call(BioEnrollmentSubCommand::SET_FRIENDLY_NAME, Some(params))
            .map(drop)
    }

    /// removeEnrollment.
    ///
    /// # Errors
    /// As [`rename`](Self::rename).
    pub fn remove(&mut self, template_id: &[u8]) -> Result<()> {
        let params = BioEnrollmentParams {
            template_id: Some(template_id.to_vec()),
            ..BioEnrollmentParams::default()
        };
        self.call(BioEnrollmentSubCommand::REMOVE_ENROLLMENT, Some(params))
            .map(drop)
    }
}

/// The sample an enrollment answer reports (status absent reads as good).
fn sample_of(r: &BioEnrollmentResponse) -> Result<Sample> {
    Ok(Sample {
        status: r
            .last_enroll_sample_status
            .unwrap_or(LastEnrollSampleStatus::GOOD),
        remaining: r
            .remaining_samples
            .ok_or(ResponseError::Missing("remainingSamples"))?,
    })
}
