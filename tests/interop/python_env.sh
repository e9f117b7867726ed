# Sourced by the interop scripts: puts a Python virtual environment with python-fido2
# 2.2.1 and pytest first on PATH, so `python3` below is that environment's.
#
# An active virtual environment (VIRTUAL_ENV) is used as it is; otherwise one is made
# once in target/interop-venv (python3 -m venv), which works on distributions that
# refuse system-wide pip installs. Needs `root` set to the repository root.
if [ -z "${VIRTUAL_ENV:-}" ]; then
  venv="$root/target/interop-venv"
  if [ ! -x "$venv/bin/python3" ]; then
    python3 -m venv "$venv" || {
      echo "python3 -m venv failed: install your distribution's python3-venv package" >&2
      exit 1
    }
  fi
  export VIRTUAL_ENV="$venv"
  export PATH="$venv/bin:$PATH"
fi
python3 -c 'import fido2, pytest, sys; sys.exit(fido2.__version__ != "2.2.1")' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check "fido2==2.2.1" "pytest>=9,<10"
