# Shared by the test servers' start scripts (test/nats-server, test/rabbitmq, test/mosquitto): sourced,
# not run. Each server runs on a free loopback port with a data folder of its own, and is stopped by
# the PID its start wrote, never by name.

# free_port: a free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# stop_by_pidfile PIDFILE NAME: stops the process (TERM, then KILL after 10 s), removes the file; exits.
stop_by_pidfile() {
  local pidfile=$1 name=$2 pid
  [ -f "$pidfile" ] || { echo "no $name pid in $pidfile"; exit 0; }
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  echo "$name stopped (pid $pid)"
  exit 0
}

# wait_for_log LOGFILE PATTERN PIDFILE NAME SECONDS: waits until the log shows PATTERN; fails when the
# process dies or the time passes, showing the log's end.
wait_for_log() {
  local log=$1 pattern=$2 pidfile=$3 name=$4 seconds=$5
  for _ in $(seq 1 $((seconds * 10))); do
    grep -q "$pattern" "$log" 2>/dev/null && return 0
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "$name died:"; tail -30 "$log"; return 1; }
    sleep 0.1
  done
  echo "$name did not start in $seconds s"; tail -30 "$log"; return 1
}
