#!/usr/bin/env bash
# A Mosquitto MQTT 5 broker on 127.0.0.1, for the MQTT tests, CI and the benchmark: Debian's mosquitto
# package, installed with apt-get when missing (as root; otherwise a clear failure), run on a free
# loopback port with a configuration and persistence folder of its own, never as the system service.
#
#   test/mosquitto/start-mosquitto.sh          start; prints "mosquitto up on mqtt://127.0.0.1:<port> pid <pid>"
#   test/mosquitto/start-mosquitto.sh stop     stop the broker started with the same MOSQUITTO_DIR (by its PID)
#
# Environment: MOSQUITTO_DIR (configuration, persistence, log, pid and address files; default
# /tmp/tmf688-mosquitto), MOSQUITTO_PORT (default 0: a free port), MOSQUITTO_KEEP_DATA=true to
# restart on the sessions and messages a previous run left. The address file holds the mqtt:// URL.
set -euo pipefail
DIR="${MOSQUITTO_DIR:-/tmp/tmf688-mosquitto}"
PIDFILE="$DIR/mosquitto.pid"

# shellcheck source=../server-script.sh
. "$(dirname "$0")/../server-script.sh"
[ "${1:-}" = "stop" ] && stop_by_pidfile "$PIDFILE" mosquitto

BIN=$(command -v mosquitto || echo /usr/sbin/mosquitto)
if [ ! -x "$BIN" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "mosquitto is not installed, and only root can install it (apt-get install mosquitto)"; exit 1; }
  echo "installing mosquitto (apt-get)"
  # Debian's package may start a system service: it is left alone; this script starts its own.
  # One apt-get at a time on the machine (the other test servers and CI's chromium may install too).
  flock /tmp/tmf688-apt.lock sh -c 'DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq mosquitto >/dev/null'
  BIN=/usr/sbin/mosquitto
fi

PORT="${MOSQUITTO_PORT:-0}"; [ "$PORT" = 0 ] && PORT=$(free_port)
mkdir -p "$DIR"
[ "${MOSQUITTO_KEEP_DATA:-false}" = "true" ] || rm -rf "$DIR/data"
mkdir -p "$DIR/data"
# Persistent sessions survive a restart (persistence, saved at shutdown); queued QoS 1 messages are
# not capped (the tests queue over a thousand for a session that is away). It runs as the user who
# starts it: as root it would otherwise drop to "mosquitto", which cannot reach a private folder.
cat > "$DIR/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
user $(id -un)
persistence true
persistence_location $DIR/data/
autosave_interval 1
max_queued_messages 0
max_inflight_messages 100
log_dest file $DIR/mosquitto.log
log_type error
log_type warning
log_type notice
log_type information
CONF
: > "$DIR/mosquitto.log"
nohup "$BIN" -c "$DIR/mosquitto.conf" > "$DIR/stdout.log" 2>&1 &
echo $! > "$PIDFILE"
wait_for_log "$DIR/mosquitto.log" "mosquitto version .* running" "$PIDFILE" mosquitto 10
echo "mqtt://127.0.0.1:${PORT}" > "$DIR/address"
echo "mosquitto up on mqtt://127.0.0.1:${PORT} pid $(cat "$PIDFILE")"
