#!/usr/bin/env bash
# Where a proxied request's bytes are allocated: one `./strangler run` (one live route /api/r0/**, the
# same set-up as bench/proxy.sh's strangler-1) before an NGINX backend, loaded by wrk, with a JFR
# recording of allocation samples (with stacks) and of each thread's allocation counters.
#
#   bash bench/alloc-profile.sh [OUT_DIR]                     # default OUT_DIR: bench/results/alloc-<time>
#   JAVA_OPTS=-Dstrangler.own-server=false bash bench/alloc-profile.sh /tmp/vertx   # Vert.x's server path
#
# Prints the requests served and the bytes each thread allocated while recorded (bench/jfr-allocated.py);
# the event loop's bytes divided by the requests is the per-request figure docs/performance.md tracks.
# Then the allocation sites, heaviest first (bench/jfr-sites.py: bytes per request by class and the
# first Strangler frame). Pinning as bench/proxy.sh: the gateway on CPU 0, wrk and the backend on CPU 1.
#
# Knobs: WARMUP [25s] (not recorded), DURATION [20s] (recorded), CONNECTIONS [50], PORT_BASE [19300],
# SITES [40] (rows of the site table; 0 for none), STAGE [live]: the route's stage, `live` (the service
# answers), `monolith` (the monolith answers) or `shadow` (the monolith answers, each GET is copied to the
# service, which answers at once, and the two answers are compared: what a copy adds is shadow / monolith).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=../bin/find-jdk
. bin/find-jdk
strangler_find_jdk
export JAVA_HOME

OUT=${1:-bench/results/alloc-$(date -u +%Y%m%dT%H%M%SZ)}
WARMUP=${WARMUP:-25s}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-50}
PORT_BASE=${PORT_BASE:-19300}
SITES=${SITES:-40}
STAGE=${STAGE:-live}
case $STAGE in live | monolith | shadow) ;; *) echo "STAGE must be live, monolith or shadow, was $STAGE" >&2; exit 2 ;; esac
SERVICE_PORT=$((PORT_BASE + 1)) MONOLITH_PORT=$((PORT_BASE + 2)) GATEWAY_PORT=$((PORT_BASE + 3)) ADMIN_PORT=$((PORT_BASE + 4))

log() { printf '[alloc-profile] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
for tool in nginx wrk taskset curl python3; do command -v "$tool" >/dev/null || die "$tool not found (apt-get install nginx wrk util-linux curl python3)"; done

mkdir -p "$OUT"
TMP=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

BODY='{"id":42,"title":"Notes on connection pools","authorId":3,"tags":["operations","design"],"createdAt":"2024-01-08T09:00:00Z","summary":"A fixed body for the proxy benchmark; the backend is not the subject."}'
cat >"$TMP/backend.conf" <<EOF
worker_processes 1; daemon off; pid $TMP/backend.pid; error_log $TMP/backend-error.log warn;
events { worker_connections 8192; }
http {
    access_log off; keepalive_requests 10000000; keepalive_timeout 300s;
    client_body_temp_path $TMP/body; proxy_temp_path $TMP/proxy; fastcgi_temp_path $TMP/fastcgi;
    uwsgi_temp_path $TMP/uwsgi; scgi_temp_path $TMP/scgi;
    server { listen 127.0.0.1:$SERVICE_PORT; default_type application/json;
             location / { add_header X-Served-By bench-service; return 200 '$BODY'; } }
    server { listen 127.0.0.1:$MONOLITH_PORT; default_type application/json;
             location / { add_header X-Served-By bench-monolith; return 200 '$BODY'; } }
}
EOF
setsid taskset -c 1 nginx -c "$TMP/backend.conf" -p "$TMP" >"$TMP/backend.log" 2>&1 &
pids+=($!)

cat >"$TMP/strangler.yaml" <<EOF
listen: 127.0.0.1:$GATEWAY_PORT
admin: { listen: 127.0.0.1:$ADMIN_PORT }
store: { url: "jdbc:h2:file:$TMP/store/state" }
monolith: { url: "http://127.0.0.1:$MONOLITH_PORT" }
services:
  backend: { url: "http://127.0.0.1:$SERVICE_PORT" }
routes:
  - name: r0
    match: { path: "/api/r0/**" }
    service: backend
    stage: $STAGE
EOF
./strangler validate --config "$TMP/strangler.yaml" >/dev/null || die "config rejected"
setsid taskset -c 0 ./strangler run --config "$TMP/strangler.yaml" >"$OUT/strangler.log" 2>&1 &
gateway_group=$!
pids+=("$gateway_group")
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$ADMIN_PORT/health" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$ADMIN_PORT/health" >/dev/null || { tail -n 30 "$OUT/strangler.log" >&2; die "the gateway did not start"; }
pid=$(pgrep -g "$gateway_group" java | head -1) || die "no JVM in the gateway's process group"
url="http://127.0.0.1:$GATEWAY_PORT/api/r0/items/42"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$url") == 200 ]] || die "$url does not answer 200"
log "gateway pid $pid${JAVA_OPTS:+ (JAVA_OPTS=$JAVA_OPTS)}, route in stage $STAGE; warm-up $WARMUP, recorded $DURATION, wrk -c$CONNECTIONS"

taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "$url" >"$OUT/warmup.txt"
cat >"$TMP/alloc.jfc" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="bench/alloc-profile.sh">
  <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting><setting name="throttle">2000/s</setting><setting name="stackTrace">true</setting></event>
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>
</configuration>
EOF
"$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=alloc settings="$TMP/alloc.jfc" filename="$OUT/alloc.jfr" >/dev/null
taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "$url" >"$OUT/wrk.txt"
"$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=alloc >/dev/null

requests=$(awk '/requests in/ { print $1 }' "$OUT/wrk.txt")
"$JAVA_HOME/bin/jfr" print --json --events jdk.ThreadAllocationStatistics "$OUT/alloc.jfr" \
    | python3 bench/jfr-allocated.py >"$OUT/allocated.txt" 2>&1
loop_bytes=$(awk -F': ' '/vert.x-eventloop-thread-0:/ { print $2 }' "$OUT/allocated.txt")
{
    echo "requests recorded: $requests ($(grep 'Requests/sec' "$OUT/wrk.txt"))"
    echo "allocated (whole JVM, then the heaviest threads):"
    cat "$OUT/allocated.txt"
    [[ -n $loop_bytes && -n $requests ]] && echo "event loop bytes per request: $((loop_bytes / requests))"
} | tee "$OUT/summary.txt"
if [[ $SITES != 0 ]]; then
    "$JAVA_HOME/bin/jfr" print --json --events jdk.ObjectAllocationSample "$OUT/alloc.jfr" >"$TMP/samples.json"
    python3 bench/jfr-sites.py "$TMP/samples.json" "$requests" "$SITES" | tee "$OUT/sites.txt"
fi
