//! rk, enterprise attestation and permissions, as python-fido2 2.2.1 decides them.

use fido_types::error::ClientErrorCode;
use fido_types::generated::CtapVersion;

use super::*;

fn info(options: &[(&str, bool)]) -> Info {
    let mut info = Info::new(vec![CtapVersion::FIDO_2_1], [0; 16]);
    info.options = Some(options.iter().map(|(k, v)| (k.to_string(), *v)).collect());
    info
}

fn selection(rk: Option<ResidentKeyRequirement>) -> AuthenticatorSelectionCriteria {
    let mut s = AuthenticatorSelectionCriteria::default();
    s.resident_key = rk;
    s
}

#[test]
fn resident_key_rows() {
    use ResidentKeyRequirement as Rk;
    let with_rk = info(&[("rk", true)]);
    let without = info(&[("rk", false)]);
    // (requirement, authenticator, expected rk option)
    let rows = [
        (Some(Rk::REQUIRED), &with_rk, Some(true)),
        (Some(Rk::PREFERRED), &with_rk, Some(true)),
        (Some(Rk::PREFERRED), &without, Some(false)),
        (Some(Rk::DISCOURAGED), &with_rk, Some(false)),
        (None, &with_rk, Some(false)),
        (Some(Rk::REQUIRED), &without, None),
    ];
    for (requirement, info, expected) in rows {
        assert_eq!(
            resident_key(&selection(requirement.clone()), info).ok(),
            expected,
            "{requirement:?}"
        );
    }
    let err = resident_key(&selection(Some(Rk::REQUIRED)), &without).unwrap_err();
    assert_eq!(err.code(), ClientErrorCode::CONFIGURATION_UNSUPPORTED);
    // requireResidentKey (L1) counts when residentKey is absent.
    let mut legacy = AuthenticatorSelectionCriteria::default();
    legacy.require_resident_key = Some(true);
    assert!(resident_key(&legacy, &with_rk).unwrap());
}

#[test]
fn enterprise_attestation_rows() {
    use AttestationConveyancePreference as A;
    let ep = info(&[("ep", true)]);
    let ep_off = info(&[("ep", false)]);
    let list = vec!["corp.example".to_string()];
    assert_eq!(
        enterprise_attestation(Some(A::ENTERPRISE), &ep, "corp.example", None),
        Some(1)
    );
    assert_eq!(
        enterprise_attestation(Some(A::ENTERPRISE), &ep, "corp.example", Some(&list)),
        Some(2)
    );
    assert_eq!(
        enterprise_attestation(Some(A::ENTERPRISE), &ep, "other.example", Some(&list)),
        None
    );
    assert_eq!(
        enterprise_attestation(Some(A::ENTERPRISE), &ep_off, "corp.example", None),
        None
    );
    assert_eq!(
        enterprise_attestation(Some(A::DIRECT), &ep, "corp.example", None),
        None
    );
    assert_eq!(
        enterprise_attestation(None, &ep, "corp.example", None),
        None
    );
}

#[test]
fn permissions() {
    assert_eq!(
        make_credential_permissions(false),
        Permissions::MAKE_CREDENTIAL
    );
    assert_eq!(make_credential_permissions(true).bits(), 0x01 | 0x02);
}
