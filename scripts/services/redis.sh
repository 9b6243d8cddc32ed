#!/usr/bin/env bash
# A throwaway Redis for the test suite, on 127.0.0.1 only.
#   redis.sh start   install Debian's redis-server if missing, start a server in the background
#   redis.sh url     print the redis:// URL of the test server
#   redis.sh stop    stop the server and delete its files
# Port: AITRADER_REDIS_PORT (default 6379). Data: AITRADER_REDIS_DIR (default /tmp/aitrader-redis-$PORT).
set -euo pipefail
PORT="${AITRADER_REDIS_PORT:-6379}"
DIR="${AITRADER_REDIS_DIR:-/tmp/aitrader-redis-$PORT}"

install_server() {
  if ! command -v redis-server >/dev/null; then
    echo "redis.sh: installing Debian's redis-server" >&2
    export DEBIAN_FRONTEND=noninteractive
    # wait for another apt run (e.g. postgres.sh in parallel) instead of failing
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq redis-server >/dev/null
  fi
}

ping() { redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; }

start() {
  install_server
  if ping; then
    echo "redis.sh: already running on 127.0.0.1:$PORT" >&2
    return 0
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --save "" --appendonly no \
    --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" >/dev/null
  for _ in $(seq 1 50); do
    ping && { echo "redis.sh: running on 127.0.0.1:$PORT" >&2; return 0; }
    sleep 0.1
  done
  echo "redis.sh: the server did not answer on 127.0.0.1:$PORT; see $DIR/redis.log" >&2
  exit 1
}

stop() {
  if [[ -f "$DIR/redis.pid" ]]; then
    kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do ping || break; sleep 0.1; done
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "redis://127.0.0.1:$PORT/0" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
