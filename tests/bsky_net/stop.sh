#!/usr/bin/env bash
# Stop what start.sh started, by its pid files only (never by process name): the node network,
# then PostgreSQL. Safe to run when nothing is running. Logs stay in $SQBOT_BSKY_NET_DIR/run.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=config.sh
. "$HERE/config.sh"

pid=$(network_pid)
if [ -n "$pid" ]; then
  kill -TERM "$pid"    # network.mjs closes every service, then exits
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then log "network ($pid) did not exit in 15 s: SIGKILL"; kill -KILL "$pid"; fi
  log "network ($pid) stopped"
fi
rm -f "$RUN/network.pid" "$RUN/network.json"

if [ -f "$RUN/pg/postmaster.pid" ]; then
  PG_BIN=$(pg_bin)
  pgpid=$(head -1 "$RUN/pg/postmaster.pid")
  if [ -n "$PG_BIN" ] && as_pg "$PG_BIN/pg_ctl" -D "$RUN/pg" -m fast -w stop >/dev/null 2>&1; then
    log "postgres ($pgpid) stopped"
  elif kill -0 "$pgpid" 2>/dev/null && [ "$(readlink "/proc/$pgpid/exe" 2>/dev/null | grep -c postgres)" = 1 ]; then
    kill -TERM "$pgpid"; log "postgres ($pgpid) sent SIGTERM"
  fi
fi
# the PDS keeps its sqlite + blobs in $TMPDIR/<random>/ and dev-env never deletes them
rm -rf "$RUN/tmp"
exit 0
