//! Opening a device from a [`DeviceUri`], and the extension point for the virtual device.

use std::path::PathBuf;
use std::sync::Arc;

use super::{CtapDevice, DeviceDescriptor, DeviceUri, EngineConfig, TransportError};
use crate::hid::record::Recorder;
use crate::hid::replay::ReplayConnection;
use crate::hid::udp::UdpConnection;
use crate::hid::{HidDevice, ReportConnection};

/// Provides the `virtual` device. `fido-ctap` does not depend on the software
/// authenticator; the authenticator (or the CLI that links both) implements this trait and
/// registers it with [`DeviceOpener::with_virtual`].
///
/// The usual implementation starts the authenticator's CTAPHID side on one end of a
/// [`memory::pair`](crate::hid::memory::pair) and returns the other end; the opener then
/// allocates a channel with INIT as for any other device.
pub trait VirtualDeviceFactory: Send + Sync {
    /// A fresh connection to a virtual authenticator.
    fn connect(&self) -> Result<Box<dyn ReportConnection>, TransportError>;
}

/// Opens devices named by [`DeviceUri`]s, with one engine configuration, an optional
/// virtual-device factory and optional recording of every session.
///
/// ```
/// use fido_ctap::device::{DeviceOpener, DeviceUri, TransportError};
/// let error = DeviceOpener::new().open(&DeviceUri::Virtual).unwrap_err();
/// assert!(matches!(error, TransportError::NotAvailable { .. }));
/// ```
#[derive(Clone, Default)]
pub struct DeviceOpener {
    config: EngineConfig,
    virtual_factory: Option<Arc<dyn VirtualDeviceFactory>>,
    record_to: Option<PathBuf>,
}

impl std::fmt::Debug for DeviceOpener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceOpener")
            .field("config", &self.config)
            .field("virtual", &self.virtual_factory.is_some())
            .field("record_to", &self.record_to)
            .finish()
    }
}

impl DeviceOpener {
    /// An opener with default timeouts, no virtual device and no recording.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses this engine configuration for devices it opens.
    pub fn with_config(mut self, config: EngineConfig) -> Self {
        self.config = config;
        self
    }

    /// Registers the provider of the `virtual` device.
    pub fn with_virtual(mut self, factory: Arc<dyn VirtualDeviceFactory>) -> Self {
        self.virtual_factory = Some(factory);
        self
    }

    /// Records every report of each opened device to a transcript at `path`.
    pub fn record_to(mut self, path: impl Into<PathBuf>) -> Self {
        self.record_to = Some(path.into());
        self
    }

    /// Opens the device `uri` names and allocates a CTAPHID channel on it.
    pub fn open(&self, uri: &DeviceUri) -> Result<Box<dyn CtapDevice>, TransportError> {
        if let DeviceUri::Pcsc(reader) = uri {
            return open_pcsc(reader, self.config);
        }
        let (connection, descriptor): (Box<dyn ReportConnection>, _) = match uri {
            DeviceUri::FirstHid => open_first_hid()?,
            DeviceUri::Hid(path) => open_hid(path)?,
            DeviceUri::Udp { host, port } => (
                Box::new(UdpConnection::connect(host, *port)?),
                DeviceDescriptor::from_uri(uri.clone()),
            ),
            DeviceUri::Replay(path) => (
                Box::new(ReplayConnection::from_file(path)?),
                DeviceDescriptor::from_uri(uri.clone()),
            ),
            DeviceUri::Pcsc(_) => return Err(TransportError::NoDevice),
            DeviceUri::Virtual => {
                let factory =
                    self.virtual_factory
                        .as_ref()
                        .ok_or(TransportError::NotAvailable {
                            what: "the virtual authenticator",
                        })?;
                (factory.connect()?, DeviceDescriptor::from_uri(uri.clone()))
            }
        };
        let connection: Box<dyn ReportConnection> = match &self.record_to {
            Some(path) => Box::new(Recorder::to_file(connection, path)?),
            None => connection,
        };
        Ok(Box::new(HidDevice::open(
            connection,
            descriptor,
            self.config,
        )?))
    }

    /// Lists the FIDO HID devices (see [`list_devices`]).
    pub fn list(&self) -> Result<Vec<DeviceDescriptor>, TransportError> {
        list_devices()
    }

    /// Lists the PC/SC readers holding a FIDO card (see [`list_pcsc_devices`]).
    pub fn list_pcsc(&self) -> Result<Vec<DeviceDescriptor>, TransportError> {
        list_pcsc_devices()
    }
}

/// Opens `uri` with a default [`DeviceOpener`].
pub fn open(uri: &DeviceUri) -> Result<Box<dyn CtapDevice>, TransportError> {
    DeviceOpener::new().open(uri)
}

/// Lists the FIDO HID devices plugged in (usage page 0xF1D0, usage 0x01), each with a
/// `hid:PATH` URI. Without the `hidapi` feature this is
/// [`TransportError::NotAvailable`].
pub fn list_devices() -> Result<Vec<DeviceDescriptor>, TransportError> {
    #[cfg(feature = "hidapi")]
    {
        crate::hid::usb::list()
    }
    #[cfg(not(feature = "hidapi"))]
    {
        Err(TransportError::NotAvailable {
            what: "USB HID (the `hidapi` feature)",
        })
    }
}

#[cfg(feature = "hidapi")]
fn open_first_hid() -> Result<(Box<dyn ReportConnection>, DeviceDescriptor), TransportError> {
    let (connection, descriptor) = crate::hid::usb::UsbConnection::open_first()?;
    Ok((Box::new(connection), descriptor))
}

#[cfg(feature = "hidapi")]
fn open_hid(path: &str) -> Result<(Box<dyn ReportConnection>, DeviceDescriptor), TransportError> {
    let (connection, descriptor) = crate::hid::usb::UsbConnection::open(path)?;
    Ok((Box::new(connection), descriptor))
}

#[cfg(not(feature = "hidapi"))]
fn open_first_hid() -> Result<(Box<dyn ReportConnection>, DeviceDescriptor), TransportError> {
    Err(TransportError::NotAvailable {
        what: "USB HID (the `hidapi` feature)",
    })
}

#[cfg(not(feature = "hidapi"))]
fn open_hid(_path: &str) -> Result<(Box<dyn ReportConnection>, DeviceDescriptor), TransportError> {
    open_first_hid()
}

/// Lists the PC/SC readers whose card has a FIDO applet, each with a `pcsc:READER` URI.
/// Without the `pcsc` feature this is [`TransportError::NotAvailable`].
pub fn list_pcsc_devices() -> Result<Vec<DeviceDescriptor>, TransportError> {
    #[cfg(feature = "pcsc")]
    {
        crate::pcsc::list()
    }
    #[cfg(not(feature = "pcsc"))]
    {
        Err(TransportError::NotAvailable {
            what: "PC/SC smart-card readers (the `pcsc` feature)",
        })
    }
}

#[cfg(feature = "pcsc")]
fn open_pcsc(reader: &str, config: EngineConfig) -> Result<Box<dyn CtapDevice>, TransportError> {
    Ok(Box::new(crate::pcsc::open(reader, config.timeouts)?))
}

#[cfg(not(feature = "pcsc"))]
fn open_pcsc(_reader: &str, _config: EngineConfig) -> Result<Box<dyn CtapDevice>, TransportError> {
    Err(TransportError::NotAvailable {
        what: "PC/SC smart-card readers (the `pcsc` feature)",
    })
}
