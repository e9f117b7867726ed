# Sourced by the NFC tests: python_env.sh plus pyscard, and a pcscd with vsmartcard's
# vpcd reader listening on $VPCD_ADDR (started here if none runs; nfc_env_stop stops
# only a pcscd started here). Needs `root` set to the repository root.
#
# Says plainly what is missing: pcscd (Debian package pcscd), the vpcd driver
# (vsmartcard-vpcd), or what pyscard needs to build (libpcsclite-dev swig gcc python3-dev).

# shellcheck source=tests/interop/python_env.sh
. "$root/tests/interop/python_env.sh"

VPCD_ADDR="${VPCD_ADDR:-127.0.0.1:35963}"
export VPCD_ADDR
nfc_pcscd_pid=""

if ! command -v pcscd >/dev/null 2>&1 && [ ! -x /usr/sbin/pcscd ]; then
  echo "NFC tests need pcscd: apt-get install pcscd vsmartcard-vpcd libpcsclite-dev" >&2
  exit 1
fi
if [ ! -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] && ! ls /etc/reader.conf.d/*vpcd* >/dev/null 2>&1; then
  echo "NFC tests need vsmartcard's vpcd driver for pcscd: apt-get install vsmartcard-vpcd" >&2
  exit 1
fi
python3 -c 'import smartcard' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check "pyscard>=2.2,<3" \
  || { echo "pyscard did not install: it builds from source and needs libpcsclite-dev swig gcc python3-dev" >&2; exit 1; }

vpcd_port="${VPCD_ADDR##*:}"
vpcd_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$vpcd_port") 2>/dev/null; }
if ! vpcd_listening; then
  pcscd_bin="$(command -v pcscd || echo /usr/sbin/pcscd)"
  "$pcscd_bin" --foreground >"${TMPDIR:-/tmp}/fido-nfc-pcscd.log" 2>&1 &
  nfc_pcscd_pid=$!
  for _ in $(seq 50); do vpcd_listening && break; sleep 0.1; done
  vpcd_listening || { echo "pcscd started but vpcd does not listen on $VPCD_ADDR" >&2; exit 1; }
fi

nfc_env_stop() {
  if [ -n "$nfc_pcscd_pid" ]; then
    kill "$nfc_pcscd_pid" 2>/dev/null || true
    wait "$nfc_pcscd_pid" 2>/dev/null || true
    nfc_pcscd_pid=""
  fi
}

# Prints the name of the PC/SC reader that holds a card answering SELECT of the FIDO AID.
nfc_env_wait_for_card() {
  python3 - <<'PY'
import sys, time
from smartcard.System import readers
from smartcard.Exceptions import CardConnectionException, NoCardException
aid = bytes.fromhex("A0000006472F0001")  # the FIDO AID (CTAP 2.2 11.3.3)
deadline = time.time() + 10
while time.time() < deadline:
    for r in readers():
        try:
            c = r.createConnection(); c.connect()
            _, sw1, sw2 = c.transmit([0, 0xA4, 4, 0, len(aid)] + list(aid) + [0])
            c.disconnect()
            if (sw1, sw2) == (0x90, 0):
                print(r.name); sys.exit(0)
        except (CardConnectionException, NoCardException):
            pass
    time.sleep(0.2)
sys.exit("no PC/SC reader holds a FIDO card")
PY
}
