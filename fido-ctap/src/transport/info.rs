//! What is known about a device: where it was found, and what its INIT response said.

use super::DeviceUri;
use fido_types::ctaphid::{CapabilityFlags, InitResponse};

/// A device as found by enumeration (or named by a URI), before it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceDescriptor {
    /// The URI that opens this device again.
    pub uri: DeviceUri,
    /// USB vendor id, when the transport has one.
    pub vendor_id: Option<u16>,
    /// USB product id, when the transport has one.
    pub product_id: Option<u16>,
    /// Product name, when the transport reports one.
    pub product_name: Option<String>,
    /// Manufacturer name, when the transport reports one.
    pub manufacturer: Option<String>,
    /// Serial number, when the transport reports one.
    pub serial_number: Option<String>,
}

impl DeviceDescriptor {
    /// A descriptor with nothing but a URI (UDP, replay, virtual devices).
    pub fn from_uri(uri: DeviceUri) -> Self {
        DeviceDescriptor {
            uri,
            vendor_id: None,
            product_id: None,
            product_name: None,
            manufacturer: None,
            serial_number: None,
        }
    }
}

/// An opened device: its descriptor and the facts from its INIT response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// Where the device was found.
    pub descriptor: DeviceDescriptor,
    /// The CTAPHID protocol version (2 for CTAP 2.x).
    pub protocol_version: u8,
    /// Device version, major.
    pub major: u8,
    /// Device version, minor.
    pub minor: u8,
    /// Device version, build.
    pub build: u8,
    /// Capability flags (WINK, CBOR, NMSG).
    pub capabilities: CapabilityFlags,
}

impl DeviceInfo {
    /// Combines a descriptor with an INIT response.
    pub fn new(descriptor: DeviceDescriptor, init: &InitResponse) -> Self {
        DeviceInfo {
            descriptor,
            protocol_version: init.protocol_version,
            major: init.major,
            minor: init.minor,
            build: init.build,
            capabilities: init.capabilities,
        }
    }

    /// The device version as (major, minor, build), like python-fido2's `device_version`.
    pub fn device_version(&self) -> (u8, u8, u8) {
        (self.major, self.minor, self.build)
    }
}
