//! The UV/PIN decision: hand-picked rows naming their rule, every combination of the
//! inputs against an independent decision table, and invariants; then the retry state.

use fido_types::generated::{CtapVersion, Info};
use fido_types::status::CtapStatus;

use super::*;

use BuiltInUvState as B;
use ClientPinState as P;
use Operation as Op;
use UvDecision as D;
use UvReason as R;
use UvRequirement as Req;

/// A CTAP 2.1 key with a PIN set, no built-in UV, tokens supported; a preferred getAssertion.
const BASE: UvInputs = UvInputs {
    requirement: Req::Preferred,
    client_pin: P::Set,
    built_in_uv: B::Unsupported,
    pin_uv_auth_token: true,
    always_uv: false,
    make_cred_uv_not_rqd: false,
    no_mc_ga_permissions_with_client_pin: false,
    discoverable: false,
    operation: Op::GetAssertion,
    extra_permissions: false,
    uv_allowed: true,
    pin_available: true,
};

const PIN_TOKEN: D = D::PinToken {
    with_permissions: true,
};
const LEGACY_PIN_TOKEN: D = D::PinToken {
    with_permissions: false,
};

#[rustfmt::skip]
fn rows() -> Vec<(UvInputs, D, R, &'static str)> {
    vec![
        // --- requirement: WebAuthn L3 §5.4.6 and python-fido2 _should_use_uv ---
        (UvInputs { requirement: Req::Required, ..BASE }, PIN_TOKEN, R::Required,
            "required → verify; PIN set, no built-in UV → PIN token with permissions (CTAP 2.1 §6.5.5.7.2)"),
        (BASE, PIN_TOKEN, R::PreferredAndSupported,
            "preferred + clientPin present → treated as required (python-fido2 _should_use_uv)"),
        (UvInputs { requirement: Req::Discouraged, ..BASE }, D::NoUv, R::NotNeeded,
            "discouraged getAssertion without alwaysUv → no UV"),
        (UvInputs { client_pin: P::Unsupported, ..BASE }, D::NoUv, R::NotNeeded,
            "preferred, authenticator without any UV method → no UV (WebAuthn preferred never fails)"),
        (UvInputs { client_pin: P::NotSet, ..BASE }, D::NotConfigured, R::PreferredAndSupported,
            "preferred + PIN supported but not set → CONFIGURATION_UNSUPPORTED (python-fido2, PR #148 discussion)"),
        (UvInputs { requirement: Req::Required, client_pin: P::Unsupported, ..BASE }, D::NotConfigured, R::Required,
            "required but no UV method at all → CONFIGURATION_UNSUPPORTED"),
        (UvInputs { requirement: Req::Required, client_pin: P::NotSet, built_in_uv: B::NotConfigured, ..BASE }, D::NotConfigured, R::Required,
            "required, PIN not set, no finger enrolled → CONFIGURATION_UNSUPPORTED"),
        // --- alwaysUv: CTAP 2.1 §6.1.2 / §6.2.2 ---
        (UvInputs { requirement: Req::Discouraged, always_uv: true, ..BASE }, PIN_TOKEN, R::AlwaysUv,
            "alwaysUv overrides discouraged"),
        (UvInputs { requirement: Req::Discouraged, always_uv: true, client_pin: P::NotSet, ..BASE }, D::NotConfigured, R::AlwaysUv,
            "alwaysUv but nothing configured → CONFIGURATION_UNSUPPORTED"),
        // --- makeCredential on a protected authenticator: CTAP 2.1 §6.1.2 ---
        (UvInputs { requirement: Req::Discouraged, operation: Op::MakeCredential, ..BASE }, PIN_TOKEN, R::MakeCredentialProtected,
            "discouraged makeCredential, PIN set, no makeCredUvNotRqd → the authenticator requires UV"),
        (UvInputs { requirement: Req::Discouraged, operation: Op::MakeCredential, make_cred_uv_not_rqd: true, ..BASE }, D::NoUv, R::NotNeeded,
            "makeCredUvNotRqd exempts non-discoverable credentials"),
        (UvInputs { requirement: Req::Discouraged, operation: Op::MakeCredential, make_cred_uv_not_rqd: true, discoverable: true, ..BASE }, PIN_TOKEN, R::MakeCredentialProtected,
            "makeCredUvNotRqd does not exempt discoverable credentials (rk)"),
        (UvInputs { requirement: Req::Discouraged, operation: Op::MakeCredential, client_pin: P::NotSet, ..BASE }, D::NoUv, R::NotNeeded,
            "discouraged makeCredential on an unprotected authenticator → no UV"),
        // --- permissions beyond mc/ga: CTAP 2.1 §6.5.5.7 ---
        (UvInputs { requirement: Req::Discouraged, extra_permissions: true, ..BASE }, PIN_TOKEN, R::ExtraPermissions,
            "discouraged getAssertion that writes a large blob (lbw) still needs a token"),
        (UvInputs { requirement: Req::Discouraged, operation: Op::Other, ..BASE }, PIN_TOKEN, R::ExtraPermissions,
            "credential management (cm) needs a token"),
        (UvInputs { requirement: Req::Discouraged, operation: Op::Other, client_pin: P::NotSet, ..BASE }, D::NoUv, R::NotNeeded,
            "nothing configured: no token can be had; the authenticator decides (python-fido2)"),
        // --- built-in UV first: python-fido2 _get_token "Prefer UV" ---
        (UvInputs { built_in_uv: B::Configured, ..BASE }, D::UvToken, R::PreferredAndSupported,
            "built-in UV + pinUvAuthToken → getPinUvAuthTokenUsingUvWithPermissions (CTAP 2.1 §6.5.5.7.3)"),
        (UvInputs { built_in_uv: B::Configured, client_pin: P::Unsupported, ..BASE }, D::UvToken, R::PreferredAndSupported,
            "built-in UV only, with tokens"),
        (UvInputs { built_in_uv: B::Configured, pin_uv_auth_token: false, ..BASE }, D::UvOption, R::PreferredAndSupported,
            "built-in UV without token support → the request's uv option (CTAP 2.0)"),
        (UvInputs { built_in_uv: B::Configured, pin_uv_auth_token: false, extra_permissions: true, ..BASE }, LEGACY_PIN_TOKEN, R::PreferredAndSupported,
            "uv option cannot carry extra permissions → PIN (legacy getPinToken, no tokens)"),
        (UvInputs { built_in_uv: B::Configured, pin_uv_auth_token: false, extra_permissions: true, client_pin: P::NotSet, ..BASE }, D::NotConfigured, R::PreferredAndSupported,
            "uv option cannot carry extra permissions and no PIN → CONFIGURATION_UNSUPPORTED"),
        (UvInputs { built_in_uv: B::NotConfigured, ..BASE }, PIN_TOKEN, R::PreferredAndSupported,
            "built-in UV not configured → PIN"),
        (UvInputs { built_in_uv: B::NotConfigured, client_pin: P::Unsupported, ..BASE }, D::NotConfigured, R::PreferredAndSupported,
            "built-in UV supported but not configured, no PIN support → CONFIGURATION_UNSUPPORTED"),
        // --- UV not allowed (UV_BLOCKED fallback, or the user declined request_uv) ---
        (UvInputs { built_in_uv: B::Configured, uv_allowed: false, ..BASE }, PIN_TOKEN, R::PreferredAndSupported,
            "UV blocked → PIN (python-fido2 allow_uv = False)"),
        (UvInputs { built_in_uv: B::Configured, uv_allowed: false, client_pin: P::NotSet, ..BASE }, D::NotConfigured, R::PreferredAndSupported,
            "UV blocked and no PIN set → CONFIGURATION_UNSUPPORTED"),
        // --- the PIN: python-fido2 ClientPin.get_pin_token ---
        (UvInputs { pin_uv_auth_token: false, ..BASE }, LEGACY_PIN_TOKEN, R::PreferredAndSupported,
            "no pinUvAuthToken → CTAP 2.0 getPinToken without permissions"),
        (UvInputs { pin_available: false, ..BASE }, D::PinRequired, R::PreferredAndSupported,
            "PIN needed, caller has none → PinRequiredError"),
        (UvInputs { pin_available: false, built_in_uv: B::Configured, ..BASE }, D::UvToken, R::PreferredAndSupported,
            "no PIN needed when built-in UV works"),
        (UvInputs { requirement: Req::Discouraged, pin_available: false, ..BASE }, D::NoUv, R::NotNeeded,
            "no PIN needed when no UV is needed"),
        // --- noMcGaPermissionsWithClientPin: CTAP 2.1 §6.4 ---
        (UvInputs { no_mc_ga_permissions_with_client_pin: true, built_in_uv: B::Configured, ..BASE }, D::UvToken, R::PreferredAndSupported,
            "PIN tokens may not carry ga, built-in UV works → UV token"),
        (UvInputs { no_mc_ga_permissions_with_client_pin: true, built_in_uv: B::Configured, uv_allowed: false, ..BASE }, D::NotConfigured, R::PreferredAndSupported,
            "UV blocked and PIN tokens may not carry ga → CONFIGURATION_UNSUPPORTED, no PIN prompt"),
        (UvInputs { no_mc_ga_permissions_with_client_pin: true, operation: Op::Other, ..BASE }, PIN_TOKEN, R::PreferredAndSupported,
            "credential management may still use the PIN"),
        // --- CTAP 2.0 authenticators ---
        (UvInputs { pin_uv_auth_token: false, operation: Op::MakeCredential, requirement: Req::Discouraged, ..BASE }, LEGACY_PIN_TOKEN, R::MakeCredentialProtected,
            "CTAP 2.0 key with a PIN: makeCredential needs the PIN (CTAP 2.0 §5.1 step 6)"),
        (UvInputs { client_pin: P::Unsupported, built_in_uv: B::Unsupported, pin_uv_auth_token: false, requirement: Req::Required, ..BASE }, D::NotConfigured, R::Required,
            "U2F-like key, required → CONFIGURATION_UNSUPPORTED"),
    ]
}

#[test]
fn hand_picked_rows() {
    for (inputs, decision, reason, rule) in rows() {
        let plan = decide(&inputs);
        assert_eq!(plan, UvPlan { decision, reason }, "{rule}: {inputs:?}");
    }
}

/// Every combination of the inputs.
fn all_inputs() -> Vec<UvInputs> {
    let mut out = Vec::new();
    for requirement in Req::ALL {
        for client_pin in P::ALL {
            for built_in_uv in B::ALL {
                for operation in Op::ALL {
                    for bits in 0u32..1 << 8 {
                        let bit = |n: u32| bits & (1 << n) != 0;
                        out.push(UvInputs {
                            requirement,
                            client_pin,
                            built_in_uv,
                            pin_uv_auth_token: bit(0),
                            always_uv: bit(1),
                            make_cred_uv_not_rqd: bit(2),
                            discoverable: bit(3),
                            operation,
                            extra_permissions: bit(4),
                            uv_allowed: bit(5),
                            pin_available: bit(6),
                            no_mc_ga_permissions_with_client_pin: bit(7),
                        });
                    }
                }
            }
        }
    }
    out
}

/// The decision written as a flat, first-match table, independently of `decide`.
fn table(i: &UvInputs) -> UvPlan {
    let pin_set = i.client_pin == P::Set;
    let uv_ready = i.built_in_uv == B::Configured;
    let any_method = i.client_pin != P::Unsupported || i.built_in_uv != B::Unsupported;
    let protected = pin_set || uv_ready;
    let extra = i.extra_permissions || i.operation == Op::Other;
    let mc = i.operation == Op::MakeCredential;
    let exempt = i.make_cred_uv_not_rqd && !i.discoverable;
    // (condition, reason) — first match wins.
    let need: [(bool, R); 5] = [
        (i.requirement == Req::Required, R::Required),
        (
            i.requirement == Req::Preferred && any_method,
            R::PreferredAndSupported,
        ),
        (i.always_uv, R::AlwaysUv),
        (protected && mc && !exempt, R::MakeCredentialProtected),
        (protected && extra, R::ExtraPermissions),
    ];
    let Some(&(_, reason)) = need.iter().find(|(hit, _)| *hit) else {
        return UvPlan {
            decision: D::NoUv,
            reason: R::NotNeeded,
        };
    };
    // (condition, decision) — first match wins.
    let pin_forbidden = i.no_mc_ga_permissions_with_client_pin && i.operation != Op::Other;
    let how: [(bool, D); 7] = [
        (!protected, D::NotConfigured),
        (i.uv_allowed && uv_ready && i.pin_uv_auth_token, D::UvToken),
        (i.uv_allowed && uv_ready && !extra, D::UvOption),
        (pin_forbidden, D::NotConfigured),
        (
            pin_set && i.pin_available,
            D::PinToken {
                with_permissions: i.pin_uv_auth_token,
            },
        ),
        (pin_set, D::PinRequired),
        (true, D::NotConfigured),
    ];
    let decision = how
        .iter()
        .find(|(hit, _)| *hit)
        .map(|(_, d)| *d)
        .unwrap_or(D::NotConfigured);
    UvPlan { decision, reason }
}

#[test]
fn every_combination_matches_the_table() {
    let all = all_inputs();
    assert_eq!(all.len(), 3 * 3 * 3 * 3 * 256);
    let mut seen = std::collections::HashSet::new();
    for inputs in &all {
        let plan = decide(inputs);
        assert_eq!(plan, table(inputs), "{inputs:?}");
        seen.insert(plan);
    }
    // Every decision and every reason is reachable.
    for d in [
        D::NoUv,
        D::UvToken,
        D::UvOption,
        PIN_TOKEN,
        LEGACY_PIN_TOKEN,
        D::PinRequired,
        D::NotConfigured,
    ] {
        assert!(seen.iter().any(|p| p.decision == d), "{d:?} unreachable");
    }
    for r in [
        R::NotNeeded,
        R::Required,
        R::PreferredAndSupported,
        R::AlwaysUv,
        R::MakeCredentialProtected,
        R::ExtraPermissions,
    ] {
        assert!(seen.iter().any(|p| p.reason == r), "{r:?} unreachable");
    }
}

#[test]
fn invariants_hold_for_every_combination() {
    for i in all_inputs() {
        let plan = decide(&i);
        match plan.decision {
            // Built-in UV only when configured and allowed; the uv option only without
            // tokens and for mc/ga alone (CTAP 2.1: uv option and pinUvAuthParam never together).
            D::UvToken => {
                assert!(i.built_in_uv == B::Configured && i.uv_allowed && i.pin_uv_auth_token)
            }
            D::UvOption => assert!(
                i.built_in_uv == B::Configured
                    && i.uv_allowed
                    && !i.pin_uv_auth_token
                    && !i.needs_extra_permissions()
            ),
            // The PIN only when set and built-in UV is not usable for this request.
            D::PinToken { with_permissions } => {
                assert!(i.client_pin == P::Set && i.pin_available && i.pin_usable());
                assert_eq!(with_permissions, i.pin_uv_auth_token);
                assert!(!(i.uv_allowed && i.built_in_uv == B::Configured && i.pin_uv_auth_token));
            }
            D::PinRequired => assert!(i.client_pin == P::Set && !i.pin_available && i.pin_usable()),
            D::NotConfigured | D::NoUv => {}
        }
        // NoUv exactly when no rule asks.
        assert_eq!(plan.decision == D::NoUv, plan.reason == R::NotNeeded);
        // required never proceeds without verification.
        if i.requirement == Req::Required {
            assert_ne!(plan.decision, D::NoUv, "{i:?}");
        }
        // Raising the requirement never removes verification.
        if plan.decision != D::NoUv && i.requirement == Req::Discouraged {
            let preferred = decide(&UvInputs {
                requirement: Req::Preferred,
                ..i
            });
            assert_ne!(preferred.decision, D::NoUv, "{i:?}");
        }
        // Plain discouraged getAssertion never verifies (WebAuthn §5.4.6).
        if i.requirement == Req::Discouraged
            && !i.always_uv
            && i.operation == Op::GetAssertion
            && !i.extra_permissions
        {
            assert_eq!(plan.decision, D::NoUv);
        }
    }
}

#[test]
fn from_info_reads_the_options() {
    let mut info = Info::new(vec![CtapVersion::FIDO_2_1], [0; 16]);
    let i = UvInputs::from_info(&info, Req::Required, Op::GetAssertion);
    assert_eq!(
        (i.client_pin, i.built_in_uv),
        (P::Unsupported, B::Unsupported)
    );
    assert!(!i.pin_uv_auth_token && !i.always_uv && !i.make_cred_uv_not_rqd);
    info.options = Some(
        [
            ("clientPin", true),
            ("uv", false),
            ("pinUvAuthToken", true),
            ("alwaysUv", true),
            ("makeCredUvNotRqd", true),
            ("noMcGaPermissionsWithClientPin", true),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
    );
    let i = UvInputs::from_info(&info, Req::Required, Op::MakeCredential);
    assert_eq!((i.client_pin, i.built_in_uv), (P::Set, B::NotConfigured));
    assert!(i.pin_uv_auth_token && i.always_uv && i.make_cred_uv_not_rqd);
    assert!(i.no_mc_ga_permissions_with_client_pin && !i.pin_usable());
    assert_eq!(i.base_permissions(), Permissions::MAKE_CREDENTIAL);
    // PIN set but not usable for mc, built-in UV not configured.
    assert_eq!(decide(&i).decision, D::NotConfigured);
    let i = UvInputs {
        no_mc_ga_permissions_with_client_pin: false,
        ..i
    };
    assert_eq!(decide(&i).decision, PIN_TOKEN);
}

#[test]
fn requirement_from_webauthn_strings() {
    assert_eq!(
        UvRequirement::from_webauthn(Some("required")),
        Req::Required
    );
    assert_eq!(
        UvRequirement::from_webauthn(Some("discouraged")),
        Req::Discouraged
    );
    assert_eq!(
        UvRequirement::from_webauthn(Some("preferred")),
        Req::Preferred
    );
    assert_eq!(
        UvRequirement::from_webauthn(Some("sometimes")),
        Req::Preferred
    );
    assert_eq!(UvRequirement::from_webauthn(None), Req::Preferred);
    use fido_types::webauthn::UserVerificationRequirement as W;
    assert_eq!(UvRequirement::from(Some(W::REQUIRED)), Req::Required);
    assert_eq!(UvRequirement::from(Some(W::PREFERRED)), Req::Preferred);
    assert_eq!(UvRequirement::from(Some(W::DISCOURAGED)), Req::Discouraged);
    assert_eq!(UvRequirement::from(None), Req::Preferred);
}

#[test]
fn decisions_that_are_errors() {
    assert!(matches!(
        D::PinRequired.into_result(),
        Err(Error::PinRequired(_))
    ));
    assert!(matches!(
        D::NotConfigured.into_result(),
        Err(Error::UvNotConfigured)
    ));
    assert_eq!(D::UvToken.into_result().unwrap(), D::UvToken);
    assert!(D::NoUv.error().is_none());
}

#[test]
fn puat_required_raises_the_requirement_once() {
    for start in [Req::Discouraged, Req::Preferred] {
        let mut retry = UvRetry::new(start, 0);
        assert_eq!(
            retry.on_error(CtapStatus::PUAT_REQUIRED),
            RetryAction::RetryWithVerification
        );
        assert_eq!(retry.requirement(), Req::Required);
        assert_eq!(
            retry.on_error(CtapStatus::PUAT_REQUIRED),
            RetryAction::GiveUp
        );
    }
    let mut retry = UvRetry::new(Req::Required, 0);
    assert_eq!(
        retry.on_error(CtapStatus::PUAT_REQUIRED),
        RetryAction::GiveUp
    );
}

#[test]
fn uv_blocked_falls_back_to_the_pin_once() {
    let mut retry = UvRetry::new(Req::Required, 3);
    assert!(retry.uv_allowed());
    assert_eq!(
        retry.on_error(CtapStatus::UV_BLOCKED),
        RetryAction::RetryWithPin
    );
    assert!(!retry.uv_allowed());
    assert_eq!(retry.on_error(CtapStatus::UV_BLOCKED), RetryAction::GiveUp);
    // Deciding again with uv_allowed = false picks the PIN.
    let inputs = UvInputs {
        built_in_uv: B::Configured,
        uv_allowed: retry.uv_allowed(),
        ..BASE
    };
    assert_eq!(decide(&inputs).decision, PIN_TOKEN);
}

#[test]
fn uv_invalid_retries_up_to_the_preferred_attempts_then_uses_the_pin() {
    let mut retry = UvRetry::new(Req::Required, 3);
    assert_eq!(retry.on_error(CtapStatus::UV_INVALID), RetryAction::RetryUv);
    assert_eq!(retry.on_error(CtapStatus::UV_INVALID), RetryAction::RetryUv);
    assert_eq!(retry.uv_attempts(), 2);
    assert_eq!(
        retry.on_error(CtapStatus::UV_INVALID),
        RetryAction::RetryWithPin
    );
    assert!(!retry.uv_allowed());
    assert_eq!(retry.on_error(CtapStatus::UV_INVALID), RetryAction::GiveUp);
    // preferredPlatformUvAttempts absent (0): one attempt, then the PIN.
    let mut retry = UvRetry::new(Req::Required, 0);
    assert_eq!(
        retry.on_error(CtapStatus::UV_INVALID),
        RetryAction::RetryWithPin
    );
}

#[test]
fn every_retry_sequence_ends() {
    // A hostile authenticator claiming u64::MAX attempts and failing forever: the
    // retries stop after MAX_UV_ATTEMPTS UV tries, one PIN fallback, one PUAT raise.
    let mut retry = UvRetry::new(Req::Discouraged, u64::MAX);
    let mut retries = 0;
    for status in [CtapStatus::PUAT_REQUIRED, CtapStatus::UV_INVALID]
        .iter()
        .cycle()
        .take(1000)
    {
        if retry.on_error(*status) != RetryAction::GiveUp {
            retries += 1;
        }
    }
    assert_eq!(retries, 1 + UvRetry::MAX_UV_ATTEMPTS);
}

#[test]
fn other_errors_are_reported() {
    for status in [
        CtapStatus::PIN_INVALID,
        CtapStatus::PIN_AUTH_BLOCKED,
        CtapStatus::NO_CREDENTIALS,
        CtapStatus::OPERATION_DENIED,
    ] {
        let mut retry = UvRetry::new(Req::Discouraged, 1);
        assert_eq!(retry.on_error(status), RetryAction::GiveUp, "{status}");
        assert_eq!(
            retry,
            UvRetry::new(Req::Discouraged, 1),
            "state unchanged by {status}"
        );
    }
}

/// Cross-check against python-fido2 2.2.1 itself (python_fido2_uv.txt, computed by
/// calling its `_should_use_uv` and `_get_token`). `discoverable` and
/// `no_mc_ga_permissions_with_client_pin` are fixed to false: python-fido2 reads neither.
#[test]
fn agrees_with_python_fido2_for_non_discoverable_requests() {
    let data = include_str!("python_fido2_uv.txt");
    let mut compared = 0;
    for line in data.lines().filter(|l| !l.starts_with('#')) {
        let (head, results) = line.split_once(' ').expect("head and results");
        let head = head.as_bytes();
        let requirement = match head[0] {
            b'R' => Req::Required,
            b'P' => Req::Preferred,
            _ => Req::Discouraged,
        };
        let client_pin = match head[1] {
            b'U' => P::Unsupported,
            b'N' => P::NotSet,
            _ => P::Set,
        };
        let built_in_uv = match head[2] {
            b'U' => B::Unsupported,
            b'N' => B::NotConfigured,
            _ => B::Configured,
        };
        let operation = match head[3] {
            b'M' => Op::MakeCredential,
            b'G' => Op::GetAssertion,
            _ => Op::Other,
        };
        assert_eq!(results.len(), 64);
        for (index, code) in results.bytes().enumerate() {
            let bit = |n: usize| index & (1 << n) != 0;
            let inputs = UvInputs {
                requirement,
                client_pin,
                built_in_uv,
                pin_uv_auth_token: bit(0),
                always_uv: bit(1),
                make_cred_uv_not_rqd: bit(2),
                no_mc_ga_permissions_with_client_pin: false,
                discoverable: false,
                operation,
                extra_permissions: bit(3),
                uv_allowed: bit(4),
                pin_available: bit(5),
            };
            let python = match code {
                b'N' => D::NoUv,
                b'T' => D::UvToken,
                b'O' => D::UvOption,
                b'P' => PIN_TOKEN,
                b'L' => LEGACY_PIN_TOKEN,
                b'R' => D::PinRequired,
                b'X' => D::NotConfigured,
                other => panic!("unknown code {other}"),
            };
            assert_eq!(
                decide(&inputs).decision,
                python,
                "{line}, index {index}: {inputs:?}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 81 * 64);
}

mod resolve_with_the_user {
    use super::*;
    use crate::interaction::{InteractionEvent, ScriptedInteraction};

    const GA: Permissions = Permissions::GET_ASSERTION;

    fn asked(ui: &ScriptedInteraction) -> Vec<&'static str> {
        ui.events()
            .iter()
            .map(|e| match e {
                InteractionEvent::PromptUp => "up",
                InteractionEvent::RequestPin { .. } => "pin",
                InteractionEvent::RequestUv { .. } => "uv",
            })
            .collect()
    }

    #[test]
    fn no_uv_asks_nothing() {
        let ui = ScriptedInteraction::new().with_pins(["1234"]);
        let inputs = UvInputs {
            requirement: Req::Discouraged,
            ..BASE
        };
        assert!(matches!(
            resolve(&inputs, GA, None, &ui),
            Ok(Verification::None)
        ));
        assert!(asked(&ui).is_empty());
    }

    #[test]
    fn built_in_uv_asks_for_consent_only() {
        let ui = ScriptedInteraction::new().with_pins(["1234"]);
        let inputs = UvInputs {
            built_in_uv: B::Configured,
            ..BASE
        };
        assert!(matches!(
            resolve(&inputs, GA, Some("example.com"), &ui),
            Ok(Verification::UvToken)
        ));
        assert_eq!(asked(&ui), ["uv"]);
        let legacy = UvInputs {
            built_in_uv: B::Configured,
            pin_uv_auth_token: false,
            ..BASE
        };
        assert!(matches!(
            resolve(&legacy, GA, None, &ui),
            Ok(Verification::UvOption)
        ));
    }

    #[test]
    fn declined_uv_falls_back_to_the_pin() {
        let ui = ScriptedInteraction::new()
            .with_pins(["1234"])
            .with_uv(false);
        let inputs = UvInputs {
            built_in_uv: B::Configured,
            ..BASE
        };
        let Ok(Verification::Pin {
            pin,
            with_permissions,
        }) = resolve(&inputs, GA, Some("example.com"), &ui)
        else {
            panic!("expected the PIN");
        };
        assert_eq!(pin.expose_secret(), "1234");
        assert!(with_permissions);
        assert_eq!(asked(&ui), ["uv", "pin"]);
        assert_eq!(
            ui.events()[1],
            InteractionEvent::RequestPin {
                permissions: GA,
                rp_id: Some("example.com".into()),
                answered: true
            }
        );
    }

    #[test]
    fn declined_uv_without_a_pin_is_not_configured() {
        let ui = ScriptedInteraction::new().with_uv(false);
        let inputs = UvInputs {
            built_in_uv: B::Configured,
            client_pin: P::NotSet,
            ..BASE
        };
        assert!(matches!(
            resolve(&inputs, GA, None, &ui),
            Err(Error::UvNotConfigured)
        ));
        assert_eq!(asked(&ui), ["uv"]);
    }

    #[test]
    fn no_pin_from_the_user_is_pin_required() {
        let ui = ScriptedInteraction::new();
        assert!(matches!(
            resolve(&BASE, GA, None, &ui),
            Err(Error::PinRequired(_))
        ));
        assert_eq!(asked(&ui), ["pin"]);
        // A caller that knows it has no PIN is not asked at all.
        let ui = ScriptedInteraction::new();
        let inputs = UvInputs {
            pin_available: false,
            ..BASE
        };
        assert!(matches!(
            resolve(&inputs, GA, None, &ui),
            Err(Error::PinRequired(_))
        ));
        assert!(asked(&ui).is_empty());
    }

    #[test]
    fn legacy_pin_token_without_permissions() {
        let ui = ScriptedInteraction::new().with_pins(["4321"]);
        let inputs = UvInputs {
            pin_uv_auth_token: false,
            ..BASE
        };
        assert!(matches!(
            resolve(&inputs, GA, None, &ui),
            Ok(Verification::Pin {
                with_permissions: false,
                ..
            })
        ));
    }
}
