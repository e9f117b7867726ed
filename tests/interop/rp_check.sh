#!/usr/bin/env bash
# Relying-party acceptance: python-fido2's Fido2Server verifies the JSON that
# `fido register --json` / `fido authenticate --json` print (see rp_check.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
# shellcheck source=tests/interop/python_env.sh
. "$here/python_env.sh"
cargo build --quiet -p fido-cli --bin fido
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
python3 "$here/rp_check.py" "$target_dir/debug/fido"
