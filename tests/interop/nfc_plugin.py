"""pytest plugin: runs python-fido2's device tests in NFC mode (`--reader`) against
`fido virtual --vpcd` through pcscd's vpcd reader, without a person at the reader.

python-fido2's conftest (re)connects in NFC mode by waiting for the card to be taken
off and put back on the reader; a vpcd card stays on the reader, and powering it off and
on (pyscard's disconnect and connect) is already the simulated power cycle. So the
(re)connect is replaced by a plain connect, and the printer's prompts are logged."""

from __future__ import annotations

import logging

logger = logging.getLogger("nfc_plugin")


def _connect_pcsc(self, reader, reconnect=True):
    from fido2.pcsc import CtapPcscDevice
    from smartcard.ExclusiveConnectCardConnection import (
        ExclusiveConnectCardConnection,
    )

    connection = ExclusiveConnectCardConnection(reader.createConnection())
    return CtapPcscDevice(connection, reader.name)


def _quiet(self, *args, **kwargs):
    logger.info("printer: %s %s", args, kwargs)


def pytest_plugin_registered(plugin, manager):
    manager_cls = getattr(plugin, "DeviceManager", None)
    if manager_cls is not None and hasattr(manager_cls, "_connect_pcsc"):
        manager_cls._connect_pcsc = _connect_pcsc
        for name in ("touch", "insert", "remove"):
            setattr(plugin.Printer, name, _quiet)
