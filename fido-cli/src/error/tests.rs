//! Errors as sentences: CTAP, transport and client errors, and the exit statuses.

use super::*;
use fido_types::error::CtapError as StatusError;
use fido_types::status::CtapStatus;

#[test]
fn ctap_errors_read_as_sentences() {
    let cases: Vec<(CtapError, &str)> = vec![
        (
            PinUvError::PinInvalid { retries: Some(3) }.into(),
            "wrong PIN (3 attempts left); check the PIN and try again",
        ),
        (
            PinUvError::PinInvalid { retries: Some(1) }.into(),
            "wrong PIN (1 attempt left); check the PIN and try again",
        ),
        (
            PinUvError::PinNotSet.into(),
            "no PIN is set on the authenticator: set one with `fido pin set`",
        ),
        (
            PinUvError::PinBlocked.into(),
            "the PIN is blocked; the authenticator must be reset",
        ),
        (
            StatusError::new(CtapStatus::NO_CREDENTIALS).into(),
            "the authenticator refused: no matching credential was found (NO_CREDENTIALS (0x2E))",
        ),
        (TransportError::Cancelled.into(), "cancelled"),
        (
            TransportError::NoDevice.into(),
            "no FIDO security key found: plug one in, or pass `--device virtual` to use the \
             built-in software authenticator",
        ),
    ];
    for (error, text) in cases {
        assert_eq!(describe(&error), text);
    }
}

#[test]
fn only_cancellation_exits_with_130() {
    assert_eq!(CliError::from(TransportError::Cancelled).exit_code(), 130);
    assert_eq!(
        CliError::from(fido_webauthn::Error::cancelled()).exit_code(),
        130
    );
    assert_eq!(
        CliError::from(fido_webauthn::Error::from(CtapStatus::KEEPALIVE_CANCEL)).exit_code(),
        130
    );
    assert_eq!(
        CliError::from(fido_webauthn::Error::UvNotConfigured).exit_code(),
        1
    );
    assert_eq!(CliError::from(TransportError::NoDevice).exit_code(), 1);
    assert_eq!(CliError::msg("x").exit_code(), 1);
}

#[test]
fn client_errors_read_as_sentences() {
    let error = fido_webauthn::Error::Ctap(PinUvError::PinInvalid { retries: Some(7) }.into());
    assert_eq!(
        CliError::from(error).to_string(),
        "wrong PIN (7 attempts left); check the PIN and try again"
    );
    let error = fido_webauthn::Error::from(StatusError::new(CtapStatus::CREDENTIAL_EXCLUDED));
    assert_eq!(
        CliError::from(error).to_string(),
        format!(
            "the authenticator refused: {} (CREDENTIAL_EXCLUDED (0x19))",
            CtapStatus::CREDENTIAL_EXCLUDED.description()
        )
    );
    // The client's own errors and cancellation.
    assert_eq!(
        CliError::from(fido_webauthn::Error::cancelled()).to_string(),
        "cancelled"
    );
    assert_eq!(
        CliError::from(fido_webauthn::Error::PinRequired(
            fido_types::error::PinRequiredError
        ))
        .to_string(),
        "the authenticator needs its PIN: pass --pin, or run `fido` in a terminal to be asked \
         for it"
    );
}
