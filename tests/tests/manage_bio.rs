//! Bio enrollment helper against the virtual authenticator's simulated fingerprint
//! sensor, with both PIN/UV protocols: sensor info, enrollment with per-sample feedback,
//! enumerate, rename, remove; a cancelled enrollment, a full template database, the
//! prototype variant and a device without a sensor.

mod manage_common;

use std::ops::ControlFlow;

use fido_authenticator::Config;
use fido_ctap::capability::{BioEnrollSupport, Variant};
use fido_ctap::error::{Error, PermissionError, RequestError, ResponseError};
use fido_ctap::manage::{BioEnroller, EnrollOutcome, MAX_CAPTURES, Sample};
use fido_ctap::perms;
use fido_ctap::pin::DynPermissions;
use fido_types::generated::{
    BioEnrollmentRequest, BioEnrollmentResponse, BioEnrollmentSubCommand, FingerprintKind,
    LastEnrollSampleStatus,
};
use fido_types::pin_protocol::{PinProtocol, ProtocolOne, ProtocolTwo};
use fido_types::status::CtapStatus;
use manage_common::{Intercept, Rewrite, Rewriting, authenticator, ok_answer, open, pin, session};

fn enroll_all<P: PinProtocol>() {
    let auth = authenticator(Config::default());
    let mut session = session::<P, _>(open(&auth));
    let support = BioEnrollSupport::check(session.ctap().info()).unwrap();
    assert_eq!(support.variant(), Variant::Standard);
    assert!(!support.enrolled());
    let mut token = session.pin_token::<perms![BioEnrollment]>(&pin()).unwrap();
    let mut bio = BioEnroller::new(&mut token, support);
    let sensor = bio.sensor_info().unwrap();
    assert_eq!(sensor.kind, Some(FingerprintKind::TOUCH));
    assert_eq!(sensor.max_samples, Some(3));
    assert!(bio.enrollments().unwrap().is_empty());

    let mut samples = Vec::new();
    let outcome = bio
        .enroll(Some(10_000), |s| {
            samples.push(s);
            ControlFlow::Continue(())
        })
        .unwrap();
    let EnrollOutcome::Enrolled(template) = outcome else {
        panic!("{outcome:?}")
    };
    let good = |remaining| Sample {
        status: LastEnrollSampleStatus::GOOD,
        remaining,
    };
    assert_eq!(samples, [good(2), good(1), good(0)]);

    let listed = bio.enrollments().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].id.clone(), listed[0].name.clone()),
        (template.clone(), None)
    );
    bio.rename(&template, "left thumb").unwrap();
    assert_eq!(
        bio.enrollments().unwrap()[0].name.as_deref(),
        Some("left thumb")
    );
    bio.remove(&template).unwrap();
    assert!(bio.enrollments().unwrap().is_empty());
    let e = bio.remove(&template).unwrap_err();
    assert!(
        matches!(&e, Error::Ctap(s) if s.status() == CtapStatus::INVALID_OPTION),
        "{e:?}"
    );
}

#[test]
fn enroll_list_rename_remove_protocol_one() {
    enroll_all::<ProtocolOne>();
}

#[test]
fn enroll_list_rename_remove_protocol_two() {
    enroll_all::<ProtocolTwo>();
}

#[test]
fn cancelled_enrollment_leaves_nothing_enrolled() {
    let auth = authenticator(Config::default());
    let mut session = session::<ProtocolTwo, _>(open(&auth));
    let support = BioEnrollSupport::check(session.ctap().info()).unwrap();
    let mut token = session.pin_token::<perms![BioEnrollment]>(&pin()).unwrap();
    let mut bio = BioEnroller::new(&mut token, support);
    let mut seen = 0;
    let outcome = bio
        .enroll(None, |s| {
            seen += 1;
            if s.remaining == 1 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
    assert_eq!(outcome, EnrollOutcome::Cancelled);
    assert_eq!(seen, 2);
    assert!(bio.enrollments().unwrap().is_empty());
}

#[test]
fn full_template_database() {
    let auth = authenticator(Config::default());
    let mut session = session::<ProtocolTwo, _>(open(&auth));
    let support = BioEnrollSupport::check(session.ctap().info()).unwrap();
    let mut token = session.pin_token::<perms![BioEnrollment]>(&pin()).unwrap();
    let mut bio = BioEnroller::new(&mut token, support);
    let mut enrolled = 0;
    let error = loop {
        match bio.enroll(None, |_| ControlFlow::Continue(())) {
            Ok(EnrollOutcome::Enrolled(_)) => enrolled += 1,
            Ok(other) => panic!("{other:?}"),
            Err(e) => break e,
        }
        assert!(enrolled <= 5, "the virtual sensor holds five templates");
    };
    assert_eq!(enrolled, 5);
    assert!(
        matches!(&error, Error::Ctap(s) if s.status() == CtapStatus::FP_DATABASE_FULL),
        "{error:?}"
    );
    assert_eq!(bio.enrollments().unwrap().len(), 5);
}

#[test]
fn runtime_token_without_bio_permission() {
    let auth = authenticator(Config::default());
    let mut session = session::<ProtocolOne, _>(open(&auth));
    let support = BioEnrollSupport::check(session.ctap().info()).unwrap();
    let perms = DynPermissions::of::<perms![CredentialManagement]>();
    let mut token = session.pin_token_dyn(&pin(), perms, None).unwrap();
    let mut bio = BioEnroller::new(&mut token, support);
    let e = bio.enrollments().unwrap_err();
    assert!(
        matches!(e, Error::Permission(PermissionError::Missing { .. })),
        "{e:?}"
    );
}

#[test]
fn preview_variant_uses_0x40() {
    let auth = authenticator(Config::default());
    let device = Rewriting::new(open(&auth), Rewrite::Preview);
    let log = device.commands.clone();
    let mut session = session::<ProtocolTwo, _>(device);
    let support = BioEnrollSupport::check(session.ctap().info()).unwrap();
    assert_eq!(support.variant(), Variant::Preview);
    let mut token = session.pin_token::<perms![BioEnrollment]>(&pin()).unwrap();
    let mut bio = BioEnroller::new(&mut token, support);
    log.lock().unwrap().clear();
    let outcome = bio.enroll(None, |_| ControlFlow::Continue(())).unwrap();
    assert!(matches!(outcome, EnrollOutcome::Enrolled(_)));
    assert_eq!(*log.lock().unwrap(), [0x40, 0x40, 0x40]);
}

#[test]
fn device_without_a_sensor() {
    let auth = authenticator(Config {
        builtin_uv: false,
        ..Config::default()
    });
    let plain = session::<ProtocolTwo, _>(open(&auth));
    assert!(matches!(
        BioEnrollSupport::check(plain.ctap().info()),
        Err(RequestError::Unsupported(_))
    ));
    let auth = authenticator(Config::default());
    let session = session::<ProtocolTwo, _>(Rewriting::new(open(&auth), Rewrite::Without));
    assert!(BioEnrollSupport::check(session.ctap().info()).is_err());
}

#[test]
fn a_sensor_that_never_finishes_is_bounded() {
    // Every capture answers "too high, one more": the enrollment gives up after
    // MAX_CAPTURES samples instead of looping.
    let auth = authenticator(Config::default());
    let answer = Box::new(|payload: &[u8]| {
        let request: BioEnrollmentRequest = fido_types::cbor::from_slice(&payload[1..]).ok()?;
        (payload[0] == 0x09
            && request.sub_command == Some(BioEnrollmentSubCommand::ENROLL_CAPTURE_NEXT_SAMPLE))
        .then(|| {
            ok_answer(
                fido_types::cbor::to_vec(&BioEnrollmentResponse {
                    last_enroll_sample_status: Some(LastEnrollSampleStatus::TOO_HIGH),
                    remaining_samples: Some(1),
                    ..BioEnrollmentResponse::default()
                })
                .unwrap(),
            )
        })
    });
    let mut session = session::<ProtocolTwo, _>(Intercept::new(open(&auth), answer));
    let support = BioEnrollSupport::check(session.ctap().info()).unwrap();
    let mut token = session.pin_token::<perms![BioEnrollment]>(&pin()).unwrap();
    let mut bio = BioEnroller::new(&mut token, support);
    let mut statuses = Vec::new();
    let e = bio
        .enroll(None, |s| {
            statuses.push(s.status);
            ControlFlow::Continue(())
        })
        .unwrap_err();
    assert!(
        matches!(e, Error::Response(ResponseError::Invalid { .. })),
        "{e:?}"
    );
    assert_eq!(statuses.len(), MAX_CAPTURES as usize);
    assert_eq!(
        statuses[0],
        LastEnrollSampleStatus::GOOD,
        "enrollBegin's own sample"
    );
    assert!(
        statuses[1..]
            .iter()
            .all(|s| *s == LastEnrollSampleStatus::TOO_HIGH)
    );
}
