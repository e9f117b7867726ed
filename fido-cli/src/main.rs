//! The `fido` command-line tool. For now one command: `fido virtual`, which serves the
//! software authenticator as CTAPHID over UDP.

mod virtual_device;

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
    /// Run the software authenticator, serving CTAPHID over UDP.
    Virtual(virtual_device::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Virtual(args) => virtual_device::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fido: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
