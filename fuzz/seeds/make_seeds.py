#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets (fuzz/seeds/<target>/).

Run from fuzz/: python3 seeds/make_seeds.py. Needs only the standard library: a small
canonical CBOR encoder is below. The inputs are our own, shaped after CTAP 2.1 (command
bytes and map keys from spec/*.toml); the getInfo capture is python-fido2's
tests/test_ctap2.py _INFO (also in fido-ctap/tests/ctap2_commands.rs)."""
import hashlib
import os
import struct


def head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for ai, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | ai]) + struct.pack(fmt, n)
    raise ValueError(n)


def enc(v):
    if v is True:
        return b"\xf5"
    if v is False:
        return b"\xf4"
    if v is None:
        return b"\xf6"
    if isinstance(v, int):
        return head(0, v) if v >= 0 else head(1, -1 - v)
    if isinstance(v, bytes):
        return head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode()
        return head(3, len(b)) + b
    if isinstance(v, list):
        return head(4, len(v)) + b"".join(enc(x) for x in v)
    if isinstance(v, dict):
        items = sorted(((enc(k), enc(x)) for k, x in v.items()), key=lambda kv: (len(kv[0]), kv[0]))
        return head(5, len(items)) + b"".join(k + x for k, x in items)
    raise TypeError(v)


def write(target, name, data):
    os.makedirs(f"seeds/{target}", exist_ok=True)
    with open(f"seeds/{target}/{name}", "wb") as f:
        f.write(data)


CDH = hashlib.sha256(b"client data").digest()
RP = {"id": "example.com", "name": "Example"}
USER = {"id": b"user-1", "name": "a.user", "displayName": "A. User"}
PARAMS = [{"alg": -7, "type": "public-key"}, {"alg": -8, "type": "public-key"}]
COSE = {1: 2, 3: -25, -1: 1, -2: bytes(32), -3: bytes(32)}

# authenticator_handle: flags byte (bit 0: the harness signs), then [command, cbor..].
handle = {
    "get_info": (0, 0x04, None),
    "make_credential": (1, 0x01, {1: CDH, 2: RP, 3: USER, 4: PARAMS}),
    "make_credential_rk": (1, 0x01, {1: CDH, 2: RP, 3: USER, 4: PARAMS, 7: {"rk": True},
                                     6: {"credProtect": 3, "hmac-secret": True, "credBlob": b"blob",
                                         "largeBlobKey": True, "minPinLength": True}}),
    "make_credential_exclude": (1, 0x01, {1: CDH, 2: RP, 3: USER, 4: PARAMS,
                                          5: [{"id": bytes(16), "type": "public-key"}]}),
    "make_credential_unsigned": (0, 0x01, {1: CDH, 2: RP, 3: USER, 4: PARAMS}),
    "get_assertion": (1, 0x02, {1: "example.com", 2: CDH}),
    "get_assertion_silent": (0, 0x02, {1: "example.com", 2: CDH, 5: {"up": False}}),
    "get_assertion_allow": (1, 0x02, {1: "example.com", 2: CDH,
                                      3: [{"id": bytes(64), "type": "public-key"}],
                                      4: {"hmac-secret": {1: COSE, 2: bytes(32), 3: bytes(16), 4: 2},
                                          "credBlob": True, "largeBlobKey": True}}),
    "get_next_assertion": (0, 0x08, None),
    "pin_retries": (0, 0x06, {1: 2, 2: 1}),
    "key_agreement": (0, 0x06, {1: 2, 2: 2}),
    "uv_retries": (0, 0x06, {1: 2, 2: 7}),
    "pin_token_uv": (0, 0x06, {1: 2, 2: 6, 3: COSE, 9: 3, 10: "example.com"}),
    "cred_metadata": (1, 0x0A, {1: 1}),
    "enumerate_rps": (1, 0x0A, {1: 2}),
    "enumerate_rps_next": (0, 0x0A, {1: 3}),
    "enumerate_credentials": (1, 0x0A, {1: 4, 2: {1: hashlib.sha256(b"example.com").digest()}}),
    "delete_credential": (1, 0x0A, {1: 6, 2: {2: {"id": bytes(16), "type": "public-key"}}}),
    "update_user": (1, 0x0A, {1: 7, 2: {2: {"id": bytes(16), "type": "public-key"}, 3: USER}}),
    "bio_sensor_info": (0, 0x09, {1: 1, 2: 7}),
    "bio_enroll_begin": (1, 0x09, {1: 1, 2: 1, 3: {3: 10000}}),
    "bio_enumerate": (1, 0x09, {1: 1, 2: 4}),
    "large_blob_get": (0, 0x0C, {1: 1024, 3: 0}),
    "large_blob_set": (1, 0x0C, {2: bytes(17) + hashlib.sha256(bytes(17)).digest()[:16], 3: 0, 4: 33}),
    "config_always_uv": (1, 0x0D, {1: 2}),
    "config_min_pin": (1, 0x0D, {1: 3, 2: {1: 6, 2: ["example.com"], 3: True}}),
    "config_ep": (1, 0x0D, {1: 1}),
    "selection": (0, 0x0B, None),
    "reset": (0, 0x07, None),
}
for name, (flags, cmd, body) in handle.items():
    write("authenticator_handle", name, bytes([flags, cmd]) + (enc(body) if body is not None else b""))
# U2F through the same handler (flag bit 1 also sends the request as an APDU).
write("authenticator_handle", "u2f_version", bytes([2]) + bytes.fromhex("0003000000"))


def report(cid, cmd, data, total=None):
    total = len(data) if total is None else total
    r = struct.pack(">IBH", cid, 0x80 | cmd, total) + data[:57]
    return r.ljust(64, b"\0")


BROADCAST = 0xFFFFFFFF
nonce = bytes(range(8))
init = report(BROADCAST, 0x06, nonce)
write("ctaphid_device", "init", init)
# The virtual device allocates its first channel deterministically today; the fuzzer
# learns others.
for cid in (1, 0x01020304):
    write("ctaphid_device", f"init_ping_{cid:x}", init + report(cid, 0x01, b"hello"))
    write("ctaphid_device", f"init_cbor_info_{cid:x}", init + report(cid, 0x10, b"\x04"))
    write("ctaphid_device", f"init_wink_{cid:x}", init + report(cid, 0x08, b""))
    write("ctaphid_device", f"init_lock_{cid:x}", init + report(cid, 0x04, b"\x05"))
    write("ctaphid_device", f"init_cancel_{cid:x}", init + report(cid, 0x11, b""))
    big = bytes(200)
    cont = struct.pack(">IB", cid, 0) + big[57:57 + 59]
    write("ctaphid_device", f"init_ping_cont_{cid:x}", init + report(cid, 0x01, big) + cont.ljust(64, b"\0"))
    mc = b"\x01" + enc({1: CDH, 2: RP, 3: USER, 4: PARAMS})
    write("ctaphid_device", f"init_cbor_mc_{cid:x}", init + report(cid, 0x10, mc)
          + (struct.pack(">IB", cid, 0) + mc[57:]).ljust(64, b"\0"))
    write("ctaphid_device", f"init_msg_version_{cid:x}", init + report(cid, 0x03, bytes.fromhex("0003000000")))

# u2f_messages: 0 = APDU to the device, 1 = a device's answer to the client.
app = hashlib.sha256(b"https://example.com").digest()
chal = hashlib.sha256(b"challenge").digest()
write("u2f_messages", "version", b"\0" + bytes.fromhex("0003000000"))
write("u2f_messages", "version_extended", b"\0" + bytes.fromhex("00030000000000"))
write("u2f_messages", "register", b"\0" + bytes.fromhex("0001030000000040") + chal + app + b"\0\0")
write("u2f_messages", "register_short", b"\0" + bytes.fromhex("0001030040") + chal + app)
kh = bytes(64)
write("u2f_messages", "check_only", b"\0" + bytes.fromhex("0002070081") + chal + app + b"\x40" + kh)
write("u2f_messages", "authenticate", b"\0" + bytes.fromhex("0002030081") + chal + app + b"\x40" + kh)
# A registration response: 0x05, a P-256 point (the generator), key handle, a minimal
# DER certificate shell and signature, status 9000.
point = bytes.fromhex("046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                      "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")
cert = bytes.fromhex("3003020101")
sig = bytes.fromhex("3006020101020101")
write("u2f_messages", "registration_response", b"\1" + b"\x05" + point + b"\x40" + kh + cert + sig + b"\x90\x00")
write("u2f_messages", "signature_response", b"\1" + b"\x01\x00\x00\x00\x07" + sig + b"\x90\x00")
write("u2f_messages", "error_response", b"\1" + b"\x69\x85")

# generated_responses: selector byte (see the target), then the CBOR map.
INFO = bytes.fromhex(
    "a60182665532465f5632684649444f5f325f3002826375766d6b686d61632d7365637265740350f8a011f38c0a4d15800617111f9edc7d04a462726bf5627570f564706c6174f469636c69656e7450696ef4051904b0068101")
write("generated_responses", "info_python_fido2", b"\0" + INFO)
auth_data = hashlib.sha256(b"example.com").digest() + b"\x41" + b"\0\0\0\1" + bytes(16) + b"\0\x10" + bytes(16) + enc(COSE)
write("generated_responses", "make_credential", b"\1" + enc({1: "none", 2: auth_data, 3: {}}))
write("generated_responses", "make_credential_packed", b"\1" + enc({1: "packed", 2: auth_data, 3: {"alg": -7, "sig": bytes(70)}, 4: True, 5: bytes(32)}))
write("generated_responses", "get_assertion", b"\2" + enc({1: {"id": bytes(16), "type": "public-key"}, 2: auth_data[:37], 3: bytes(70), 4: USER, 5: 2}))
write("generated_responses", "client_pin_ka", b"\3" + enc({1: COSE}))
write("generated_responses", "client_pin_token", b"\3" + enc({2: bytes(48), 3: 8, 4: True}))
write("generated_responses", "bio", b"\4" + enc({1: 1, 2: 1, 3: 4, 4: b"t", 5: 0, 6: 3, 7: [{1: b"t", 2: "finger"}], 8: 16}))
write("generated_responses", "cred_mgmt", b"\5" + enc({1: 1, 2: 24, 3: RP, 4: hashlib.sha256(b"example.com").digest(), 5: 1, 6: USER, 7: {"id": bytes(16), "type": "public-key"}, 8: COSE, 9: 1, 10: 2, 11: bytes(32)}))
write("generated_responses", "large_blobs", b"\6" + enc({1: bytes(17)}))
write("generated_responses", "mc_request", b"\7" + enc({1: CDH, 2: RP, 3: USER, 4: PARAMS, 7: {"rk": True}}))
write("generated_responses", "ga_request", b"\x08" + enc({1: "example.com", 2: CDH}))
write("generated_responses", "pin_request", b"\x09" + enc({1: 2, 2: 9, 3: COSE, 6: bytes(32), 9: 3, 10: "example.com"}))
write("generated_responses", "config_request", b"\x0d" + enc({1: 3, 2: {1: 6}}))

# webauthn_json: selector byte (0 creation options, 1 request options, 2 registration
# response, 3 authentication response, 4 client data), then the JSON text.
import base64
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
import json
create = {"rp": RP | {}, "user": {"id": b64(b"user-1"), "name": "a.user", "displayName": "A. User"},
          "challenge": b64(bytes(32)), "pubKeyCredParams": PARAMS, "timeout": 60000,
          "excludeCredentials": [{"id": b64(bytes(16)), "type": "public-key", "transports": ["usb", "nfc"]}],
          "authenticatorSelection": {"residentKey": "required", "userVerification": "preferred", "authenticatorAttachment": "cross-platform"},
          "attestation": "direct", "hints": ["security-key"],
          "extensions": {"credProps": True, "prf": {"eval": {"first": b64(bytes(32))}}, "largeBlob": {"support": "preferred"}, "credProtect": 2}}
write("webauthn_json", "creation_options", b"\0" + json.dumps(create).encode())
request = {"challenge": b64(bytes(32)), "rpId": "example.com", "timeout": 60000, "userVerification": "required",
           "allowCredentials": [{"id": b64(bytes(16)), "type": "public-key"}],
           "extensions": {"prf": {"evalByCredential": {b64(bytes(16)): {"first": b64(bytes(32))}}}, "largeBlob": {"read": True}}}
write("webauthn_json", "request_options", b"\1" + json.dumps(request).encode())
cd_create = json.dumps({"type": "webauthn.create", "challenge": b64(bytes(32)), "origin": "https://example.com", "crossOrigin": False}).encode()
cd_get = json.dumps({"type": "webauthn.get", "challenge": b64(bytes(32)), "origin": "https://example.com"}).encode()
att_obj = enc({"fmt": "none", "attStmt": {}, "authData": auth_data})
reg = {"id": b64(bytes(16)), "rawId": b64(bytes(16)), "type": "public-key", "authenticatorAttachment": "cross-platform",
       "response": {"clientDataJSON": b64(cd_create), "attestationObject": b64(att_obj), "transports": ["usb"]},
       "clientExtensionResults": {"credProps": {"rk": False}}}
write("webauthn_json", "registration_response", b"\2" + json.dumps(reg).encode())
auth = {"id": b64(bytes(16)), "rawId": b64(bytes(16)), "type": "public-key",
        "response": {"clientDataJSON": b64(cd_get), "authenticatorData": b64(auth_data[:37]), "signature": b64(bytes(70)), "userHandle": b64(b"user-1")},
        "clientExtensionResults": {}}
write("webauthn_json", "authentication_response", b"\3" + json.dumps(auth).encode())
write("webauthn_json", "client_data", b"\4" + cd_create)
