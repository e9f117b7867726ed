//! The two WebAuthn ceremonies on a CTAP2 authenticator, authenticatorMakeCredential and
//! authenticatorGetAssertion, behind one [`Ceremony`] trait: what the UV decision needs,
//! how the exclude or allow list is narrowed, what is sent and what comes back (each kind
//! has its own response type, so no answer can be of the wrong kind).
//!
//! How a request travels (bare, with the CTAP 2.0 `uv` option, or authenticated by a
//! pinUvAuthToken) is the [`Channel`] it is sent through.

use fido_ctap::ctap2::MAX_ASSERTIONS;
use fido_types::cbor::{Decoder, StrMap};
use fido_types::ctap2::{
    GetAssertionRequest, GetAssertionResponse, Info, MakeCredentialRequest, MakeCredentialResponse,
};
use fido_types::generated::{
    InfoOption, Permissions, PublicKeyCredentialDescriptor, PublicKeyCredentialParameters,
    PublicKeyCredentialRpEntity, PublicKeyCredentialUserEntity,
};
use fido_types::status::CtapStatus;
use fido_types::webauthn::{
    AuthenticationExtensionsClientInputs, AuthenticationExtensionsClientOutputs,
    CollectedClientData, PublicKeyCredentialCreationOptions, PublicKeyCredentialRequestOptions,
};

use super::checks;
use crate::error::Error;
use crate::extensions::run::{AuthenticationRun, RegistrationRun, auth_data_extensions};
use crate::extensions::{
    AuthenticationContext, ClientExtension, CtapOutputs, ExtensionSecret, LargeBlobAccess,
    RegistrationContext,
};
use crate::preflight::{Preflight, Probe, dummy_descriptor};
use crate::request::{enterprise_attestation, make_credential_permissions, resident_key};
use crate::uv::{Operation, UvRequirement};

/// A result of the CTAP layer.
type CtapResult<T> = fido_ctap::error::Result<T>;

/// Where a ceremony's requests go: what differs between sending with no token, with the
/// CTAP 2.0 `uv` option and with a pinUvAuthToken.
pub(crate) trait Channel {
    /// Sends a pre-flight probe (a silent getAssertion) as it is.
    fn probe(&mut self, request: GetAssertionRequest) -> CtapResult<GetAssertionResponse>;
    /// Sends the ceremony's authenticatorMakeCredential.
    fn make_credential(
        &mut self,
        request: MakeCredentialRequest,
    ) -> CtapResult<MakeCredentialResponse>;
    /// Sends the ceremony's authenticatorGetAssertion.
    fn get_assertion(&mut self, request: GetAssertionRequest) -> CtapResult<GetAssertionResponse>;
    /// Sends authenticatorGetNextAssertion.
    fn get_next_assertion(&mut self) -> CtapResult<GetAssertionResponse>;
    /// The large-blob array, through the token when there is one.
    fn blobs(&mut self) -> &mut dyn LargeBlobAccess;
    /// The decoder answers go through (strict, or lenient when the client was made so),
    /// for reading authenticator data the same way.
    fn decoder(&mut self) -> Decoder;
}

/// What a ceremony decided before sending anything, the same for both kinds.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The request's RP ID, also the token's permissions RP ID.
    pub rp_id: String,
    /// The relying party's `userVerification`.
    pub requirement: UvRequirement,
    /// The permissions a token needs.
    pub permissions: Permissions,
    /// Whether a discoverable credential is asked for (the `rk` option).
    pub discoverable: bool,
    /// How long a list one request may carry (from getInfo).
    preflight: Preflight,
}

impl Plan {
    /// The exclude or allow list to send (`None`: none is left). A list that fits in one
    /// request (at most `maxCredentialCountInList` entries once over-long IDs are dropped)
    /// is sent as it is: the authenticator matches it itself, exactly as it would match
    /// the pre-flight's answer, so a pre-flight would only add a round trip (python-fido2
    /// always pre-flights, even one entry; CTAP 2.1 §6.4 only bounds the list's length). A
    /// longer list is searched in batches ([`Preflight::find_match`]) and only the match
    /// is sent.
    fn narrow(
        &self,
        list: &[PublicKeyCredentialDescriptor],
        channel: &mut impl Channel,
    ) -> Result<Option<Vec<PublicKeyCredentialDescriptor>>, Error> {
        let batches = self.preflight.batches(list);
        match batches.as_slice() {
            [] => Ok(None),
            [only] => Ok(Some(only.iter().map(|c| (*c).clone()).collect())),
            _ => self.select(list, channel).map(|c| c.map(|c| vec![c])),
        }
    }

    /// The credential of `list` the authenticator holds, found by pre-flight even when
    /// the list would fit in one request (prf `evalByCredential` needs to know it).
    fn select(
        &self,
        list: &[PublicKeyCredentialDescriptor],
        channel: &mut impl Channel,
    ) -> Result<Option<PublicKeyCredentialDescriptor>, Error> {
        self.find_under(&self.rp_id, list, &mut |request| channel.probe(request))
    }

    /// The credential of `list` the authenticator holds under `rp_id`, probed by `send`
    /// (an AppID for the `appid` and `appidExclude` extensions: a U2F registration's
    /// credential is held under the AppID's hash, and a CTAP2 authenticator finds it
    /// under that rpId).
    fn find_under(
        &self,
        rp_id: &str,
        list: &[PublicKeyCredentialDescriptor],
        send: &mut ProbeSender<'_>,
    ) -> Result<Option<PublicKeyCredentialDescriptor>, Error> {
        self.preflight
            .find_match(list, |batch| probe(send, rp_id, batch))
    }
}

/// Sends one silent getAssertion of a pre-flight.
pub(crate) type ProbeSender<'a> =
    dyn FnMut(GetAssertionRequest) -> CtapResult<GetAssertionResponse> + 'a;

/// makeCredential or getAssertion on a CTAP2 authenticator.
pub(crate) trait Ceremony {
    /// The authenticator's answer to [`send`](Self::send).
    type Sent;
    /// The ceremony's result.
    type Response;
    /// The operation, for the UV decision.
    const OPERATION: Operation;

    /// The decisions made before sending.
    fn plan(&self) -> &Plan;

    /// Whether an extension needs the shared secret of a key agreement.
    fn needs_shared_secret(&self) -> bool;

    /// Narrows the exclude or allow list, then sends the request, with the extension
    /// inputs (encrypted under `secret` where they need it), through `channel` (a token,
    /// if the channel has one, authenticates the probes too).
    ///
    /// # Errors
    /// The authenticator's or the transport's; an extension's.
    fn send(
        &self,
        channel: &mut impl Channel,
        secret: Option<&ExtensionSecret>,
    ) -> Result<Self::Sent, Error>;

    /// Completes the answer (getNextAssertion, the extensions' outputs and large-blob
    /// accesses) through `channel`.
    ///
    /// # Errors
    /// The authenticator's or the transport's; a count of credentials out of range; an
    /// extension's.
    fn complete(
        &self,
        sent: Self::Sent,
        channel: &mut impl Channel,
        secret: Option<&ExtensionSecret>,
    ) -> Result<Self::Response, Error>;
}

/// authenticatorMakeCredential for a WebAuthn `create`.
#[derive(Debug)]
pub(crate) struct MakeCredential {
    plan: Plan,
    request: MakeCredentialRequest,
    exclude: Vec<PublicKeyCredentialDescriptor>,
    extensions: RegistrationRun,
    /// The `appidExclude` input, checked against the origin.
    app_id_exclude: Option<String>,
}

impl MakeCredential {
    /// The request for `options` as `info` says (`rk`, enterprise attestation, the
    /// token's permissions), with the processors `extensions` give.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for a required resident key the authenticator lacks; an
    /// extension's refusal ([`Error::Extension`]).
    pub fn new(
        options: &PublicKeyCredentialCreationOptions,
        client_data: &CollectedClientData,
        rp_id: &str,
        info: &Info,
        extensions: &[Box<dyn ClientExtension>],
    ) -> Result<Self, Error> {
        let selection = options.authenticator_selection.clone().unwrap_or_default();
        let rk = resident_key(&selection, info)?;
        let mut request = make_credential_request(options, client_data, rp_id, info);
        if rk {
            request.options = Some(bool_map(&[(InfoOption::RK, true)]));
        }
        let exclude: Vec<PublicKeyCredentialDescriptor> =
            options.exclude_credentials.iter().map(descriptor).collect();
        let no_inputs = AuthenticationExtensionsClientInputs::default();
        let ctx = RegistrationContext {
            options,
            inputs: options.extensions.as_ref().unwrap_or(&no_inputs),
            info,
            discoverable: rk,
        };
        let extensions = RegistrationRun::new(extensions, &ctx)?;
        let app_id_exclude = checked_app_id(
            options
                .extensions
                .as_ref()
                .and_then(|e| e.appid_exclude.as_deref()),
            client_data,
        )?;
        let plan = Plan {
            rp_id: rp_id.to_owned(),
            requirement: UvRequirement::from(selection.user_verification),
            permissions: make_credential_permissions(!exclude.is_empty())
                .union(extensions.permissions()),
            discoverable: rk,
            preflight: Preflight::from_info(info),
        };
        Ok(MakeCredential {
            plan,
            request,
            exclude,
            extensions,
            app_id_exclude,
        })
    }
}

/// The authenticatorMakeCredential request for `options` (no options map, no lists).
fn make_credential_request(
    options: &PublicKeyCredentialCreationOptions,
    client_data: &CollectedClientData,
    rp_id: &str,
    info: &Info,
) -> MakeCredentialRequest {
    MakeCredentialRequest {
        client_data_hash: client_data.hash().to_vec(),
        rp: PublicKeyCredentialRpEntity {
            id: rp_id.to_owned(),
            name: Some(options.rp.name.clone()),
        },
        user: PublicKeyCredentialUserEntity {
            id: options.user.id.to_vec(),
            name: Some(options.user.name.clone()),
            display_name: Some(options.user.display_name.clone()),
        },
        pub_key_cred_params: options
            .pub_key_cred_params
            .iter()
            .map(|p| PublicKeyCredentialParameters {
                alg: p.alg,
                credential_type: p.type_.as_str().into(),
            })
            .collect(),
        enterprise_attestation: enterprise_attestation(
            options.attestation.clone(),
            info,
            rp_id,
            None,
        ),
        ..Default::default()
    }
}

impl Ceremony for MakeCredential {
    type Sent = MakeCredentialResponse;
    type Response = (
        MakeCredentialResponse,
        AuthenticationExtensionsClientOutputs,
    );
    const OPERATION: Operation = Operation::MakeCredential;

    fn plan(&self) -> &Plan {
        &self.plan
    }

    fn needs_shared_secret(&self) -> bool {
        self.extensions.needs_shared_secret()
    }

    fn send(
        &self,
        channel: &mut impl Channel,
        secret: Option<&ExtensionSecret>,
    ) -> Result<MakeCredentialResponse, Error> {
        let mut request = self.request.clone();
        request.extensions = self.extensions.inputs(secret)?;
        request.exclude_list = self.plan.narrow(&self.exclude, channel)?;
        Ok(channel.make_credential(request)?)
    }

    fn complete(
        &self,
        sent: MakeCredentialResponse,
        _channel: &mut impl Channel,
        secret: Option<&ExtensionSecret>,
    ) -> Result<Self::Response, Error> {
        let (extensions, credential_id) = auth_data_extensions(&sent.auth_data)?;
        let ctap = CtapOutputs::new(
            &extensions,
            sent.unsigned_extension_outputs.as_ref(),
            sent.large_blob_key.as_deref(),
            &credential_id,
        );
        let mut outputs = self.extensions.outputs(&ctap, secret)?;
        if self.app_id_exclude.is_some() {
            outputs.appid_exclude = Some(true);
        }
        Ok((sent, outputs))
    }
}

impl MakeCredential {
    /// appidExclude (WebAuthn L3 §10.1.2): whether the authenticator holds an excluded
    /// credential under the AppID (a U2F registration), found by a pre-flight that
    /// `send` sends without a token (a silent getAssertion needs none, CTAP 2.1 §6.2.2;
    /// a token is bound to the RP ID). A probe the authenticator refuses (alwaysUv)
    /// finds nothing.
    pub fn excluded_by_app_id(&self, send: &mut ProbeSender<'_>) -> bool {
        let Some(app_id) = self.app_id_exclude.as_deref() else {
            return false;
        };
        !self.exclude.is_empty()
            && matches!(
                self.plan.find_under(app_id, &self.exclude, send),
                Ok(Some(_))
            )
    }
}

/// The application parameter an `appid`/`appidExclude` input names, once the AppID is
/// checked against the client data's origin ([`crate::appid::verify_app_id`]).
///
/// # Errors
/// [`Error::BadRequest`] for an AppID the origin may not use.
fn checked_app_id(
    input: Option<&str>,
    client_data: &CollectedClientData,
) -> Result<Option<String>, Error> {
    input
        .map(|app_id| {
            crate::appid::verify_app_id(app_id, client_data.origin())?;
            Ok(app_id.to_owned())
        })
        .transpose()
}

/// authenticatorGetAssertion (and getNextAssertion) for a WebAuthn `get`.
#[derive(Debug)]
pub(crate) struct GetAssertion {
    plan: Plan,
    request: GetAssertionRequest,
    allow: Vec<PublicKeyCredentialDescriptor>,
    extensions: AuthenticationRun,
    /// The `appid` input, checked against the origin.
    app_id: Option<String>,
    /// Whether [`choose_rp_id`](Self::choose_rp_id) found the credential only under the
    /// AppID (the request is then for the AppID).
    under_app_id: bool,
}

/// The first assertion, and the allow list that was sent for it.
#[derive(Debug)]
pub(crate) struct FirstAssertion {
    first: GetAssertionResponse,
    allow_list: Option<Vec<PublicKeyCredentialDescriptor>>,
}

impl GetAssertion {
    /// The request for `options` as `info` says, with the processors `extensions` give.
    ///
    /// # Errors
    /// An extension's refusal ([`Error::Extension`]).
    pub fn new(
        options: &PublicKeyCredentialRequestOptions,
        client_data: &CollectedClientData,
        rp_id: &str,
        info: &Info,
        extensions: &[Box<dyn ClientExtension>],
    ) -> Result<Self, Error> {
        let no_inputs = AuthenticationExtensionsClientInputs::default();
        let ctx = AuthenticationContext {
            options,
            inputs: options.extensions.as_ref().unwrap_or(&no_inputs),
            info,
        };
        let extensions = AuthenticationRun::new(extensions, &ctx)?;
        let app_id = checked_app_id(
            options.extensions.as_ref().and_then(|e| e.appid.as_deref()),
            client_data,
        )?;
        let plan = Plan {
            rp_id: rp_id.to_owned(),
            requirement: UvRequirement::from(options.user_verification.clone()),
            permissions: Permissions::GET_ASSERTION.union(extensions.permissions()),
            discoverable: false,
            preflight: Preflight::from_info(info),
        };
        Ok(GetAssertion {
            plan,
            request: GetAssertionRequest {
                rp_id: rp_id.to_owned(),
                client_data_hash: client_data.hash().to_vec(),
                ..Default::default()
            },
            allow: options.allow_credentials.iter().map(descriptor).collect(),
            extensions,
            app_id,
            under_app_id: false,
        })
    }

    /// appid (WebAuthn L3 §10.1.1): when no allowed credential is held under the RP ID
    /// but one is under the AppID (a U2F registration), the ceremony is for the AppID
    /// (its token too). Found by a pre-flight that `send` sends without a token (a
    /// silent getAssertion needs none, CTAP 2.1 §6.2.2; a token is bound to its rpId). A
    /// probe the authenticator refuses (alwaysUv) leaves the ceremony for the RP ID.
    pub fn choose_rp_id(&mut self, send: &mut ProbeSender<'_>) {
        let Some(app_id) = self.app_id.clone() else {
            return;
        };
        if self.allow.is_empty() {
            return;
        }
        if !matches!(
            self.plan.find_under(&self.plan.rp_id, &self.allow, send),
            Ok(None)
        ) {
            return;
        }
        if let Ok(Some(_)) = self.plan.find_under(&app_id, &self.allow, send) {
            self.plan.rp_id = app_id.clone();
            self.request.rp_id = app_id;
            self.under_app_id = true;
        }
    }

    /// The allow list to send: narrowed as [`Plan::narrow`] says, or, when an extension
    /// needs to know the credential and several are allowed, the one a pre-flight finds
    /// (a dummy descriptor when none matched).
    fn allow_list(
        &self,
        channel: &mut impl Channel,
    ) -> Result<Option<Vec<PublicKeyCredentialDescriptor>>, Error> {
        if self.allow.is_empty() {
            return Ok(None);
        }
        let sent = if self.extensions.needs_selected_credential() && self.allow.len() > 1 {
            self.plan.select(&self.allow, channel)?.map(|c| vec![c])
        } else {
            self.plan.narrow(&self.allow, channel)?
        };
        Ok(Some(sent.unwrap_or_else(|| vec![dummy_descriptor()])))
    }
}

/// One assertion and its client extension outputs.
pub(crate) type Assertion = (GetAssertionResponse, AuthenticationExtensionsClientOutputs);

impl Ceremony for GetAssertion {
    type Sent = FirstAssertion;
    type Response = Vec<Assertion>;
    const OPERATION: Operation = Operation::GetAssertion;

    fn plan(&self) -> &Plan {
        &self.plan
    }

    fn needs_shared_secret(&self) -> bool {
        self.extensions.needs_shared_secret()
    }

    fn send(
        &self,
        channel: &mut impl Channel,
        secret: Option<&ExtensionSecret>,
    ) -> Result<FirstAssertion, Error> {
        let mut request = self.request.clone();
        request.allow_list = self.allow_list(channel)?;
        let selected = match request.allow_list.as_deref() {
            Some([only]) => Some(only),
            _ => None,
        };
        request.extensions = self.extensions.inputs(selected, secret)?;
        let allow_list = request.allow_list.clone();
        let first = channel.get_assertion(request)?;
        Ok(FirstAssertion { first, allow_list })
    }

    fn complete(
        &self,
        sent: FirstAssertion,
        channel: &mut impl Channel,
        secret: Option<&ExtensionSecret>,
    ) -> Result<Vec<Assertion>, Error> {
        let FirstAssertion { first, allow_list } = sent;
        let count = first.number_of_credentials.unwrap_or(1);
        if count == 0 || count > MAX_ASSERTIONS {
            return Err(Error::InvalidResponse(
                "numberOfCredentials out of range".into(),
            ));
        }
        let mut all = vec![first];
        for _ in 1..count {
            all.push(channel.get_next_assertion()?);
        }
        fill_credential(&mut all, allow_list.as_deref());
        // Checked before any extension acts on them (a largeBlob write goes to the
        // device): an answer that contradicts the request changes nothing.
        let allowed: Vec<&[u8]> = self.allow.iter().map(|d| d.id.as_slice()).collect();
        checks::assertions(
            &all,
            &channel.decoder(),
            matches!(self.plan.requirement, UvRequirement::Required),
            &allowed,
            crate::check::rp_id_hash(&self.plan.rp_id),
        )?;
        all.into_iter()
            .map(|assertion| {
                let mut outputs = self.outputs(&assertion, channel, secret)?;
                if self.app_id.is_some() {
                    outputs.appid = Some(self.under_app_id);
                }
                Ok((assertion, outputs))
            })
            .collect()
    }
}

impl GetAssertion {
    /// The client extension outputs of one assertion.
    fn outputs(
        &self,
        assertion: &GetAssertionResponse,
        channel: &mut impl Channel,
        secret: Option<&ExtensionSecret>,
    ) -> Result<AuthenticationExtensionsClientOutputs, Error> {
        let (extensions, _) = auth_data_extensions(&assertion.auth_data)?;
        let credential_id = assertion
            .credential
            .as_ref()
            .map(|c| c.id.as_slice())
            .unwrap_or_default();
        let ctap = CtapOutputs::new(
            &extensions,
            assertion.unsigned_extension_outputs.as_ref(),
            assertion.large_blob_key.as_deref(),
            credential_id,
        );
        Ok(self.extensions.outputs(&ctap, secret, channel.blobs())?)
    }
}

/// A silent getAssertion (`up: false`) for one batch of the list: does the authenticator
/// hold one of these credentials?
fn probe(
    send: &mut ProbeSender<'_>,
    rp_id: &str,
    batch: &[&PublicKeyCredentialDescriptor],
) -> Result<Probe, Error> {
    let request = GetAssertionRequest {
        rp_id: rp_id.to_owned(),
        client_data_hash: vec![0; 32],
        allow_list: Some(batch.iter().map(|c| (*c).clone()).collect()),
        options: Some(bool_map(&[(InfoOption::UP, false)])),
        ..Default::default()
    };
    match send(request) {
        Ok(response) => Ok(Probe::Found(response.credential)),
        Err(e) if e.ctap_status() == Some(CtapStatus::NO_CREDENTIALS) => Ok(Probe::NoCredentials),
        Err(e) => Err(e.into()),
    }
}

/// CTAP 2.1 §6.2.2: with a one-entry allow list the authenticator may omit the
/// credential; it is the one sent.
fn fill_credential(
    assertions: &mut [GetAssertionResponse],
    sent: Option<&[PublicKeyCredentialDescriptor]>,
) {
    if let Some([only]) = sent {
        for assertion in assertions {
            assertion.credential.get_or_insert_with(|| only.clone());
        }
    }
}

/// A request's options map (its keys are getInfo's option names).
fn bool_map(entries: &[(InfoOption, bool)]) -> StrMap<bool> {
    let mut map = StrMap::new();
    for (k, v) in entries {
        map.insert(k.as_str().to_owned(), *v);
    }
    map
}

/// A WebAuthn credential descriptor as CTAP2 sends it (transports dropped).
fn descriptor(
    d: &fido_types::webauthn::PublicKeyCredentialDescriptor,
) -> PublicKeyCredentialDescriptor {
    PublicKeyCredentialDescriptor {
        id: d.id.to_vec(),
        credential_type: d.type_.as_str().into(),
        transports: None,
    }
}
