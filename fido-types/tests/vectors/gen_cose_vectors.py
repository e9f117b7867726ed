# Generates fido-types/tests/vectors/cose_generated.txt (python 3, cryptography 48, fido2 2.2.1):
#   python3 gen_cose_vectors.py > cose_generated.txt
# Keys are random, so each run gives new vectors; every signature is checked by
# python-fido2's own cose classes before it is printed.
# Generates ES384, PS256, RS256-2048 and ES512 vectors with python `cryptography`,
# cross-checked with python-fido2's cose classes.
from cryptography.hazmat.primitives.asymmetric import ec, rsa, padding
from cryptography.hazmat.primitives import hashes, serialization
from fido2 import cbor, cose
msg = b"fido-rs cose vector"
# ES384
k = ec.generate_private_key(ec.SECP384R1())
sig = k.sign(msg, ec.ECDSA(hashes.SHA384()))
ck = cose.ES384.from_cryptography_key(k.public_key())
ck.verify(msg, sig)
print("ES384_KEY", cbor.encode(ck).hex()); print("ES384_SIG", sig.hex())
print("ES384_SPKI", k.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo).hex())
# PS256
r = rsa.generate_private_key(65537, 2048)
sig = r.sign(msg, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
ck = cose.PS256.from_cryptography_key(r.public_key())
ck.verify(msg, sig)
print("PS256_KEY", cbor.encode(ck).hex()); print("PS256_SIG", sig.hex())
print("PS256_SPKI", r.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo).hex())
# ES512
k = ec.generate_private_key(ec.SECP521R1())
sig = k.sign(msg, ec.ECDSA(hashes.SHA512()))
ck = cose.ES512.from_cryptography_key(k.public_key())
ck.verify(msg, sig)
print("ES512_KEY", cbor.encode(ck).hex()); print("ES512_SIG", sig.hex())
print("ES512_SPKI", k.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo).hex())
# SPKI forms of python-fido2's tests/test_cose.py keys, as `cryptography` encodes them.
from cryptography.hazmat.primitives.asymmetric import ed25519
x=bytes.fromhex("A5FD5CE1B1C458C530A54FA61B31BF6B04BE8B97AFDE54DD8CBB69275A8A1BE1"); y=bytes.fromhex("FA3A3231DD9DEED9D1897BE5A6228C59501E4BCD12975D3DFF730F01278EA61C")
pk = ec.EllipticCurvePublicNumbers(int.from_bytes(x,"big"), int.from_bytes(y,"big"), ec.SECP256R1()).public_key()
print("ES256_SPKI", pk.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo).hex())
pk = ed25519.Ed25519PublicKey.from_public_bytes(bytes.fromhex("ee9b21803405d3cf45601e58b6f4c06ea93862de87d3af903c5870a5016e86f5"))
print("EDDSA_SPKI", pk.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo).hex())
