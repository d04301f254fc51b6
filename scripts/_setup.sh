# Shared by run.sh, test.sh, check.sh and CI: find Python 3.12+, make .venv, install requirements when they change.
# Sourced, not run.

die() { echo "ERROR: $*" >&2; exit 1; }

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3 python; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# setup_venv prod: what run.sh needs (requirements.txt); setup_venv dev: tests and tooling too (requirements-dev.txt).
setup_venv() {
  local wanted="${1:-}" requirements python hash stamp_hash="" stamp_set=""
  case "$wanted" in
    prod) requirements=requirements.txt ;;
    dev) requirements=requirements-dev.txt ;;
    *) die "setup_venv takes prod or dev, not '$wanted'." ;;
  esac
  if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "Removing .venv: it was made with a Python older than 3.12."
    rm -rf .venv
  fi
  if [ ! -x .venv/bin/python ]; then
    python=$(find_python) || die "SSK Tracker needs Python 3.12 or newer, and none was found on PATH
       (tried python3.13, python3.12, python3, python). Install Python 3.12+ (Debian/Ubuntu:
       apt-get install python3.12 python3.12-venv; or pyenv install 3.12) and run this again,
       or point PYTHON=/path/to/python3.12 at it."
    echo "Creating .venv with $("$python" --version)…"
    "$python" -m venv .venv || die "'$python -m venv' failed. On Debian/Ubuntu install the venv module:
       apt-get install python3-venv (or python3.12-venv), then run this again."
  fi
  # One hash of both files (requirements-dev.txt includes requirements.txt), stamped with what was installed:
  # the development set also satisfies run.sh, so switching between run.sh and test.sh installs nothing.
  [ -f requirements.txt ] && [ -f requirements-dev.txt ] \
    || die "requirements.txt or requirements-dev.txt is missing: run this from a complete checkout of SSK Tracker."
  hash=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
  read -r stamp_hash stamp_set < .venv/.requirements-hash 2>/dev/null || true
  if [ "${stamp_hash:-}" != "$hash" ] || { [ "$wanted" = dev ] && [ "${stamp_set:-}" != dev ]; }; then
    echo "Installing Python packages from $requirements…"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip \
      || die "Could not upgrade pip: is the package index reachable?"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" \
      || die "Installing $requirements failed (see pip's message above)."
    echo "$hash $wanted" > .venv/.requirements-hash
  fi
  export PATH="$PWD/.venv/bin:$PATH"
}
