#!/usr/bin/env bash
# A NATS server with JetStream on 127.0.0.1, for the NATS tests, CI and the benchmark. The binary is
# built once from the Go module proxy (go install, about 40 s) into a cache folder and never rebuilt
# when it is there. Needs Go.
#
#   test/nats-server/start-nats.sh          start; prints "nats up on nats://127.0.0.1:<port> pid <pid>"
#   test/nats-server/start-nats.sh stop     stop the server started with the same NATS_DIR (by its PID)
#
# Environment: NATS_DIR (JetStream storage, log, pid and address files; default /tmp/tmf688-nats),
# NATS_PORT (default 0: a free port), NATS_KEEP_DATA=true to restart on the data a previous run left,
# NATS_CACHE (the built binary; default ~/.cache/tmf688-hub). The address file holds the nats:// URL.
set -euo pipefail
VERSION=v2.15.3
DIR="${NATS_DIR:-/tmp/tmf688-nats}"
CACHE="${NATS_CACHE:-$HOME/.cache/tmf688-hub}"
BIN="$CACHE/nats-server-$VERSION/nats-server"
PIDFILE="$DIR/nats.pid"

# shellcheck source=../server-script.sh
. "$(dirname "$0")/../server-script.sh"
[ "${1:-}" = "stop" ] && stop_by_pidfile "$PIDFILE" nats

if [ ! -x "$BIN" ]; then
  command -v go >/dev/null || { echo "go is not installed: cannot build nats-server $VERSION"; exit 1; }
  mkdir -p "$CACHE"
  # One build at a time per cache (CI and a developer may share the machine).
  exec 9>"$CACHE/.nats-server-$VERSION.lock"
  flock 9
  if [ ! -x "$BIN" ]; then
    echo "building nats-server $VERSION (go install, once)"
    GOBIN="$CACHE/nats-server-$VERSION" go install "github.com/nats-io/nats-server/v2@$VERSION"
  fi
  flock -u 9
fi

PORT="${NATS_PORT:-0}"; [ "$PORT" = 0 ] && PORT=$(free_port)

mkdir -p "$DIR"
[ "${NATS_KEEP_DATA:-false}" = "true" ] || rm -rf "$DIR/js"
: > "$DIR/nats.log"
nohup "$BIN" -js -a 127.0.0.1 -p "$PORT" -sd "$DIR/js" -l "$DIR/nats.log" > "$DIR/stdout.log" 2>&1 &
echo $! > "$PIDFILE"
wait_for_log "$DIR/nats.log" "Server is ready" "$PIDFILE" nats-server 30
echo "nats://127.0.0.1:${PORT}" > "$DIR/address"
echo "nats up on nats://127.0.0.1:${PORT} pid $(cat "$PIDFILE")"
