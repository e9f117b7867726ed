#!/usr/bin/env bash
# Our client end to end over PC/SC: tests/tests/pcsc_reader.rs (register and authenticate
# with a PIN, a U2F-only card, response chaining, cancel during a touch) with the
# authenticator as a card in pcscd's vsmartcard reader. Starts pcscd if none runs.
#
#   bash tests/interop/nfc_client.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# shellcheck source=tests/interop/nfc_env.sh
. "$here/nfc_env.sh"
trap nfc_env_stop EXIT

FIDO_VPCD_ADDR="$VPCD_ADDR" cargo test -p fido-tests --features pcsc --test pcsc_reader
