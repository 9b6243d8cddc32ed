#!/usr/bin/env bash
# The dashboard's whole check in one command: Vitest, the production build, then Playwright in
# Debian's Chromium against a real `aitrader up` (temp SQLite database, fast simulated feed, an
# admin created from the environment), which is stopped afterwards. Screenshots of every flow
# land in tests/e2e/output/. Access tokens live 30 s here, so the run also exercises the
# dashboard's refresh-and-retry on expired tokens.
#   bash scripts/e2e.sh            (AITRADER_E2E_PORT=18483, CHROMIUM_PATH=/usr/bin/chromium)
# Needs: Node.js >= 20.19 with npm, Debian's chromium (installed here when missing and root),
# and the project's .venv (made by scripts/bootstrap.sh dev when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PORT="${AITRADER_E2E_PORT:-18483}"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CHROMIUM_PATH="$CHROMIUM"

if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "e2e: installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "e2e: $CHROMIUM is missing; install Debian's chromium (apt-get install chromium)" >&2
    exit 2
  fi
fi
[ -x .venv/bin/aitrader ] || bash scripts/bootstrap.sh dev

if [ "${E2E_SKIP_BUILD:-}" = "" ]; then  # E2E_SKIP_BUILD=1 reuses node_modules and dist (iterating)
  echo "e2e: frontend: npm ci, unit tests, build"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm test && npm run build)
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
# The committed API client must match what the backend serves now (regenerate: npm run gen:api).
(cd frontend && npm run --silent gen:api:check) || echo "e2e: WARNING: frontend/src/api/schema.d.ts is out of date with the backend; run (cd frontend && npm run gen:api) and commit" >&2

TMP="$(mktemp -d)"
USER_NAME=e2e-admin
TOKEN_TTL_S="${AITRADER_E2E_TOKEN_TTL_S:-30}"
PASSWORD="e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
# the project's config, with a price collar wide enough for the flows' far-from-market limits
mkdir -p "$TMP/config" && cp -r config/. "$TMP/config/"
sed -i 's/^\(  price_collar:\) [0-9.]*/\1 0.99/' "$TMP/config/trading.yml"
grep -q '^  price_collar: 0.99' "$TMP/config/trading.yml" || { echo "e2e: could not widen the price collar in config/trading.yml" >&2; exit 1; }
env DATABASE_URL="sqlite:///$TMP/e2e.db" AITRADER_DATA_DIR="$TMP" AITRADER_CONFIG_DIR="$TMP/config" \
    AITRADER_ADMIN_USER="$USER_NAME" AITRADER_ADMIN_PASSWORD="$PASSWORD" \
    AITRADER_FRONTEND_DIST="$ROOT/frontend/dist" AITRADER_LOGIN_ATTEMPTS_PER_MIN=100 \
    AITRADER_ACCESS_TOKEN_TTL_S="$TOKEN_TTL_S" AITRADER_EQUITY_SNAPSHOT_S=1 \
    .venv/bin/aitrader up --host 127.0.0.1 --port "$PORT" --seconds-per-bar 0.25 \
    >"$TMP/server.log" 2>&1 &
SERVER=$!
stop() {
  kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  if [ "${KEEP_E2E_TMP:-}" = "" ]; then rm -rf "$TMP"; else echo "e2e: server files kept in $TMP"; fi
}
trap stop EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  if ! kill -0 "$SERVER" 2>/dev/null; then echo "e2e: aitrader up exited:" >&2; cat "$TMP/server.log" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "e2e: server did not answer" >&2; cat "$TMP/server.log" >&2; exit 1; }

# a real ONNX model (and its metadata JSON) for the model-upload flow
MODEL_PATH="$(.venv/bin/python tests/e2e/make_model.py "$TMP/upload")"

echo "e2e: Playwright against http://127.0.0.1:$PORT"
set +e
(cd tests/e2e && AITRADER_E2E_URL="http://127.0.0.1:$PORT" AITRADER_E2E_USER="$USER_NAME" \
  AITRADER_E2E_PASSWORD="$PASSWORD" AITRADER_E2E_TOKEN_TTL_S="$TOKEN_TTL_S" \
  AITRADER_E2E_MODEL="$MODEL_PATH" npx playwright test)
rc=$?
set -e
if [ $rc -ne 0 ]; then echo "e2e: failed; the server's log:" >&2; tail -n 60 "$TMP/server.log" >&2; fi
echo "e2e: screenshots in tests/e2e/output/"
exit $rc
