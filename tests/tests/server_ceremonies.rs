//! fido-server verifies what our client and authenticator produce, end to end (every
//! algorithm the authenticator offers, packed basic and self attestation, U2F-only), and
//! refuses tampered copies with the specific error.

use fido_authenticator::keys::Algorithm;
use fido_authenticator::{Attestation, Config};
use fido_ctap::device::CancelToken;
use fido_server::{
    AttestationError, AttestationType, AuthenticatorDataError, ClientDataError, CredentialError,
    Error, Fido2Server, RegisteredCredential, RegistrationState, StoredCredential, TrustError,
    TrustStore,
};
use fido_tests::{ORIGIN, RP_ID, Transport, client, open, plain};
use fido_types::webauthn::{
    AttestationConveyancePreference, AttestationObject, AttestationStatement,
    AuthenticationResponse, AuthenticatorAttestationResponse, AuthenticatorSelectionCriteria,
    PublicKeyCredential, PublicKeyCredentialDescriptor, PublicKeyCredentialUserEntity,
    RegistrationResponse, UserVerificationRequirement,
};
use fido_webauthn::Fido2Client;
use fido_webauthn::interaction::NoInteraction;

fn server() -> Fido2Server {
    Fido2Server::new(RP_ID, "Example", vec![ORIGIN.into()])
        .with_attestation(AttestationConveyancePreference::DIRECT)
}

fn user() -> PublicKeyCredentialUserEntity {
    PublicKeyCredentialUserEntity::new(b"user-1".to_vec(), "a.user", "A. User")
}

fn selection(uv: UserVerificationRequirement) -> AuthenticatorSelectionCriteria {
    let mut s = AuthenticatorSelectionCriteria::default();
    s.user_verification = Some(uv);
    s
}

/// Registers on `client` with options from `server`; returns the state and the response.
fn register(
    server: &Fido2Server,
    client: &mut Fido2Client,
    uv: UserVerificationRequirement,
) -> (RegistrationState, RegistrationResponse) {
    let (options, state) = server
        .register_begin(user(), Vec::new(), Some(selection(uv)))
        .expect("options");
    let response = client
        .make_credential(&options, &CancelToken::new())
        .expect("registration");
    (state, response)
}

/// Registers, verifies the registration, authenticates and verifies the assertion.
fn round_trip(config: Config) -> (RegisteredCredential, fido_server::AuthenticationResult) {
    let server = server();
    let mut client = client(open(config, Transport::InProcess), NoInteraction);
    let (state, response) = register(
        &server,
        &mut client,
        UserVerificationRequirement::DISCOURAGED,
    );
    // Through the L3 JSON, as a browser would post it.
    let registered = server
        .register_complete_json(&state, &response.to_json())
        .expect("registration verifies");
    let (options, state) = server
        .authenticate_begin(
            vec![PublicKeyCredentialDescriptor::public_key(
                registered.credential_id.clone(),
            )],
            Some(UserVerificationRequirement::DISCOURAGED),
        )
        .expect("options");
    let assertion = client
        .get_assertion(&options, &CancelToken::new())
        .expect("assertion")
        .response(0)
        .expect("response");
    let stored = StoredCredential::new(
        registered.credential_id.clone(),
        registered.public_key.clone(),
    );
    let result = server
        .authenticate_complete_json(&state, &[stored], &assertion.to_json())
        .expect("assertion verifies");
    (registered, result)
}

#[test]
fn every_algorithm_of_the_authenticator_verifies() {
    for alg in Algorithm::ALL {
        let config = Config {
            algorithms: vec![alg],
            ..plain(11)
        };
        let (registered, result) = round_trip(config);
        assert_eq!(
            registered.attestation.attestation_type,
            AttestationType::SelfAttestation,
            "{alg:?}"
        );
        assert_eq!(registered.attestation.format, "packed");
        assert_eq!(result.credential_id, registered.credential_id);
        assert!(!result.sign_count_regressed, "{alg:?}");
    }
}

#[test]
fn packed_basic_attestation_verifies_and_chains_to_its_own_root() {
    let config = Config {
        attestation: Attestation::Basic,
        ..plain(12)
    };
    let (registered, _) = round_trip(config.clone());
    assert_eq!(
        registered.attestation.attestation_type,
        AttestationType::Basic
    );
    assert_eq!(registered.attestation.trust_path.len(), 1);

    // The authenticator's self-signed attestation certificate as the root for its AAGUID.
    let mut trust = TrustStore::new();
    trust
        .add_aaguid_root(
            registered.aaguid,
            registered.attestation.trust_path[0].clone(),
        )
        .unwrap();
    let server = server().with_trust_store(trust);
    let mut client = client(open(config, Transport::InProcess), NoInteraction);
    let (state, response) = register(
        &server,
        &mut client,
        UserVerificationRequirement::DISCOURAGED,
    );
    let trusted = server
        .register_complete(&state, &response)
        .expect("trusted");
    assert!(trusted.trusted);
}

#[test]
fn u2f_only_authenticator_verifies() {
    let config = Config {
        u2f_only: true,
        ..plain(13)
    };
    let (registered, result) = round_trip(config);
    assert_eq!(registered.attestation.format, "fido-u2f");
    assert_eq!(
        registered.attestation.attestation_type,
        AttestationType::Basic
    );
    assert!(result.sign_count > registered.sign_count);
}

/// A registration and the server it was made for, to tamper with.
fn registered_pair(config: Config) -> (Fido2Server, RegistrationState, RegistrationResponse) {
    let server = server();
    let mut client = client(open(config, Transport::InProcess), NoInteraction);
    let (state, response) = register(
        &server,
        &mut client,
        UserVerificationRequirement::DISCOURAGED,
    );
    (server, state, response)
}

#[test]
fn tampered_registrations_are_refused_with_the_specific_error() {
    let (server, state, response) = registered_pair(Config {
        attestation: Attestation::Basic,
        ..plain(14)
    });
    server
        .register_complete(&state, &response)
        .expect("untampered verifies");

    // Another challenge.
    let other = RegistrationState::new(
        b"another challenge".to_vec(),
        state.user_verification.clone(),
    );
    assert_eq!(
        server.register_complete(&other, &response),
        Err(Error::ClientData(ClientDataError::ChallengeMismatch))
    );
    // Another origin.
    let elsewhere = Fido2Server::new(RP_ID, "Example", vec!["https://evil.example".into()]);
    assert_eq!(
        elsewhere.register_complete(&state, &response),
        Err(Error::ClientData(ClientDataError::OriginNotAllowed(
            ORIGIN.into()
        )))
    );
    // Another RP ID (so another RP ID hash).
    let other_rp = Fido2Server::new("example.org", "Example", vec![ORIGIN.into()]);
    assert_eq!(
        other_rp.register_complete(&state, &response),
        Err(Error::AuthenticatorData(
            AuthenticatorDataError::RpIdHashMismatch
        ))
    );
    // UV required but not performed.
    let uv_required = RegistrationState::new(
        state.challenge.as_bytes().to_vec(),
        UserVerificationRequirement::REQUIRED,
    );
    assert_eq!(
        server.register_complete(&uv_required, &response),
        Err(Error::AuthenticatorData(
            AuthenticatorDataError::UserNotVerified
        ))
    );
    // One flipped bit in the attestation signature.
    let object = response.response().attestation_object();
    let stmt = object.att_stmt();
    let mut sig = stmt.sig().unwrap().to_vec();
    let last = sig.len() - 1;
    sig[last] ^= 0x01;
    let x5c = stmt
        .x5c()
        .unwrap()
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    let forged = AttestationObject::create(
        object.fmt(),
        object.auth_data().clone(),
        AttestationStatement::packed(stmt.alg().unwrap(), sig, x5c),
    );
    let forged = PublicKeyCredential::new(
        response.raw_id().to_vec(),
        AuthenticatorAttestationResponse::new(
            response.response().client_data().clone(),
            forged,
            Vec::new(),
        )
        .unwrap(),
        None,
        Default::default(),
    );
    assert_eq!(
        server.register_complete(&state, &forged),
        Err(Error::Attestation(AttestationError::InvalidSignature {
            format: "packed"
        }))
    );
    // A chain that does not reach the root: another authenticator's certificate as root.
    let (_, _, stranger) = registered_pair(Config {
        attestation: Attestation::Basic,
        ..plain(15)
    });
    let stranger_cert = stranger
        .response()
        .attestation_object()
        .att_stmt()
        .x5c()
        .unwrap()[0]
        .to_vec();
    let aaguid = response
        .response()
        .authenticator_data()
        .attested_credential_data()
        .unwrap()
        .aaguid();
    let mut trust = TrustStore::new();
    trust.add_aaguid_root(aaguid, stranger_cert).unwrap();
    let strict = server.clone().with_trust_store(trust);
    assert!(matches!(
        strict.register_complete(&state, &response),
        Err(Error::Trust(TrustError::ChainNotToRoot(_)))
    ));
    // Self attestation is refused where trust is required.
    let (_, self_state, self_response) = registered_pair(plain(16));
    let mut trust = TrustStore::new();
    trust.add_aaguid_root(aaguid, x5c_leaf(&response)).unwrap();
    assert_eq!(
        server
            .clone()
            .with_trust_store(trust)
            .register_complete(&self_state, &self_response),
        Err(Error::Trust(TrustError::Untrusted("self attestation")))
    );
}

fn x5c_leaf(response: &RegistrationResponse) -> Vec<u8> {
    response
        .response()
        .attestation_object()
        .att_stmt()
        .x5c()
        .unwrap()[0]
        .to_vec()
}

#[test]
fn tampered_assertions_are_refused_with_the_specific_error() {
    let server = server();
    let mut client = client(open(plain(17), Transport::InProcess), NoInteraction);
    let (state, response) = register(
        &server,
        &mut client,
        UserVerificationRequirement::DISCOURAGED,
    );
    let registered = server.register_complete(&state, &response).unwrap();
    let (options, state) = server
        .authenticate_begin(
            vec![PublicKeyCredentialDescriptor::public_key(
                registered.credential_id.clone(),
            )],
            Some(UserVerificationRequirement::DISCOURAGED),
        )
        .unwrap();
    let assertion: AuthenticationResponse = client
        .get_assertion(&options, &CancelToken::new())
        .unwrap()
        .response(0)
        .unwrap();
    let stored = vec![StoredCredential::new(
        registered.credential_id.clone(),
        registered.public_key.clone(),
    )];
    server
        .authenticate_complete(&state, &stored, &assertion)
        .expect("untampered verifies");

    // One flipped bit in the signature.
    let r = assertion.response();
    let mut sig = r.signature().to_vec();
    sig[10] ^= 0x01;
    let flipped = PublicKeyCredential::new(
        assertion.raw_id().to_vec(),
        fido_types::webauthn::AuthenticatorAssertionResponse::new(
            r.client_data().clone(),
            r.authenticator_data().clone(),
            sig,
            r.user_handle().map(<[u8]>::to_vec),
        ),
        None,
        Default::default(),
    );
    assert_eq!(
        server.authenticate_complete(&state, &stored, &flipped),
        Err(Error::Credential(CredentialError::InvalidSignature))
    );
    // Another challenge.
    let mut other = state.clone();
    other.challenge = b"another".to_vec().into();
    assert_eq!(
        server.authenticate_complete(&other, &stored, &assertion),
        Err(Error::ClientData(ClientDataError::ChallengeMismatch))
    );
    // Another origin; another RP ID hash.
    let elsewhere = Fido2Server::new(RP_ID, "Example", vec!["https://evil.example".into()]);
    assert!(matches!(
        elsewhere.authenticate_complete(&state, &stored, &assertion),
        Err(Error::ClientData(ClientDataError::OriginNotAllowed(_)))
    ));
    let other_rp = Fido2Server::new("example.org", "Example", vec![ORIGIN.into()]);
    assert_eq!(
        other_rp.authenticate_complete(&state, &stored, &assertion),
        Err(Error::AuthenticatorData(
            AuthenticatorDataError::RpIdHashMismatch
        ))
    );
    // UV required but not performed.
    let mut uv = state.clone();
    uv.user_verification = UserVerificationRequirement::REQUIRED;
    assert_eq!(
        server.authenticate_complete(&uv, &stored, &assertion),
        Err(Error::AuthenticatorData(
            AuthenticatorDataError::UserNotVerified
        ))
    );
    // A counter that went backwards is reported, not refused.
    let mut seen = stored.clone();
    seen[0].sign_count = u32::MAX;
    let result = server
        .authenticate_complete(&state, &seen, &assertion)
        .unwrap();
    assert!(result.sign_count_regressed);
    // A credential not in the allow list; an unknown one.
    let mut narrow = state.clone();
    narrow.allowed_credentials = vec![b"someone else".to_vec().into()];
    assert_eq!(
        server.authenticate_complete(&narrow, &stored, &assertion),
        Err(Error::Credential(CredentialError::NotAllowed))
    );
    assert_eq!(
        server.authenticate_complete(&state, &[], &assertion),
        Err(Error::Credential(CredentialError::Unknown))
    );
}

/// The registration with its client data replaced (the attestation no longer covers it,
/// but the client data checks come first).
fn with_client_data(
    response: &RegistrationResponse,
    type_: &str,
    extra: serde_json::Value,
) -> RegistrationResponse {
    let cd = response.response().client_data();
    let extra = extra.as_object().expect("extra is an object").clone();
    let cross = extra
        .get("crossOrigin")
        .and_then(serde_json::Value::as_bool)
        == Some(true);
    let client_data = fido_types::webauthn::CollectedClientData::create(
        type_,
        cd.challenge(),
        cd.origin(),
        cross,
        extra,
    );
    PublicKeyCredential::new(
        response.raw_id().to_vec(),
        AuthenticatorAttestationResponse::new(
            client_data,
            response.response().attestation_object().clone(),
            Vec::new(),
        )
        .unwrap(),
        None,
        Default::default(),
    )
}

#[test]
fn client_data_type_cross_origin_and_algorithm_steps() {
    let (server, state, response) = registered_pair(plain(18));
    let get = with_client_data(&response, "webauthn.get", serde_json::json!({}));
    assert_eq!(
        server.register_complete(&state, &get),
        Err(Error::ClientData(ClientDataError::WrongType {
            expected: "webauthn.create",
            found: "webauthn.get".into()
        }))
    );
    let framed = with_client_data(
        &response,
        "webauthn.create",
        serde_json::json!({"crossOrigin": true, "topOrigin": "https://top.example"}),
    );
    assert_eq!(
        server.register_complete(&state, &framed),
        Err(Error::ClientData(ClientDataError::CrossOriginNotAllowed))
    );
    let elsewhere = server
        .clone()
        .with_cross_origin(vec!["https://other.example".into()]);
    assert_eq!(
        elsewhere.register_complete(&state, &framed),
        Err(Error::ClientData(ClientDataError::TopOriginNotAllowed(
            "https://top.example".into()
        )))
    );
    // Allowed top origin: the client data passes, and the attestation (made over the
    // original client data) does not verify.
    let allowed = server
        .clone()
        .with_cross_origin(vec!["https://top.example".into()]);
    assert_eq!(
        allowed.register_complete(&state, &framed),
        Err(Error::Attestation(AttestationError::InvalidSignature {
            format: "packed"
        }))
    );
    // An algorithm the relying party did not offer.
    let eddsa_only = server
        .clone()
        .with_algorithms(vec![fido_types::cose::CoseAlgorithm::EDDSA]);
    assert_eq!(
        eddsa_only.register_complete(&state, &response),
        Err(Error::AuthenticatorData(
            AuthenticatorDataError::AlgorithmNotAllowed(fido_types::cose::CoseAlgorithm::ES256)
        ))
    );
    // The state survives its JSON form.
    let restored = RegistrationState::from_json(&state.to_json()).unwrap();
    server
        .register_complete(&restored, &response)
        .expect("restored state verifies");
}
