//! The authenticator as an NFC / smart-card applet: the card side of CTAP over ISO 7816.
//!
//! [`NfcCard::transmit`] takes one command APDU and returns the response APDU. It answers
//! SELECT of the FIDO AID with its version (`U2F_V2`: every configuration of this
//! authenticator speaks CTAP1/U2F; `FIDO_2_0` would mean CTAP2 only), runs NFCCTAP_MSG on a request thread
//! and, when the client set P1 0x80 (it polls with NFCCTAP_GETRESPONSE), answers 9100 with
//! the keepalive status while the request waits for a touch; NFCCTAP_GETRESPONSE with P1
//! 0x11 cancels. Commands may arrive chained (class bit 0x10); long responses leave in
//! parts through 61XX and GET RESPONSE (short APDUs) or whole (extended APDUs). CTAP1/U2F
//! commands are answered as themselves. [`NfcCard::power_off`] and
//! [`NfcCard::power_on`] are the simulated power cycle. Framing is `fido_types::apdu`'s.

mod pending;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use fido_types::apdu::{
    ApduFormatError, ApduStatus, Assembled, CommandApdu, CommandAssembler, FIDO_AID, Form,
    ResponseChunks, encode_response,
};
use fido_types::generated::nfc::{
    ApduClass, ApduInstruction, AppletVersion, GetResponseControl, NfcStatusWord, NfcctapMsgFlags,
};
use fido_types::generated::u2f::U2fInstruction;

use crate::Authenticator;
use crate::presence::NoTransport;
use pending::Pending;

/// How long one APDU waits for a running request before answering the keepalive word.
pub const POLL_WINDOW: Duration = Duration::from_millis(100);

/// The longest command the card reassembles from chained APDUs (CTAP2 messages are at
/// most a few kilobytes; this bounds memory against a chain that never ends).
pub const MAX_COMMAND: usize = 1 << 16;

/// The FIDO applet of one card, around an authenticator.
#[derive(Debug)]
pub struct NfcCard {
    authenticator: Arc<Mutex<Authenticator>>,
    selected: bool,
    assembler: CommandAssembler,
    outgoing: Option<ResponseChunks>,
    pending: Option<Pending>,
}

fn status(word: NfcStatusWord) -> ApduStatus {
    ApduStatus(word.0)
}

impl NfcCard {
    /// A card holding `authenticator`, powered on, nothing selected.
    pub fn new(authenticator: Authenticator) -> Self {
        NfcCard {
            authenticator: Arc::new(Mutex::new(authenticator)),
            selected: false,
            assembler: CommandAssembler::new(MAX_COMMAND),
            outgoing: None,
            pending: None,
        }
    }

    /// Runs `f` on the authenticator (waits for a running request first).
    pub fn with_authenticator<T>(&mut self, f: impl FnOnce(&mut Authenticator) -> T) -> T {
        f(&mut self
            .authenticator
            .lock()
            .unwrap_or_else(PoisonError::into_inner))
    }

    /// The reader cut power: a running request is cancelled, selection and chains end.
    pub fn power_off(&mut self) {
        if let Some(pending) = self.pending.take() {
            pending.abandon();
        }
        self.selected = false;
        self.assembler.reset();
        self.outgoing = None;
    }

    /// The reader powered the card up: the simulated power cycle (reset window restarts,
    /// PIN_AUTH_BLOCKED clears, new key-agreement key, no token).
    pub fn power_on(&mut self) {
        self.power_off();
        self.with_authenticator(Authenticator::power_cycle);
    }

    /// Answers one command APDU.
    pub fn transmit(&mut self, apdu: &[u8]) -> Vec<u8> {
        if let Some(response) = self.get_response(apdu) {
            return response;
        }
        self.outgoing = None;
        match self.assembler.push(apdu) {
            Ok(Assembled::Partial) => encode_response(&[], ApduStatus::OK),
            Ok(Assembled::Complete(command, form)) => {
                let (body, word) = self.dispatch(&command);
                self.respond(body, word, &command, form)
            }
            Err(ApduFormatError::ChainBroken) => {
                encode_response(&[], status(NfcStatusWord::LAST_COMMAND_EXPECTED))
            }
            Err(_) => encode_response(&[], ApduStatus::WRONG_LENGTH),
        }
    }

    /// GET RESPONSE while parts of a response wait.
    fn get_response(&mut self, apdu: &[u8]) -> Option<Vec<u8>> {
        let is_get_response = apdu.len() >= 4
            && apdu[0] == ApduClass::ISO.0
            && apdu[1] == ApduInstruction::GET_RESPONSE.0;
        if !is_get_response {
            return None;
        }
        let Some(chunks) = self.outgoing.as_mut() else {
            return Some(encode_response(&[], ApduStatus::USE_NOT_SATISFIED));
        };
        let le = match CommandApdu::parse(apdu) {
            Ok((command, _)) => command.le.unwrap_or(256).min(256),
            Err(_) => return Some(encode_response(&[], ApduStatus::WRONG_LENGTH)),
        };
        let response = chunks.next_apdu(le);
        if chunks.is_finished() {
            self.outgoing = None;
        }
        Some(response)
    }

    /// The whole response, or its first part when a short APDU cannot carry it.
    fn respond(
        &mut self,
        body: Vec<u8>,
        word: ApduStatus,
        command: &CommandApdu,
        form: Form,
    ) -> Vec<u8> {
        let max = match form {
            Form::Short => command.le.unwrap_or(256).min(256),
            Form::Extended => form.max_le(),
        };
        let mut chunks = ResponseChunks::new(body, word);
        let first = chunks.next_apdu(max);
        if !chunks.is_finished() {
            self.outgoing = Some(chunks);
        }
        first
    }

    fn dispatch(&mut self, command: &CommandApdu) -> (Vec<u8>, ApduStatus) {
        let header = command.header;
        let ins = ApduInstruction(header.ins);
        if header.cla == ApduClass::ISO.0 && ins == ApduInstruction::SELECT {
            return self.select(command);
        }
        if !self.selected {
            return (Vec::new(), ApduStatus::USE_NOT_SATISFIED);
        }
        match (ApduClass(header.cla), ins) {
            (ApduClass::NFCCTAP, ApduInstruction::NFCCTAP_MSG) => self.msg(command),
            (ApduClass::NFCCTAP, ApduInstruction::NFCCTAP_GETRESPONSE) => self.poll(command),
            (ApduClass::ISO, _) if is_u2f(header.ins) => self.u2f(command),
            (ApduClass::ISO | ApduClass::NFCCTAP, _) => (Vec::new(), ApduStatus::INS_NOT_SUPPORTED),
            _ => (Vec::new(), ApduStatus::CLA_NOT_SUPPORTED),
        }
    }

    fn select(&mut self, command: &CommandApdu) -> (Vec<u8>, ApduStatus) {
        if let Some(pending) = self.pending.take() {
            pending.abandon();
        }
        if command.data != FIDO_AID {
            self.selected = false;
            return (Vec::new(), status(NfcStatusWord::FILE_NOT_FOUND));
        }
        self.selected = true;
        // Every configuration of this authenticator speaks CTAP1/U2F.
        (
            AppletVersion::U2F_V2.as_str().as_bytes().to_vec(),
            ApduStatus::OK,
        )
    }

    fn msg(&mut self, command: &CommandApdu) -> (Vec<u8>, ApduStatus) {
        if self.with_authenticator(|a| a.config().u2f_only) {
            return (Vec::new(), ApduStatus::INS_NOT_SUPPORTED);
        }
        if let Some(pending) = self.pending.take() {
            pending.abandon();
        }
        let polls =
            NfcctapMsgFlags(command.header.p1).contains(NfcctapMsgFlags::GETRESPONSE_SUPPORTED);
        let mut pending = Pending::start(Arc::clone(&self.authenticator), command.data.clone());
        if !polls {
            return match pending.wait(Duration::MAX) {
                Ok(response) => (response, ApduStatus::OK),
                Err(_) => (Vec::new(), ApduStatus::USE_NOT_SATISFIED),
            };
        }
        self.pending = Some(pending);
        self.answer_pending()
    }

    fn poll(&mut self, command: &CommandApdu) -> (Vec<u8>, ApduStatus) {
        let Some(pending) = self.pending.as_ref() else {
            return (Vec::new(), ApduStatus::USE_NOT_SATISFIED);
        };
        if GetResponseControl(command.header.p1) == GetResponseControl::CANCEL {
            pending.cancel();
        }
        self.answer_pending()
    }

    /// The response if the request ended within [`POLL_WINDOW`], else 9100 with the
    /// keepalive status.
    fn answer_pending(&mut self) -> (Vec<u8>, ApduStatus) {
        let Some(pending) = self.pending.as_mut() else {
            return (Vec::new(), ApduStatus::USE_NOT_SATISFIED);
        };
        match pending.wait(POLL_WINDOW) {
            Ok(response) => {
                self.pending = None;
                (response, ApduStatus::OK)
            }
            Err(keepalive) => (vec![keepalive.0], status(NfcStatusWord::UPDATE)),
        }
    }

    fn u2f(&mut self, command: &CommandApdu) -> (Vec<u8>, ApduStatus) {
        // Without Le: the U2F handler reads extended `00 Lc Lc data` and ignores Le.
        let without_le = CommandApdu::new(command.header, command.data.clone(), None);
        let Ok(apdu) = without_le.encode(Form::Extended) else {
            return (Vec::new(), ApduStatus::WRONG_LENGTH);
        };
        let response = self.with_authenticator(|a| a.handle_apdu(&apdu, &mut NoTransport));
        match ApduStatus::split_response(&response) {
            Some((body, word)) => (body.to_vec(), word),
            None => (Vec::new(), ApduStatus::WRONG_LENGTH),
        }
    }
}

fn is_u2f(ins: u8) -> bool {
    [
        U2fInstruction::REGISTER,
        U2fInstruction::AUTHENTICATE,
        U2fInstruction::VERSION,
    ]
    .contains(&U2fInstruction(ins))
}

#[cfg(test)]
mod tests;
