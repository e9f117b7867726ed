"""Cross-client agreement on client extensions: python-fido2 2.2.1's Fido2Client and the
`fido` CLI (fido-rs's Fido2Client) on one `fido virtual` over UDP (FIDO_UDP).

1. python-fido2 registers a discoverable credential A (credBlob, largeBlob support
   required), writes a large blob for it and evaluates prf with a salt;
2. `fido authenticate` on A must give the same prf result, read python's large blob and
   get python's credBlob back (getCredBlob);
3. `fido register` makes credential B the same way, `fido authenticate` writes its large
   blob and evaluates prf;
4. python-fido2 on B must give the same prf result, read fido-rs's large blob and find
   fido-rs's credBlob in the assertion's authenticator data (python-fido2 has no
   getCredBlob client output).

It also prints how many CTAP messages python-fido2 sends for one prf evaluation on a
fresh client (step 4's last ceremony), for the comparison in fido-webauthn/benches/prf.rs.

Usage: FIDO_UDP=HOST:PORT python3 ext_check.py PATH/TO/fido
"""

import base64
import json
import os
import subprocess
import sys
import tempfile

import fido_udp
from fido2.client import DefaultClientDataCollector, Fido2Client, UserInteraction
from fido2.ctap2.extensions import (
    CredBlobExtension,
    CredPropsExtension,
    HmacSecretExtension,
    LargeBlobExtension,
)
from fido2.webauthn import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters,
    PublicKeyCredentialRequestOptions,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialType,
    PublicKeyCredentialUserEntity,
)

PIN = "1234"
ORIGIN = "https://example.com"
RP_ID = "example.com"
SALT = b"one salt for both clients"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Pin(UserInteraction):
    def request_pin(self, permissions, rp_id):
        return PIN

    def request_uv(self, permissions, rp_id):
        return False


class Counting:
    """Counts the CTAPHID CBOR messages a CtapHidDevice sends."""

    def __init__(self, device):
        self.device = device
        self.cbor = []
        original = device.call

        def call(cmd, data=b"", event=None, on_keepalive=None):
            if cmd == 0x10:
                self.cbor.append(data[0] if data else None)
            return original(cmd, data, event, on_keepalive)

        device.call = call


def python_client():
    device = fido_udp.open_device()
    counting = Counting(device)
    client = Fido2Client(
        device,
        DefaultClientDataCollector(ORIGIN),
        Pin(),
        extensions=[
            HmacSecretExtension(allow_hmac_secret=True),
            LargeBlobExtension(),
            CredBlobExtension(),
            CredPropsExtension(),
        ],
    )
    return client, counting


def python_register(user: bytes, blob: bytes):
    client, _ = python_client()
    options = PublicKeyCredentialCreationOptions(
        rp=PublicKeyCredentialRpEntity(name="Example", id=RP_ID),
        user=PublicKeyCredentialUserEntity(name=user.decode(), id=user, display_name="U"),
        challenge=os.urandom(32),
        pub_key_cred_params=[PublicKeyCredentialParameters(type="public-key", alg=-7)],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key="required", user_verification="required"
        ),
        extensions={"credBlob": blob, "largeBlob": {"support": "required"}, "prf": {}},
    )
    result = client.make_credential(options)
    outputs = dict(result.client_extension_results)
    assert outputs["largeBlob"]["supported"] is True, outputs
    return result.raw_id


def python_get(credential_id: bytes, extensions, count=False):
    client, counting = python_client()
    counting.cbor.clear()
    options = PublicKeyCredentialRequestOptions(
        challenge=os.urandom(32),
        rp_id=RP_ID,
        allow_credentials=[
            PublicKeyCredentialDescriptor(type=PublicKeyCredentialType.PUBLIC_KEY, id=credential_id)
        ],
        user_verification="required",
        extensions=extensions,
    )
    selection = client.get_assertion(options)
    assertion = selection.get_assertions()[0]
    response = selection.get_response(0)
    outputs = json.loads(json.dumps(dict(response.client_extension_results), default=b64))
    return outputs, assertion, counting.cbor


class Fido:
    def __init__(self, exe, tmp):
        self.exe = exe
        self.tmp = tmp
        self.device = ["--device", "udp:" + os.environ["FIDO_UDP"]]

    def run(self, *args):
        cmd = [self.exe, *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise SystemExit(f"FAIL: {' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()}")
        return json.loads(proc.stdout)

    def options(self, name, value):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            json.dump(value, f)
        return path

    def authenticate(self, credential_id: bytes, extensions):
        path = self.options("get.json", {
            "challenge": b64(os.urandom(32)), "rpId": RP_ID,
            "userVerification": "required", "extensions": extensions,
        })
        return self.run("authenticate", *self.device, "--origin", ORIGIN, "--pin", PIN,
                        "--credential", b64(credential_id), "--options", path, "--json")

    def register(self, user: bytes, blob: bytes):
        path = self.options("create.json", {
            "rp": {"id": RP_ID, "name": "Example"},
            "user": {"id": b64(user), "name": user.decode(), "displayName": "U"},
            "challenge": b64(os.urandom(32)),
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
            "authenticatorSelection": {"residentKey": "required", "userVerification": "required"},
            "extensions": {"credBlob": b64(blob), "largeBlob": {"support": "required"}, "prf": {}},
        })
        out = self.run("register", *self.device, "--origin", ORIGIN, "--pin", PIN,
                       "--options", path, "--json")
        assert out["clientExtensionResults"]["largeBlob"]["supported"] is True, out
        assert out["clientExtensionResults"]["credBlob"] is True, out
        return unb64(out["rawId"])


def check(name, ours, theirs):
    if ours != theirs:
        raise SystemExit(f"FAIL: {name}: fido-rs {ours!r} != python-fido2 {theirs!r}")
    print(f"  {name}: agree")


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else "fido"
    with tempfile.TemporaryDirectory(prefix="fido-ext-check-") as tmp:
        fido = Fido(exe, tmp)
        prf = {"prf": {"eval": {"first": SALT}}}

        print("python-fido2 registers A, writes its large blob, evaluates prf")
        a = python_register(b"python-user", b"from python")
        python_get(a, {"largeBlob": {"write": b"large blob written by python"}})
        py_a, _, _ = python_get(a, prf)

        print("fido-rs on A")
        ours = fido.authenticate(a, {"prf": {"eval": {"first": b64(SALT)}},
                                     "getCredBlob": True, "largeBlob": {"read": True}})
        out = ours["clientExtensionResults"]
        check("prf on A", out["prf"]["results"]["first"], py_a["prf"]["results"]["first"])
        check("getCredBlob of python's credBlob", unb64(out["getCredBlob"]), b"from python")
        check("python's large blob", unb64(out["largeBlob"]["blob"]), b"large blob written by python")

        print("fido-rs registers B, writes its large blob, evaluates prf")
        b = fido.register(b"rust-user", b"from rust")
        written = fido.authenticate(b, {"largeBlob": {"write": b64(b"large blob written by fido-rs")}})
        assert written["clientExtensionResults"]["largeBlob"]["written"] is True, written
        rs_b = fido.authenticate(b, {"prf": {"eval": {"first": b64(SALT)}}})["clientExtensionResults"]

        print("python-fido2 on B")
        read, _, _ = python_get(b, {"largeBlob": {"read": True}})
        check("fido-rs's large blob", unb64(read["largeBlob"]["blob"]), b"large blob written by fido-rs")
        py_b, assertion, sent = python_get(b, {"getCredBlob": True, **prf})
        check("prf on B", rs_b["prf"]["results"]["first"], py_b["prf"]["results"]["first"])
        check("credBlob fido-rs stored", assertion.auth_data.extensions.get("credBlob"), b"from rust")
        names = {0x04: "getInfo", 0x06: "clientPin", 0x02: "getAssertion"}
        print(f"python-fido2 CTAP messages for one prf evaluation (fresh client): {len(sent)}: "
              + ", ".join(names.get(c, hex(c)) for c in sent))
    print("ext_check: OK")


if __name__ == "__main__":
    main()
