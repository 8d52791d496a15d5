#!/usr/bin/env bash
# Install the project with its test extras into a fresh virtualenv and run the test suite.
# PYTHON picks the interpreter (default python3); pyenv's versions are found by name too:
#   PYTHON=python3.13 bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

want="${PYTHON:-python3}"
py=""
if "$want" -c "pass" >/dev/null 2>&1; then
    py="$want"
elif command -v pyenv >/dev/null 2>&1; then
    version="${want#python}"
    for candidate in "$(pyenv root)"/versions/"$version"*/bin/python"$version"; do
        [ -x "$candidate" ] && py="$candidate" && break
    done
fi
[ -n "$py" ] || { echo "scripts/test.sh: no interpreter for $want" >&2; exit 2; }

venv=".venv-$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]"
"$venv/bin/python" -m pytest -q "$@"
