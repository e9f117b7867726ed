#!/usr/bin/env bash
# Runs python-fido2's destructive device test suite in NFC mode (its --reader option,
# pyscard) against `fido virtual --vpcd` through pcscd's vsmartcard reader.
# FIDO_VIRTUAL_ARGS and FIDO_EP_RP_ID as in run.sh.
#
#   bash tests/interop/nfc_run.sh [extra pytest args]
#
# Needs pcscd with vsmartcard's vpcd driver (Debian: pcscd, vsmartcard-vpcd) and, for
# pyscard, libpcsclite-dev, swig, gcc and python3-dev; .ci/run installs them. Starts its
# own pcscd when none is running (and stops it again).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# shellcheck source=tests/interop/nfc_env.sh
. "$here/nfc_env.sh"

cargo build -q -p fido-cli
fido="$root/target/debug/fido"

work="$(mktemp -d)"
card_pid=""
cleanup() {
  if [ -n "$card_pid" ]; then kill "$card_pid" 2>/dev/null || true; wait "$card_pid" 2>/dev/null || true; fi
  nfc_env_stop
  rm -rf "$work"
}
trap cleanup EXIT

python3 -m pip download -q --no-binary :all: --no-deps "fido2==2.2.1" -d "$work/sdist"
tar -xzf "$work"/sdist/fido2-2.2.1.tar.gz -C "$work"
mkdir -p "$work/suite"
cp -r "$work/fido2-2.2.1/tests" "$work/suite/tests"

mkfifo "$work/ready"
ep_virtual=()
ep_pytest=()
if [ -n "${FIDO_EP_RP_ID:-}" ]; then
  ep_virtual=(--ep-rp-id "$FIDO_EP_RP_ID")
  ep_pytest=(--ep-rp-id "$FIDO_EP_RP_ID")
fi
# shellcheck disable=SC2086 # FIDO_VIRTUAL_ARGS: extra options for `fido virtual`, split on spaces.
"$fido" virtual --vpcd "$VPCD_ADDR" ${FIDO_VIRTUAL_ARGS:-} "${ep_virtual[@]}" >"$work/ready" 2>"$work/card.log" &
card_pid=$!
read -r line <"$work/ready"
case "$line" in
  "READY vpcd:"*) ;;
  *) echo "unexpected first line from fido virtual: $line" >&2; exit 1 ;;
esac
reader="$(nfc_env_wait_for_card)"
echo "fido virtual is a card in PC/SC reader '$reader'" >&2

cd "$work/suite"
export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"
status=0
python3 -m pytest tests/device -p nfc_plugin -q -rs --reader "$reader" \
  --deselect tests/device/test_sign_extension_v4.py \
  --deselect tests/device/test_preview_sign.py \
  "${ep_pytest[@]}" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- fido virtual stderr ---" >&2
  tail -n 50 "$work/card.log" >&2
fi
exit "$status"
