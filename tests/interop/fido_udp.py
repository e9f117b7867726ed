"""CTAPHID over UDP for python-fido2: a CtapHidConnection, one 64-byte report per
datagram, no report ID (the fido-rs convention), and device discovery for one address."""

from __future__ import annotations

import os
import socket

from fido2.hid import CtapHidDevice
from fido2.hid.base import CtapHidConnection, HidDescriptor

#: Seconds to wait for a report before giving up (the authenticator sends KEEPALIVE
#: every 100 ms while it waits for the user, so silence means it is gone).
READ_TIMEOUT = 30.0


def udp_address() -> tuple[str, int]:
    """The authenticator's address from FIDO_UDP ("HOST:PORT" or "udp:HOST:PORT")."""
    value = os.environ["FIDO_UDP"]
    if value.startswith("udp:"):
        value = value[4:]
    host, _, port = value.rpartition(":")
    return host, int(port)


class UdpCtapHidConnection(CtapHidConnection):
    """A CtapHidConnection to a CTAPHID-over-UDP authenticator."""

    def __init__(self, host: str, port: int):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.connect((host, port))
        self._sock.settimeout(READ_TIMEOUT)

    def read_packet(self) -> bytes:
        try:
            return self._sock.recv(64)
        except socket.timeout as e:
            raise OSError("no report from the UDP authenticator") from e

    def write_packet(self, data: bytes) -> None:
        if len(data) != 64:
            raise ValueError("a report is 64 bytes")
        self._sock.send(data)

    def close(self) -> None:
        self._sock.close()


def descriptor() -> HidDescriptor:
    """The one UDP device, as a HID descriptor."""
    host, port = udp_address()
    return HidDescriptor(
        path=f"udp:{host}:{port}",
        vid=0,
        pid=0,
        report_size_in=64,
        report_size_out=64,
        product_name="fido-rs virtual authenticator",
        serial_number=None,
    )


def list_descriptors():
    return [descriptor()]


def open_connection(desc: HidDescriptor) -> UdpCtapHidConnection:
    host, _, port = str(desc.path)[4:].rpartition(":")
    return UdpCtapHidConnection(host, int(port))


def open_device(path=None) -> CtapHidDevice:
    desc = descriptor()
    return CtapHidDevice(desc, open_connection(desc))


#: The simulated power cycle: vendor CTAPHID command 0x7E (fido-rs convention). `fido
#: virtual` accepts it only when started with --allow-power-cycle (run.sh passes it);
#: otherwise it answers ERR_INVALID_CMD.
POWER_CYCLE = 0x7E


def power_cycle(device: CtapHidDevice) -> CtapHidDevice:
    """Power-cycles the authenticator and returns a fresh device on a new channel."""
    device.call(POWER_CYCLE)
    device.close()
    return open_device()
