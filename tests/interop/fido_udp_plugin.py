"""pytest plugin: runs python-fido2's destructive device tests (tests/device of the
fido2 sdist) against a CTAPHID-over-UDP authenticator at $FIDO_UDP.

It replaces device discovery (fido2.hid.list_descriptors / open_connection /
open_device), selection (no touch needed), the reconnect step (the simulated power cycle,
CTAPHID command 0x7E) and the printer's prompts (logged instead of shown)."""

from __future__ import annotations

import logging

import fido2.hid

import fido_udp

logger = logging.getLogger("fido_udp_plugin")

# The device conftest does `from fido2.hid import list_descriptors, ...` when it is
# imported, which happens after plugins given with -p are loaded.
fido2.hid.list_descriptors = fido_udp.list_descriptors
fido2.hid.open_connection = fido_udp.open_connection
fido2.hid.open_device = fido_udp.open_device


def _select(self):
    return fido_udp.open_device()


def _reconnect(self):
    self._dev = fido_udp.power_cycle(self._dev)
    return self._dev


def _quiet(self, *args, **kwargs):
    logger.info("printer: %s %s", args, kwargs)


def pytest_plugin_registered(plugin, manager):
    manager_cls = getattr(plugin, "DeviceManager", None)
    if manager_cls is not None and hasattr(manager_cls, "_reconnect_usb"):
        manager_cls._select = _select
        manager_cls._reconnect_usb = _reconnect
        manager_cls.reconnect = _reconnect
        # The conftest sets _can_reset only for CTAP2 devices; a U2F-only device
        # (fido virtual --u2f-only) cannot be reset, so default it to False.
        manager_cls._can_reset = False
        for name in ("touch", "insert", "remove"):
            setattr(plugin.Printer, name, _quiet)
