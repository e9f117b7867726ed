//! `fido bio info | enroll | list | rename | delete`: fingerprints through bio enrollment
//! (libfido2's `fido2-token -I -b`, `-S -e`, `-L -e`, `-S -e -i`, `-D -e -i`).

use std::ops::ControlFlow;

use fido_ctap::capability::BioEnrollSupport;
use fido_ctap::device::{CancelToken, CtapDevice};
use fido_ctap::manage::{BioEnroller, EnrollOutcome};
use fido_ctap::perms;
use fido_ctap::pin::{AnySession, Session};
use fido_types::pin_protocol::{Pin, PinProtocol};
use fido_types::webauthn::base64url;
use serde_json::{Value as Json, json};

use crate::device::in_flight;
use crate::error::CliError;
use crate::manage::{self, ManageArgs, print_json, refused};

/// The `fido bio` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Show the fingerprint sensor's kind and limits.
    Info {
        #[command(flatten)]
        args: ManageArgs,
    },
    /// Enroll a finger: touch the sensor until it has enough samples (Ctrl-C cancels).
    Enroll {
        #[command(flatten)]
        args: ManageArgs,
        /// A name for the new enrollment.
        #[arg(long)]
        name: Option<String>,
    },
    /// List the enrolled fingers.
    List {
        #[command(flatten)]
        args: ManageArgs,
    },
    /// Rename an enrolled finger.
    Rename {
        #[command(flatten)]
        args: ManageArgs,
        /// The template ID, base64url (from `fido bio list`).
        #[arg(long)]
        template_id: String,
        /// The new name.
        #[arg(long)]
        name: String,
    },
    /// Remove an enrolled finger.
    Delete {
        #[command(flatten)]
        args: ManageArgs,
        /// The template ID, base64url (from `fido bio list`).
        #[arg(long)]
        template_id: String,
    },
}

/// What a verb does with the session, whatever its protocol.
enum Verb {
    Info,
    Enroll(Option<String>),
    List,
    Rename(Vec<u8>, String),
    Delete(Vec<u8>),
}

/// A verb's result, as text and as JSON.
struct Output {
    text: String,
    json: Json,
}

/// Runs `fido bio ...`.
pub fn run(command: Command, cancel: &CancelToken) -> Result<(), CliError> {
    let decode = |text: &str| {
        base64url::decode(text)
            .map_err(|e| CliError::msg(format!("--template-id is not base64url: {e}")))
    };
    let (args, verb) = match command {
        Command::Info { args } => (args, Verb::Info),
        Command::Enroll { args, name } => (args, Verb::Enroll(name)),
        Command::List { args } => (args, Verb::List),
        Command::Rename {
            args,
            template_id,
            name,
        } => (args, Verb::Rename(decode(&template_id)?, name)),
        Command::Delete { args, template_id } => (args, Verb::Delete(decode(&template_id)?)),
    };
    let (session, pin) = manage::open(&args, cancel)?;
    let out = match session {
        AnySession::One(mut s) => in_flight(|| verb_on(&mut s, &pin, verb, cancel))?,
        AnySession::Two(mut s) => in_flight(|| verb_on(&mut s, &pin, verb, cancel))?,
    };
    if args.json {
        print_json(&out.json)
    } else {
        print!("{}", out.text);
        Ok(())
    }
}

fn verb_on<P: PinProtocol>(
    session: &mut Session<Box<dyn CtapDevice>, P>,
    pin: &Pin,
    verb: Verb,
    cancel: &CancelToken,
) -> Result<Output, CliError> {
    let support = BioEnrollSupport::check(session.ctap().info()).map_err(refused)?;
    let mut token = session.pin_token::<perms![BioEnrollment]>(pin)?;
    let mut bio = BioEnroller::new(&mut token, support);
    Ok(match verb {
        Verb::Info => {
            let s = bio.sensor_info()?;
            let kind = s.kind.map(|k| k.0);
            Output {
                text: format!(
                    "Sensor kind: {}\nSamples per enrollment: {}\nLongest name: {} bytes\n",
                    kind.map_or("-".into(), |k| if k == 1 {
                        "touch".to_owned()
                    } else {
                        format!("swipe ({k})")
                    }),
                    s.max_samples.map_or("-".into(), |n| n.to_string()),
                    s.max_name_length.map_or("-".into(), |n| n.to_string()),
                ),
                json: json!({
                    "fingerprintKind": kind,
                    "maxCaptureSamples": s.max_samples,
                    "maxTemplateFriendlyName": s.max_name_length,
                }),
            }
        }
        Verb::Enroll(name) => enroll(&mut bio, name, cancel)?,
        Verb::List => {
            let templates = bio.enrollments()?;
            let mut text = String::new();
            for t in &templates {
                let id = base64url::encode(&t.id);
                text.push_str(&format!("{id}  {}\n", t.name.as_deref().unwrap_or("-")));
            }
            if templates.is_empty() {
                text.push_str("No fingerprints enrolled.\n");
            }
            let json = templates
                .iter()
                .map(|t| json!({ "templateId": base64url::encode(&t.id), "name": t.name }))
                .collect();
            Output {
                text,
                json: Json::Array(json),
            }
        }
        Verb::Rename(id, name) => {
            bio.rename(&id, &name)?;
            done("Fingerprint renamed.", &id)
        }
        Verb::Delete(id) => {
            bio.remove(&id)?;
            done("Fingerprint removed.", &id)
        }
    })
}

fn enroll<P: PinProtocol>(
    bio: &mut BioEnroller<'_, '_, perms![BioEnrollment], P, Box<dyn CtapDevice>>,
    name: Option<String>,
    cancel: &CancelToken,
) -> Result<Output, CliError> {
    eprintln!("Touch the sensor.");
    let outcome = bio.enroll(None, |sample| {
        if sample.remaining > 0 {
            eprintln!(
                "Sample status {}; {} more, touch again.",
                sample.status.0, sample.remaining
            );
        }
        if cancel.is_cancelled() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })?;
    let EnrollOutcome::Enrolled(id) = outcome else {
        return Err(CliError::msg("enrollment cancelled"));
    };
    if let Some(name) = &name {
        bio.rename(&id, name)?;
    }
    Ok(done("Fingerprint enrolled.", &id))
}

fn done(text: &str, id: &[u8]) -> Output {
    Output {
        text: format!("{text} Template ID: {}\n", base64url::encode(id)),
        json: json!({ "templateId": base64url::encode(id), "ok": true }),
    }
}
