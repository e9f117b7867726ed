//! An example relying party: a page that registers and signs in through
//! `navigator.credentials`, and a small HTTP server (std only, one thread, one user) that
//! verifies both ceremonies with `fido_server::Fido2Server`.
//!
//! ```sh
//! cargo run -p fido-server --example rp -- 8080   # prints: READY http://localhost:8080
//! ```
//!
//! Open the printed address in a browser with a security key or platform authenticator
//! (`localhost` is a secure context, so WebAuthn works over plain HTTP there). The RP ID is
//! `localhost`. `tests/browser/rp_browser.mjs` drives it in headless Chromium with the
//! DevTools virtual authenticator.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

use fido_server::{AuthenticationState, Fido2Server, RegistrationState, StoredCredential};
use fido_types::webauthn::{
    AuthenticatorSelectionCriteria, PublicKeyCredentialDescriptor, PublicKeyCredentialUserEntity,
    ResidentKeyRequirement, UserVerificationRequirement,
};

const PAGE: &str = include_str!("page.html");
/// Request bodies larger than this are refused.
const MAX_BODY: usize = 64 * 1024;

/// What the server remembers: the pending ceremony and the one user's credentials.
#[derive(Default)]
struct Rp {
    registration: Option<RegistrationState>,
    authentication: Option<AuthenticationState>,
    credentials: Vec<StoredCredential>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::args().nth(1).map_or(Ok(0), |p| p.parse())?;
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let port = listener.local_addr()?.port();
    let origin = format!("http://localhost:{port}");
    let server = Fido2Server::new("localhost", "fido-rs example", vec![origin.clone()]);
    println!("READY {origin}");
    let mut rp = Rp::default();
    for stream in listener.incoming() {
        let mut stream = stream?;
        if let Err(e) = serve(&server, &mut rp, &mut stream) {
            eprintln!("rp: {e}");
        }
    }
    Ok(())
}

/// Reads one request and answers it.
fn serve(server: &Fido2Server, rp: &mut Rp, stream: &mut TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(usize::MAX);
        }
    }
    if length > MAX_BODY {
        return respond(stream, 413, "text/plain", "too large");
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let body = String::from_utf8_lossy(&body);
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    match path {
        "/" => respond(stream, 200, "text/html; charset=utf-8", PAGE),
        "/register/begin" => answer(stream, register_begin(server, rp)),
        "/register/complete" => answer(stream, register_complete(server, rp, &body)),
        "/authenticate/begin" => answer(stream, authenticate_begin(server, rp)),
        "/authenticate/complete" => answer(stream, authenticate_complete(server, rp, &body)),
        _ => respond(stream, 404, "text/plain", "not found"),
    }
}

fn answer(stream: &mut TcpStream, result: Result<String, String>) -> std::io::Result<()> {
    match result {
        Ok(json) => respond(stream, 200, "application/json", &json),
        Err(e) => {
            eprintln!("rp: refused: {e}");
            let json = serde_json::json!({ "error": e }).to_string();
            respond(stream, 400, "application/json", &json)
        }
    }
}

fn respond(stream: &mut TcpStream, status: u16, kind: &str, body: &str) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn register_begin(server: &Fido2Server, rp: &mut Rp) -> Result<String, String> {
    let user = PublicKeyCredentialUserEntity::new(b"example-user".to_vec(), "user", "Example User");
    let mut selection = AuthenticatorSelectionCriteria::default();
    selection.resident_key = Some(ResidentKeyRequirement::PREFERRED);
    selection.user_verification = Some(UserVerificationRequirement::PREFERRED);
    let exclude = rp
        .credentials
        .iter()
        .map(|c| PublicKeyCredentialDescriptor::public_key(c.id.clone()))
        .collect();
    let (options, state) = server
        .register_begin(user, exclude, Some(selection))
        .map_err(|e| e.to_string())?;
    rp.registration = Some(state);
    Ok(options.to_json())
}

fn register_complete(server: &Fido2Server, rp: &mut Rp, body: &str) -> Result<String, String> {
    let state = rp.registration.take().ok_or("no registration pending")?;
    let registered = server
        .register_complete_json(&state, body)
        .map_err(|e| e.to_string())?;
    eprintln!(
        "rp: registered {} ({}, {})",
        registered.algorithm,
        registered.attestation.format,
        registered.attestation.attestation_type.name()
    );
    let mut stored = StoredCredential::new(registered.credential_id, registered.public_key);
    stored.sign_count = registered.sign_count;
    stored.user_handle = Some(b"example-user".to_vec());
    stored.backup_eligible = Some(registered.backup_eligible);
    rp.credentials.push(stored);
    Ok(serde_json::json!({
        "status": "registered",
        "format": registered.attestation.format,
        "algorithm": registered.algorithm.value(),
    })
    .to_string())
}

fn authenticate_begin(server: &Fido2Server, rp: &mut Rp) -> Result<String, String> {
    let allow = rp
        .credentials
        .iter()
        .map(|c| PublicKeyCredentialDescriptor::public_key(c.id.clone()))
        .collect();
    let (options, state) = server
        .authenticate_begin(allow, Some(UserVerificationRequirement::PREFERRED))
        .map_err(|e| e.to_string())?;
    rp.authentication = Some(state);
    Ok(options.to_json())
}

fn authenticate_complete(server: &Fido2Server, rp: &mut Rp, body: &str) -> Result<String, String> {
    let state = rp
        .authentication
        .take()
        .ok_or("no authentication pending")?;
    let result = server
        .authenticate_complete_json(&state, &rp.credentials, body)
        .map_err(|e| e.to_string())?;
    if let Some(c) = rp
        .credentials
        .iter_mut()
        .find(|c| c.id == result.credential_id)
    {
        c.sign_count = result.sign_count;
    }
    eprintln!("rp: authenticated (sign count {})", result.sign_count);
    Ok(serde_json::json!({
        "status": "authenticated",
        "signCount": result.sign_count,
        "userVerified": result.user_verified,
    })
    .to_string())
}
