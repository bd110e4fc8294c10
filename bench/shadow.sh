#!/usr/bin/env bash
# Shadow benchmark: what does the shadow stage cost the user?
#
# One Strangler, one monolith (nginx, fixed ~200-byte JSON), four routes measured in alternating
# rounds with wrk, each answered by the monolith:
#   monolith      /mono/**   stage monolith (the reference)
#   shadow-fast   /fast/**   stage shadow, service = nginx answering the same body at once
#   shadow-slow   /slow/**   stage shadow, service answers after 500 ms (python3 threaded server)
#   shadow-down   /down/**   stage shadow, service port closed (connection refused)
# Reported: median req/s, p50, p99 per route and p99 ratio shadow-X / monolith (target: <= 1.10).
#
# Env: DURATION (10s), WARMUP (10s), ROUNDS (3), CONNECTIONS (50), PORT_BASE (18180), PIN (1),
#      PROXY_CPUS (0), LOAD_CPUS (1), KEEP_TMP (0).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION=${DURATION:-10s}; WARMUP=${WARMUP:-10s}; ROUNDS=${ROUNDS:-3}; CONNECTIONS=${CONNECTIONS:-50}
PORT_BASE=${PORT_BASE:-18180}; PIN=${PIN:-1}; PROXY_CPUS=${PROXY_CPUS:-0}; LOAD_CPUS=${LOAD_CPUS:-1}; KEEP_TMP=${KEEP_TMP:-0}
MONO_PORT=$((PORT_BASE + 1)); FAST_PORT=$((PORT_BASE + 2)); SLOW_PORT=$((PORT_BASE + 3)); DOWN_PORT=$((PORT_BASE + 4))
GW_PORT=$((PORT_BASE + 5)); ADMIN_PORT=$((PORT_BASE + 6))
TARGETS="monolith shadow-fast shadow-slow shadow-down"

BENCH_NAME=shadow.sh
# shellcheck source=lib.sh
. bench/lib.sh
command -v python3 >/dev/null || die "python3 is required (the 500 ms service)"
bench_setup
ON_PROXY=("${ON_PROXY_CPUS[@]}"); ON_LOAD=("${ON_LOAD_CPUS[@]}")
ports_free $MONO_PORT $FAST_PORT $SLOW_PORT $DOWN_PORT $GW_PORT $ADMIN_PORT
wait_for() { wait_until 60 "$1" curl -sf -o /dev/null --max-time 2 "$1" || die "$1 did not answer"; }

mkdir -p "$TMP/nginx-tmp"
cat >"$TMP/backends.conf" <<EOF
daemon off;
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx-tmp; proxy_temp_path $TMP/nginx-tmp; fastcgi_temp_path $TMP/nginx-tmp;
    uwsgi_temp_path $TMP/nginx-tmp; scgi_temp_path $TMP/nginx-tmp;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:$MONO_PORT; location / { default_type application/json; return 200 '$BODY'; } }
    server { listen 127.0.0.1:$FAST_PORT; location / { default_type application/json; return 200 '$BODY'; } }
}
EOF
cat >"$TMP/strangler.yaml" <<EOF
listen: 127.0.0.1:$GW_PORT
admin: { listen: 127.0.0.1:$ADMIN_PORT }
monolith: { url: http://127.0.0.1:$MONO_PORT }
services:
  fast: { url: http://127.0.0.1:$FAST_PORT }
  slow: { url: http://127.0.0.1:$SLOW_PORT, response-timeout: 2s }
  down: { url: http://127.0.0.1:$DOWN_PORT }
routes:
  - { name: mono, match: { path: /mono/** }, service: fast, stage: monolith }
  - { name: fast, match: { path: /fast/** }, service: fast, stage: shadow }
  - { name: slow, match: { path: /slow/** }, service: slow, stage: shadow }
  - { name: down, match: { path: /down/** }, service: down, stage: shadow }
EOF

spawn backends "${ON_LOAD[@]}" nginx -c "$TMP/backends.conf" -p "$TMP"
wait_for "http://127.0.0.1:$MONO_PORT/"
start_slow_service slow "$SLOW_PORT"
./strangler validate --config "$TMP/strangler.yaml" >&2
spawn strangler "${ON_PROXY[@]}" ./strangler run --config "$TMP/strangler.yaml"
wait_for "http://127.0.0.1:$ADMIN_PORT/health"
log "all up; wrk -t1 -c$CONNECTIONS -d$DURATION, warm-up $WARMUP, $ROUNDS rounds"

path_of() { case $1 in monolith) echo /mono/x;; shadow-fast) echo /fast/x;; shadow-slow) echo /slow/x;; shadow-down) echo /down/x;; esac; }
cat >"$TMP/report.lua" <<'EOF'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.3f %.3f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
EOF
run_wrk() { "${ON_LOAD[@]}" wrk -t1 -c"$CONNECTIONS" -d"$2" --latency -s "$TMP/report.lua" "http://127.0.0.1:$GW_PORT$(path_of "$1")" | awk '/^RESULT/ { print $2, $3, $4, $5 }'; }

declare -A RPS P50 P99 ERRS
for t in $TARGETS; do log "warm-up $t"; run_wrk "$t" "$WARMUP" >/dev/null; done
for r in $(seq "$ROUNDS"); do
    for t in $TARGETS; do
        read -r rps p50 p99 errs <<<"$(run_wrk "$t" "$DURATION")"
        log "round $r/$ROUNDS $t: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errs"
        RPS[$t]+="$rps "; P50[$t]+="$p50 "; P99[$t]+="$p99 "; ERRS[$t]=$(( ${ERRS[$t]:-0} + errs ))
    done
done

echo
printf '%-14s %10s %10s %10s %8s %14s\n' route "req/s" "p50 ms" "p99 ms" errors "p99 / monolith"
base_p99=$(echo "${P99[monolith]}" | median)
for t in $TARGETS; do
    p99=$(echo "${P99[$t]}" | median)
    printf '%-14s %10.0f %10s %10s %8s %14s\n' "$t" "$(echo "${RPS[$t]}" | median)" "$(echo "${P50[$t]}" | median)" "$p99" \
        "${ERRS[$t]}" "$(awk -v a="$p99" -v b="$base_p99" 'BEGIN { printf "%.2f", a / b }')"
done
echo
log "shadow outcomes (admin /metrics):"
curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" | grep -E '^strangler_shadow_(comparisons|dropped)_total' >&2 || true
