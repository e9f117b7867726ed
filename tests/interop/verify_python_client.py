"""`fido verify` on what python-fido2 2.2.1's Fido2Client produces.

python-fido2's own client (fido2==2.2.1) registers and authenticates against `fido
virtual --attestation basic` over UDP (FIDO_UDP, fido_udp.py). Its RegistrationResponse
JSON leaves out the members that repeat the attestation object (authenticatorData,
publicKey, publicKeyAlgorithm, transports), so this also checks that fido-rs derives them.

1. `fido verify registration` accepts the registration (packed, basic attestation), and
   with `--trust DIR` holding the authenticator's own certificate it chains to a root;
2. `fido verify authentication --public-key REGISTRATION.json` accepts the assertion;
3. another challenge, another origin and a flipped signature bit are refused with exit
   status 1 and the failing step in words.

Usage: python3 verify_python_client.py PATH/TO/fido WORKDIR
"""

import base64
import json
import os
import subprocess
import sys

from fido2.client import DefaultClientDataCollector, Fido2Client, UserInteraction
from fido2.webauthn import (
    AttestationObject,
    PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor,
    PublicKeyCredentialParameters,
    PublicKeyCredentialRequestOptions,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialType,
    PublicKeyCredentialUserEntity,
    UserVerificationRequirement,
    AuthenticatorSelectionCriteria,
    AttestationConveyancePreference,
)

import fido_udp

ORIGIN = "https://example.com"
RP_ID = "example.com"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Quiet(UserInteraction):
    def prompt_up(self):
        pass


def fido(exe, *args, expect=0):
    proc = subprocess.run([exe, *args], capture_output=True, text=True, timeout=60)
    if proc.returncode != expect:
        raise SystemExit(
            f"FAIL: fido {' '.join(args)} exited {proc.returncode}, expected {expect}:"
            f" {proc.stdout.strip()} {proc.stderr.strip()}"
        )
    return proc.stdout + proc.stderr


def main():
    exe, work = sys.argv[1], sys.argv[2]
    client = Fido2Client(
        fido_udp.open_device(),
        client_data_collector=DefaultClientDataCollector(ORIGIN),
        user_interaction=Quiet(),
    )
    challenge = os.urandom(32)
    options = PublicKeyCredentialCreationOptions(
        rp=PublicKeyCredentialRpEntity(name="Example", id=RP_ID),
        user=PublicKeyCredentialUserEntity(name="a.user", id=b"user-1"),
        challenge=challenge,
        pub_key_cred_params=[
            PublicKeyCredentialParameters(type=PublicKeyCredentialType.PUBLIC_KEY, alg=-7)
        ],
        authenticator_selection=AuthenticatorSelectionCriteria(
            user_verification=UserVerificationRequirement.DISCOURAGED
        ),
        attestation=AttestationConveyancePreference.DIRECT,
    )
    registration = client.make_credential(options)
    reg_json = dict(registration)
    missing = [
        k
        for k in ("authenticatorData", "publicKey", "publicKeyAlgorithm")
        if k not in reg_json["response"]
    ]
    print(f"python-fido2's RegistrationResponse JSON omits: {missing}")
    reg_file = os.path.join(work, "registration.json")
    with open(reg_file, "w") as f:
        json.dump(reg_json, f)
    common = ["--origin", ORIGIN, "--rp-id", RP_ID]
    out = fido(exe, "verify", "registration", "--response", reg_file,
               "--challenge", b64url(challenge), *common, "--json")
    verified = json.loads(out)
    assert verified["format"] == "packed", verified
    assert verified["attestationType"] == "basic", verified
    print(f"  registration verified: {verified['format']} {verified['attestationType']}")

    # The authenticator's own (self-signed) attestation certificate as the trusted root.
    att = AttestationObject(b64url_decode(reg_json["response"]["attestationObject"]))
    aaguid = str(att.auth_data.credential_data.aaguid)
    trust = os.path.join(work, "trust")
    os.mkdir(trust)
    with open(os.path.join(trust, f"{aaguid}.der"), "wb") as f:
        f.write(att.att_stmt["x5c"][0])
    out = fido(exe, "verify", "registration", "--response", reg_file,
               "--challenge", b64url(challenge), *common, "--trust", trust, "--json")
    assert json.loads(out)["trusted"] is True, out
    print("  registration chains to the trusted root")

    out = fido(exe, "verify", "registration", "--response", reg_file,
               "--challenge", b64url(os.urandom(32)), *common, expect=1)
    assert "challenge" in out, out
    out = fido(exe, "verify", "registration", "--response", reg_file,
               "--challenge", b64url(challenge), "--origin", "https://evil.example",
               "--rp-id", RP_ID, expect=1)
    assert "origin" in out, out
    print("  tampered registrations refused")

    challenge = os.urandom(32)
    request = PublicKeyCredentialRequestOptions(
        challenge=challenge,
        rp_id=RP_ID,
        allow_credentials=[
            PublicKeyCredentialDescriptor(
                type=PublicKeyCredentialType.PUBLIC_KEY, id=registration.raw_id
            )
        ],
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    assertion = client.get_assertion(request).get_response(0)
    auth_file = os.path.join(work, "authentication.json")
    auth_json = dict(assertion)
    with open(auth_file, "w") as f:
        json.dump(auth_json, f)
    out = fido(exe, "verify", "authentication", "--response", auth_file,
               "--public-key", reg_file, "--challenge", b64url(challenge), *common)
    print("  authentication verified")

    sig = bytearray(b64url_decode(auth_json["response"]["signature"]))
    sig[8] ^= 0x01
    auth_json["response"]["signature"] = b64url(bytes(sig))
    with open(auth_file, "w") as f:
        json.dump(auth_json, f)
    out = fido(exe, "verify", "authentication", "--response", auth_file,
               "--public-key", reg_file, "--challenge", b64url(challenge), *common,
               expect=1)
    assert "signature" in out, out
    print("  tampered assertion refused")
    print("verify_python_client: all checks passed")


if __name__ == "__main__":
    main()
