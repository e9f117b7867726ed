//! `fido cred list | info | delete | update-user`: discoverable credentials through
//! credential management (libfido2's `fido2-token -L`, `-I`, `-D`, `-S`).

use fido_ctap::capability::CredMgmtSupport;
use fido_ctap::device::{CancelToken, CtapDevice};
use fido_ctap::manage::{Credential, CredentialManager};
use fido_ctap::perms;
use fido_ctap::pin::{AnySession, Session};
use fido_types::generated::{
    PublicKeyCredentialDescriptor, PublicKeyCredentialType, PublicKeyCredentialUserEntity,
};
use fido_types::pin_protocol::{Pin, PinProtocol};
use fido_types::webauthn::base64url;
use serde_json::{Value as Json, json};

use crate::device::in_flight;
use crate::error::CliError;
use crate::manage::{self, ManageArgs, print_json, refused};

/// The `fido cred` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List discoverable credentials, of every RP or of one.
    List {
        #[command(flatten)]
        args: ManageArgs,
        /// Only this RP's credentials.
        #[arg(long)]
        rp_id: Option<String>,
    },
    /// How many discoverable credentials exist and how many more fit.
    Info {
        #[command(flatten)]
        args: ManageArgs,
    },
    /// Delete a discoverable credential.
    Delete {
        #[command(flatten)]
        args: ManageArgs,
        /// The credential ID, base64url.
        #[arg(long)]
        credential_id: String,
    },
    /// Replace the user name and display name stored with a credential.
    UpdateUser {
        #[command(flatten)]
        args: ManageArgs,
        /// The credential ID, base64url.
        #[arg(long)]
        credential_id: String,
        /// The new user name.
        #[arg(long)]
        name: String,
        /// The new display name.
        #[arg(long)]
        display_name: String,
    },
}

/// A listed credential with its RP ID.
struct Row {
    rp_id: String,
    credential: Credential,
}

impl Row {
    fn to_json(&self) -> Json {
        let c = &self.credential;
        json!({
            "rpId": self.rp_id,
            "credentialId": base64url::encode(&c.credential_id.id),
            "userId": base64url::encode(&c.user.id),
            "userName": c.user.name,
            "userDisplayName": c.user.display_name,
            "credProtect": c.cred_protect.map(|p| p.0),
            "publicKeyAlgorithm": c.public_key.alg().map(|a| a.0),
            "hasLargeBlobKey": c.large_blob_key.is_some(),
        })
    }
}

/// What a verb does with the session, whatever its protocol.
enum Verb {
    List(Option<String>),
    Info,
    Delete(Vec<u8>),
    UpdateUser(Vec<u8>, String, String),
}

/// Runs `fido cred ...`.
pub fn run(command: Command, cancel: &CancelToken) -> Result<(), CliError> {
    let decode = |text: &str| {
        base64url::decode(text)
            .map_err(|e| CliError::msg(format!("--credential-id is not base64url: {e}")))
    };
    let (args, verb) = match command {
        Command::List { args, rp_id } => (args, Verb::List(rp_id)),
        Command::Info { args } => (args, Verb::Info),
        Command::Delete {
            args,
            credential_id,
        } => (args, Verb::Delete(decode(&credential_id)?)),
        Command::UpdateUser {
            args,
            credential_id,
            name,
            display_name,
        } => (
            args,
            Verb::UpdateUser(decode(&credential_id)?, name, display_name),
        ),
    };
    let (session, pin) = manage::open(&args, cancel)?;
    let out = match session {
        AnySession::One(mut s) => in_flight(|| verb_on(&mut s, &pin, verb))?,
        AnySession::Two(mut s) => in_flight(|| verb_on(&mut s, &pin, verb))?,
    };
    if args.json {
        print_json(&out.json)
    } else {
        print!("{}", out.text);
        Ok(())
    }
}

/// A verb's result, as text and as JSON.
struct Output {
    text: String,
    json: Json,
}

fn verb_on<P: PinProtocol>(
    session: &mut Session<Box<dyn CtapDevice>, P>,
    pin: &Pin,
    verb: Verb,
) -> Result<Output, CliError> {
    let support = CredMgmtSupport::check(session.ctap().info()).map_err(refused)?;
    if matches!(verb, Verb::Info) {
        return info(session, pin, support);
    }
    let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
    let mut manager = CredentialManager::new(&mut token, support);
    match verb {
        Verb::List(rp_id) => {
            let rows = rows(&mut manager, rp_id.as_deref())?;
            Ok(list_output(&rows))
        }
        Verb::Info => info_with(&mut manager),
        Verb::Delete(id) => {
            manager.delete(descriptor(id.clone()))?;
            Ok(done("Credential deleted.", &id))
        }
        Verb::UpdateUser(id, name, display_name) => {
            let row = rows(&mut manager, None)?
                .into_iter()
                .find(|r| r.credential.credential_id.id == id)
                .ok_or_else(|| CliError::msg("no discoverable credential has this ID"))?;
            let user = PublicKeyCredentialUserEntity {
                id: row.credential.user.id,
                name: Some(name),
                display_name: Some(display_name),
            };
            manager.update_user(descriptor(id.clone()), user)?;
            Ok(done("User information updated.", &id))
        }
    }
}

/// `fido cred info`: the counts, and (CTAP 2.2) the device identifier and credential
/// store state decrypted with a persistent read-only token.
fn info<P: PinProtocol>(
    session: &mut Session<Box<dyn CtapDevice>, P>,
    pin: &Pin,
    support: CredMgmtSupport,
) -> Result<Output, CliError> {
    let mut out = {
        let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
        info_with(&mut CredentialManager::new(&mut token, support))?
    };
    if support.persistent_read_only() {
        let kept = session.persistent_token(pin, support)?;
        let info = session.ctap_mut().get_info()?;
        if let Some(id) = kept.identifier(&info)? {
            out.text
                .push_str(&format!("Identifier: {}\n", hex::encode(id.0)));
            out.json["identifier"] = json!(hex::encode(id.0));
        }
        if let Some(state) = kept.cred_store_state(&info)? {
            out.text
                .push_str(&format!("Credential store state: {}\n", hex::encode(state)));
            out.json["credStoreState"] = json!(hex::encode(state));
        }
    }
    Ok(out)
}

/// The counts of getCredsMetadata.
fn info_with<P: PinProtocol>(
    manager: &mut CredentialManager<'_, '_, perms![CredentialManagement], P, Box<dyn CtapDevice>>,
) -> Result<Output, CliError> {
    let m = manager.metadata()?;
    Ok(Output {
        text: format!(
            "Discoverable credentials: {}\nRoom for: {} more\n",
            m.existing, m.max_remaining
        ),
        json: json!({ "existing": m.existing, "remaining": m.max_remaining }),
    })
}

/// Every credential of `rp_id`, or of every RP.
fn rows<P: PinProtocol>(
    manager: &mut CredentialManager<'_, '_, perms![CredentialManagement], P, Box<dyn CtapDevice>>,
    rp_id: Option<&str>,
) -> Result<Vec<Row>, CliError> {
    let rp_ids = match rp_id {
        Some(id) => vec![id.to_owned()],
        None => manager.rps()?.into_iter().map(|r| r.rp.id).collect(),
    };
    let mut rows = Vec::new();
    for rp_id in rp_ids {
        for credential in manager.credentials_for(&rp_id)? {
            rows.push(Row {
                rp_id: rp_id.clone(),
                credential,
            });
        }
    }
    Ok(rows)
}

fn list_output(rows: &[Row]) -> Output {
    let mut text = String::new();
    for row in rows {
        let c = &row.credential;
        text.push_str(&format!(
            "{}  {}  user {} ({}, {})  credProtect {}\n",
            row.rp_id,
            base64url::encode(&c.credential_id.id),
            base64url::encode(&c.user.id),
            c.user.name.as_deref().unwrap_or("-"),
            c.user.display_name.as_deref().unwrap_or("-"),
            c.cred_protect.map_or("-".to_owned(), |p| p.0.to_string()),
        ));
    }
    if rows.is_empty() {
        text.push_str("No discoverable credentials.\n");
    }
    Output {
        text,
        json: Json::Array(rows.iter().map(Row::to_json).collect()),
    }
}

fn descriptor(id: Vec<u8>) -> PublicKeyCredentialDescriptor {
    PublicKeyCredentialDescriptor {
        id,
        credential_type: PublicKeyCredentialType::PUBLIC_KEY,
        transports: None,
    }
}

fn done(text: &str, id: &[u8]) -> Output {
    Output {
        text: format!("{text}\n"),
        json: json!({ "credentialId": base64url::encode(id), "ok": true }),
    }
}
