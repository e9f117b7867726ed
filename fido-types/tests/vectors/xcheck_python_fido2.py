# Writes fido-types/tests/vectors/python_fido2_xcheck.txt with python-fido2 2.2.1:
#   python3 xcheck_python_fido2.py > python_fido2_xcheck.txt
# u2f_reg.hex holds the U2F registration of python-fido2 tests/test_ctap2.py test_fido_u2f_attestation.
# Cross-check vectors computed with python-fido2 2.2.1.
from fido2.webauthn import AttestationObject, CollectedClientData, AuthenticatorData
from fido2.ctap1 import RegistrationData
app = bytes.fromhex("1194228DA8FDBDEEFD261BD7B6595CFD70A50D70C6407BCF013DE96D4EFB17DE")
reg = bytes.fromhex(open("u2f_reg.hex").read().strip())
att = AttestationObject.from_ctap1(app, RegistrationData(reg))
print("U2F_ATT_OBJ", bytes(att).hex())
cd = CollectedClientData.create("webauthn.get", b"\xfb\xff", "https://example.com", True, topOrigin="https://top.example", zeta=1)
print("CLIENT_DATA", bytes(cd).decode())
