//! The CTAPHID wire registries: channel identifiers, commands, error codes, keepalive
//! statuses and capability flags.
//!
//! Each is a newtype over its wire integer with named constants, so a value we do not know
//! survives a round trip. Values are from CTAP 2.1 §11.2.9 and §11.2.4, cross-checked against
//! python-fido2 (`fido2/hid/__init__.py`, `CTAPHID`, `CAPABILITY`) and libfido2
//! (`src/fido/param.h`, `CTAP_CMD_*`, `CTAP_KEEPALIVE_*`).

use core::fmt;

#[cfg(test)]
mod tests;

/// A 32-bit CTAPHID channel identifier, sent big-endian in every packet header.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ChannelId(pub u32);

impl ChannelId {
    /// The broadcast channel, used only for INIT (CTAP 2.1 §11.2.3).
    pub const BROADCAST: ChannelId = ChannelId(0xFFFF_FFFF);
    /// Channel 0 is reserved and never allocated.
    pub const RESERVED: ChannelId = ChannelId(0);

    /// The four header bytes, big-endian.
    pub const fn to_bytes(self) -> [u8; 4] {
        self.0.to_be_bytes()
    }

    /// Reads a channel identifier from its four big-endian header bytes.
    pub const fn from_bytes(bytes: [u8; 4]) -> Self {
        ChannelId(u32::from_be_bytes(bytes))
    }

    /// Whether a device may hand this identifier out as an allocated channel
    /// (neither reserved 0 nor broadcast).
    pub const fn is_allocatable(self) -> bool {
        self.0 != Self::RESERVED.0 && self.0 != Self::BROADCAST.0
    }
}

impl fmt::Debug for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChannelId({:#010x})", self.0)
    }
}

impl fmt::Display for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#010x}", self.0)
    }
}

/// A CTAPHID command (the low 7 bits of the CMD byte of an initialization packet).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Command(pub u8);

impl Command {
    /// Echo the payload back.
    pub const PING: Command = Command(0x01);
    /// A CTAP1/U2F APDU.
    pub const MSG: Command = Command(0x03);
    /// Lock the channel for the number of seconds given (0 unlocks).
    pub const LOCK: Command = Command(0x04);
    /// Allocate a channel (or resynchronise one) with an 8-byte nonce.
    pub const INIT: Command = Command(0x06);
    /// Ask the authenticator to show the user where it is.
    pub const WINK: Command = Command(0x08);
    /// A CTAP2 CBOR request.
    pub const CBOR: Command = Command(0x10);
    /// Cancel the pending request on this channel.
    pub const CANCEL: Command = Command(0x11);
    /// The authenticator is still working (one status byte).
    pub const KEEPALIVE: Command = Command(0x3B);
    /// The request failed (one [`ErrorCode`] byte).
    pub const ERROR: Command = Command(0x3F);
    /// First command of the vendor range.
    pub const VENDOR_FIRST: Command = Command(0x40);
    /// Last command of the vendor range.
    pub const VENDOR_LAST: Command = Command(0x7F);

    /// The command with bit 7 set, as written in an initialization packet.
    pub const fn init_byte(self) -> u8 {
        self.0 | 0x80
    }

    /// The command of an initialization packet's CMD byte (bit 7 dropped).
    pub const fn from_init_byte(byte: u8) -> Self {
        Command(byte & 0x7F)
    }

    /// Whether this command lies in the vendor range 0x40..=0x7F.
    pub const fn is_vendor(self) -> bool {
        self.0 >= Self::VENDOR_FIRST.0 && self.0 <= Self::VENDOR_LAST.0
    }

    /// The spec name of a known command.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::PING => "PING",
            Self::MSG => "MSG",
            Self::LOCK => "LOCK",
            Self::INIT => "INIT",
            Self::WINK => "WINK",
            Self::CBOR => "CBOR",
            Self::CANCEL => "CANCEL",
            Self::KEEPALIVE => "KEEPALIVE",
            Self::ERROR => "ERROR",
            _ => return None,
        })
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "Command::{name}"),
            None => write!(f, "Command({:#04x})", self.0),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{:#04x}", self.0),
        }
    }
}

/// The error code carried by a CTAPHID ERROR response.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ErrorCode(pub u8);

impl ErrorCode {
    /// The command in the request is unknown or invalid.
    pub const INVALID_CMD: ErrorCode = ErrorCode(0x01);
    /// The parameters in the request are invalid.
    pub const INVALID_PAR: ErrorCode = ErrorCode(0x02);
    /// The length field (BCNT) is invalid for the request.
    pub const INVALID_LEN: ErrorCode = ErrorCode(0x03);
    /// A continuation packet had an unexpected sequence number.
    pub const INVALID_SEQ: ErrorCode = ErrorCode(0x04);
    /// The message was not completed in time.
    pub const MSG_TIMEOUT: ErrorCode = ErrorCode(0x05);
    /// The device is busy with a request on another channel.
    pub const CHANNEL_BUSY: ErrorCode = ErrorCode(0x06);
    /// The command requires a channel lock.
    pub const LOCK_REQUIRED: ErrorCode = ErrorCode(0x0A);
    /// The channel identifier is not valid.
    pub const INVALID_CHANNEL: ErrorCode = ErrorCode(0x0B);
    /// Unspecified error.
    pub const OTHER: ErrorCode = ErrorCode(0x7F);

    /// The spec name of a known error code.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::INVALID_CMD => "INVALID_CMD",
            Self::INVALID_PAR => "INVALID_PAR",
            Self::INVALID_LEN => "INVALID_LEN",
            Self::INVALID_SEQ => "INVALID_SEQ",
            Self::MSG_TIMEOUT => "MSG_TIMEOUT",
            Self::CHANNEL_BUSY => "CHANNEL_BUSY",
            Self::LOCK_REQUIRED => "LOCK_REQUIRED",
            Self::INVALID_CHANNEL => "INVALID_CHANNEL",
            Self::OTHER => "OTHER",
            _ => return None,
        })
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "ErrorCode::{name}"),
            None => write!(f, "ErrorCode({:#04x})", self.0),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "ERR_{name} ({:#04x})", self.0),
            None => write!(f, "unknown CTAPHID error {:#04x}", self.0),
        }
    }
}

/// The status byte of a KEEPALIVE response.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeepaliveStatus(pub u8);

impl KeepaliveStatus {
    /// The authenticator is still processing the request.
    pub const PROCESSING: KeepaliveStatus = KeepaliveStatus(0x01);
    /// The authenticator is waiting for user presence (a touch).
    pub const UPNEEDED: KeepaliveStatus = KeepaliveStatus(0x02);

    /// The spec name of a known status.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::PROCESSING => "PROCESSING",
            Self::UPNEEDED => "UPNEEDED",
            _ => return None,
        })
    }
}

impl fmt::Debug for KeepaliveStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "KeepaliveStatus::{name}"),
            None => write!(f, "KeepaliveStatus({:#04x})", self.0),
        }
    }
}

/// The capability flags byte of an INIT response.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Capabilities(pub u8);

impl Capabilities {
    /// The device implements WINK.
    pub const WINK: Capabilities = Capabilities(0x01);
    /// The device implements LOCK (python-fido2 lists it; CTAP 2.1 leaves the bit unnamed).
    pub const LOCK: Capabilities = Capabilities(0x02);
    /// The device implements CBOR (CTAP2).
    pub const CBOR: Capabilities = Capabilities(0x04);
    /// The device does *not* implement MSG (no CTAP1/U2F).
    pub const NMSG: Capabilities = Capabilities(0x08);

    /// Whether every bit of `other` is set in `self`.
    pub const fn contains(self, other: Capabilities) -> bool {
        self.0 & other.0 == other.0
    }

    /// The union of two flag sets.
    pub const fn union(self, other: Capabilities) -> Capabilities {
        Capabilities(self.0 | other.0)
    }
}

impl core::ops::BitOr for Capabilities {
    type Output = Capabilities;
    fn bitor(self, rhs: Capabilities) -> Capabilities {
        self.union(rhs)
    }
}

impl fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_set();
        let named = [
            (Self::WINK, "WINK"),
            (Self::LOCK, "LOCK"),
            (Self::CBOR, "CBOR"),
            (Self::NMSG, "NMSG"),
        ];
        let mut rest = self.0;
        for (flag, name) in named {
            if self.contains(flag) {
                list.entry(&format_args!("{name}"));
                rest &= !flag.0;
            }
        }
        if rest != 0 {
            list.entry(&format_args!("{rest:#04x}"));
        }
        list.finish()
    }
}
