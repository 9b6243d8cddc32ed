#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs dependencies (Python, Debian's chromium for
# the browser tests), starts PostgreSQL on 127.0.0.1 for the storage tests and Redis for the
# API's, runs ruff, mypy and pytest, then the dashboard's Vitest + build + Playwright end-to-end
# run against a real `aitrader up` (scripts/e2e.sh), and stops the servers. The engine core runs
# compiled (mypyc); its own tests run a second time as plain Python.
# AITRADER_SKIP_E2E=1 leaves out the dashboard run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev  # also compiles the engine core with mypyc (scripts/build_native.py)
if [[ "${AITRADER_PURE_PYTHON:-0}" != "1" ]]; then
  .venv/bin/python scripts/build_native.py --require  # the suite tests the compiled core
  export AITRADER_EXPECT_COMPILED=1  # tests/architecture/test_compiled_core.py checks it ran
fi
if [[ ! -x /usr/bin/chromium && "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
  echo "test.sh: installing Debian's chromium (HTML report and dashboard tests)"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# Compose validates compose.yaml (tests/integration/deploy; no Docker engine is needed for that)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null \
    && [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
  echo "test.sh: installing Debian's docker-compose (checks compose.yaml)"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi
if [[ "${AITRADER_SKIP_POSTGRES:-0}" != "1" && -f scripts/services/postgres.sh ]]; then
  bash scripts/services/postgres.sh start
  trap 'bash scripts/services/postgres.sh stop || true' EXIT
  AITRADER_TEST_POSTGRES_URL="$(bash scripts/services/postgres.sh url)"
  export AITRADER_TEST_POSTGRES_URL
fi
# Redis for the API's integration tests (Celery broker, market data cache)
if [[ "${AITRADER_SKIP_REDIS:-${AITRADER_SKIP_POSTGRES:-0}}" != "1" && -f scripts/services/redis.sh ]]; then
  bash scripts/services/redis.sh start
  trap 'bash scripts/services/redis.sh stop || true; bash scripts/services/postgres.sh stop || true' EXIT
  AITRADER_TEST_REDIS_URL="$(bash scripts/services/redis.sh url)"
  export AITRADER_TEST_REDIS_URL
fi
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/pytest "$@"
if [[ "${AITRADER_EXPECT_COMPILED:-0}" == "1" ]]; then
  # the engine's own tests once more as plain Python: what runs where nothing is compiled
  AITRADER_PURE_PYTHON=1 AITRADER_EXPECT_COMPILED=0 .venv/bin/pytest "$@" -p no:cacheprovider \
    tests/unit/core tests/unit/engine tests/unit/portfolio tests/unit/risk \
    tests/unit/venues/simulated tests/golden tests/scenario
fi
if [[ "${AITRADER_SKIP_E2E:-0}" != "1" ]]; then
  bash scripts/e2e.sh
fi
