"""Credential management, both ways, between `fido cred` and python-fido2 2.2.1's
`CredentialManagement`, on one `fido virtual` served over UDP:

1. python-fido2 sets the PIN and makes two discoverable credentials (alice, bob);
2. `fido cred list --json` sees both, with the user IDs python-fido2 gave;
3. `fido cred update-user` renames alice: python-fido2's `enumerate_creds` sees the new
   name and display name under the same user ID;
4. python-fido2's `delete_cred` removes bob: `fido cred list` sees only alice;
5. `fido cred delete` removes alice: python-fido2's `get_metadata` counts none;
6. `fido cred info --json` prints the device identifier it decrypted from getInfo's
   encIdentifier with its persistent read-only token; python-fido2's
   `Info.get_identifier`, with a pcmr token of its own, decrypts the same;
7. large blobs: python-fido2 makes two credentials with largeBlobKey (carol, dave);
   `fido blob set` stores carol's blob, python-fido2's `LargeBlobs.get_blob` reads it;
   `LargeBlobs.put_blob` stores dave's, `fido blob get` reads it and carol's is intact;
   `LargeBlobs.delete_blob` removes carol's, `fido blob list` sees only dave's.

Usage: FIDO_UDP=HOST:PORT python3 manage_check.py PATH/TO/fido
"""

import base64
import hashlib
import json
import os
import subprocess
import sys

from fido2.ctap2 import Ctap2, ClientPin, CredentialManagement, LargeBlobs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fido_udp import open_device  # noqa: E402

PIN = "314159"
RP_ID = "example.com"
USER = CredentialManagement.RESULT.USER
CRED_ID = CredentialManagement.RESULT.CREDENTIAL_ID


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ours(fido, *args):
    """Runs `fido ARGS --device udp:.. --pin PIN --json` and parses its output."""
    command = [fido, *args, "--device", "udp:" + os.environ["FIDO_UDP"], "--pin", PIN, "--json"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr}")
    return json.loads(done.stdout)


def register(ctap, client_pin, user, extensions=None):
    token = client_pin.get_pin_token(PIN, ClientPin.PERMISSION.MAKE_CREDENTIAL, RP_ID)
    client_data_hash = os.urandom(32)
    ctap.make_credential(
        client_data_hash,
        {"id": RP_ID, "name": RP_ID},
        {"id": user.encode(), "name": user, "displayName": user.upper()},
        [{"type": "public-key", "alg": -7}],
        extensions=extensions,
        options={"rk": True},
        pin_uv_param=client_pin.protocol.authenticate(token, client_data_hash),
        pin_uv_protocol=client_pin.protocol.VERSION,
    )


def theirs(ctap, client_pin):
    """python-fido2's CredentialManagement with a fresh token (each `fido` run takes the
    authenticator's one token, so an older one is no longer valid)."""
    token = client_pin.get_pin_token(PIN, ClientPin.PERMISSION.CREDENTIAL_MGMT)
    return CredentialManagement(ctap, client_pin.protocol, token)


def main(fido):
    ctap = Ctap2(open_device())
    client_pin = ClientPin(ctap)
    client_pin.set_pin(PIN)
    for user in ("alice", "bob"):
        register(ctap, client_pin, user)

    rows = ours(fido, "cred", "list")
    assert sorted(r["userName"] for r in rows) == ["alice", "bob"], rows
    assert {r["userId"] for r in rows} == {b64url(b"alice"), b64url(b"bob")}, rows
    alice = next(r for r in rows if r["userName"] == "alice")
    ours(fido, "cred", "update-user", "--credential-id", alice["credentialId"],
         "--name", "alice.smith", "--display-name", "Alice Smith")

    creds = theirs(ctap, client_pin).enumerate_creds(hashlib.sha256(RP_ID.encode()).digest())
    users = {bytes(c[USER]["id"]): c[USER] for c in creds}
    assert users[b"alice"]["name"] == "alice.smith", users
    assert users[b"alice"]["displayName"] == "Alice Smith", users
    bob = next(c for c in creds if bytes(c[USER]["id"]) == b"bob")
    theirs(ctap, client_pin).delete_cred(bob[CRED_ID])

    rows = ours(fido, "cred", "list", "--rp-id", RP_ID)
    assert [r["userName"] for r in rows] == ["alice.smith"], rows
    ours(fido, "cred", "delete", "--credential-id", alice["credentialId"])
    metadata = theirs(ctap, client_pin).get_metadata()
    assert metadata[CredentialManagement.RESULT.EXISTING_CRED_COUNT] == 0, metadata

    identifier = ours(fido, "cred", "info")["identifier"]
    pcmr = client_pin.get_pin_token(PIN, ClientPin.PERMISSION.PERSISTENT_CREDENTIAL_MGMT)
    assert ctap.get_info().get_identifier(pcmr).hex() == identifier
    large_blobs(fido, ctap, client_pin)
    print("manage_check: fido cred/blob and python-fido2 CredentialManagement/LargeBlobs agree")


def large_blobs(fido, ctap, client_pin):
    for user in ("carol", "dave"):
        register(ctap, client_pin, user, {"largeBlobKey": True})
    creds = theirs(ctap, client_pin).enumerate_creds(hashlib.sha256(RP_ID.encode()).digest())
    key = {bytes(c[USER]["id"]).decode(): c[CredentialManagement.RESULT.LARGE_BLOB_KEY]
           for c in creds}
    cred = {bytes(c[USER]["id"]).decode(): b64url(c[CRED_ID]["id"]) for c in creds}

    def blob(verb, user, *args):
        return ours(fido, "blob", verb, "--rp-id", RP_ID, "--credential-id", cred[user], *args)

    carol_blob, dave_blob = b"carol's blob " * 20, bytes(range(256))
    blob("set", "carol", "--data", b64url(carol_blob))
    assert LargeBlobs(ctap).get_blob(key["carol"]) == carol_blob

    def writer():
        token = client_pin.get_pin_token(PIN, ClientPin.PERMISSION.LARGE_BLOB_WRITE)
        return LargeBlobs(ctap, client_pin.protocol, token)

    writer().put_blob(key["dave"], dave_blob)
    assert blob("get", "dave")["blob"] == b64url(dave_blob)
    assert blob("get", "carol")["blob"] == b64url(carol_blob)
    assert len(LargeBlobs(ctap).read_blob_array()) == 2
    writer().delete_blob(key["carol"])
    sizes = {r["credentialId"]: r["size"] for r in ours(fido, "blob", "list")}
    assert sizes == {cred["carol"]: None, cred["dave"]: 256}, sizes


if __name__ == "__main__":
    main(sys.argv[1])
