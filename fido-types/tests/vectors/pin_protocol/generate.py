#!/usr/bin/env python3
"""Regenerates vectors.json: PIN/UV auth protocol one and two vectors computed by
python-fido2 (pip install fido2==2.2.1), for fido-types/tests/pin_protocol_vectors.rs.

Every value is produced by python-fido2's own PinProtocolV1 / PinProtocolV2 and ClientPin
code; the only things fixed here are the inputs: the platform's ephemeral private key
(python-fido2 draws it with cryptography's ec.generate_private_key) and the protocol-two
IVs (python-fido2 draws them with os.urandom). Both are patched with unittest.mock.

Run from anywhere:  python3 generate.py  (writes vectors.json next to this file)
"""

import json
import os
from importlib.metadata import version as package_version
from pathlib import Path
from unittest import mock

from cryptography.hazmat.primitives.asymmetric import ec
from fido2.ctap2.pin import ClientPin, PinProtocolV1, PinProtocolV2
from fido2.utils import sha256

# Fixed inputs. The key pair and peer point are python-fido2's own test data
# (tests/test_ctap2.py at tag 2.2.1: EC_PRIV, DEV_PUB_X, DEV_PUB_Y).
EC_PRIV = 0x7452E599FEE739D8A653F6A507343D12D382249108A651402520B72F24FE7684
DEV_PUB_X = bytes.fromhex(
    "0501D5BC78DA9252560A26CB08FCC60CBE0B6D3B8E1D1FCEE514FAC0AF675168"
)
DEV_PUB_Y = bytes.fromhex(
    "D551B3ED46F665731F95B4532939C25D91DB7EB844BD96D4ABD4083785F8DF47"
)
IV_A = bytes(range(16))  # 000102..0f
IV_B = bytes(range(0xF0, 0x100))  # f0f1..ff
TOKEN = bytes([0x91] * 32)  # OpenSK's test token value
PROTOCOLS = {1: PinProtocolV1, 2: PinProtocolV2}


def h(b: bytes) -> str:
    return b.hex()


def fixed_urandom(*ivs):
    """os.urandom replacement returning the given 16-byte values in turn."""
    queue = list(ivs)

    def urandom(n):
        assert n == 16, n
        return queue.pop(0)

    return urandom


def client_pin(proto):
    ctap = mock.MagicMock()
    ctap.info.options = {"clientPin": True}
    return ClientPin(ctap, proto)


def main():
    out = {
        "generator": "generate.py with python-fido2 " + package_version("fido2"),
        "kdf": [],
        "encapsulate": [],
        "encrypt": [],
        "authenticate": [],
        "set_pin": [],
        "change_pin": [],
        "get_pin_token": [],
    }
    sk = ec.derive_private_key(EC_PRIV, ec.SECP256R1())
    peer = ec.EllipticCurvePublicNumbers(
        int.from_bytes(DEV_PUB_X, "big"), int.from_bytes(DEV_PUB_Y, "big"), ec.SECP256R1()
    ).public_key()
    z_fido2 = sk.exchange(ec.ECDH(), peer)

    for version, cls in PROTOCOLS.items():
        proto = cls()
        for comment, z in [
            ("Z = 32 x 55 (OpenSK's test handshake)", bytes([0x55] * 32)),
            ("Z = 00 01 .. 1f", bytes(range(32))),
            ("Z = ECDH(EC_PRIV, DEV_PUB) of python-fido2's tests", z_fido2),
        ]:
            out["kdf"].append(
                {"protocol": version, "comment": comment, "z": h(z), "shared": h(proto.kdf(z))}
            )

        with mock.patch.object(ec, "generate_private_key", return_value=sk):
            key_agreement, shared = proto.encapsulate({-2: DEV_PUB_X, -3: DEV_PUB_Y})
        out["encapsulate"].append(
            {
                "protocol": version,
                "comment": "platform key EC_PRIV, authenticator key DEV_PUB",
                "platform_private": "%064x" % EC_PRIV,
                "peer_x": h(DEV_PUB_X),
                "peer_y": h(DEV_PUB_Y),
                "platform_x": h(key_agreement[-2]),
                "platform_y": h(key_agreement[-3]),
                "shared": h(shared),
            }
        )

        pin_hash = sha256(b"1234")[:16]
        padded = b"1234".ljust(64, b"\0")
        for comment, plaintext in [
            ("pinHash of 1234", pin_hash),
            ("padded PIN 1234", padded),
            ("token 32 x 91", TOKEN),
            ("empty plaintext", b""),
        ]:
            with mock.patch.object(os, "urandom", fixed_urandom(IV_A)):
                ct = proto.encrypt(shared, plaintext)
            assert proto.decrypt(shared, ct) == plaintext
            out["encrypt"].append(
                {
                    "protocol": version,
                    "comment": comment,
                    "shared": h(shared),
                    "iv": h(IV_A) if version == 2 else "",
                    "plaintext": h(plaintext),
                    "ciphertext": h(ct),
                }
            )

        for comment, key, message in [
            ("shared secret, message 1 byte aa", shared, b"\xaa"),
            ("shared secret, empty message", shared, b""),
            ("token 32 x 91, message aa (OpenSK's test)", TOKEN, b"\xaa"),
            ("16-byte token, message 32 x 00", TOKEN[:16], bytes(32)),
        ]:
            if version == 2 and len(key) == 16:
                continue  # protocol two has no 16-byte tokens
            out["authenticate"].append(
                {
                    "protocol": version,
                    "comment": comment,
                    "key": h(key),
                    "message": h(message),
                    "mac": h(proto.authenticate(key, message)),
                }
            )

        for pin in ["1234", "ñ€𝄞1", "9" * 63]:
            cp = client_pin(proto)
            with mock.patch.object(cp, "_get_shared_secret", return_value=({}, shared)):
                with mock.patch.object(os, "urandom", fixed_urandom(IV_A)):
                    cp.set_pin(pin)
            kwargs = cp.ctap.client_pin.call_args[1]
            out["set_pin"].append(
                {
                    "protocol": version,
                    "comment": "setPIN(%r)" % pin if len(pin) < 10 else "setPIN(63 x '9')",
                    "shared": h(shared),
                    "ivs": [h(IV_A)] if version == 2 else [],
                    "pin": pin,
                    "new_pin_enc": h(kwargs["new_pin_enc"]),
                    "pin_uv_param": h(kwargs["pin_uv_param"]),
                }
            )

        cp = client_pin(proto)
        with mock.patch.object(cp, "_get_shared_secret", return_value=({}, shared)):
            with mock.patch.object(os, "urandom", fixed_urandom(IV_A, IV_B)):
                cp.change_pin("1234", "4321")
        kwargs = cp.ctap.client_pin.call_args[1]
        out["change_pin"].append(
            {
                "protocol": version,
                "comment": "changePIN(1234 -> 4321): pinHashEnc takes the first IV",
                "shared": h(shared),
                "ivs": [h(IV_A), h(IV_B)] if version == 2 else [],
                "old_pin": "1234",
                "new_pin": "4321",
                "pin_hash_enc": h(kwargs["pin_hash_enc"]),
                "new_pin_enc": h(kwargs["new_pin_enc"]),
                "pin_uv_param": h(kwargs["pin_uv_param"]),
            }
        )

        with mock.patch.object(os, "urandom", fixed_urandom(IV_B)):
            token_enc = proto.encrypt(shared, TOKEN)
        cp = client_pin(proto)
        cp.ctap.client_pin.return_value = {2: token_enc}
        with mock.patch.object(cp, "_get_shared_secret", return_value=({}, shared)):
            with mock.patch.object(os, "urandom", fixed_urandom(IV_A)):
                token = cp.get_pin_token("1234")
        kwargs = cp.ctap.client_pin.call_args[1]
        out["get_pin_token"].append(
            {
                "protocol": version,
                "comment": "getPinToken(1234), token 32 x 91 encrypted with IV f0..ff",
                "shared": h(shared),
                "ivs": [h(IV_A)] if version == 2 else [],
                "pin": "1234",
                "pin_hash_enc": h(kwargs["pin_hash_enc"]),
                "token_enc": h(token_enc),
                "token": h(token),
            }
        )

    path = Path(__file__).with_name("vectors.json")
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
