#!/usr/bin/env bash
# The peers' own virtual environment (benchmark-only dependencies, never in the project's).
set -euo pipefail
cd "$(dirname "$0")"
py="${PYTHON:-python3.11}"
command -v "$py" >/dev/null || py=python3
[[ -x .venv-peers/bin/python ]] || "$py" -m venv .venv-peers
.venv-peers/bin/python -m pip install --quiet --upgrade pip
.venv-peers/bin/python -m pip install --quiet backtrader backtesting smartmoneyconcepts numpy pandas pyarrow
.venv-peers/bin/python -c "import backtrader, backtesting; print('backtrader', backtrader.__version__, 'backtesting', backtesting.__version__)"
