#!/usr/bin/env bash
# Stops the process whose pid is in PIDFILE and waits for it to exit (at most WAIT seconds,
# default 10; then SIGKILL). A missing file or a process already gone is not an error.
#
#   scripts/stop-by-pid.sh PIDFILE
set -euo pipefail

PIDFILE=${1:?usage: stop-by-pid.sh PIDFILE}
WAIT=${WAIT:-10}

[ -f "$PIDFILE" ] || exit 0
pid=$(cat "$PIDFILE")
case "$pid" in '' | *[!0-9]*)
  echo "stop-by-pid.sh: $PIDFILE does not hold a pid" >&2
  exit 2
  ;;
esac

kill -TERM "$pid" 2>/dev/null || { rm -f "$PIDFILE"; exit 0; }
for _ in $(seq 1 $((WAIT * 10))); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; exit 0; }
  sleep 0.1
done
kill -KILL "$pid" 2>/dev/null || true
rm -f "$PIDFILE"
