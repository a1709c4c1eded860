#!/usr/bin/env bash
# Stop exactly what deploy/up.sh started: the pids in $STATE/pids, each only if it is still the same
# process (its start time matches), never by name. SIGTERM first, SIGKILL after 15 s.
#   deploy/down.sh [--state DIR]
set -uo pipefail
cd "$(dirname "$0")/.."
STATE="$(pwd)/deploy/.state"
[ "${1:-}" = "--state" ] && STATE=$2
shopt -s nullglob
files=("$STATE"/pids/*.pid)
[ ${#files[@]} -gt 0 ] || { echo "nothing to stop (no pid files in $STATE/pids)"; exit 0; }

alive() {  # pid starttime: the very process that was recorded is still there
  local stat; stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$(echo "${stat##*) }" | awk "{print \$1}")" != Z ] && [ "$(echo "${stat##*) }" | awk "{print \$20}")" = "$2" ]
}
for file in "${files[@]}"; do
  read -r pid start < "$file"
  alive "$pid" "$start" && kill -TERM "$pid" 2>/dev/null
done
deadline=$((SECONDS + 15))
for file in "${files[@]}"; do
  read -r pid start < "$file"
  while alive "$pid" "$start" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  if alive "$pid" "$start"; then
    kill -KILL "$pid" 2>/dev/null
    for _ in $(seq 50); do alive "$pid" "$start" || break; sleep 0.1; done  # SIGKILL lands asynchronously
  fi
  rm -f "$file"
done
rm -f "$STATE"/replica-*.port "$STATE/serve_url"
echo "stopped ${#files[@]} processes"
