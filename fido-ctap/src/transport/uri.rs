//! Device URIs: the one parser used by the library, the CLI and the tests.
//!
//! | URI | meaning |
//! |---|---|
//! | `hid` (or the empty string) | the first FIDO HID device (usage page 0xF1D0, usage 0x01) |
//! | `hid:PATH` | that HID device (hidraw path on Linux) |
//! | `udp:HOST:PORT` | CTAPHID over UDP, one 64-byte report per datagram |
//! | `virtual` | the in-process software authenticator, once registered |
//! | `replay:FILE` | a recorded CTAPHID transcript, replayed |
//! | `pcsc:READER` | the card in that PC/SC reader (its name, or a unique part of it) |

use core::fmt;
use core::str::FromStr;

#[cfg(test)]
mod tests;

/// Where a device is.
///
/// ```
/// use fido_ctap::device::DeviceUri;
/// let uri: DeviceUri = "udp:localhost:8111".parse().unwrap();
/// assert_eq!(uri, DeviceUri::Udp { host: "localhost".into(), port: 8111 });
/// assert_eq!(uri.to_string(), "udp:localhost:8111");
/// assert_eq!("".parse::<DeviceUri>().unwrap(), DeviceUri::FirstHid);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum DeviceUri {
    /// The first FIDO HID device found. Written `hid`; the empty string parses to it too.
    #[default]
    FirstHid,
    /// The HID device at this path.
    Hid(String),
    /// CTAPHID over UDP to this host and port (`[v6 address]` in brackets).
    Udp {
        /// Host name or address.
        host: String,
        /// UDP port, 1..=65535.
        port: u16,
    },
    /// The in-process software authenticator.
    Virtual,
    /// A recorded transcript file.
    Replay(String),
    /// The smart card (NFC or contact) in the PC/SC reader with this name, or whose name
    /// contains it as its only reader.
    Pcsc(String),
}

/// A device URI could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid device URI {uri:?}: {reason} (expected hid, hid:PATH, udp:HOST:PORT, virtual, replay:FILE or pcsc:READER)"
)]
pub struct UriError {
    /// The text that was given.
    pub uri: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl FromStr for DeviceUri {
    type Err = UriError;

    fn from_str(s: &str) -> Result<Self, UriError> {
        let fail = |reason| UriError {
            uri: s.to_owned(),
            reason,
        };
        if s.is_empty() || s == "hid" {
            return Ok(DeviceUri::FirstHid);
        }
        if s == "virtual" {
            return Ok(DeviceUri::Virtual);
        }
        let Some((scheme, rest)) = s.split_once(':') else {
            return Err(fail("unknown device kind"));
        };
        match scheme {
            "hid" if rest.is_empty() => Err(fail("empty HID path")),
            "hid" => Ok(DeviceUri::Hid(rest.to_owned())),
            "replay" if rest.is_empty() => Err(fail("empty transcript path")),
            "replay" => Ok(DeviceUri::Replay(rest.to_owned())),
            "pcsc" if rest.is_empty() => Err(fail("empty PC/SC reader name")),
            "pcsc" => Ok(DeviceUri::Pcsc(rest.to_owned())),
            "udp" => {
                let (host, port) = rest.rsplit_once(':').ok_or_else(|| fail("missing port"))?;
                if host.is_empty() {
                    return Err(fail("empty host"));
                }
                if host.contains(':') && !(host.starts_with('[') && host.ends_with(']')) {
                    return Err(fail("IPv6 addresses need brackets, as in udp:[::1]:8111"));
                }
                let port: u16 = port
                    .parse()
                    .map_err(|_| fail("port is not a number 1..=65535"))?;
                if port == 0 {
                    return Err(fail("port 0 cannot be connected to"));
                }
                Ok(DeviceUri::Udp {
                    host: host.to_owned(),
                    port,
                })
            }
            "virtual" => Err(fail("virtual takes no argument")),
            _ => Err(fail("unknown device kind")),
        }
    }
}

impl fmt::Display for DeviceUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceUri::FirstHid => f.write_str("hid"),
            DeviceUri::Hid(path) => write!(f, "hid:{path}"),
            DeviceUri::Udp { host, port } => write!(f, "udp:{host}:{port}"),
            DeviceUri::Virtual => f.write_str("virtual"),
            DeviceUri::Replay(path) => write!(f, "replay:{path}"),
            DeviceUri::Pcsc(reader) => write!(f, "pcsc:{reader}"),
        }
    }
}
