//! DefaultClientDataCollector: RP ID choice and checks, client data bytes.

use fido_types::error::{ClientError, ClientErrorCode};
use fido_types::webauthn::{
    ClientDataType, PublicKeyCredentialParameters, PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
};

use super::*;

// python-fido2 tests/test_webauthn.py, test_collected_client_data: this challenge and
// origin give this JSON (also checked in fido_types::webauthn's client data doctest).
const CHALLENGE_HEX: &str = "71dc9238ffb5248e09fc1a4e78ef6eb76e6b95926e785d7a68ee9ab934d8022b";
const EXPECTED_CREATE: &str = r#"{"type":"webauthn.create","challenge":"cdySOP-1JI4J_BpOeO9ut25rlZJueF16aO6auTTYAis","origin":"https://demo.yubico.com","crossOrigin":false}"#;

fn challenge() -> Vec<u8> {
    hex::decode(CHALLENGE_HEX).unwrap()
}

fn create_options(rp_id: Option<&str>) -> PublicKeyCredentialCreationOptions {
    PublicKeyCredentialCreationOptions::new(
        PublicKeyCredentialRpEntity::new(rp_id.map(str::to_owned), "Example"),
        PublicKeyCredentialUserEntity::new(b"user-1".to_vec(), "a.user", "A. User"),
        challenge(),
        vec![PublicKeyCredentialParameters::public_key(
            fido_types::cose::CoseAlgorithm::ES256,
        )],
    )
}

#[test]
fn create_client_data_is_byte_exact() {
    let collector = DefaultClientDataCollector::from_origin("https://demo.yubico.com");
    let options = create_options(Some("demo.yubico.com"));
    let (client_data, rp_id) = collector.collect_client_data((&options).into()).unwrap();
    assert_eq!(rp_id, "demo.yubico.com");
    assert_eq!(
        std::str::from_utf8(client_data.as_bytes()).unwrap(),
        EXPECTED_CREATE
    );
    assert_eq!(
        hex::encode(client_data.hash()),
        "8b20a0b904b4747aacae71d55bf60b4eb2583f7e639f55f40baac23c2600c178"
    );
}

#[test]
fn get_client_data_has_type_get() {
    let collector = DefaultClientDataCollector::from_origin("https://demo.yubico.com");
    let options = PublicKeyCredentialRequestOptions::new(challenge()).with_rp_id("yubico.com");
    let (client_data, rp_id) = collector.collect_client_data((&options).into()).unwrap();
    assert_eq!(rp_id, "yubico.com");
    assert_eq!(
        std::str::from_utf8(client_data.as_bytes()).unwrap(),
        EXPECTED_CREATE.replace("webauthn.create", "webauthn.get")
    );
    assert_eq!(client_data.challenge(), challenge());
    assert!(!client_data.cross_origin());
}

#[test]
fn absent_rp_id_defaults_to_the_host_without_port() {
    let collector = DefaultClientDataCollector::from_origin("https://login.example.com:8443");
    let options = create_options(None);
    let (_, rp_id) = collector.collect_client_data((&options).into()).unwrap();
    assert_eq!(rp_id, "login.example.com");
    let get = PublicKeyCredentialRequestOptions::new(challenge());
    assert_eq!(
        collector.get_rp_id((&get).into()).unwrap(),
        "login.example.com"
    );
}

#[test]
fn absent_rp_id_on_insecure_origin_is_a_bad_request() {
    let collector = DefaultClientDataCollector::from_origin("http://example.com");
    let err = collector
        .collect_client_data((&create_options(None)).into())
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest(_)), "{err:?}");
    assert_eq!(err.code(), ClientErrorCode::BAD_REQUEST);
}

#[test]
fn rp_id_is_verified_against_the_origin() {
    let collector = DefaultClientDataCollector::from_origin("https://www.example.com");
    let err = collector
        .collect_client_data((&create_options(Some("evil.com"))).into())
        .unwrap_err();
    assert!(
        matches!(err, Error::RpId(RpIdError::NotASuffix { .. })),
        "{err:?}"
    );
    assert_eq!(ClientError::from(err).code(), ClientErrorCode::BAD_REQUEST);
}

#[test]
fn rp_id_is_returned_canonical() {
    let collector = DefaultClientDataCollector::from_origin("https://shop.bücher.example");
    let options = create_options(Some("BÜCHER.example"));
    let (client_data, rp_id) = collector.collect_client_data((&options).into()).unwrap();
    assert_eq!(rp_id, "xn--bcher-kva.example");
    // The origin goes into the client data as given.
    assert_eq!(client_data.origin(), "https://shop.bücher.example");
}

#[test]
fn custom_bool_verifier() {
    let collector =
        DefaultClientDataCollector::new("android:apk-key-hash:abc", |rp_id: &str, origin: &str| {
            rp_id == "example.com" && origin.starts_with("android:")
        });
    let (client_data, rp_id) = collector
        .collect_client_data((&create_options(Some("example.com"))).into())
        .unwrap();
    assert_eq!(rp_id, "example.com");
    assert_eq!(client_data.origin(), "android:apk-key-hash:abc");
    let err = collector
        .collect_client_data((&create_options(Some("other.com"))).into())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad request: the RP ID \"other.com\" is not allowed for the origin \"android:apk-key-hash:abc\""
    );
    // No RP ID and a non-web origin: nothing to default to.
    assert!(matches!(
        collector.collect_client_data((&create_options(None)).into()),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn custom_verifier_may_accept_non_domain_rp_ids_as_given() {
    let collector = DefaultClientDataCollector::new("https://example.com", |_: &str, _: &str| true);
    let (_, rp_id) = collector
        .collect_client_data((&create_options(Some("Not A Domain"))).into())
        .unwrap();
    assert_eq!(rp_id, "Not A Domain");
}

#[test]
fn collectors_are_usable_as_trait_objects() {
    let collector: Box<dyn ClientDataCollector> = Box::new(
        DefaultClientDataCollector::from_origin("https://example.com"),
    );
    let options = PublicKeyCredentialRequestOptions::new(challenge());
    fn collect(
        collector: impl ClientDataCollector,
        options: &PublicKeyCredentialRequestOptions,
    ) -> (CollectedClientData, String) {
        collector.collect_client_data(options.into()).unwrap()
    }
    let (client_data, rp_id) = collect(&collector, &options);
    assert_eq!(rp_id, "example.com");
    assert_eq!(client_data.type_(), ClientDataType::GET.as_str());
    assert_eq!(
        format!(
            "{:?}",
            DefaultClientDataCollector::from_origin("https://example.com")
        ),
        "DefaultClientDataCollector { origin: \"https://example.com\", .. }"
    );
}
