//! The authenticator as a virtual card of vsmartcard's vpcd: a TCP client of the vpcd
//! reader driver (pcscd's `vpcd` reader listens on 127.0.0.1:35963), so that any PC/SC
//! client reaches the [`NfcCard`].
//!
//! The vicc protocol: every message in either direction is a 2-byte big-endian length and
//! that many bytes. A one-byte message from vpcd is a control message
//! ([`VpcdControl`]: power off, power on, reset, get ATR; only the ATR is answered); a
//! longer one is a command APDU, answered with the response APDU. Power off then on, and
//! reset, are the simulated power cycle.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};

use fido_types::generated::vpcd::VpcdControl;

use crate::nfc::NfcCard;

/// The card's answer-to-reset: the ATR PC/SC gives an ISO 14443-4 contactless card
/// without historical bytes (PC/SC Part 3 3.1.3.2.3.1: 3B 8n 80 01, historical bytes,
/// TCK = XOR of T0..last).
pub const ATR: [u8; 5] = [0x3B, 0x80, 0x80, 0x01, 0x01];

/// A connection to vpcd serving one card.
#[derive(Debug)]
pub struct VpcdCard {
    stream: TcpStream,
    card: NfcCard,
}

impl VpcdCard {
    /// Connects to vpcd at `addr`.
    ///
    /// # Errors
    /// The connection error.
    pub fn connect(addr: impl ToSocketAddrs, card: NfcCard) -> io::Result<Self> {
        Self::new(TcpStream::connect(addr)?, card)
    }

    /// Serves `card` on a connection to vpcd already made.
    ///
    /// # Errors
    /// The socket error of turning off Nagle's algorithm.
    pub fn new(stream: TcpStream, card: NfcCard) -> io::Result<Self> {
        stream.set_nodelay(true)?;
        Ok(VpcdCard { stream, card })
    }

    /// The card.
    pub fn card(&mut self) -> &mut NfcCard {
        &mut self.card
    }

    /// Serves until vpcd closes the connection (`Ok`) or it fails.
    ///
    /// # Errors
    /// Socket errors.
    pub fn serve(&mut self) -> io::Result<()> {
        while let Some(frame) = read_frame(&mut self.stream)? {
            if let Some(answer) = self.handle(&frame) {
                write_frame(&mut self.stream, &answer)?;
            }
        }
        Ok(())
    }

    /// Answers one message from vpcd; `None` for control messages without an answer.
    pub fn handle(&mut self, frame: &[u8]) -> Option<Vec<u8>> {
        match frame {
            [] => None,
            [control] => self.control(VpcdControl(*control)),
            apdu => Some(self.card.transmit(apdu)),
        }
    }

    fn control(&mut self, control: VpcdControl) -> Option<Vec<u8>> {
        match control {
            VpcdControl::POWER_OFF => self.card.power_off(),
            VpcdControl::POWER_ON | VpcdControl::RESET => self.card.power_on(),
            VpcdControl::GET_ATR => return Some(ATR.to_vec()),
            other => eprintln!("fido virtual: unknown vpcd control message {other:?}"),
        }
        None
    }
}

/// Reads one length-prefixed frame; `None` at a clean end of stream.
///
/// # Errors
/// Socket errors, and a stream that ends inside a frame.
pub fn read_frame(stream: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut length = [0u8; 2];
    match stream.read_exact(&mut length) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    // At most 65535 bytes: the length field bounds the allocation.
    let mut frame = vec![0u8; usize::from(u16::from_be_bytes(length))];
    stream.read_exact(&mut frame)?;
    Ok(Some(frame))
}

/// Writes one length-prefixed frame.
///
/// # Errors
/// Socket errors; [`io::ErrorKind::InvalidInput`] for a frame over 65535 bytes.
pub fn write_frame(stream: &mut impl Write, frame: &[u8]) -> io::Result<()> {
    let length = u16::try_from(frame.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame over 65535 bytes"))?;
    let mut out = Vec::with_capacity(frame.len() + 2);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(frame);
    stream.write_all(&out)?;
    stream.flush()
}

#[cfg(test)]
mod tests;
