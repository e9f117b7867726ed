//! `fido virtual --vpcd HOST:PORT`: the software authenticator as a card in vsmartcard's
//! vpcd reader.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use fido_authenticator::Authenticator;
use fido_authenticator::nfc::NfcCard;
use fido_authenticator::vpcd::VpcdCard;

/// How long to keep trying while vpcd (pcscd) is not listening yet.
const CONNECT_FOR: Duration = Duration::from_secs(10);

/// Connects to vpcd at `addr`, prints `READY vpcd:ADDR`, and serves until vpcd hangs up.
pub fn run(addr: &str, authenticator: Authenticator) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let stream = loop {
        match TcpStream::connect(addr) {
            Ok(stream) => break stream,
            Err(e) if started.elapsed() < CONNECT_FOR => {
                eprintln!("fido virtual: vpcd at {addr} not reachable yet ({e}), retrying");
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => {
                let hint = "is pcscd running with vsmartcard-vpcd installed?";
                return Err(format!("cannot connect to vpcd at {addr}: {e} ({hint})").into());
            }
        }
    };
    let mut vicc = VpcdCard::new(stream, NfcCard::new(authenticator))?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "READY vpcd:{addr}")?;
        out.flush()?;
    }
    eprintln!("fido virtual: card in vpcd at {addr}");
    vicc.serve()?;
    Ok(())
}
