#!/usr/bin/env bash
# Runs python-fido2's own destructive device test suite (tests/device of the fido2 2.2.1
# sdist, downloaded at run time, never committed) against `fido virtual` over UDP.
#
#   bash tests/interop/run.sh [extra pytest args]
#
# `fido virtual` runs with --allow-power-cycle: the suite power-cycles it (vendor CTAPHID
# command 0x7E, see fido_udp.py). FIDO_VIRTUAL_ARGS: extra options for `fido virtual`
# (e.g. "--attestation basic").
# FIDO_EP_RP_ID: an RP ID for vendor-facilitated enterprise attestation, passed both to
# `fido virtual --ep-rp-id` and to the suite's `--ep-rp-id` (test_config::test_ep_vendor).
#
# Needs python3 with venv and pip: python_env.sh installs fido2==2.2.1 and pytest into a
# virtual environment (target/interop-venv, or the active one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# shellcheck source=tests/interop/python_env.sh
. "$here/python_env.sh"

cargo build -q -p fido-cli
fido="$root/target/debug/fido"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 -m pip download -q --no-binary :all: --no-deps "fido2==2.2.1" -d "$work/sdist"
tar -xzf "$work"/sdist/fido2-2.2.1.tar.gz -C "$work"
mkdir -p "$work/suite"
# Only the tests (the installed fido2 package is the one under test).
cp -r "$work/fido2-2.2.1/tests" "$work/suite/tests"

mkfifo "$work/ready"
ep_virtual=()
ep_pytest=()
if [ -n "${FIDO_EP_RP_ID:-}" ]; then
  ep_virtual=(--ep-rp-id "$FIDO_EP_RP_ID")
  ep_pytest=(--ep-rp-id "$FIDO_EP_RP_ID")
fi
# shellcheck disable=SC2086 # FIDO_VIRTUAL_ARGS: extra options for `fido virtual`, split on spaces.
"$fido" virtual --udp 127.0.0.1:0 --allow-power-cycle ${FIDO_VIRTUAL_ARGS:-} "${ep_virtual[@]}" >"$work/ready" 2>"$work/server.log" &
server_pid=$!
read -r line <"$work/ready"
case "$line" in
  "READY udp:"*) export FIDO_UDP="${line#READY udp:}" ;;
  *) echo "unexpected first line from fido virtual: $line" >&2; exit 1 ;;
esac
echo "fido virtual listening on $FIDO_UDP" >&2

cd "$work/suite"
export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"
status=0
python3 -m pytest tests/device -p fido_udp_plugin -q -rs \
  --deselect tests/device/test_sign_extension_v4.py \
  --deselect tests/device/test_preview_sign.py \
  "${ep_pytest[@]}" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- fido virtual stderr ---" >&2
  tail -n 50 "$work/server.log" >&2
fi
exit "$status"
