//! `fido virtual`: the software authenticator as CTAPHID over UDP.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use fido_authenticator::keys::Algorithm;
use fido_authenticator::presence::PresencePolicy;
use fido_authenticator::udp::UdpServer;
use fido_authenticator::{Attestation, Authenticator, Config};

/// Options of `fido virtual`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Serve CTAPHID over UDP at HOST:PORT (port 0 picks a free port). Prints
    /// `READY udp:HOST:PORT` on stdout once listening. Only loopback addresses, unless
    /// `--listen-any`.
    #[arg(long, value_name = "HOST:PORT")]
    udp: String,
    /// Listen on a non-loopback address too: anyone who can reach it can then use (and
    /// reset) this authenticator. Prints a warning.
    #[arg(long)]
    listen_any: bool,
    /// Accept the simulated power cycle (vendor CTAPHID command 0x7E), which restarts
    /// the reset window and clears PIN_AUTH_BLOCKED: for test harnesses only.
    #[arg(long)]
    allow_power_cycle: bool,
    /// Set this PIN when the state is fresh.
    #[arg(long)]
    pin: Option<String>,
    /// Deny every user-presence request.
    #[arg(long, conflicts_with = "up_delay_ms")]
    deny_up: bool,
    /// Approve user presence after this many milliseconds (KEEPALIVE UPNEEDED meanwhile).
    #[arg(long, value_name = "N")]
    up_delay_ms: Option<u64>,
    /// Seed for deterministic keys, credential IDs and tokens: for tests only, every key
    /// is then predictable from N (prints a warning). Default: the system random number
    /// generator.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Keep the persistent state in this file (written atomically).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Speak only CTAP1/U2F.
    #[arg(long)]
    u2f_only: bool,
    /// No built-in user verification (no simulated fingerprint sensor).
    #[arg(long)]
    no_uv: bool,
    /// The simulated fingerprint sensor never matches (UV_INVALID).
    #[arg(long, conflicts_with = "no_uv")]
    deny_uv: bool,
    /// Attestation for makeCredential: self (packed self attestation), basic (packed with
    /// a generated certificate; enables enterprise attestation) or none.
    #[arg(long, default_value = "self", value_parser = ["self", "basic", "none"])]
    attestation: String,
    /// A credential algorithm to offer (COSE name such as ES256, EdDSA, ES384, ES512,
    /// PS256, RS256, ES256K, ML-DSA-44, or its COSE number); repeat for several, in order
    /// of preference. Default: all of them, ES256 first.
    #[arg(long = "alg", value_name = "ALG", value_parser = parse_alg, allow_negative_numbers = true)]
    algorithms: Vec<Algorithm>,
    /// An RP ID preconfigured for vendor-facilitated enterprise attestation
    /// (enterpriseAttestation = 1 attests with the enterprise certificate for it);
    /// repeatable. Needs `--attestation basic`.
    #[arg(long = "ep-rp-id", value_name = "RP_ID")]
    ep_rp_ids: Vec<String>,
}

fn parse_alg(text: &str) -> Result<Algorithm, String> {
    Algorithm::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.name()).collect();
        format!("unknown algorithm {text:?}; one of {}", names.join(", "))
    })
}

/// Runs `fido virtual`.
pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let presence = if args.deny_up {
        PresencePolicy::Deny
    } else if let Some(ms) = args.up_delay_ms {
        PresencePolicy::Delay(Duration::from_millis(ms))
    } else {
        PresencePolicy::Approve
    };
    let attestation = match args.attestation.as_str() {
        "basic" => Attestation::Basic,
        "none" => Attestation::None,
        _ => Attestation::SelfAttestation,
    };
    if let Some(seed) = args.seed {
        eprintln!(
            "fido virtual: warning: --seed {seed}: every key and credential ID is \
             predictable from this number; use it for tests only"
        );
    }
    let config = Config {
        seed: args.seed,
        allow_power_cycle: args.allow_power_cycle,
        pin: args.pin,
        presence,
        verification: if args.deny_uv {
            PresencePolicy::Deny
        } else {
            PresencePolicy::Approve
        },
        state_file: args.state,
        u2f_only: args.u2f_only,
        builtin_uv: !args.no_uv,
        attestation,
        algorithms: if args.algorithms.is_empty() {
            Algorithm::ALL.to_vec()
        } else {
            // In the order given, each once.
            let mut offered: Vec<Algorithm> = Vec::new();
            for alg in args.algorithms {
                if !offered.contains(&alg) {
                    offered.push(alg);
                }
            }
            offered
        },
        ep_rp_ids: args.ep_rp_ids,
        ..Config::default()
    };
    let authenticator = Authenticator::new(config)?;
    let mut server = if args.listen_any {
        eprintln!(
            "fido virtual: warning: --listen-any: serving any host that can reach {}, \
             not only this machine",
            args.udp
        );
        UdpServer::bind_any(&args.udp, authenticator)?
    } else {
        UdpServer::bind(&args.udp, authenticator)
            .map_err(|e| format!("{e} (add --listen-any to serve other machines)"))?
    };
    let addr = server.local_addr()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "READY udp:{addr}")?;
        out.flush()?;
    }
    eprintln!(
        "fido virtual: listening on udp:{addr} (built-in UV: {})",
        if args.no_uv {
            "off"
        } else {
            "simulated fingerprint sensor"
        }
    );
    server.serve()?;
    Ok(())
}
