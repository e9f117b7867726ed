#!/usr/bin/env bash
# The example relying party in a real browser: headless Chromium (Debian package
# `chromium`) with its DevTools virtual authenticator registers and signs in through the
# page, and fido-server verifies both (browser_test.mjs, driven by playwright-core from npm,
# installed into target/browser-test).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
node_dir="$target_dir/browser-test"
mkdir -p "$node_dir"
if [ ! -d "$node_dir/node_modules/playwright-core" ]; then
  npm install --silent --no-audit --no-fund --prefix "$node_dir" playwright-core@1
fi
cp "$here/browser_test.mjs" "$node_dir/browser_test.mjs"
cargo build --quiet -p fido-server --example rp

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkfifo "$work/ready"
"$target_dir/debug/examples/rp" 0 >"$work/ready" 2>"$work/rp.log" &
server_pid=$!
read -r line <"$work/ready"
case "$line" in
  "READY "*) url="${line#READY }" ;;
  *) echo "unexpected first line from the example: $line" >&2; exit 1 ;;
esac
status=0
node "$node_dir/browser_test.mjs" "$url" || status=$?
echo "--- example relying party log ---" >&2
cat "$work/rp.log" >&2
exit "$status"
