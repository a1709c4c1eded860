#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the class-store tests: Debian's initdb + pg_ctl in a temporary folder,
# listening on a unix socket in that folder and on 127.0.0.1 (a free port), trust auth, nothing kept.
#
#   eval "$(.ci/postgres.sh start)"   # exports PIXELWISE_TEST_POSTGRES_URL (also written to $STATE)
#   .ci/postgres.sh pause | resume    # stop / start the same cluster (the dead-database tests use these)
#   .ci/postgres.sh stop              # stop it and delete the folder
#
# Run as root it runs the server as the `postgres` user. STATE (default: a file in /tmp named after this
# checkout) records the folder and the URL, so several checkouts on one machine do not collide.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE="${PIXELWISE_POSTGRES_STATE:-/tmp/pixelwise-postgres-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1).env}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$BIN/initdb" ] || { echo "postgres.sh: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)" >&2; exit 1; }

as_owner() {  # run a command as the cluster's owner: `postgres` when we are root, else ourselves
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

load_state() {
  [ -f "$STATE" ] || { echo "postgres.sh: no cluster recorded in $STATE (run start first)" >&2; exit 1; }
  # shellcheck disable=SC1090
  . "$STATE"
}

pg_start() {  # start the recorded cluster and wait until it takes connections
  as_owner "$BIN/pg_ctl" -D "$PIXELWISE_TEST_POSTGRES_DIR/data" -l "$PIXELWISE_TEST_POSTGRES_DIR/log" -w -t 30 \
    -o "-k $PIXELWISE_TEST_POSTGRES_DIR -p $PIXELWISE_TEST_POSTGRES_PORT -c listen_addresses=127.0.0.1" \
    start >/dev/null
}

case "${1:-}" in
  start)
    if [ -f "$STATE" ]; then "$0" stop >/dev/null 2>&1 || true; fi
    DIR="$(mktemp -d /tmp/pixelwise-pg.XXXXXX)"
    chmod 755 "$DIR"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; fi
    PORT="$(free_port)"
    as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    PIXELWISE_TEST_POSTGRES_DIR="$DIR" PIXELWISE_TEST_POSTGRES_PORT="$PORT"
    pg_start
    as_owner "$BIN/createdb" -h "$DIR" -p "$PORT" -U postgres pixelwise_test
    URL="postgresql+psycopg://postgres@/pixelwise_test?host=$DIR&port=$PORT"
    {
      echo "export PIXELWISE_TEST_POSTGRES_DIR='$DIR'"
      echo "export PIXELWISE_TEST_POSTGRES_PORT='$PORT'"
      echo "export PIXELWISE_TEST_POSTGRES_URL='$URL'"
      echo "export PIXELWISE_TEST_POSTGRES_TCP_URL='postgresql+psycopg://postgres@127.0.0.1:$PORT/pixelwise_test'"
      echo "export PIXELWISE_POSTGRES_STATE='$STATE'"
    } >"$STATE"
    cat "$STATE"
    ;;
  pause)
    load_state
    as_owner "$BIN/pg_ctl" -D "$PIXELWISE_TEST_POSTGRES_DIR/data" -m fast -w stop >/dev/null
    ;;
  resume)
    load_state
    pg_start
    ;;
  stop)
    load_state
    as_owner "$BIN/pg_ctl" -D "$PIXELWISE_TEST_POSTGRES_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PIXELWISE_TEST_POSTGRES_DIR" "$STATE"
    echo "unset PIXELWISE_TEST_POSTGRES_URL PIXELWISE_TEST_POSTGRES_TCP_URL PIXELWISE_TEST_POSTGRES_DIR"
    ;;
  *)
    echo "usage: $0 start|pause|resume|stop" >&2
    exit 2
    ;;
esac
