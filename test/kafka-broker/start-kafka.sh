#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft: broker and controller in one process) on 127.0.0.1, for
# the Kafka tests, CI and the benchmark. Jars come from Maven Central through this folder's pom.xml.
# Needs Java 17+ and Maven.
#
#   test/kafka-broker/start-kafka.sh          start; prints "kafka up on 127.0.0.1:<port> pid <pid>"
#   test/kafka-broker/start-kafka.sh stop     stop the broker started with the same KAFKA_DIR (by its PID)
#
# Environment: KAFKA_DIR (data, logs, pid and address files; default /tmp/tmf688-kafka),
# KAFKA_PORT and KAFKA_CONTROLLER_PORT (default 0: a free port each), KAFKA_KEEP_DATA=true to
# restart on the data a previous run left (no formatting), KAFKA_HEAP (default 512m).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIR="${KAFKA_DIR:-/tmp/tmf688-kafka}"
PIDFILE="$DIR/kafka.pid"

if [ "${1:-}" = "stop" ]; then
  [ -f "$PIDFILE" ] || { echo "no broker pid in $PIDFILE"; exit 0; }
  pid=$(cat "$PIDFILE")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
  echo "kafka stopped (pid $pid)"
  exit 0
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT="${KAFKA_PORT:-0}"; [ "$PORT" = 0 ] && PORT=$(free_port)
CPORT="${KAFKA_CONTROLLER_PORT:-0}"; [ "$CPORT" = 0 ] && CPORT=$(free_port)

[ -d "$here/target/lib" ] || (cd "$here" && mvn -B -q dependency:copy-dependencies)

mkdir -p "$DIR/logs"
cat > "$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CPORT}
listeners=PLAINTEXT://127.0.0.1:${PORT},CONTROLLER://127.0.0.1:${CPORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${DIR}/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
cat > "$DIR/log4j2.properties" <<'L4J'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = F
appender.file.type = File
appender.file.name = F
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
L4J

JOPTS=(-Xms128m "-Xmx${KAFKA_HEAP:-512m}" -XX:+UseSerialGC "-Dlog4j2.configurationFile=$DIR/log4j2.properties" "-Dkafka.logs.dir=$DIR/logs" -cp "$here/target/lib/*")
if [ "${KAFKA_KEEP_DATA:-false}" != "true" ] || [ ! -d "$DIR/data" ]; then
  rm -rf "$DIR/data"
  java "${JOPTS[@]}" kafka.tools.StorageTool format -t "$(java -cp "$here/target/lib/*" kafka.tools.StorageTool random-uuid)" -c "$DIR/server.properties" >/dev/null
fi
: > "$DIR/logs/server.log"
nohup java "${JOPTS[@]}" kafka.Kafka "$DIR/server.properties" > "$DIR/logs/stdout.log" 2>&1 &
echo $! > "$PIDFILE"
for _ in $(seq 1 900); do
  if grep -q "Kafka Server started" "$DIR/logs/server.log" 2>/dev/null; then
    echo "127.0.0.1:${PORT}" > "$DIR/address"
    echo "kafka up on 127.0.0.1:${PORT} pid $(cat "$PIDFILE")"
    exit 0
  fi
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { echo "kafka died:"; tail -50 "$DIR/logs/server.log" "$DIR/logs/stdout.log"; exit 1; }
  sleep 0.1
done
echo "kafka did not start in 90 s"; tail -50 "$DIR/logs/server.log"; exit 1
