#!/usr/bin/env bash
# The main job on the embedded defaults: installs what is needed, then runs `aitrader up`:
# the API and dashboard with paper trading on the simulated exchange (SQLite, in-process
# tasks; no Redis needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh "${AITRADER_EXTRAS:-postgres,api}"
exec .venv/bin/aitrader up "$@"
