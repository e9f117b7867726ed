"""Relying-party acceptance of the `fido` CLI's WebAuthn L3 JSON output.

python-fido2's own `Fido2Server` (fido2==2.2.1) plays the relying party:

1. `fido pin set` puts a PIN on an in-process virtual authenticator whose state lives in
   a file (`--device virtual --state FILE`), so that separate `fido` runs share it;
2. `register_begin` makes the options; they are written as JSON (the
   `CredentialCreationOptions` dict, `{"publicKey": ...}`) and passed to
   `fido register --options FILE --json`; `register_complete` must accept the
   RegistrationResponseJSON, with user verification required and the packed attestation
   verified by python-fido2's attestation classes;
3. `authenticate_begin` -> `fido authenticate --options FILE --json` ->
   `authenticate_complete` must accept the AuthenticationResponseJSON;
4. tampered copies of that response (a flipped signature byte, a flipped
   clientDataJSON byte, a flipped authenticatorData byte) must all be rejected.

Usage: python3 rp_check.py PATH/TO/fido
"""

import base64
import json
import os
import subprocess
import sys
import tempfile

from fido2.attestation import Attestation
from fido2.server import Fido2Server
from fido2.webauthn import (
    AttestationObject,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
    UserVerificationRequirement,
)

PIN = "4321"
ORIGIN = "https://example.com"


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def verify_attestation(attestation_object: AttestationObject, client_data_hash: bytes):
    """Checks the attestation statement with python-fido2's verifier for its format."""
    verifier = Attestation.for_type(attestation_object.fmt)()
    result = verifier.verify(
        attestation_object.att_stmt, attestation_object.auth_data, client_data_hash
    )
    print(f"  attestation {attestation_object.fmt}: {result.attestation_type.name}")


class Fido:
    def __init__(self, exe, state):
        self.exe = exe
        self.device = ["--device", "virtual", "--state", state]

    def run(self, *args):
        cmd = [self.exe, *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise SystemExit(
                f"FAIL: {' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()}"
            )
        return proc.stdout


def tampered(response, field, index):
    """A copy of the JSON response with one byte of response[field] flipped."""
    copy = json.loads(json.dumps(response))
    data = bytearray(b64url_decode(copy["response"][field]))
    data[index % len(data)] ^= 0x01
    copy["response"][field] = b64url_encode(bytes(data))
    return copy


def with_extra_member(response):
    """A copy whose clientDataJSON gains a member: still valid JSON with the right type,
    challenge and origin, so only the signature covers the change."""
    copy = json.loads(json.dumps(response))
    raw = b64url_decode(copy["response"]["clientDataJSON"])
    assert raw.endswith(b"}")
    copy["response"]["clientDataJSON"] = b64url_encode(raw[:-1] + b',"extra":1}')
    return copy


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else "fido"
    with tempfile.TemporaryDirectory(prefix="fido-rp-check-") as tmp:
        check(exe, tmp)
    print("rp_check: OK")


def check(exe, tmp):
    fido = Fido(exe, os.path.join(tmp, "virtual-state.json"))
    server = Fido2Server(
        PublicKeyCredentialRpEntity(id="example.com", name="Example RP"),
        attestation="direct",
        verify_attestation=verify_attestation,
    )

    print("pin set")
    fido.run("pin", "set", *fido.device, "--new-pin", PIN)

    print("register")
    options, state = server.register_begin(
        PublicKeyCredentialUserEntity(id=b"user-id-1234", name="alice", display_name="Alice"),
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    options_file = os.path.join(tmp, "create.json")
    with open(options_file, "w") as f:
        json.dump(dict(options), f)
    out = fido.run(
        "register", *fido.device, "--origin", ORIGIN, "--options", options_file,
        "--pin", PIN, "--json",
    )
    registration = json.loads(out)
    auth_data = server.register_complete(state, registration)
    credential = auth_data.credential_data
    assert credential is not None
    assert auth_data.is_user_verified()
    print(f"  register_complete accepted credential {credential.credential_id.hex()[:16]}...")

    print("authenticate")
    options, state = server.authenticate_begin(
        [credential], user_verification=UserVerificationRequirement.REQUIRED
    )
    options_file = os.path.join(tmp, "get.json")
    with open(options_file, "w") as f:
        json.dump(dict(options), f)
    out = fido.run(
        "authenticate", *fido.device, "--origin", ORIGIN, "--options", options_file,
        "--pin", PIN, "--json",
    )
    assertion = json.loads(out)
    used = server.authenticate_complete(state, [credential], assertion)
    assert used.credential_id == credential.credential_id
    print("  authenticate_complete accepted the assertion")

    # Each tampered copy must be refused; the ones marked True still parse and pass
    # every other check, so only the signature check can catch them.
    cases = [
        ("signature byte -1", tampered(assertion, "signature", -1), True),
        ("signature byte 8", tampered(assertion, "signature", 8), True),
        ("sign count byte", tampered(assertion, "authenticatorData", 36), True),
        ("clientDataJSON extra member", with_extra_member(assertion), True),
        ("clientDataJSON byte 30", tampered(assertion, "clientDataJSON", 30), False),
        ("RP ID hash byte", tampered(assertion, "authenticatorData", 3), False),
    ]
    for name, bad, signature_only in cases:
        try:
            server.authenticate_complete(state, [credential], bad)
        except Exception as e:  # ValueError, or a decode error for a mangled field
            print(f"  tampered {name} rejected: {type(e).__name__}: {e}")
            if signature_only and str(e) != "Invalid signature.":
                raise SystemExit(f"FAIL: {name} was refused for another reason: {e}")
        else:
            raise SystemExit(f"FAIL: tampered {name} was accepted")


if __name__ == "__main__":
    main()
