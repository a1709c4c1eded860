#!/usr/bin/env bash
# Start Pixelwise on loopback: N Streamlit replicas behind HAProxy (and, with --ray, a Ray head and the
# model server). Waits until everything is healthy; the URL is the LAST line printed. Every pid goes into
# $STATE/pids so deploy/down.sh stops exactly these processes (never by name).
#   deploy/up.sh --replicas 2 --port 8080 [--ray] [--state DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
REPLICAS=2 PORT=8080 RAY=0 STATE="$ROOT/deploy/.state" WAIT_S=${PIXELWISE_UP_WAIT_S:-180}
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) REPLICAS=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --ray) RAY=1; shift ;;
    --state) STATE=$2; shift 2 ;;
    -h|--help) sed -n 2,6p "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$REPLICAS" =~ ^[1-9][0-9]?$ ]] || { echo "--replicas must be 1 to 99" >&2; exit 2; }
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65535 ] || { echo "--port: 1024 to 65535" >&2; exit 2; }
PY=${PYTHON:-}
[ -n "$PY" ] || { [ -x .venv/bin/python ] && PY=.venv/bin/python || PY=python3; }
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
[ -x "$HAPROXY" ] || { echo "haproxy is not installed (apt-get install haproxy)" >&2; exit 3; }

mkdir -p "$STATE/pids" "$STATE/logs"
chmod 700 "$STATE"
if compgen -G "$STATE/pids/*.pid" >/dev/null; then
  echo "already running (pid files in $STATE/pids): run deploy/down.sh first" >&2; exit 4
fi
# One cookie secret for every replica, made once: a session's XSRF cookie must verify on any of them.
[ -s "$STATE/cookie_secret" ] || (umask 077; "$PY" -c "import secrets; print(secrets.token_hex(32))" > "$STATE/cookie_secret")
export STREAMLIT_SERVER_COOKIE_SECRET=$(cat "$STATE/cookie_secret")
# HAProxy (option forwardfor) is the one proxy in front: the app believes its X-Forwarded-For entry, no other
export PIXELWISE_TRUSTED_PROXY_HOPS=1

starttime() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) && echo "${s##*) }" | awk '{print $20}'; }
record() { echo "$2 $(starttime "$2")" > "$STATE/pids/$1.pid"; }  # name pid: the start time guards pid reuse
free_port() { "$PY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
fail() { echo "$1; logs in $STATE/logs; stopping what was started" >&2; deploy/down.sh --state "$STATE" >&2 || true; exit 1; }
wait_http() {  # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 1
  done
}

if [ "$RAY" = 1 ]; then
  RAY_BIN=$(dirname "$PY")/ray
  RAY_PORT=$(free_port) SERVE_PORT=$(free_port)
  # Ray resolves 127.0.0.1 to the node's own address and listens on every interface on purpose, so the
  # cluster is guarded by Ray's token authentication instead: one token in the state dir for all clients.
  [ -s "$STATE/ray_auth_token" ] || (umask 077; "$PY" -c "import secrets; print(secrets.token_hex(32))" > "$STATE/ray_auth_token")
  export RAY_AUTH_MODE=token RAY_AUTH_TOKEN_PATH="$STATE/ray_auth_token"
  # --block keeps `ray start` in the foreground as the parent of Ray's daemons: one pid to stop them all;
  # RAY_worker_niceness=0: the model replicas run at the app replicas' priority, not Ray's default nice 15
  # (beside busy app replicas a nice-15 replica answered 20 times slower: ops/serving/local_ray.py)
  RAY_worker_niceness=0 RAY_DISABLE_USAGE_STATS=1 setsid "$RAY_BIN" start --head --block --node-ip-address 127.0.0.1 --port "$RAY_PORT" \
    --num-cpus "${PIXELWISE_RAY_CPUS:-1}" --include-dashboard false --disable-usage-stats \
    > "$STATE/logs/ray.log" 2>&1 &
  record ray-head $!
  deadline=$((SECONDS + 60))
  until RAY_ADDRESS="127.0.0.1:$RAY_PORT" "$RAY_BIN" status >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "the Ray head did not start"; sleep 2
  done
  PYTHONPATH="$ROOT" "$PY" -m ops.serving.serve_app --address "127.0.0.1:$RAY_PORT" --http-port "$SERVE_PORT" \
    --num-cpus 0.5 > "$STATE/logs/serve.log" 2>&1 || fail "the Serve app did not deploy"
  # Ray's own daemons and actors (GCS, raylet, Serve controller, proxy, model replicas), by parentage
  for pid in $(ps -o pid= --ppid "$(cut -d' ' -f1 "$STATE/pids/ray-head.pid")"); do
    record "ray-child-$pid" "$pid"
    for grandchild in $(ps -o pid= --ppid "$pid"); do record "ray-child-$grandchild" "$grandchild"; done
  done
  export PIXELWISE_SERVE_URL="http://127.0.0.1:$SERVE_PORT" PIXELWISE_RAY_ADDRESS="127.0.0.1:$RAY_PORT"
  echo "$PIXELWISE_SERVE_URL" > "$STATE/serve_url"
fi

# Each replica gets its share of the cores for torch and BLAS: idle OpenMP threads spin-wait, so N
# replicas each using every core burn about a third of a core per replica doing nothing (bench_replicas.py).
CORES=$(nproc 2>/dev/null || echo 1)
THREADS=${OMP_NUM_THREADS:-$(( CORES / REPLICAS > 0 ? CORES / REPLICAS : 1 ))}
export OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS

SERVERS=""
for i in $(seq 1 "$REPLICAS"); do
  p=$(free_port)
  MALLOC_ARENA_MAX=2 setsid "$PY" -m streamlit run app.py --server.address 127.0.0.1 --server.port "$p" \
    --server.headless true --server.runOnSave false --server.fileWatcherType none \
    --server.enableXsrfProtection true --server.enableCORS true --browser.gatherUsageStats false \
    > "$STATE/logs/replica-$i.log" 2>&1 &
  record "replica-$i" $!
  echo "$p" > "$STATE/replica-$i.port"
  SERVERS+="    server r$i 127.0.0.1:$p check cookie r$i"$'\n'
done
for i in $(seq 1 "$REPLICAS"); do
  wait_http "http://127.0.0.1:$(cat "$STATE/replica-$i.port")/_stcore/health" "$WAIT_S" || fail "replica $i is not healthy"
done

awk -v bind="127.0.0.1:$PORT" -v servers="$SERVERS" '{ sub("@BIND@", bind); if ($0 == "@SERVERS@") printf "%s", servers; else print }' \
  deploy/haproxy.cfg.template > "$STATE/haproxy.cfg"
"$HAPROXY" -c -q -f "$STATE/haproxy.cfg" || fail "haproxy.cfg is not valid"
setsid "$HAPROXY" -db -f "$STATE/haproxy.cfg" > "$STATE/logs/haproxy.log" 2>&1 &
record haproxy $!
wait_http "http://127.0.0.1:$PORT/_stcore/health" 30 || fail "the proxy does not answer on port $PORT"
echo "replicas: $REPLICAS ($THREADS torch threads each), state: $STATE${PIXELWISE_SERVE_URL:+, model server: $PIXELWISE_SERVE_URL}"
echo "http://127.0.0.1:$PORT"
