#!/usr/bin/env bash
# Creates .venv (Python 3.11) and installs aitrader with the given extras. Idempotent.
# usage: scripts/bootstrap.sh [extras]   (default extras: dev)
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-dev}"
py="${PYTHON:-}"
if [[ -z "$py" ]]; then
  for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null && "$cand" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))'; then
      py="$cand"; break
    fi
  done
fi
[[ -n "$py" ]] || { echo "error: Python >= 3.11 is required" >&2; exit 1; }
[[ -x .venv/bin/python ]] || "$py" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[${extras}]"
# the engine's hot path compiled with mypyc (skipped with a note when the machine cannot compile,
# or when AITRADER_PURE_PYTHON=1; aitrader then runs as plain Python)
if [[ "${AITRADER_PURE_PYTHON:-0}" != "1" ]]; then
  .venv/bin/python scripts/build_native.py \
    || echo "bootstrap: the engine core did not compile (see above); aitrader runs as plain Python" >&2
fi
