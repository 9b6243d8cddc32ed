#!/usr/bin/env bash
# vectorbt's own virtual environment for benchmarks/vectorized_grid.py (benchmark-only, never in
# the project's dependencies).
set -euo pipefail
cd "$(dirname "$0")"
py="${PYTHON:-python3.11}"
command -v "$py" >/dev/null || py=python3
[[ -x .venv-vbt/bin/python ]] || "$py" -m venv .venv-vbt
.venv-vbt/bin/python -m pip install --quiet --upgrade pip
.venv-vbt/bin/python -m pip install --quiet vectorbt numpy pandas pyarrow
.venv-vbt/bin/python -c "import vectorbt; print('vectorbt', vectorbt.__version__)"
