#!/usr/bin/env bash
# Credential management and large-blob cross-check: `fido cred`/`fido blob` and
# python-fido2 2.2.1's CredentialManagement/LargeBlobs on one `fido virtual` over UDP
# (see manage_check.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
# shellcheck source=tests/interop/python_env.sh
. "$here/python_env.sh"
cargo build --quiet -p fido-cli --bin fido
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
fido="$target_dir/debug/fido"
ready="$(mktemp)"
"$fido" virtual --udp 127.0.0.1:0 --seed 13 >"$ready" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$ready"' EXIT
for _ in $(seq 100); do
  grep -q '^READY ' "$ready" && break
  sleep 0.1
done
addr="$(sed -n 's/^READY udp://p' "$ready")"
[ -n "$addr" ] || { echo "fido virtual did not start" >&2; exit 1; }
FIDO_UDP="$addr" python3 "$here/manage_check.py" "$fido"
