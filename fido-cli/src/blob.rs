//! `fido blob list | get | set | delete`: the large-blob store (libfido2's
//! `fido2-token -L -b`, `-G -b`, `-S -b`, `-D -b`). Per credential, the entry is found by
//! the credential's largeBlobKey, which credential management reports (`--rp-id`,
//! `--credential-id`); `--raw` works on the whole serialized array instead.

use std::path::{Path, PathBuf};

use fido_ctap::capability::{CredMgmtSupport, LargeBlobSupport};
use fido_ctap::device::{CancelToken, CtapDevice};
use fido_ctap::large_blob::LargeBlobError;
use fido_ctap::large_blob::array::LargeBlobArray;
use fido_ctap::manage::{CredentialManager, LargeBlobs};
use fido_ctap::perms;
use fido_ctap::pin::{AnySession, Session};
use fido_types::pin_protocol::{Pin, PinProtocol};
use fido_types::webauthn::base64url;
use serde_json::{Value as Json, json};
use zeroize::Zeroizing;

use crate::device::in_flight;
use crate::error::CliError;
use crate::manage::{self, ManageArgs, print_json, refused};

/// Which entry a verb works on: one credential's, or the whole array.
#[derive(Debug, Clone, clap::Args)]
pub struct Target {
    /// The credential's RP ID.
    #[arg(long, required_unless_present = "raw")]
    rp_id: Option<String>,
    /// The credential ID, base64url.
    #[arg(long, required_unless_present = "raw")]
    credential_id: Option<String>,
    /// Work on the whole serialized array (CBOR array and truncated hash) instead.
    #[arg(long, conflicts_with_all = ["rp_id", "credential_id"])]
    raw: bool,
}

/// The `fido blob` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the discoverable credentials with a largeBlobKey and the size of each one's
    /// blob (with --raw: the array's entries).
    List {
        #[command(flatten)]
        args: ManageArgs,
        /// Only this RP's credentials.
        #[arg(long)]
        rp_id: Option<String>,
        /// List the array's entries instead.
        #[arg(long)]
        raw: bool,
    },
    /// Read a credential's blob (with --raw: the serialized array).
    Get {
        #[command(flatten)]
        args: ManageArgs,
        #[command(flatten)]
        target: Target,
        /// Write the bytes to FILE (created 0600) instead of printing them as base64url.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Store a credential's blob, replacing any it had (with --raw: replace the whole
    /// array with a serialized array, hash checked).
    Set {
        #[command(flatten)]
        args: ManageArgs,
        #[command(flatten)]
        target: Target,
        /// Read the bytes from FILE.
        #[arg(long, value_name = "FILE", required_unless_present = "data")]
        input: Option<PathBuf>,
        /// The bytes as base64url.
        #[arg(long, conflicts_with = "input")]
        data: Option<String>,
    },
    /// Delete a credential's blob (with --raw: empty the whole array).
    Delete {
        #[command(flatten)]
        args: ManageArgs,
        #[command(flatten)]
        target: Target,
    },
}

/// What a verb does, whatever the session's protocol.
enum Verb {
    List(Option<String>),
    ListRaw,
    Get(Which),
    Set(Which, Zeroizing<Vec<u8>>),
    Delete(Which),
}

/// One credential's entry, or the whole array.
enum Which {
    Credential { rp_id: String, id: Vec<u8> },
    Raw,
}

impl Which {
    fn of(target: Target) -> Result<Self, CliError> {
        match (target.raw, target.rp_id, target.credential_id) {
            (true, _, _) => Ok(Which::Raw),
            (false, Some(rp_id), Some(id)) => Ok(Which::Credential {
                rp_id,
                id: base64url::decode(&id)
                    .map_err(|e| CliError::msg(format!("--credential-id is not base64url: {e}")))?,
            }),
            _ => Err(CliError::msg("pass --rp-id and --credential-id, or --raw")),
        }
    }
}

/// Runs `fido blob ...`.
pub fn run(command: Command, cancel: &CancelToken) -> Result<(), CliError> {
    let (args, verb, output) = match command {
        Command::List { args, rp_id, raw } => {
            let verb = if raw {
                Verb::ListRaw
            } else {
                Verb::List(rp_id)
            };
            (args, verb, None)
        }
        Command::Get {
            args,
            target,
            output,
        } => (args, Verb::Get(Which::of(target)?), output),
        Command::Set {
            args,
            target,
            input,
            data,
        } => {
            let bytes = match (input, data) {
                (Some(path), _) => Zeroizing::new(
                    std::fs::read(&path)
                        .map_err(|e| CliError::msg(format!("reading {}: {e}", path.display())))?,
                ),
                (None, Some(text)) => Zeroizing::new(
                    base64url::decode(&text)
                        .map_err(|e| CliError::msg(format!("--data is not base64url: {e}")))?,
                ),
                (None, None) => return Err(CliError::msg("pass --input or --data")),
            };
            (args, Verb::Set(Which::of(target)?, bytes), None)
        }
        Command::Delete { args, target } => (args, Verb::Delete(Which::of(target)?), None),
    };
    let (session, pin) = manage::open(&args, cancel)?;
    let out = match session {
        AnySession::One(mut s) => in_flight(|| verb_on(&mut s, &pin, verb))?,
        AnySession::Two(mut s) => in_flight(|| verb_on(&mut s, &pin, verb))?,
    };
    if let (Some(path), Some(bytes)) = (&output, &out.bytes) {
        write_private(path, bytes)?;
    }
    if args.json {
        print_json(&out.json)
    } else {
        match (&output, &out.bytes) {
            (None, Some(bytes)) => println!("{}", base64url::encode(bytes)),
            _ => print!("{}", out.text),
        }
        Ok(())
    }
}

/// A verb's result: text, JSON, and the bytes `get` read.
struct Output {
    text: String,
    json: Json,
    bytes: Option<Zeroizing<Vec<u8>>>,
}

impl Output {
    fn new(text: String, json: Json) -> Self {
        Output {
            text,
            json,
            bytes: None,
        }
    }
}

type Sess<P> = Session<Box<dyn CtapDevice>, P>;

fn verb_on<P: PinProtocol>(
    session: &mut Sess<P>,
    pin: &Pin,
    verb: Verb,
) -> Result<Output, CliError> {
    let support = LargeBlobSupport::check(session.ctap().info()).map_err(refused)?;
    match verb {
        Verb::List(rp_id) => list(session, pin, support, rp_id.as_deref()),
        Verb::ListRaw => {
            let mut blobs = LargeBlobs::new(session.ctap_mut(), support);
            let array = blobs.read().map_err(blob_error)?;
            Ok(list_raw(&array, blobs.max_array()))
        }
        Verb::Get(which) => get(session, pin, support, &which),
        Verb::Set(which, bytes) => {
            let key = key_of(session, pin, &which)?;
            let mut token = session.pin_token::<perms![LargeBlobWrite]>(pin)?;
            let mut blobs = LargeBlobs::new(&mut token, support);
            match key {
                Some(key) => blobs.put(&key, &bytes),
                None => blobs.replace_serialized(&bytes),
            }
            .map_err(blob_error)?;
            Ok(done("Blob stored.", &which, json!({ "size": bytes.len() })))
        }
        Verb::Delete(which) => {
            let key = key_of(session, pin, &which)?;
            let mut token = session.pin_token::<perms![LargeBlobWrite]>(pin)?;
            let mut blobs = LargeBlobs::new(&mut token, support);
            let deleted = match key {
                Some(key) => blobs.delete(&key).map_err(blob_error)?,
                None => {
                    blobs
                        .replace(&LargeBlobArray::empty())
                        .map_err(blob_error)?;
                    true
                }
            };
            let text = if deleted {
                "Blob deleted."
            } else {
                "The credential has no blob."
            };
            Ok(done(text, &which, json!({ "deleted": deleted })))
        }
    }
}

/// `get`: a credential's blob or the serialized array (read without a token).
fn get<P: PinProtocol>(
    session: &mut Sess<P>,
    pin: &Pin,
    support: LargeBlobSupport,
    which: &Which,
) -> Result<Output, CliError> {
    let key = key_of(session, pin, which)?;
    let mut blobs = LargeBlobs::new(session.ctap_mut(), support);
    let bytes = match key {
        Some(key) => blobs
            .get(&key)
            .map_err(blob_error)?
            .ok_or_else(|| CliError::msg("the credential has no blob"))?,
        None => Zeroizing::new(blobs.read_serialized().map_err(blob_error)?),
    };
    let mut out = done(
        "",
        which,
        json!({ "blob": base64url::encode(&bytes), "size": bytes.len() }),
    );
    out.bytes = Some(bytes);
    Ok(out)
}

/// The largeBlobKey of the credential `which` names (`None` for the whole array).
fn key_of<P: PinProtocol>(
    session: &mut Sess<P>,
    pin: &Pin,
    which: &Which,
) -> Result<Option<Zeroizing<Vec<u8>>>, CliError> {
    let Which::Credential { rp_id, id } = which else {
        return Ok(None);
    };
    let support = CredMgmtSupport::check(session.ctap().info()).map_err(refused)?;
    let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
    let credential = CredentialManager::new(&mut token, support)
        .credentials_for(rp_id)?
        .into_iter()
        .find(|c| c.credential_id.id == *id)
        .ok_or_else(|| {
            CliError::msg(format!("no discoverable credential of {rp_id} has this ID"))
        })?;
    let key = credential.large_blob_key.ok_or_else(|| {
        CliError::msg(
            "the credential has no largeBlobKey (register it with the largeBlob extension)",
        )
    })?;
    Ok(Some(Zeroizing::new(key.expose_secret().to_vec())))
}

/// `list`: each credential with a largeBlobKey and the size of its blob.
fn list<P: PinProtocol>(
    session: &mut Sess<P>,
    pin: &Pin,
    support: LargeBlobSupport,
    rp_id: Option<&str>,
) -> Result<Output, CliError> {
    let cred_support = CredMgmtSupport::check(session.ctap().info()).map_err(refused)?;
    let mut found = Vec::new();
    {
        let mut token = session.pin_token::<perms![CredentialManagement]>(pin)?;
        let mut manager = CredentialManager::new(&mut token, cred_support);
        let rp_ids = match rp_id {
            Some(id) => vec![id.to_owned()],
            None => manager.rps()?.into_iter().map(|r| r.rp.id).collect(),
        };
        for rp_id in rp_ids {
            for c in manager.credentials_for(&rp_id)? {
                if let Some(key) = c.large_blob_key {
                    found.push((rp_id.clone(), c.credential_id.id, key));
                }
            }
        }
    }
    let array = LargeBlobs::new(session.ctap_mut(), support)
        .read()
        .map_err(blob_error)?;
    let mut text = String::new();
    let mut rows = Vec::new();
    for (rp_id, id, key) in found {
        let key = fido_ctap::manage::large_blob_key(key.expose_secret()).map_err(blob_error)?;
        let size = array.get(&key).map_err(blob_error)?.map(|b| b.len());
        let id = base64url::encode(&id);
        text.push_str(&format!(
            "{rp_id}  {id}  {}\n",
            size.map_or("no blob".to_owned(), |n| format!("{n} bytes"))
        ));
        rows.push(json!({ "rpId": rp_id, "credentialId": id, "size": size }));
    }
    if rows.is_empty() {
        text.push_str("No discoverable credentials with a largeBlobKey.\n");
    }
    Ok(Output::new(text, Json::Array(rows)))
}

/// `list --raw`: the array's entries, their sizes, and the array's size and limit.
fn list_raw(array: &LargeBlobArray, max_size: u64) -> Output {
    let size = array.serialize().len();
    let mut text = format!(
        "{} entries, {size} of {} bytes\n",
        array.entries().len(),
        max_size
    );
    let mut entries = Vec::new();
    for (i, e) in array.entries().iter().enumerate() {
        let orig = e.map().map(|m| m.orig_size);
        text.push_str(&format!(
            "{i}: {} bytes{}\n",
            e.bytes().len(),
            orig.map_or(" (not a blob entry)".to_owned(), |n| format!(
                ", origSize {n}"
            ))
        ));
        entries.push(json!({ "size": e.bytes().len(), "origSize": orig }));
    }
    Output::new(
        text,
        json!({ "entries": entries, "size": size, "maxSize": max_size }),
    )
}

fn done(text: &str, which: &Which, mut json: Json) -> Output {
    if let Which::Credential { rp_id, id } = which {
        json["rpId"] = json!(rp_id);
        json["credentialId"] = json!(base64url::encode(id));
    }
    Output::new(format!("{text}\n"), json)
}

/// A large-blob error as a CLI error (the authenticator's in plain words).
fn blob_error(e: LargeBlobError) -> CliError {
    match e {
        LargeBlobError::Ctap(e) => e.into(),
        LargeBlobError::HashMismatch | LargeBlobError::MalformedArray(_) => CliError::msg(format!(
            "{e}: the array on the device is damaged; replace it wholesale with \
             `fido blob delete --raw` or `fido blob set --raw` (every blob is lost)"
        )),
        other => CliError::msg(other.to_string()),
    }
}

/// Writes `bytes` to a new or truncated file readable only by its owner.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| CliError::msg(format!("writing {}: {e}", path.display())))?;
    file.write_all(bytes)?;
    Ok(())
}
