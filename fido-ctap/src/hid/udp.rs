//! CTAPHID over UDP: one 64-byte report per datagram, no report-ID byte.
//!
//! The authenticator answers to the address a datagram came from, so every client uses
//! its own ephemeral port and gets its own channel through INIT, as on USB
//! (`/work/shared/conventions.md`, "CTAPHID over UDP").

use std::io::ErrorKind;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::{Duration, Instant};

use fido_types::ctaphid::{REPORT_LEN, Report};

use super::ReportConnection;
use crate::transport::TransportError;

/// A UDP socket connected to one authenticator.
#[derive(Debug)]
pub struct UdpConnection {
    socket: UdpSocket,
}

impl UdpConnection {
    /// Resolves `host:port` and connects an ephemeral local socket to the first address.
    /// `host` may be a name, an IPv4 address or a bracketed IPv6 address.
    pub fn connect(host: &str, port: u16) -> Result<Self, TransportError> {
        let peer = format!("{host}:{port}")
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| {
                TransportError::Io(std::io::Error::new(
                    ErrorKind::NotFound,
                    format!("{host} has no address"),
                ))
            })?;
        Self::connect_addr(peer)
    }

    /// Connects an ephemeral local socket to `peer`.
    pub fn connect_addr(peer: SocketAddr) -> Result<Self, TransportError> {
        let local: SocketAddr = if peer.is_ipv4() {
            (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
        } else {
            (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
        };
        let socket = UdpSocket::bind(local)?;
        socket.connect(peer)?;
        Ok(UdpConnection { socket })
    }

    /// The local address datagrams are sent from.
    pub fn local_addr(&self) -> Result<SocketAddr, TransportError> {
        Ok(self.socket.local_addr()?)
    }

    /// The authenticator's address.
    pub fn peer_addr(&self) -> Result<SocketAddr, TransportError> {
        Ok(self.socket.peer_addr()?)
    }
}

impl ReportConnection for UdpConnection {
    fn send(&mut self, report: &Report) -> Result<(), TransportError> {
        let sent = self.socket.send(report)?;
        if sent != REPORT_LEN {
            return Err(TransportError::BadReportLength { len: sent });
        }
        Ok(())
    }

    fn recv(&mut self, deadline: Instant) -> Result<Option<Report>, TransportError> {
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait.is_zero() {
            return Ok(None);
        }
        // A zero timeout would mean "block forever".
        self.socket
            .set_read_timeout(Some(wait.max(Duration::from_millis(1))))?;
        // One byte more than a report, so an oversized datagram is seen as such.
        let mut buffer = [0u8; REPORT_LEN + 1];
        match self.socket.recv(&mut buffer) {
            Ok(REPORT_LEN) => {
                let mut report = [0u8; REPORT_LEN];
                report.copy_from_slice(&buffer[..REPORT_LEN]);
                Ok(Some(report))
            }
            Ok(len) => Err(TransportError::BadReportLength { len }),
            // A signal (e.g. Ctrl-C, whose handler triggers the cancel token) interrupts
            // the wait: report "nothing yet", so the caller checks for cancellation.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }
}
