//! PC/SC smart-card readers (feature `pcsc`, over the system's libpcsclite): the
//! [`ApduLink`](crate::nfc::ApduLink) of a card in a reader, reader lookup by name or
//! unique part of it, and the list of readers holding a FIDO applet.

mod reader;

pub use reader::{CardLink, find_reader, list, open, open_link};
