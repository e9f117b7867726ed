//! The FIDO applet: its AID, the SELECT command and the version it answers.

use super::command::{CommandApdu, Header, SHORT_MAX_LE};
use crate::generated::nfc::{
    ApduClass, ApduInstruction, AppletVersion, FidoApplication, RegisteredProvider, SelectMode,
};

/// An application identifier from a five-byte RID and a three-byte PIX.
pub const fn aid(rid: RegisteredProvider, pix: FidoApplication) -> [u8; 8] {
    let r = rid.0.to_be_bytes();
    let p = pix.0.to_be_bytes();
    [r[3], r[4], r[5], r[6], r[7], p[1], p[2], p[3]]
}

/// The FIDO applet's AID, A0000006472F0001.
pub const FIDO_AID: [u8; 8] = aid(RegisteredProvider::FIDO_ALLIANCE, FidoApplication::FIDO);

/// SELECT of the FIDO applet by name, asking for up to 256 bytes of answer.
///
/// ```
/// use fido_types::apdu::{select_fido, Form};
/// let bytes = select_fido().encode(Form::Short).unwrap();
/// assert_eq!(hex::encode(bytes), "00a4040008a0000006472f000100");
/// ```
pub fn select_fido() -> CommandApdu {
    let header = Header::new(
        ApduClass::ISO.0,
        ApduInstruction::SELECT.0,
        SelectMode::BY_NAME.0,
        0,
    );
    CommandApdu::new(header, FIDO_AID.to_vec(), Some(SHORT_MAX_LE))
}

/// The version in the answer to SELECT, when it is one of the known ones.
pub fn parse_version(body: &[u8]) -> Option<AppletVersion> {
    AppletVersion::KNOWN
        .iter()
        .find(|v| v.as_str().as_bytes() == body)
        .cloned()
}
