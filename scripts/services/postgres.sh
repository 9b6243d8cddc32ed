#!/usr/bin/env bash
# A throwaway PostgreSQL for the test suite, on 127.0.0.1 only.
#   postgres.sh start   install Debian's postgresql if missing, create and start a cluster
#   postgres.sh url     print the SQLAlchemy URL of the test database
#   postgres.sh stop    stop the cluster and delete its files
# Port: AITRADER_PG_PORT (default 55432). Data: AITRADER_PG_DIR (default /tmp/aitrader-pg-$PORT).
set -euo pipefail
PORT="${AITRADER_PG_PORT:-55432}"
DIR="${AITRADER_PG_DIR:-/tmp/aitrader-pg-$PORT}"
USER_NAME=aitrader
PASSWORD=aitrader
DB=aitrader_test

as_pg() {
  if [[ "$(id -u)" == "0" ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bin_dir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "$d" && -x "$d/initdb" ]] && echo "$d"
}

install_server() {
  if [[ -z "$(bin_dir)" ]]; then
    echo "postgres.sh: installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
  fi
  # Debian's package may start its own cluster on 5432; ours is separate and loopback-only.
}

start() {
  install_server
  local bin; bin="$(bin_dir)"
  if [[ -f "$DIR/postmaster.pid" ]] && as_pg "$bin/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
    echo "postgres.sh: already running on 127.0.0.1:$PORT" >&2
    return 0
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [[ "$(id -u)" == "0" ]] && chown postgres:postgres "$DIR"
  as_pg "$bin/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$bin/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c autovacuum=off" \
    start >/dev/null
  as_pg "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q -d postgres \
    -c "CREATE ROLE $USER_NAME LOGIN CREATEDB PASSWORD '$PASSWORD'" \
    -c "CREATE DATABASE $DB OWNER $USER_NAME" >/dev/null
  echo "postgres.sh: running on 127.0.0.1:$PORT" >&2
}

stop() {
  local bin; bin="$(bin_dir || true)"
  if [[ -n "$bin" && -d "$DIR" ]]; then
    as_pg "$bin/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "postgresql+psycopg://$USER_NAME:$PASSWORD@127.0.0.1:$PORT/$DB" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
