//! USB HID through hidapi (feature `hidapi`, built on hidapi's pure-Rust Linux backend).
//!
//! FIDO devices are the HID interfaces with usage page 0xF1D0 and usage 0x01
//! (CTAP 2.1 §11.2.8.1; python-fido2 and libfido2 filter on the same pair).
//! hidapi writes take a leading report-ID byte, 0 for devices without report IDs; reads
//! come back without it.

use std::ffi::CString;
use std::time::Instant;

use fido_types::ctaphid::{REPORT_LEN, Report};

use super::ReportConnection;
use crate::transport::{DeviceDescriptor, DeviceUri, TransportError};

/// The FIDO usage page.
pub const FIDO_USAGE_PAGE: u16 = 0xF1D0;
/// The CTAPHID usage on the FIDO usage page.
pub const FIDO_USAGE_CTAPHID: u16 = 0x01;

fn backend(error: hidapi::HidError) -> TransportError {
    TransportError::Backend(error.to_string())
}

/// Lists the FIDO HID devices.
pub fn list() -> Result<Vec<DeviceDescriptor>, TransportError> {
    let api = hidapi::HidApi::new().map_err(backend)?;
    Ok(api
        .device_list()
        .filter(|d| d.usage_page() == FIDO_USAGE_PAGE && d.usage() == FIDO_USAGE_CTAPHID)
        .map(|d| DeviceDescriptor {
            uri: DeviceUri::Hid(d.path().to_string_lossy().into_owned()),
            vendor_id: Some(d.vendor_id()),
            product_id: Some(d.product_id()),
            product_name: d.product_string().map(str::to_owned),
            manufacturer: d.manufacturer_string().map(str::to_owned),
            serial_number: d.serial_number().map(str::to_owned),
        })
        .collect())
}

/// An open HID device.
pub struct UsbConnection {
    device: hidapi::HidDevice,
}

impl std::fmt::Debug for UsbConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UsbConnection").finish_non_exhaustive()
    }
}

impl UsbConnection {
    /// Opens the HID device at `path` and returns it with its descriptor (looked up in the
    /// FIDO device list; a path that is not listed gets a bare descriptor).
    pub fn open(path: &str) -> Result<(Self, DeviceDescriptor), TransportError> {
        let api = hidapi::HidApi::new().map_err(backend)?;
        let c_path = CString::new(path).map_err(|_| TransportError::NoDevice)?;
        let device = api.open_path(&c_path).map_err(backend)?;
        let descriptor = list()?
            .into_iter()
            .find(|d| d.uri == DeviceUri::Hid(path.to_owned()))
            .unwrap_or_else(|| DeviceDescriptor::from_uri(DeviceUri::Hid(path.to_owned())));
        Ok((UsbConnection { device }, descriptor))
    }

    /// Opens the first FIDO HID device.
    pub fn open_first() -> Result<(Self, DeviceDescriptor), TransportError> {
        let first = list()?.into_iter().next().ok_or(TransportError::NoDevice)?;
        let DeviceUri::Hid(path) = &first.uri else {
            return Err(TransportError::NoDevice);
        };
        let (connection, _) = Self::open(path)?;
        Ok((connection, first))
    }
}

impl ReportConnection for UsbConnection {
    fn send(&mut self, report: &Report) -> Result<(), TransportError> {
        let mut buffer = [0u8; REPORT_LEN + 1];
        buffer[1..].copy_from_slice(report);
        let written = self.device.write(&buffer).map_err(backend)?;
        if written < REPORT_LEN {
            return Err(TransportError::BadReportLength { len: written });
        }
        Ok(())
    }

    fn recv(&mut self, deadline: Instant) -> Result<Option<Report>, TransportError> {
        let wait = deadline.saturating_duration_since(Instant::now());
        let millis = i32::try_from(wait.as_millis()).unwrap_or(i32::MAX).max(1);
        let mut buffer = [0u8; REPORT_LEN + 1];
        match self
            .device
            .read_timeout(&mut buffer, millis)
            .map_err(backend)?
        {
            0 => Ok(None),
            REPORT_LEN => {
                let mut report = [0u8; REPORT_LEN];
                report.copy_from_slice(&buffer[..REPORT_LEN]);
                Ok(Some(report))
            }
            len => Err(TransportError::BadReportLength { len }),
        }
    }
}
