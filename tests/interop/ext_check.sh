#!/usr/bin/env bash
# Cross-client agreement on client extensions (prf, largeBlob, credBlob) between
# python-fido2 2.2.1's Fido2Client and fido-rs's `fido` CLI on one `fido virtual` over
# UDP (see ext_check.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
# shellcheck source=tests/interop/python_env.sh
. "$here/python_env.sh"
cargo build --quiet -p fido-cli --bin fido
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
fido="$target_dir/debug/fido"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkfifo "$work/ready"
"$fido" virtual --udp 127.0.0.1:0 --pin 1234 --no-uv >"$work/ready" 2>"$work/server.log" &
server_pid=$!
read -r line <"$work/ready"
case "$line" in
  "READY udp:"*) export FIDO_UDP="${line#READY udp:}" ;;
  *) echo "unexpected first line from fido virtual: $line" >&2; exit 1 ;;
esac
PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" python3 "$here/ext_check.py" "$fido"
