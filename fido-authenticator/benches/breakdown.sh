#!/bin/sh
# Instruction-count breakdown of one in-process register+authenticate ceremony (ES256 and
# EdDSA) under callgrind: crypto versus everything else, stable on a loaded machine.
#
#   fido-authenticator/benches/breakdown.sh [COUNT]      (from the workspace root)
#
# Builds the `ceremonies` bench (release), runs its CEREMONY_LOOP mode (COUNT ceremonies,
# default 20, after one warm-up) under valgrind --tool=callgrind with collection switched
# on only inside `ceremony_loop_body`, then sorts every function's *self* instructions
# into classes by symbol (self counts add up to the total without double counting; the
# crypto crates' generic code inlined into fido_authenticator::keys is caught by counting
# that module as crypto):
#   asymmetric  the p256 / ecdsa / elliptic-curve / primeorder / crypto-bigint / rfc6979 /
#               ff / group / subtle crates, ring's other Rust, C and assembly (Ed25519,
#               P-256, bignum),
#               fido_authenticator::keys
#   symmetric   ring's AES-GCM (store sealing), HMAC, SHA-2 and digest code, the sha2 /
#               hmac / aes / cbc / digest crates, fido_authenticator::rng (the DRBG)
#   other       everything else: CBOR, auth data, store, dispatch, allocator, memcpy
# and prints the non-crypto share plus the 15 biggest non-crypto functions.
# Needs valgrind (apt-get install -y valgrind) and python3.
set -eu
count=${1:-20}
out=${TMPDIR:-/tmp}/fido-breakdown
mkdir -p "$out"
bin=$(cargo bench -p fido-authenticator --bench ceremonies --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "ceremonies" and m.get("executable"):
        print(m["executable"])')
if [ -z "$bin" ]; then
    echo "breakdown.sh: the ceremonies bench did not build (cargo bench -p fido-authenticator --bench ceremonies --no-run)" >&2
    exit 1
fi
for alg in es256 eddsa; do
    CEREMONY_LOOP=$alg CEREMONY_COUNT=$count valgrind --tool=callgrind \
        --toggle-collect='*ceremony_loop_body*' \
        --callgrind-out-file="$out/callgrind.$alg" "$bin" 2>"$out/valgrind.$alg.log"
    callgrind_annotate --threshold=100 --inclusive=no "$out/callgrind.$alg" >"$out/self.$alg.txt"
    echo "== $alg: $count ceremonies (callgrind self instructions; $out/callgrind.$alg)"
    python3 - "$out/self.$alg.txt" "$count" <<'PY'
import re, sys
path, count = sys.argv[1], int(sys.argv[2])
ASYM = ("p256::", "ecdsa::", "elliptic_curve::", "primeorder::", "crypto_bigint::",
        "rfc6979::", "fido_authenticator::keys::", "ff::", "group::", "subtle::")
SYM = ("sha2::", "hmac::", "aes::", "cbc::", "digest::", "fido_authenticator::rng::")
# ring's C and assembly (P-256, Curve25519, bignum; AES-GCM, SHA-2): plain C symbols.
C_ASYM = re.compile(r"_*(ecp_|nistz|p256|p384|table_select|ge_|fe_|x25519|sc_|fiat_|bn_|"
                    r"limbs?_|ed25519|gfp_)", re.I)
C_SYM = re.compile(r"aes|gcm|ghash|sha\d|sha_|CRYPTO_|chacha|poly1305", re.I)
def classify(name):
    if "::" not in name and C_SYM.search(name):
        return "symmetric"
    if "::" not in name and C_ASYM.match(name):
        return "asymmetric"
    if "ring::" in name or "ring_core_" in name:
        hashing = re.search(r"aes|gcm|ghash|sha|digest|hmac|hkdf|aead|CRYPTO_", name, re.I)
        return "symmetric" if hashing else "asymmetric"
    if any(k in name for k in ASYM):
        return "asymmetric"
    if any(k in name for k in SYM):
        return "symmetric"
    return "other"
totals = re.compile(r"^\s*([\d,]+)\s+\(100.0%\)\s+PROGRAM TOTALS")
line = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*?)\s*(\[[^\]]*\])?\s*$")
total = {"asymmetric": 0, "symmetric": 0, "other": 0}
other = []
program = None
for text in open(path):
    if totals.match(text):
        program = int(totals.match(text).group(1).replace(",", ""))
    m = line.match(text)
    if not m or "PROGRAM TOTALS" in text or ":" not in m.group(2):
        continue
    n = int(m.group(1).replace(",", ""))
    name = m.group(2).split(":", 1)[1]
    kind = classify(name)
    total[kind] += n
    if kind == "other":
        other.append((n, name))
all_ = sum(total.values())
for k, v in total.items():
    print(f"  {k:<10} {v // count:>12,} instr/ceremony  {100 * v / all_:5.1f} %")
print(f"  {'total':<10} {all_ // count:>12,} instr/ceremony"
      f" (program total {(program or 0) // count:,}; the rest is below the threshold)")
print(f"  non-crypto share: {100 * total['other'] / all_:.1f} %"
      f"  (counting symmetric crypto as non-crypto too: "
      f"{100 * (total['other'] + total['symmetric']) / all_:.1f} %)")
print("  biggest non-crypto functions (self instr/ceremony):")
for n, name in sorted(other, reverse=True)[:15]:
    print(f"    {n // count:>10,}  {name[:110]}")
PY
done
