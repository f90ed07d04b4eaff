#!/usr/bin/env bash
# helm, for the chart's test (test/integration/helm-chart.test.ts) and CI. The binary is built once
# from the Go module proxy (go install helm.sh/helm/v4, a few minutes) into a cache folder and never
# rebuilt when it is there. Needs Go.
#
#   test/helm/helm.sh        builds helm when missing; prints the binary's path (the build's output goes to stderr)
#
# Environment: HELM_CACHE (the built binary; default ~/.cache/tmf688-hub). CI passes the printed path
# to the test in HUB_TEST_HELM.
set -euo pipefail
VERSION=v4.3.2
CACHE="${HELM_CACHE:-$HOME/.cache/tmf688-hub}"
BIN="$CACHE/helm-$VERSION/helm"

if [ ! -x "$BIN" ]; then
  command -v go >/dev/null || { echo "go is not installed: cannot build helm $VERSION" >&2; exit 1; }
  mkdir -p "$CACHE"
  # One build at a time per cache (CI and a developer may share the machine).
  exec 9>"$CACHE/.helm-$VERSION.lock"
  flock 9
  if [ ! -x "$BIN" ]; then
    echo "building helm $VERSION (go install, once)" >&2
    # The version stamp, so that `helm version` tells which helm checked the chart.
    GOBIN="$CACHE/helm-$VERSION" go install -ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=$VERSION" \
      "helm.sh/helm/v4/cmd/helm@$VERSION" >&2
  fi
  flock -u 9
fi
echo "$BIN"
