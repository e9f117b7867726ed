//! The CTAPHID packet format: splitting a message into 64-byte reports and assembling them, without I/O.
//!
//! CTAPHID (CTAP 2.1 §11.2) carries a message of up to [`MAX_MESSAGE_LEN`] bytes in one
//! *initialization* packet (7-byte header, [`INIT_DATA_LEN`] payload bytes) followed by up
//! to 128 *continuation* packets (5-byte header, [`CONT_DATA_LEN`] payload bytes each), all
//! on one 32-bit channel. This module is the pure format, shared by the client engine
//! (`fido_ctap::hid`) and the software authenticator:
//!
//! - [`codes`]: the wire registries ([`CtaphidCommand`], [`CtaphidError`],
//!   [`KeepaliveStatus`], [`CapabilityFlags`], generated from `spec/ctaphid.toml`) with
//!   their packet behaviour, and the [`ChannelId`];
//! - [`packet`]: one report parsed into a [`Packet`] and encoded back;
//! - [`fragment`]: a message split into reports ([`split`], [`Fragments`]);
//! - [`assemble`]: reports assembled into a [`Message`] with checks of channel, sequence
//!   and length ([`Assembler`]);
//! - [`init`]: the payload of the INIT response ([`InitResponse`]).
//!
//! ```
//! use fido_types::ctaphid::{Assembler, ChannelId, CtaphidCommand, Progress, split};
//!
//! let cid = ChannelId(0x0102_0304);
//! let payload = vec![0xA5; 200];
//! let mut assembler = Assembler::for_channel(cid);
//! let mut message = None;
//! for report in split(cid, CtaphidCommand::CBOR, &payload).unwrap() {
//!     if let Progress::Complete(m) = assembler.push(&report).unwrap() {
//!         message = Some(m);
//!     }
//! }
//! let message = message.unwrap();
//! assert_eq!((message.cid, message.cmd, message.data), (cid, CtaphidCommand::CBOR, payload));
//! ```

pub mod assemble;
pub mod codes;
pub mod fragment;
pub mod init;
pub mod packet;

pub use assemble::{AssembleError, Assembler, Ignored, Message, Progress};
pub use codes::{CapabilityFlags, ChannelId, CtaphidCommand, CtaphidError, KeepaliveStatus};
pub use fragment::{Fragments, MessageTooLong, split};
pub use init::{INIT_RESPONSE_LEN, InitResponse, InitResponseError, NONCE_LEN};
pub use packet::{Packet, encode_cont, encode_init};

/// Length of one HID report (CTAP 2.1 §11.2.4: 64-byte reports for full-speed USB).
pub const REPORT_LEN: usize = 64;
/// Payload bytes in an initialization packet: 64 − 4 (CID) − 1 (CMD) − 2 (BCNT).
pub const INIT_DATA_LEN: usize = REPORT_LEN - 7;
/// Payload bytes in a continuation packet: 64 − 4 (CID) − 1 (SEQ).
pub const CONT_DATA_LEN: usize = REPORT_LEN - 5;
/// Number of continuation packets a message may use (sequence numbers 0..=0x7F).
pub const MAX_CONT_PACKETS: usize = 128;
/// Largest message CTAPHID can carry: 57 + 128 × 59 = 7609 bytes (CTAP 2.1 §11.2.4).
pub const MAX_MESSAGE_LEN: usize = INIT_DATA_LEN + MAX_CONT_PACKETS * CONT_DATA_LEN;

/// One HID report as it travels on the wire (no report-ID byte).
pub type Report = [u8; REPORT_LEN];
