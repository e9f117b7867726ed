//! The CTAPHID wire registries and their behaviour.
//!
//! The registries themselves ([`CtaphidCommand`], [`CtaphidError`], [`KeepaliveStatus`],
//! [`CapabilityFlags`]) are generated from `spec/ctaphid.toml` into
//! [`crate::generated::ctaphid`] and re-exported here; this module adds what the packet
//! codec needs on top (the initialization-packet bit, the vendor range, `Display`) and the
//! channel identifier, which is an address rather than a registry.

use core::fmt;

pub use crate::generated::ctaphid::{
    CapabilityFlags, CtaphidCommand, CtaphidError, KeepaliveStatus,
};

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

/// Bit 7 of an initialization packet's CMD byte (continuation packets have it clear).
const INIT_BIT: u8 = 0x80;

impl CtaphidCommand {
    /// The command with bit 7 set, as written in an initialization packet.
    pub const fn init_byte(self) -> u8 {
        self.0 | INIT_BIT
    }

    /// The command of an initialization packet's CMD byte (bit 7 dropped).
    pub const fn from_init_byte(byte: u8) -> Self {
        CtaphidCommand(byte & !INIT_BIT)
    }

    /// Whether a report's fifth byte starts an initialization packet (bit 7 set) rather
    /// than a continuation packet (a sequence number).
    pub const fn is_init_byte(byte: u8) -> bool {
        byte & INIT_BIT != 0
    }

    /// Whether this command lies in the vendor range
    /// [`VENDOR_FIRST`](Self::VENDOR_FIRST)..=[`VENDOR_LAST`](Self::VENDOR_LAST).
    pub const fn is_vendor(self) -> bool {
        self.0 >= Self::VENDOR_FIRST.0 && self.0 <= Self::VENDOR_LAST.0
    }
}

/// The constant's name (`CBOR`), or the byte in hex for a command without one.
impl fmt::Display for CtaphidCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{:#04x}", self.0),
        }
    }
}

/// The spec name and code (`ERR_CHANNEL_BUSY (0x06)`), or `unknown CTAPHID error 0x42`.
impl fmt::Display for CtaphidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.spec_name() {
            Some(name) => write!(f, "{name} ({:#04x})", self.0),
            None => write!(f, "unknown CTAPHID error {:#04x}", self.0),
        }
    }
}
