//! CTAPHID over UDP: one 64-byte report per datagram, no report ID; answers go to the
//! address the datagram came from, so several clients on ephemeral ports each get their
//! own channel through INIT, bound to their address ([`Peer::Udp`]).
//!
//! [`UdpServer::bind`] listens on loopback addresses only; [`UdpServer::bind_any`] on any
//! address (`fido virtual --listen-any`).

use std::io;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use fido_types::ctaphid::Packet;
use fido_types::ctaphid::packet::encode_error;
use fido_types::generated::ctaphid::CtaphidError;

use crate::Authenticator;
use crate::hid::{HidDevice, Link, Peer, REPORT_LEN, Report};

/// A CTAPHID-over-UDP server around an authenticator.
#[derive(Debug)]
pub struct UdpServer {
    socket: UdpSocket,
    device: HidDevice,
}

impl UdpServer {
    /// Binds `addr`, which must be a loopback address (port 0 picks a free port): the
    /// authenticator then serves only this machine.
    ///
    /// # Errors
    /// `InvalidInput` if `addr` resolves to anything but loopback addresses; the socket
    /// error.
    pub fn bind(addr: impl ToSocketAddrs, authenticator: Authenticator) -> io::Result<Self> {
        let addrs: Vec<SocketAddr> = addr.to_socket_addrs()?.collect();
        if let Some(open) = addrs.iter().find(|a| !a.ip().is_loopback()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{open} is not a loopback address: listening there would serve other machines"
                ),
            ));
        }
        Self::bind_any(&addrs[..], authenticator)
    }

    /// Binds `addr`, whatever address it is (port 0 picks a free port): any host that can
    /// reach it can use the authenticator.
    ///
    /// # Errors
    /// The socket error.
    pub fn bind_any(addr: impl ToSocketAddrs, authenticator: Authenticator) -> io::Result<Self> {
        Ok(UdpServer {
            socket: UdpSocket::bind(addr)?,
            device: HidDevice::new(authenticator),
        })
    }

    /// The address it listens on.
    ///
    /// # Errors
    /// The socket error.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// The CTAPHID device.
    pub fn device(&mut self) -> &mut HidDevice {
        &mut self.device
    }

    /// Serves one datagram, waiting up to `timeout` for it (`None`: forever). Returns
    /// whether one was served.
    ///
    /// # Errors
    /// Socket errors other than a timeout.
    pub fn serve_one(&mut self, timeout: Option<Duration>) -> io::Result<bool> {
        self.socket.set_read_timeout(timeout)?;
        let mut buf = [0u8; 2048];
        let (n, peer) = match self.socket.recv_from(&mut buf) {
            Ok(x) => x,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        let Some(report) = to_report(&buf[..n]) else {
            return Ok(true);
        };
        let mut link = UdpLink {
            socket: &self.socket,
            peer,
        };
        self.device
            .handle_report_from(Peer::Udp(peer), &report, &mut link);
        Ok(true)
    }

    /// Serves forever. Errors a client can cause (an ICMP "port unreachable" reported as
    /// a refused or reset connection, an interrupted call) are logged and skipped.
    ///
    /// # Errors
    /// Other socket errors.
    pub fn serve(&mut self) -> io::Result<()> {
        loop {
            match self.serve_one(None) {
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionRefused
                            | io::ErrorKind::ConnectionReset
                            | io::ErrorKind::Interrupted
                    ) =>
                {
                    eprintln!("fido-authenticator: udp: {e}");
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// A datagram as a report: exactly 64 bytes, or shorter and zero-padded; longer ones are
/// dropped.
fn to_report(datagram: &[u8]) -> Option<Report> {
    if datagram.is_empty() || datagram.len() > REPORT_LEN {
        return None;
    }
    let mut report = [0u8; REPORT_LEN];
    report[..datagram.len()].copy_from_slice(datagram);
    Some(report)
}

struct UdpLink<'a> {
    socket: &'a UdpSocket,
    peer: SocketAddr,
}

impl Link for UdpLink<'_> {
    fn send(&mut self, report: &Report) {
        if let Err(e) = self.socket.send_to(report, self.peer) {
            eprintln!("fido-authenticator: send to {}: {e}", self.peer);
        }
    }

    fn recv(&mut self, timeout: Duration) -> Option<Report> {
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 2048];
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            if left.is_zero() || self.socket.set_read_timeout(Some(left)).is_err() {
                return None;
            }
            let (n, peer) = self.socket.recv_from(&mut buf).ok()?;
            let Some(report) = to_report(&buf[..n]) else {
                continue;
            };
            if peer == self.peer {
                return Some(report);
            }
            // Another client while this one waits for the user: busy, to that client only
            // (one reply per datagram, never more).
            if let Packet::Init { cid, .. } = Packet::parse(&report) {
                let busy = encode_error(cid, CtaphidError::CHANNEL_BUSY);
                let _ = self.socket.send_to(&busy, peer);
            }
        }
    }
}
