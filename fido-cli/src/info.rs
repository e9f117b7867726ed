//! `fido info`: authenticatorGetInfo as a readable table, or as JSON with `--json`.

use fido_ctap::device::CancelToken;
use fido_types::cbor::Value;
use fido_types::generated::Info;
use fido_types::webauthn::Aaguid;
use serde_json::{Map, Value as Json};

use crate::device::{self, DeviceArgs};
use crate::error::CliError;
use crate::escape::escape;

/// Options of `fido info`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    device: DeviceArgs,
    /// Print a JSON object keyed by the spec's member names (byte strings as hex; the
    /// AAGUID as a UUID).
    #[arg(long)]
    json: bool,
}

fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Integer(i) => i64::try_from(*i)
            .map(Json::from)
            .unwrap_or_else(|_| Json::String(i.to_string())),
        Value::Float(f) => Json::from(*f),
        Value::Bytes(b) => Json::String(hex::encode(b)),
        Value::Text(t) => Json::String(t.clone()),
        Value::Array(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(map) => Json::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::Text(t) => t.clone(),
                        Value::Integer(i) => i.to_string(),
                        other => format!("{other:?}"),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Value::Tag(_, inner) => to_json(inner),
        _ => Json::Null,
    }
}

/// getInfo as a JSON object keyed by the spec's member names, in key order.
pub fn info_json(info: &Info) -> Result<Map<String, Json>, CliError> {
    let bytes = fido_types::cbor::to_vec(info)
        .map_err(|e| CliError::msg(format!("could not encode getInfo: {e}")))?;
    let value: Value = fido_types::cbor::from_slice(&bytes)
        .map_err(|e| CliError::msg(format!("could not read getInfo back: {e}")))?;
    let Value::Map(map) = value else {
        return Err(CliError::msg("getInfo is not a map"));
    };
    let mut out = Map::new();
    for (key, value) in &map {
        let name = match key {
            Value::Integer(k) => Info::MEMBERS
                .iter()
                .find(|(n, _)| i128::from(*n) == *k)
                .map(|(_, name)| (*name).to_owned())
                .unwrap_or_else(|| format!("0x{k:02x}")),
            other => format!("{other:?}"),
        };
        out.insert(name, to_json(value));
    }
    out.insert(
        "aaguid".to_owned(),
        Json::String(Aaguid::new(info.aaguid).to_string()),
    );
    Ok(out)
}

/// A value as one table cell, device-supplied text escaped.
fn cell(value: &Json) -> String {
    match value {
        Json::String(s) => escape(s).into_owned(),
        Json::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        Json::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{}={}", escape(k), cell(v)))
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

/// Runs `fido info`.
pub fn run(args: Args, cancel: &CancelToken) -> Result<(), CliError> {
    let ctap = device::open(&args.device, cancel)?;
    let json = info_json(ctap.info())?;
    if args.json {
        println!("{}", Json::Object(json));
        return Ok(());
    }
    let dev = ctap.device().info();
    println!(
        "{:<34}{}",
        "device",
        escape(&dev.descriptor.uri.to_string())
    );
    println!(
        "{:<34}{}.{}.{} (CTAPHID protocol {})",
        "device version", dev.major, dev.minor, dev.build, dev.protocol_version
    );
    for (name, value) in &json {
        if let Json::Object(map) = value {
            println!("{name}");
            for (k, v) in map {
                println!("  {:<32}{}", escape(k), cell(v));
            }
        } else {
            println!("{name:<34}{}", cell(value));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
