#!/usr/bin/env bash
# Soak test: mixed traffic through a real ./strangler run on loopback for DURATION seconds
# (default 600) while the service is killed and restarted every minute; counts answers from the
# wrong backend, truncated bodies delivered as complete, and samples the gateway's descriptors and
# RSS. Exit 1 on any violation. See bench/soak/Soak.java for what runs, docs/edge.md for results.
#
#   bash bench/soak.sh                 # 10 minutes
#   DURATION=60 bash bench/soak.sh     # a quick look
#   EXTRA_CONFIG=file.yaml bash bench/soak.sh   # YAML appended to the generated config
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=../bin/find-jdk
. bin/find-jdk
strangler_find_jdk
./strangler --version >/dev/null   # builds the jar when it is missing or stale
args=(--launcher "$root/strangler" --duration "${DURATION:-600}")
[ -n "${EXTRA_CONFIG:-}" ] && args+=(--extra-config "$EXTRA_CONFIG")
exec "$JAVA_HOME/bin/java" bench/soak/Soak.java "${args[@]}"
