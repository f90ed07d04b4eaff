#!/usr/bin/env bash
# A RabbitMQ server (AMQP 0-9-1) on 127.0.0.1, for the RabbitMQ tests, CI and the benchmark: Debian's
# rabbitmq-server package, installed with apt-get when missing (as root; otherwise a clear failure),
# run on free loopback ports with a node name, data and logs of its own, never as the system service.
#
#   test/rabbitmq/start-rabbitmq.sh          start; prints "rabbitmq up on amqp://127.0.0.1:<port> pid <pid>"
#   test/rabbitmq/start-rabbitmq.sh stop     stop the server started with the same RABBITMQ_TEST_DIR (by its PID)
#
# Environment: RABBITMQ_TEST_DIR (data, logs, pid and address files; default /tmp/tmf688-rabbitmq),
# RABBITMQ_TEST_PORT (default 0: a free port), RABBITMQ_TEST_KEEP_DATA=true to restart on the data a
# previous run left. The address file holds the amqp:// URL (user guest, from loopback only).
set -euo pipefail
DIR="${RABBITMQ_TEST_DIR:-/tmp/tmf688-rabbitmq}"
PIDFILE="$DIR/rabbitmq.pid"
SERVER=/usr/lib/rabbitmq/bin/rabbitmq-server

# shellcheck source=../server-script.sh
. "$(dirname "$0")/../server-script.sh"
if [ "${1:-}" = "stop" ]; then
  # The server runs as a process group of its own (setsid): beam and its port programs stop together.
  [ -f "$PIDFILE" ] && kill -- "-$(cat "$PIDFILE")" 2>/dev/null || true
  # The Erlang port mapper the node started (a daemon on a port of this server's own) goes too, once the node is gone.
  if [ -f "$DIR/epmd_port" ]; then
    for _ in $(seq 1 100); do [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 0.1; done
    ERL_EPMD_PORT=$(cat "$DIR/epmd_port") epmd -kill >/dev/null 2>&1 || true
  fi
  stop_by_pidfile "$PIDFILE" rabbitmq
fi

if [ ! -x "$SERVER" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "rabbitmq-server is not installed, and only root can install it (apt-get install rabbitmq-server)"; exit 1; }
  echo "installing rabbitmq-server (apt-get)"
  # Debian's package may start a system service: it is left alone; this script starts its own.
  # One apt-get at a time on the machine (the other test servers and CI's chromium may install too).
  flock /tmp/tmf688-apt.lock sh -c 'DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq rabbitmq-server >/dev/null'
fi

PORT="${RABBITMQ_TEST_PORT:-0}"; [ "$PORT" = 0 ] && PORT=$(free_port)
DIST_PORT=$(free_port)
# An Erlang port mapper of this server's own on the loopback (not the machine's shared one on 4369), stopped with it.
EPMD_PORT=$(free_port)
mkdir -p "$DIR/home" "$DIR/log"
echo "$EPMD_PORT" > "$DIR/epmd_port"
[ "${RABBITMQ_TEST_KEEP_DATA:-false}" = "true" ] || rm -rf "$DIR/mnesia"
# The node name must stay the same across a restart on the same data: it is kept beside it.
[ -f "$DIR/nodename" ] || echo "tmf688-$PORT@localhost" > "$DIR/nodename"
cat > "$DIR/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$PORT
loopback_users.guest = true
log.file.level = info
CONF
: > "$DIR/enabled_plugins"
rm -f "$DIR/log/"*.log
# HOME holds the Erlang cookie of this node only; a crash dump goes beside the data, not into the caller's folder.
HOME="$DIR/home" ERL_CRASH_DUMP="$DIR/log/erl_crash.dump" ERL_EPMD_PORT="$EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_NODENAME="$(cat "$DIR/nodename")" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$PORT" \
  RABBITMQ_DIST_PORT="$DIST_PORT" RABBITMQ_MNESIA_BASE="$DIR/mnesia" RABBITMQ_LOG_BASE="$DIR/log" \
  RABBITMQ_CONFIG_FILE="$DIR/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins" \
  RABBITMQ_PID_FILE="$DIR/beam.pid" RABBITMQ_ADVANCED_CONFIG_FILE="$DIR/advanced.config" \
  setsid "$SERVER" > "$DIR/log/stdout.log" 2>&1 < /dev/null &
echo $! > "$PIDFILE"
if ! wait_for_log "$DIR/log/stdout.log" "Starting broker... completed" "$PIDFILE" rabbitmq-server 120; then
  # Nothing of a failed start stays: the node (if it still runs) and its port mapper.
  kill -- "-$(cat "$PIDFILE")" 2>/dev/null || true
  sleep 1
  ERL_EPMD_PORT="$EPMD_PORT" epmd -kill >/dev/null 2>&1 || true
  exit 1
fi
echo "amqp://guest:guest@127.0.0.1:${PORT}" > "$DIR/address"
echo "rabbitmq up on amqp://127.0.0.1:${PORT} pid $(cat "$PIDFILE")"
