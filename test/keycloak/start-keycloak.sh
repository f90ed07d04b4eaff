#!/usr/bin/env bash
# A Keycloak (the OAuth2 / OIDC provider of the ODA Canvas) on 127.0.0.1 with the realm of
# tmf688-realm.json, for the access-control tests and CI. The distribution comes from Maven Central
# (org.keycloak:keycloak-quarkus-dist, cached in ~/.m2 by mvn); it is unpacked and built once into
# a cache folder, and each start runs from a copy of its own, so the cache stays as built. Needs
# Java 17+ and Maven.
#
#   test/keycloak/start-keycloak.sh          start; prints "keycloak up on http://127.0.0.1:<port> pid <pid>"
#   test/keycloak/start-keycloak.sh stop     stop the Keycloak started with the same KEYCLOAK_DIR (by its PID)
#
# Environment: KEYCLOAK_DIR (its copy, log, pid and address files; default /tmp/tmf688-keycloak),
# KEYCLOAK_PORT (default 0: a free port), KEYCLOAK_CACHE (the unpacked, built distribution;
# default ~/.cache/tmf688-hub), KEYCLOAK_WAIT (seconds to wait for it; default 180: the first
# start on a busy machine takes up to two minutes), KEYCLOAK_JAVA_HOME (default: java on PATH).
# The address file holds the realm's issuer URL, http://127.0.0.1:<port>/realms/tmf688.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
VERSION=26.7.3
REALM=tmf688
DIR="${KEYCLOAK_DIR:-/tmp/tmf688-keycloak}"
CACHE="${KEYCLOAK_CACHE:-$HOME/.cache/tmf688-hub}"
PIDFILE="$DIR/keycloak.pid"

if [ "${1:-}" = "stop" ]; then
  [ -f "$PIDFILE" ] || { echo "no keycloak pid in $PIDFILE"; exit 0; }
  pid=$(cat "$PIDFILE")
  # kc.sh runs java as its child, in the session setsid gave it: stop the group (kc.sh and java).
  kill -TERM -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 -- "-$pid" 2>/dev/null || true
  rm -f "$PIDFILE" "$DIR/address"
  echo "keycloak stopped (pid $pid)"
  exit 0
fi

[ -n "${KEYCLOAK_JAVA_HOME:-}" ] && export JAVA_HOME="$KEYCLOAK_JAVA_HOME"
# Build-time options: the cache is built once with these, and every start uses that build
# (--optimized) instead of building again. An in-memory database: each start imports the realm
# afresh, so no test sees what an earlier run left. A local cache: no cluster ports are opened.
BUILD_OPTS=(--db=dev-mem --cache=local)
dist="$CACHE/keycloak-$VERSION"
built="$dist/.tmf688-built"

prepare_cache() {
  mkdir -p "$CACHE"
  # Two runs may prepare the cache at once: one does, the other waits for it.
  exec 9>"$CACHE/.keycloak-$VERSION.lock"
  flock 9
  if [ ! -f "$built" ]; then
    local archive="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$VERSION/keycloak-quarkus-dist-$VERSION.tar.gz"
    if [ ! -f "$archive" ]; then
      mvn -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$VERSION:tar.gz" -DoutputDirectory="$CACHE/download"
      archive="$CACHE/download/keycloak-quarkus-dist-$VERSION.tar.gz"
    fi
    rm -rf "$dist"
    tar xzf "$archive" -C "$CACHE"
    rm -rf "$CACHE/download"
    echo "building keycloak $VERSION once into $dist"
    "$dist/bin/kc.sh" build "${BUILD_OPTS[@]}" > "$CACHE/keycloak-build.log" 2>&1 || { echo "keycloak build failed:"; tail -30 "$CACHE/keycloak-build.log"; exit 1; }
    touch "$built"
  fi
  flock -u 9
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

prepare_cache
PORT="${KEYCLOAK_PORT:-0}"; [ "$PORT" = 0 ] && PORT=$(free_port)

# This run's copy: the jars (most of the size) as hard links when the file system allows, the rest
# copied, so whatever Keycloak writes (data/, tmp files) stays in this run's folder.
home="$DIR/keycloak"
rm -rf "$home"
mkdir -p "$home/lib"
for entry in "$dist"/* "$dist"/lib/*; do
  name=${entry#"$dist"/}
  [ "$name" = lib ] && continue
  if [ "$name" = lib/lib ]; then cp -al "$entry" "$home/lib/" 2>/dev/null || cp -a "$entry" "$home/lib/"
  else cp -a "$entry" "$home/$name"; fi
done
mkdir -p "$home/data/import"
cp "$here/tmf688-realm.json" "$home/data/import/"

log="$DIR/keycloak.log"
# The issuer is pinned to one host (Keycloak otherwise takes it from each request's Host header).
# C1 only (TieredStopAtLevel=1): a quicker start on a busy 2-core machine; tests are light.
KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin JAVA_OPTS_APPEND="-XX:TieredStopAtLevel=1" \
  nohup setsid "$home/bin/kc.sh" start --optimized "${BUILD_OPTS[@]}" --http-enabled=true --http-host=127.0.0.1 \
  --http-port="$PORT" --hostname="http://127.0.0.1:$PORT" --import-realm > "$log" 2>&1 &
echo $! > "$PIDFILE"

issuer="http://127.0.0.1:$PORT/realms/$REALM"
wait_s="${KEYCLOAK_WAIT:-180}"
for _ in $(seq 1 $((wait_s * 2))); do
  if curl -fs -o /dev/null "$issuer/.well-known/openid-configuration"; then
    echo "$issuer" > "$DIR/address"
    echo "keycloak up on http://127.0.0.1:$PORT pid $(cat "$PIDFILE")"
    exit 0
  fi
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { echo "keycloak died:"; tail -50 "$log"; exit 1; }
  sleep 0.5
done
echo "keycloak did not start in $wait_s s"; tail -50 "$log"; exit 1
