//! Readers and cards through the `pcsc` crate.

use std::ffi::CString;

use pcsc::{Card, Context, Disposition, Error as PcscError, Protocols, Scope, ShareMode};

use crate::nfc::{ApduLink, NfcDevice};
use crate::transport::{DeviceDescriptor, DeviceUri, Timeouts, TransportError};

/// A card in a reader, connected.
pub struct CardLink {
    card: Option<Card>,
    buffer: Vec<u8>,
}

impl std::fmt::Debug for CardLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardLink")
            .field("connected", &self.card.is_some())
            .finish()
    }
}

impl Drop for CardLink {
    fn drop(&mut self) {
        if let Some(card) = self.card.take() {
            // Leave the card powered for the next client; an error here has no one to go to.
            let _ = card.disconnect(Disposition::LeaveCard);
        }
    }
}

impl ApduLink for CardLink {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let card = self.card.as_ref().ok_or(TransportError::Closed)?;
        let response = card.transmit(apdu, &mut self.buffer).map_err(error)?;
        Ok(response.to_vec())
    }
}

/// A PC/SC error as a transport error: a card or reader that went away is
/// [`TransportError::Disconnected`], no resource manager or reader is
/// [`TransportError::NoDevice`].
fn error(e: PcscError) -> TransportError {
    match e {
        PcscError::RemovedCard
        | PcscError::NoSmartcard
        | PcscError::ResetCard
        | PcscError::ReaderUnavailable
        | PcscError::UnknownReader => TransportError::Disconnected,
        PcscError::NoService | PcscError::NoReadersAvailable | PcscError::ServiceStopped => {
            TransportError::NoDevice
        }
        other => TransportError::Pcsc(other.to_string()),
    }
}

fn context() -> Result<Context, TransportError> {
    Context::establish(Scope::User).map_err(error)
}

fn reader_names(ctx: &Context) -> Result<Vec<CString>, TransportError> {
    match ctx.list_readers_owned() {
        Ok(names) => Ok(names),
        Err(PcscError::NoReadersAvailable) => Ok(Vec::new()),
        Err(e) => Err(error(e)),
    }
}

/// The one reader whose name is `name`, or else the one whose name contains it
/// (python-fido2's and libfido2's rule is a substring; an exact name wins over longer ones
/// containing it).
///
/// # Errors
/// [`TransportError::NoDevice`] for no match; [`TransportError::Pcsc`] naming the
/// readers when the part is not unique.
pub fn find_reader(names: &[String], name: &str) -> Result<String, TransportError> {
    if let Some(exact) = names.iter().find(|n| n.as_str() == name) {
        return Ok(exact.clone());
    }
    let matches: Vec<&String> = names.iter().filter(|n| n.contains(name)).collect();
    match matches.as_slice() {
        [] => Err(TransportError::NoDevice),
        [one] => Ok((*one).clone()),
        many => Err(TransportError::Pcsc(format!(
            "the reader name {name:?} is not unique: it is part of {}",
            many.iter()
                .map(|m| format!("{m:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn connect(ctx: &Context, reader: &CString) -> Result<CardLink, TransportError> {
    let card = ctx
        .connect(reader, ShareMode::Shared, Protocols::ANY)
        .map_err(error)?;
    Ok(CardLink {
        card: Some(card),
        buffer: vec![0; pcsc::MAX_BUFFER_SIZE_EXTENDED],
    })
}

/// Opens the FIDO applet of the card in the reader `name` (a reader name or a unique
/// part of it).
///
/// # Errors
/// [`TransportError::NoDevice`] when no reader matches or its card has no FIDO applet;
/// PC/SC errors.
pub fn open(name: &str, timeouts: Timeouts) -> Result<NfcDevice<CardLink>, TransportError> {
    let (link, descriptor) = open_link(name)?;
    NfcDevice::open(link, descriptor, timeouts)
}

/// Connects to the card in the reader `name` (a reader name or a unique part of it)
/// without selecting anything: for wrapping the link (logging, tests) before
/// [`NfcDevice::open`].
///
/// # Errors
/// [`TransportError::NoDevice`] when no reader matches; PC/SC errors.
pub fn open_link(name: &str) -> Result<(CardLink, DeviceDescriptor), TransportError> {
    let ctx = context()?;
    let names = reader_names(&ctx)?;
    let owned: Vec<String> = names
        .iter()
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    let reader = find_reader(&owned, name)?;
    let index = owned
        .iter()
        .position(|n| *n == reader)
        .ok_or(TransportError::NoDevice)?;
    Ok((connect(&ctx, &names[index])?, descriptor(&reader)))
}

fn descriptor(reader: &str) -> DeviceDescriptor {
    let mut descriptor = DeviceDescriptor::from_uri(DeviceUri::Pcsc(reader.to_owned()));
    descriptor.product_name = Some(reader.to_owned());
    descriptor
}

/// The readers whose card answers SELECT of the FIDO applet, each as `pcsc:READER`.
/// Readers without a card, or with a card of another kind, are left out.
///
/// # Errors
/// PC/SC errors other than "no readers" (no resource manager: [`TransportError::NoDevice`]).
pub fn list() -> Result<Vec<DeviceDescriptor>, TransportError> {
    let ctx = context()?;
    let mut found = Vec::new();
    for name in reader_names(&ctx)? {
        let Ok(link) = connect(&ctx, &name) else {
            continue;
        };
        let reader = name.to_string_lossy().into_owned();
        let mut device = NfcDevice::new_unprobed(link, descriptor(&reader), Timeouts::default());
        if device.select().is_ok() {
            found.push(descriptor(&reader));
        }
    }
    Ok(found)
}
