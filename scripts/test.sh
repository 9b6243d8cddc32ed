#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs dependencies, starts PostgreSQL on
# 127.0.0.1 for the storage tests and Redis for the API's, runs ruff, mypy and pytest, and
# stops the servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev
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
