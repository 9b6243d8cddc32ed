#!/usr/bin/env bash
# The main job on the embedded defaults: installs what is needed, then runs `aitrader up`:
# the API and dashboard with paper trading on the simulated exchange (SQLite, in-process
# tasks; no Redis needed).
# AITRADER_EXTRAS=api installs only what `aitrader up` itself needs (the default `all` also brings
# the ML, research, SMC-chart and broker libraries the dashboard's other features and commands use).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh "${AITRADER_EXTRAS:-all}"
# the dashboard's static files, served by `aitrader up` (Node.js >= 20.19 with npm)
if [[ ! -f frontend/dist/index.html || "${AITRADER_REBUILD_UI:-0}" == "1" ]]; then
  if command -v npm >/dev/null; then
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build)
  else
    echo "start.sh: npm not found; the API runs without the dashboard (install Node.js and npm)" >&2
  fi
fi
exec .venv/bin/aitrader up "$@"
