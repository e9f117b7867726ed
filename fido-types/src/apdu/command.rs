//! Command APDUs (ISO/IEC 7816-4 5.1): the header, the four cases in short and extended
//! form, and splitting long data into short APDUs with command chaining.

use super::format_error::ApduFormatError;
use crate::generated::nfc::ClassFlags;

/// The most data a short APDU carries (Lc is one byte, 1..=255).
pub const SHORT_MAX_DATA: usize = 255;
/// The largest expected length a short APDU asks for (Le 0x00 means 256).
pub const SHORT_MAX_LE: usize = 256;
/// The most data an extended APDU carries (Lc is two bytes, 1..=65535).
pub const EXTENDED_MAX_DATA: usize = 65_535;
/// The largest expected length an extended APDU asks for (Le 0x0000 means 65536).
pub const EXTENDED_MAX_LE: usize = 65_536;

/// The two encodings of the length fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// One-byte Lc and Le.
    Short,
    /// A zero byte, then two-byte Lc and Le.
    Extended,
}

impl Form {
    const fn name(self) -> &'static str {
        match self {
            Form::Short => "short",
            Form::Extended => "extended",
        }
    }

    const fn max_data(self) -> usize {
        match self {
            Form::Short => SHORT_MAX_DATA,
            Form::Extended => EXTENDED_MAX_DATA,
        }
    }

    /// The largest expected length this form asks for.
    pub const fn max_le(self) -> usize {
        match self {
            Form::Short => SHORT_MAX_LE,
            Form::Extended => EXTENDED_MAX_LE,
        }
    }
}

/// CLA, INS, P1 and P2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    /// The class byte, with the chaining bit when more APDUs of the command follow.
    pub cla: u8,
    /// The instruction.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
}

impl Header {
    /// A header from its four bytes.
    pub const fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Header { cla, ins, p1, p2 }
    }

    /// `true` when the class byte says more APDUs of this command follow.
    pub const fn is_chained(self) -> bool {
        self.cla & ClassFlags::COMMAND_CHAINING.bits() != 0
    }

    /// This header with the chaining bit set (`chained`) or cleared.
    pub const fn chained(self, chained: bool) -> Self {
        let bit = ClassFlags::COMMAND_CHAINING.bits();
        let cla = if chained {
            self.cla | bit
        } else {
            self.cla & !bit
        };
        Header { cla, ..self }
    }

    /// The four bytes.
    pub const fn to_bytes(self) -> [u8; 4] {
        [self.cla, self.ins, self.p1, self.p2]
    }
}

/// One command APDU.
///
/// ```
/// use fido_types::apdu::{CommandApdu, Form, Header};
///
/// let apdu = CommandApdu::new(Header::new(0x80, 0x10, 0x80, 0x00), vec![0x04], Some(256));
/// let bytes = apdu.encode(Form::Short).unwrap();
/// assert_eq!(bytes, [0x80, 0x10, 0x80, 0x00, 0x01, 0x04, 0x00]);
/// assert_eq!(CommandApdu::parse(&bytes).unwrap(), (apdu, Form::Short));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandApdu {
    /// CLA, INS, P1, P2.
    pub header: Header,
    /// The command data (no Lc when empty).
    pub data: Vec<u8>,
    /// The expected response length, when Le is present.
    pub le: Option<usize>,
}

impl CommandApdu {
    /// A command APDU.
    pub fn new(header: Header, data: Vec<u8>, le: Option<usize>) -> Self {
        CommandApdu { header, data, le }
    }

    /// Encodes in `form`.
    ///
    /// # Errors
    /// [`ApduFormatError::DataTooLong`] or [`ApduFormatError::BadLe`] when the data or Le
    /// does not fit the form.
    pub fn encode(&self, form: Form) -> Result<Vec<u8>, ApduFormatError> {
        if self.data.len() > form.max_data() {
            return Err(ApduFormatError::DataTooLong {
                len: self.data.len(),
                max: form.max_data(),
                form: form.name(),
            });
        }
        if let Some(le) = self.le
            && (le == 0 || le > form.max_le())
        {
            return Err(ApduFormatError::BadLe {
                le,
                form: form.name(),
            });
        }
        let mut out = Vec::with_capacity(4 + 3 + self.data.len() + 2);
        out.extend_from_slice(&self.header.to_bytes());
        let extended = form == Form::Extended;
        if extended && (!self.data.is_empty() || self.le.is_some()) {
            out.push(0);
        }
        if !self.data.is_empty() {
            push_length(&mut out, self.data.len(), extended);
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            // 256 (short) and 65536 (extended) are written as zero.
            push_length(&mut out, le % form.max_le(), extended);
        }
        Ok(out)
    }

    /// Parses a command APDU of any of the four cases, short or extended.
    ///
    /// # Errors
    /// [`ApduFormatError::ShortHeader`] below four bytes, [`ApduFormatError::BadLength`]
    /// when the length fields do not match the size.
    pub fn parse(bytes: &[u8]) -> Result<(CommandApdu, Form), ApduFormatError> {
        let len = bytes.len();
        let (head, body) = match bytes.split_first_chunk::<4>() {
            Some(split) => split,
            None => return Err(ApduFormatError::ShortHeader { len }),
        };
        let header = Header::new(head[0], head[1], head[2], head[3]);
        let bad = ApduFormatError::BadLength { len };
        let (data, le, form) = match body {
            [] => (&[][..], None, Form::Short),
            [le] => (&[][..], Some(short_le(*le)), Form::Short),
            [0, rest @ ..] => parse_extended(rest).ok_or(bad)?,
            [lc, rest @ ..] => {
                let lc = usize::from(*lc);
                match rest.len().checked_sub(lc) {
                    Some(0) => (rest, None, Form::Short),
                    Some(1) => (&rest[..lc], Some(short_le(rest[lc])), Form::Short),
                    _ => return Err(bad),
                }
            }
        };
        Ok((CommandApdu::new(header, data.to_vec(), le), form))
    }

    /// Splits this command into short APDUs of at most `chunk` data bytes each: every
    /// APDU but the last has the chaining bit set in its class byte and no Le; the last
    /// carries Le. Data that fits one APDU gives one APDU.
    ///
    /// # Errors
    /// [`ApduFormatError::BadChunk`] unless `chunk` is 1..=255; [`ApduFormatError::BadLe`]
    /// when Le does not fit a short APDU.
    pub fn chain_short(&self, chunk: usize) -> Result<Vec<Vec<u8>>, ApduFormatError> {
        if chunk == 0 || chunk > SHORT_MAX_DATA {
            return Err(ApduFormatError::BadChunk { chunk });
        }
        let header = self.header.chained(false);
        let mut pieces: Vec<&[u8]> = self.data.chunks(chunk).collect();
        let last = pieces.pop().unwrap_or(&[]);
        let mut out = Vec::with_capacity(pieces.len() + 1);
        for piece in pieces {
            let apdu = CommandApdu::new(header.chained(true), piece.to_vec(), None);
            out.push(apdu.encode(Form::Short)?);
        }
        out.push(CommandApdu::new(header, last.to_vec(), self.le).encode(Form::Short)?);
        Ok(out)
    }
}

fn short_le(byte: u8) -> usize {
    if byte == 0 {
        SHORT_MAX_LE
    } else {
        usize::from(byte)
    }
}

fn extended_le(bytes: [u8; 2]) -> usize {
    match u16::from_be_bytes(bytes) {
        0 => EXTENDED_MAX_LE,
        n => usize::from(n),
    }
}

/// The body after the extended marker byte: Le (2), Lc data, or Lc data Le.
fn parse_extended(rest: &[u8]) -> Option<(&[u8], Option<usize>, Form)> {
    let (lc, after) = rest.split_first_chunk::<2>()?;
    if after.is_empty() {
        return Some((&[], Some(extended_le(*lc)), Form::Extended));
    }
    let lc = usize::from(u16::from_be_bytes(*lc));
    if lc == 0 {
        return None;
    }
    match after.len().checked_sub(lc)? {
        0 => Some((after, None, Form::Extended)),
        2 => Some((
            &after[..lc],
            Some(extended_le([after[lc], after[lc + 1]])),
            Form::Extended,
        )),
        _ => None,
    }
}

fn push_length(out: &mut Vec<u8>, n: usize, extended: bool) {
    if extended {
        // Callers checked n <= 65535 (or took it modulo 65536).
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(n as u8);
    }
}
