//! The two WebAuthn ceremonies over CTAP2: client data, the user-verification decision
//! (PIN token, built-in UV token, or none), makeCredential/getAssertion, and the L3
//! response objects. Kept small on purpose: it is the CLI's stand-in until
//! `fido_webauthn::Fido2Client` takes over the same job.

use fido_ctap::ctap2::Ctap2;
use fido_ctap::perms;
use fido_ctap::pin::{AnySession, Session};
use fido_types::generated::{
    self, GetAssertionRequest, GetAssertionResponse, InfoOption, MakeCredentialRequest,
    MakeCredentialResponse,
};
use fido_types::pin_protocol::{Pin, PinProtocol};
use fido_types::webauthn::{
    AttestationObject, AuthenticationExtensionsClientOutputs, AuthenticationResponse,
    AuthenticatorAssertionResponse, AuthenticatorAttachment, AuthenticatorAttestationResponse,
    AuthenticatorData, AuthenticatorTransport, CollectedClientData,
    PublicKeyCredentialCreationOptions, PublicKeyCredentialRequestOptions, RegistrationResponse,
    ResidentKeyRequirement, UserVerificationRequirement,
};

use crate::device::in_flight;
use crate::error::CliError;
use crate::prompt::PinSource;

/// A CTAP2 authenticator, bound to a PIN/UV auth protocol when it has one.
pub enum Conn {
    /// No PIN/UV auth protocol.
    Plain(Ctap2),
    /// With the protocol the authenticator prefers.
    Pin(AnySession),
}

impl Conn {
    /// Wraps `ctap`, choosing its preferred PIN/UV auth protocol.
    pub fn new(ctap: Ctap2) -> Result<Self, CliError> {
        if ctap.preferred_protocol().is_some() {
            Ok(Conn::Pin(AnySession::new(ctap)?))
        } else {
            Ok(Conn::Plain(ctap))
        }
    }

    /// The authenticator, for commands that need no token.
    pub fn ctap(&mut self) -> &mut Ctap2 {
        match self {
            Conn::Plain(c) => c,
            Conn::Pin(AnySession::One(s)) => s.ctap_mut(),
            Conn::Pin(AnySession::Two(s)) => s.ctap_mut(),
        }
    }
}

/// How the user is verified for one request.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    /// Not at all (user presence only).
    None,
    /// With the PIN, through a pinUvAuthToken.
    Pin,
    /// With the authenticator's built-in method (fingerprint, ...), through a token.
    BuiltInToken,
    /// With the built-in method, through the `uv` option (CTAP 2.0).
    BuiltInOption,
}

impl Verification {
    /// Decides how to verify the user, as python-fido2's client does in outline: not at
    /// all when discouraged (unless the authenticator insists, `needs_token`); built-in
    /// UV when the authenticator has it and no PIN was given; else the PIN if one is set.
    pub fn choose(
        info: &generated::Info,
        requirement: UserVerificationRequirement,
        pin_given: bool,
        needs_token: bool,
    ) -> Result<Self, CliError> {
        let pin_set = info.option(InfoOption::CLIENT_PIN) == Some(true);
        let builtin = info.option(InfoOption::UV) == Some(true);
        if requirement == UserVerificationRequirement::Discouraged && !needs_token {
            return Ok(Verification::None);
        }
        if builtin && !(pin_given && pin_set) {
            return Ok(if info.supports_pin_uv_auth_token() {
                Verification::BuiltInToken
            } else {
                Verification::BuiltInOption
            });
        }
        if pin_set {
            return Ok(Verification::Pin);
        }
        if requirement == UserVerificationRequirement::Required || needs_token {
            return Err(CliError::msg(
                "user verification is required, but the authenticator has no PIN set and no \
                 built-in verification: set a PIN with `fido pin set`",
            ));
        }
        Ok(Verification::None)
    }

    /// A short description for the demo and the summaries.
    pub fn describe(&self) -> &'static str {
        match self {
            Verification::None => "none (user presence only)",
            Verification::Pin => "PIN (pinUvAuthToken with the mc/ga permission)",
            Verification::BuiltInToken => "built-in (pinUvAuthToken through built-in UV)",
            Verification::BuiltInOption => "built-in (uv option)",
        }
    }
}

/// The RP ID an origin may use (`https://HOST[:PORT]`, or `http://localhost`): the host
/// itself or a registrable suffix of it. A simple check; `fido_webauthn::verify_rp_id`
/// applies the full rules.
pub fn check_rp_id(origin: &str, rp_id: &str) -> Result<(), CliError> {
    let host = origin_host(origin)?;
    let ok = !rp_id.is_empty()
        && (host == rp_id
            || (host.ends_with(rp_id)
                && host[..host.len() - rp_id.len()].ends_with('.')
                && rp_id.contains('.')));
    if ok {
        Ok(())
    } else {
        Err(CliError::msg(format!(
            "RP ID {rp_id:?} is not allowed for origin {origin:?} (it must be the origin's \
             host or a parent domain of it)"
        )))
    }
}

/// The host of an `https://` origin (or `http://localhost`).
pub fn origin_host(origin: &str) -> Result<String, CliError> {
    let bad = || {
        CliError::msg(format!(
            "origin {origin:?} is not an https:// origin (e.g. https://example.com)"
        ))
    };
    let rest = if let Some(rest) = origin.strip_prefix("https://") {
        rest
    } else if let Some(rest) = origin.strip_prefix("http://") {
        let host = rest.split(':').next().unwrap_or_default();
        if host != "localhost" {
            return Err(bad());
        }
        rest
    } else {
        return Err(bad());
    };
    if rest.contains('/') || rest.is_empty() {
        return Err(bad());
    }
    let host = rest.split(':').next().unwrap_or_default();
    if host.is_empty() {
        return Err(bad());
    }
    Ok(host.to_ascii_lowercase())
}

fn wire_transports(info: &generated::Info) -> Vec<AuthenticatorTransport> {
    info.transports()
        .iter()
        .filter_map(|t| t.0.parse().ok())
        .collect()
}

fn user_verification(verification: &Verification) -> Option<fido_types::cbor::StrMap<bool>> {
    if *verification == Verification::BuiltInOption {
        let mut options = fido_types::cbor::StrMap::new();
        options.insert("uv".to_owned(), true);
        Some(options)
    } else {
        None
    }
}

fn pin_make_credential<P: PinProtocol>(
    session: &mut Session<Box<dyn fido_ctap::device::CtapDevice>, P>,
    verification: &Verification,
    pin: Option<&Pin>,
    request: MakeCredentialRequest,
) -> fido_ctap::error::Result<MakeCredentialResponse> {
    let rp_id = request.rp.id.clone();
    match (verification, pin) {
        (Verification::Pin, Some(pin)) => session
            .pin_token_for_rp::<perms![MakeCredential]>(pin, &rp_id)?
            .make_credential(request),
        (Verification::BuiltInToken, _) => session
            .uv_token_for_rp::<perms![MakeCredential]>(&rp_id)?
            .make_credential(request),
        _ => session.ctap_mut().make_credential(&request),
    }
}

fn pin_get_assertion<P: PinProtocol>(
    session: &mut Session<Box<dyn fido_ctap::device::CtapDevice>, P>,
    verification: &Verification,
    pin: Option<&Pin>,
    request: GetAssertionRequest,
) -> fido_ctap::error::Result<GetAssertionResponse> {
    let rp_id = request.rp_id.clone();
    match (verification, pin) {
        (Verification::Pin, Some(pin)) => session
            .pin_token_for_rp::<perms![GetAssertion]>(pin, &rp_id)?
            .get_assertion(request),
        (Verification::BuiltInToken, _) => session
            .uv_token_for_rp::<perms![GetAssertion]>(&rp_id)?
            .get_assertion(request),
        _ => session.ctap_mut().get_assertion(&request),
    }
}

/// The outcome of a registration: the L3 response and how the user was verified.
pub struct Registered {
    /// The `PublicKeyCredential` (RegistrationResponseJSON as JSON).
    pub credential: RegistrationResponse,
    /// How the user was verified.
    pub verification: Verification,
}

/// The outcome of an authentication.
pub struct Authenticated {
    /// The `PublicKeyCredential` (AuthenticationResponseJSON as JSON).
    pub credential: AuthenticationResponse,
    /// How the user was verified.
    pub verification: Verification,
}

/// navigator.credentials.create() for `origin` on `conn`.
pub fn register(
    conn: &mut Conn,
    origin: &str,
    options: &PublicKeyCredentialCreationOptions,
    pin: &PinSource,
) -> Result<Registered, CliError> {
    let rp_id = match &options.rp.id {
        Some(id) => id.clone(),
        None => origin_host(origin)?,
    };
    check_rp_id(origin, &rp_id)?;
    let client_data = CollectedClientData::create(
        CollectedClientData::TYPE_CREATE,
        &options.challenge,
        origin,
        false,
        Default::default(),
    );
    let info = conn.ctap().info().clone();
    let selection = options.authenticator_selection.clone().unwrap_or_default();
    let rk = match selection.resident_key_requirement() {
        ResidentKeyRequirement::Required => true,
        ResidentKeyRequirement::Preferred => info.supports_option(InfoOption::RK),
        _ => false,
    };
    // CTAP 2.1 §6.1.2 step 6 (makeCredUvNotRqd): with a PIN set, an authenticator
    // without that option wants a token even for a non-discoverable credential.
    let needs_token = info.option(InfoOption::CLIENT_PIN) == Some(true)
        && (rk || !info.supports_option(InfoOption::MAKE_CRED_UV_NOT_RQD));
    let verification = Verification::choose(
        &info,
        selection.user_verification_requirement(),
        pin.is_given(),
        needs_token,
    )?;
    let pin_value = match verification {
        Verification::Pin => Some(pin.get("PIN")?),
        _ => None,
    };
    let mut request = MakeCredentialRequest {
        client_data_hash: client_data.hash().to_vec(),
        rp: generated::PublicKeyCredentialRpEntity {
            id: rp_id,
            name: Some(options.rp.name.clone()),
        },
        user: generated::PublicKeyCredentialUserEntity {
            id: options.user.id.to_vec(),
            name: Some(options.user.name.clone()),
            display_name: Some(options.user.display_name.clone()),
        },
        pub_key_cred_params: options
            .pub_key_cred_params
            .iter()
            .map(|p| generated::PublicKeyCredentialParameters {
                alg: p.alg,
                credential_type: generated::PublicKeyCredentialType::PUBLIC_KEY,
            })
            .collect(),
        exclude_list: descriptors(&options.exclude_credentials),
        options: user_verification(&verification),
        ..MakeCredentialRequest::default()
    };
    if rk {
        request
            .options
            .get_or_insert_with(Default::default)
            .insert("rk".to_owned(), true);
    }
    let response = in_flight(|| match conn {
        Conn::Plain(ctap) => ctap.make_credential(&request),
        Conn::Pin(AnySession::One(s)) => {
            pin_make_credential(s, &verification, pin_value.as_ref(), request)
        }
        Conn::Pin(AnySession::Two(s)) => {
            pin_make_credential(s, &verification, pin_value.as_ref(), request)
        }
    })?;
    let att_stmt = fido_types::cbor::to_vec(&response.att_stmt)
        .map_err(|e| CliError::msg(format!("could not re-encode attStmt: {e}")))?;
    let attestation =
        AttestationObject::from_ctap2_parts(&response.fmt, &response.auth_data, &att_stmt)?;
    let credential_id = attestation
        .auth_data()
        .attested_credential_data()
        .map(|acd| acd.credential_id().to_vec())
        .ok_or(CliError::msg(
            "the authenticator returned no credential (no attested credential data)",
        ))?;
    let response =
        AuthenticatorAttestationResponse::new(client_data, attestation, wire_transports(&info))?;
    Ok(Registered {
        credential: RegistrationResponse::new(
            credential_id,
            response,
            Some(AuthenticatorAttachment::CrossPlatform),
            AuthenticationExtensionsClientOutputs::default(),
        ),
        verification,
    })
}

fn descriptors(
    list: &[fido_types::webauthn::PublicKeyCredentialDescriptor],
) -> Option<Vec<generated::PublicKeyCredentialDescriptor>> {
    if list.is_empty() {
        return None;
    }
    Some(
        list.iter()
            .map(|d| generated::PublicKeyCredentialDescriptor {
                id: d.id.to_vec(),
                credential_type: generated::PublicKeyCredentialType::PUBLIC_KEY,
                transports: None,
            })
            .collect(),
    )
}

/// navigator.credentials.get() for `origin` on `conn`.
pub fn authenticate(
    conn: &mut Conn,
    origin: &str,
    options: &PublicKeyCredentialRequestOptions,
    pin: &PinSource,
) -> Result<Authenticated, CliError> {
    let rp_id = match &options.rp_id {
        Some(id) => id.clone(),
        None => origin_host(origin)?,
    };
    check_rp_id(origin, &rp_id)?;
    let client_data = CollectedClientData::create(
        CollectedClientData::TYPE_GET,
        &options.challenge,
        origin,
        false,
        Default::default(),
    );
    let info = conn.ctap().info().clone();
    let verification = Verification::choose(
        &info,
        options
            .user_verification
            .unwrap_or(UserVerificationRequirement::Preferred),
        pin.is_given(),
        false,
    )?;
    let pin_value = match verification {
        Verification::Pin => Some(pin.get("PIN")?),
        _ => None,
    };
    let allow_list = descriptors(&options.allow_credentials);
    let request = GetAssertionRequest {
        rp_id,
        client_data_hash: client_data.hash().to_vec(),
        allow_list: allow_list.clone(),
        options: user_verification(&verification),
        ..GetAssertionRequest::default()
    };
    let response = in_flight(|| match conn {
        Conn::Plain(ctap) => ctap.get_assertion(&request),
        Conn::Pin(AnySession::One(s)) => {
            pin_get_assertion(s, &verification, pin_value.as_ref(), request)
        }
        Conn::Pin(AnySession::Two(s)) => {
            pin_get_assertion(s, &verification, pin_value.as_ref(), request)
        }
    })?;
    let credential_id = match (&response.credential, allow_list.as_deref()) {
        (Some(c), _) => c.id.clone(),
        (None, Some([only])) => only.id.clone(),
        (None, _) => {
            return Err(CliError::msg(
                "the authenticator did not say which credential it used",
            ));
        }
    };
    let authenticator_data = AuthenticatorData::from_bytes(&response.auth_data)?;
    let user_handle = response.user.map(|u| u.id);
    let assertion = AuthenticatorAssertionResponse::new(
        client_data,
        authenticator_data,
        response.signature,
        user_handle,
    );
    Ok(Authenticated {
        credential: AuthenticationResponse::new(
            credential_id,
            assertion,
            Some(AuthenticatorAttachment::CrossPlatform),
            AuthenticationExtensionsClientOutputs::default(),
        ),
        verification,
    })
}
