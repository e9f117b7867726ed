//! The `fido` command-line tool: talk to FIDO2 security keys (or the built-in software
//! authenticator), run WebAuthn registrations and authentications, manage the PIN, and
//! serve the software authenticator over UDP.
//!
//! One module per command; the shared pieces are `device` (opening `--device URI`, the
//! touch prompt, Ctrl-C), `prompt` (PINs), `ceremony` (register/authenticate over CTAP2),
//! `manage` (the options and session `cred`, `bio`, `config` and `blob` share) and `error`
//! (errors in plain words).

mod authenticate;
mod bio;
mod blob;
mod ceremony;
mod config;
mod cred;
mod demo;
mod device;
mod error;
mod escape;
mod info;
mod list;
mod manage;
mod options;
mod pin;
mod prompt;
mod register;
mod reset;
mod verify;
mod virtual_device;
mod wink;

use clap::{Parser, Subcommand};

/// fido: FIDO2 / CTAP tools.
#[derive(Debug, Parser)]
#[command(name = "fido", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Register a credential and authenticate with it, verifying every step (on the
    /// built-in virtual authenticator when no security key is plugged in).
    Demo(demo::Args),
    /// List the FIDO security keys plugged in.
    List(list::Args),
    /// Show what the authenticator says about itself (authenticatorGetInfo).
    Info(info::Args),
    /// Set, change or query the authenticator's PIN.
    #[command(subcommand)]
    Pin(pin::Command),
    /// Reset the authenticator: erase every credential and the PIN.
    Reset(reset::Args),
    /// Make the authenticator blink (CTAPHID WINK).
    Wink(wink::Args),
    /// Register a new credential (WebAuthn navigator.credentials.create).
    Register(register::Args),
    /// Authenticate with a credential (WebAuthn navigator.credentials.get).
    Authenticate(authenticate::Args),
    /// Run the software authenticator, serving CTAPHID over UDP.
    Virtual(virtual_device::Args),
    /// List, inspect, delete discoverable credentials or update their user information.
    #[command(subcommand)]
    Cred(cred::Command),
    /// Enroll, list, rename or remove fingerprints.
    #[command(subcommand)]
    Bio(bio::Command),
    /// Configure the authenticator: alwaysUv, minimum PIN length, enterprise attestation.
    #[command(subcommand)]
    Config(config::Command),
    /// Read, store or delete large blobs, per credential or the whole array.
    #[command(subcommand)]
    Blob(blob::Command),
    /// Verify a registration or authentication response as a relying party would.
    #[command(subcommand)]
    Verify(verify::Command),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let cancel = device::install_ctrl_c();
    let result = match cli.command {
        Command::Demo(args) => demo::run(args, &cancel),
        Command::List(args) => list::run(args),
        Command::Info(args) => info::run(args, &cancel),
        Command::Pin(command) => pin::run(command, &cancel),
        Command::Reset(args) => reset::run(args, &cancel),
        Command::Wink(args) => wink::run(args, &cancel),
        Command::Register(args) => register::run(args, &cancel),
        Command::Authenticate(args) => authenticate::run(args, &cancel),
        Command::Virtual(args) => virtual_device::run(args).map_err(error::CliError::from_boxed),
        Command::Cred(command) => cred::run(command, &cancel),
        Command::Bio(command) => bio::run(command, &cancel),
        Command::Config(command) => config::run(command, &cancel),
        Command::Blob(command) => blob::run(command, &cancel),
        Command::Verify(command) => verify::run(command),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fido: {}", escape::escape(&e.to_string()));
            std::process::ExitCode::from(e.exit_code())
        }
    }
}
