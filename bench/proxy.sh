#!/usr/bin/env bash
# Proxy overhead benchmark: Strangler against NGINX, both in front of the same fixed backend.
#
#   bash bench/proxy.sh                      # from the repo root; see docs/performance.md
#   ROUNDS=5 DURATION=30s bash bench/proxy.sh
#   TARGETS="direct nginx" bash bench/proxy.sh   # only the parts that need no gateway
#
# What runs (all on loopback):
#   backend   nginx, 1 worker, answering a fixed ~200-byte JSON body on two ports: the
#             "service" port (X-Served-By: bench-service) and the "monolith" port
#             (X-Served-By: bench-monolith). No access log: it is a constant, not a subject.
#   nginx     nginx as a reverse proxy to the service port: 1 worker, upstream keepalive 64,
#             HTTP/1.1 to the upstream, access log on, X-Request-Id generated and passed both
#             ways -- the per-request work Strangler does by contract.
#   strangler-1     ./strangler run with 1 route (/api/r0/**, stage live -> service)
#   strangler-1-nocatalog  strangler-1 with `catalog: { enabled: false }`: the endpoint catalog's
#                   cost is strangler-1 / strangler-1-nocatalog (target: >= 0.97). Not in the
#                   default TARGETS: TARGETS="strangler-1 strangler-1-nocatalog" bash bench/proxy.sh
#   strangler-1000  ./strangler run with 1,000 routes (/api/r{i}/..., distinct first
#                   segments so none overlap); the measured route is the last one declared.
#                   Access log on (the default) in both.
# wrk measures with keep-alive connections; for each target one warm-up run, then ROUNDS
# rounds in which the targets alternate, so drift (thermal, noisy neighbours) hits all alike.
# Reported: median requests/s over rounds, median p50 and p99 over rounds.
#
# CPU placement (PIN=1, the default, on a machine with >= 2 CPUs): the proxy under test runs
# on PROXY_CPUS, wrk and the backend on LOAD_CPUS. Both proxies then get the same single core
# (nginx has 1 worker; the JVM sees 1 available processor), and wrk/backend never steal it.
#
# Environment (defaults in brackets):
#   THREADS [1] CONNECTIONS [50] DURATION [10s] WARMUP [10s] ROUNDS [3]
#   TARGETS ["direct nginx strangler-1 strangler-1000"]  ROUTES_MANY [1000]
#   PORT_BASE [18080]  PIN [1]  PROXY_CPUS [0]  LOAD_CPUS [1]  STARTUP_TIMEOUT [300] (seconds)
#   KEEP_TMP [0]: keep the temp dir (configs, logs) after exit
set -euo pipefail

THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-3}
TARGETS=${TARGETS:-"direct nginx strangler-1 strangler-1000"}
ROUTES_MANY=${ROUTES_MANY:-1000}
PORT_BASE=${PORT_BASE:-18080}
PIN=${PIN:-1}
PROXY_CPUS=${PROXY_CPUS:-0}
LOAD_CPUS=${LOAD_CPUS:-1}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-300}
KEEP_TMP=${KEEP_TMP:-0}

SERVICE_PORT=$((PORT_BASE + 1))
MONOLITH_PORT=$((PORT_BASE + 2))
NGINX_PORT=$((PORT_BASE + 3))
STRANGLER1_PORT=$((PORT_BASE + 4))
STRANGLER1_ADMIN=$((PORT_BASE + 5))
STRANGLERN_PORT=$((PORT_BASE + 6))
STRANGLERN_ADMIN=$((PORT_BASE + 7))
STRANGLER1NC_PORT=$((PORT_BASE + 8))
STRANGLER1NC_ADMIN=$((PORT_BASE + 9))

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

log() { printf '[proxy.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- prerequisites
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    log "installing wrk and nginx"
    [[ $(id -u) -eq 0 ]] || die "wrk/nginx missing and not root: install them (apt-get install -y wrk nginx)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
fi
for tool in curl awk setsid; do command -v "$tool" >/dev/null || die "$tool is required"; done
wants() { [[ " $TARGETS " == *" $1 "* ]]; }
for t in $TARGETS; do
    case $t in direct|nginx|strangler-1|strangler-1-nocatalog|strangler-1000) ;; *) die "TARGETS: unknown target '$t' (expected: direct nginx strangler-1 strangler-1-nocatalog strangler-1000)";; esac
done
if wants strangler-1 || wants strangler-1000; then
    [[ -x ./strangler ]] || die "./strangler launcher not found at $ROOT (needed for the strangler targets; TARGETS=\"direct nginx\" runs without it)"
fi
if [[ $PIN == 1 ]] && { [[ $(nproc) -lt 2 ]] || ! command -v taskset >/dev/null; }; then
    log "fewer than 2 CPUs or no taskset: not pinning"
    PIN=0
fi
# Command prefixes (arrays, so setsid can exec them): empty when not pinning.
ON_PROXY_CPUS=(); ON_LOAD_CPUS=()
if [[ $PIN == 1 ]]; then ON_PROXY_CPUS=(taskset -c "$PROXY_CPUS"); ON_LOAD_CPUS=(taskset -c "$LOAD_CPUS"); fi

for port in $SERVICE_PORT $MONOLITH_PORT $NGINX_PORT $STRANGLER1_PORT $STRANGLER1_ADMIN $STRANGLERN_PORT $STRANGLERN_ADMIN; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port is in use (ports $((PORT_BASE + 1))..$((PORT_BASE + 7)) are needed; set PORT_BASE)"
    fi
done
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

TMP=$(mktemp -d /tmp/strangler-bench.XXXXXX)
PGIDS=()
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pgid in "${PGIDS[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
    for _ in $(seq 50); do
        local alive=0
        for pgid in "${PGIDS[@]}"; do kill -0 -- "-$pgid" 2>/dev/null && alive=1; done
        [[ $alive == 0 ]] && break
        sleep 0.1
    done
    for pgid in "${PGIDS[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
    if [[ $KEEP_TMP == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts "$@" in its own session (so cleanup can kill the whole process group) with output to $1.log.
spawn() {
    local name=$1; shift
    setsid "$@" >"$TMP/$name.log" 2>&1 </dev/null &
    PGIDS+=($!)
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s.
wait_until() {
    local timeout=$1 what=$2; shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
    log "$what is up"
}

# served_by URL: the X-Served-By header of a GET, "" if none.
served_by() {
    curl -s -o /dev/null -D - --max-time 5 "$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-served-by" { print $2 }'
}

# ---------------------------------------------------------------- backend and nginx proxy
# A ~200-byte JSON body, shaped like a small API answer. No '$' or single quote in it (nginx string).
BODY='{"id":42,"title":"Notes on connection pools","authorId":3,"tags":["operations","design"],"createdAt":"2024-01-08T09:00:00Z","summary":"A fixed body for the proxy benchmark; the backend is not the subject."}'
MEASURED_PATH="/api/r$((ROUTES_MANY - 1))/items/42"
MEASURED_PATH_ONE="/api/r0/items/42"

nginx_common() { # $1 = name
    cat <<EOF
worker_processes 1;
daemon off;
pid $TMP/$1.pid;
error_log $TMP/$1-error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 8192; }
EOF
}
nginx_temp_paths() { # $1 = name
    mkdir -p "$TMP/$1-tmp"
    cat <<EOF
    client_body_temp_path $TMP/$1-tmp/body;
    proxy_temp_path $TMP/$1-tmp/proxy;
    fastcgi_temp_path $TMP/$1-tmp/fastcgi;
    uwsgi_temp_path $TMP/$1-tmp/uwsgi;
    scgi_temp_path $TMP/$1-tmp/scgi;
EOF
}

{
    nginx_common backend
    echo "http {"
    nginx_temp_paths backend
    cat <<EOF
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    server {
        listen 127.0.0.1:$SERVICE_PORT;
        default_type application/json;
        location / { add_header X-Served-By bench-service; return 200 '$BODY'; }
    }
    server {
        listen 127.0.0.1:$MONOLITH_PORT;
        default_type application/json;
        location / { add_header X-Served-By bench-monolith; return 200 '$BODY'; }
    }
}
EOF
} >"$TMP/backend.conf"

{
    nginx_common nginx-proxy
    echo "http {"
    nginx_temp_paths nginx-proxy
    cat <<EOF
    access_log $TMP/nginx-proxy-access.log combined;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    upstream service {
        server 127.0.0.1:$SERVICE_PORT;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://service;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Request-Id \$request_id;
            add_header X-Request-Id \$request_id always;
        }
    }
}
EOF
} >"$TMP/nginx-proxy.conf"

nginx -t -q -c "$TMP/backend.conf" -p "$TMP" 2>"$TMP/nginx-t.log" || { cat "$TMP/nginx-t.log" >&2; die "backend nginx config rejected"; }
nginx -t -q -c "$TMP/nginx-proxy.conf" -p "$TMP" 2>"$TMP/nginx-t.log" || { cat "$TMP/nginx-t.log" >&2; die "proxy nginx config rejected"; }

spawn backend "${ON_LOAD_CPUS[@]}" nginx -c "$TMP/backend.conf" -p "$TMP"
wait_until 10 "backend (service :$SERVICE_PORT, monolith :$MONOLITH_PORT)" curl -sf "http://127.0.0.1:$SERVICE_PORT/health" \
    || die "backend did not start: $(cat "$TMP/backend.log" "$TMP/backend-error.log" 2>/dev/null)"
[[ $(served_by "http://127.0.0.1:$SERVICE_PORT/") == bench-service ]] || die "backend service port does not answer as expected"
log "backend body is $(curl -s "http://127.0.0.1:$SERVICE_PORT/" | wc -c) bytes"

if wants nginx; then
    spawn nginx-proxy "${ON_PROXY_CPUS[@]}" nginx -c "$TMP/nginx-proxy.conf" -p "$TMP"
    wait_until 10 "nginx proxy (:$NGINX_PORT)" curl -sf "http://127.0.0.1:$NGINX_PORT$MEASURED_PATH_ONE" \
        || die "nginx proxy did not start: $(cat "$TMP/nginx-proxy.log" "$TMP/nginx-proxy-error.log" 2>/dev/null)"
fi

# ---------------------------------------------------------------- strangler configs
# write_config FILE ROUTES LISTEN_PORT ADMIN_PORT NAME [EXTRA-TOP-LEVEL-YAML]
write_config() {
    local file=$1 routes=$2 port=$3 admin=$4 name=$5 extra=${6:-}
    {
        [[ -n $extra ]] && echo "$extra"
        cat <<EOF
# Generated by bench/proxy.sh: $routes route(s); the last route (/api/r$((routes - 1))/**) is live and measured.
listen: 127.0.0.1:$port
admin: { listen: 127.0.0.1:$admin }
store: { url: "jdbc:h2:file:$TMP/$name-store/state" }
monolith: { url: "http://127.0.0.1:$MONOLITH_PORT" }
services:
  backend: { url: "http://127.0.0.1:$SERVICE_PORT" }
routes:
EOF
        # Distinct first segments r0..rN-1 keep every route disjoint from every other. Shapes and
        # stages vary so the table looks like a real migration plan, not N copies of one entry;
        # only stages that need no extra settings are used (no traffic reaches the others).
        awk -v n="$routes" 'BEGIN {
            for (i = 0; i < n; i++) {
                last = (i == n - 1)
                shape = last ? 0 : i % 3
                stage = last ? "live" : ((i % 2) ? "live" : "monolith")
                printf "  - name: r%d\n", i
                if (shape == 0)      printf "    match: { path: \"/api/r%d/**\" }\n", i
                else if (shape == 1) printf "    match: { methods: [GET], path: \"/api/r%d/items/{id}\" }\n", i
                else                 printf "    match: { methods: [GET, POST], path: \"/api/r%d/items\" }\n", i
                printf "    service: backend\n    stage: %s\n", stage
            }
        }'
    } >"$file"
}

# start_strangler NAME ROUTES PORT ADMIN PATH [EXTRA-TOP-LEVEL-YAML]
start_strangler() {
    local name=$1 routes=$2 port=$3 admin=$4 path=$5 extra=${6:-}
    local config="$TMP/$name.yaml"
    write_config "$config" "$routes" "$port" "$admin" "$name" "$extra"
    # Unpinned, so a first build of the jar by the launcher gets every CPU; fails fast on a bad config.
    ./strangler validate --config "$config" >"$TMP/$name-validate.log" 2>&1 \
        || { cat "$TMP/$name-validate.log" >&2; die "$name: config rejected ($config)"; }
    spawn "$name" "${ON_PROXY_CPUS[@]}" ./strangler run --config "$config"
    wait_until "$STARTUP_TIMEOUT" "$name (:$port, admin :$admin, $routes route(s))" curl -sf "http://127.0.0.1:$admin/health" \
        || { tail -n 40 "$TMP/$name.log" >&2; die "$name did not become healthy in ${STARTUP_TIMEOUT}s"; }
    local who pid
    who=$(served_by "http://127.0.0.1:$port$path")
    pid=$(pgrep -g "${PGIDS[-1]}" java | head -1 || true)
    if [[ -n $pid && -z ${STRANGLER_JAVA:-} ]]; then
        STRANGLER_JAVA=$("$(readlink "/proc/$pid/exe")" -version 2>&1 | head -1)
    fi
    [[ $who == bench-service ]] || die "$name: $path was answered by '${who:-nothing}', expected the service (bench-service)"
}

if wants strangler-1; then start_strangler strangler-1 1 "$STRANGLER1_PORT" "$STRANGLER1_ADMIN" "$MEASURED_PATH_ONE"; fi
if wants strangler-1-nocatalog; then
    start_strangler strangler-1-nocatalog 1 "$STRANGLER1NC_PORT" "$STRANGLER1NC_ADMIN" "$MEASURED_PATH_ONE" "catalog: { enabled: false }"
fi
if wants strangler-1000; then start_strangler strangler-1000 "$ROUTES_MANY" "$STRANGLERN_PORT" "$STRANGLERN_ADMIN" "$MEASURED_PATH"; fi

url_of() {
    case $1 in
        direct) echo "http://127.0.0.1:$SERVICE_PORT$MEASURED_PATH_ONE" ;;
        nginx) echo "http://127.0.0.1:$NGINX_PORT$MEASURED_PATH_ONE" ;;
        strangler-1) echo "http://127.0.0.1:$STRANGLER1_PORT$MEASURED_PATH_ONE" ;;
        strangler-1-nocatalog) echo "http://127.0.0.1:$STRANGLER1NC_PORT$MEASURED_PATH_ONE" ;;
        strangler-1000) echo "http://127.0.0.1:$STRANGLERN_PORT$MEASURED_PATH" ;;
    esac
}

# ---------------------------------------------------------------- measurement
# wrk calls done() once at the end: one machine-readable line (latency in ms). No per-request
# hooks, so wrk keeps its fast path.
cat >"$TMP/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p50=%.3f p99=%.3f errors=%d non2xx=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, summary.requests))
end
EOF

declare -A RPS P50 P99 ERRS
run_wrk() { # run_wrk TARGET DURATION -> "rps p50 p99 errors"
    local out
    out=$("${ON_LOAD_CPUS[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s "$TMP/report.lua" "$(url_of "$1")" 2>&1) \
        || { echo "$out" >&2; die "wrk failed against $1"; }
    echo "$out" >>"$TMP/wrk-$1.log"
    echo "$out" | awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                                   print v["rps"], v["p50"], v["p99"], v["errors"] + v["non2xx"] }'
}

log "targets: $TARGETS; wrk -t$THREADS -c$CONNECTIONS -d$DURATION, warm-up $WARMUP, $ROUNDS rounds; pinning: $([[ $PIN == 1 ]] && echo "proxy on CPU $PROXY_CPUS, wrk+backend on CPU $LOAD_CPUS" || echo off)"
for t in $TARGETS; do
    log "warm-up $t ($WARMUP)"
    run_wrk "$t" "$WARMUP" >/dev/null
done
for r in $(seq "$ROUNDS"); do
    for t in $TARGETS; do
        result=$(run_wrk "$t" "$DURATION")
        read -r rps p50 p99 errs <<<"$result"
        log "round $r/$ROUNDS $t: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errs"
        RPS[$t]+="$rps "; P50[$t]+="$p50 "; P99[$t]+="$p99 "; ERRS[$t]=$(( ${ERRS[$t]:-0} + errs ))
    done
done

# ---------------------------------------------------------------- report
median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }' | sed 's/\.000$//'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "" || b == "") print "n/a"; else printf "%.2f", a / b }'; }
# Median over rounds of the same-round ratio A/B: on a machine whose speed drifts between rounds
# (shared CPUs), targets measured back to back share the drift, so this is the steadier figure.
round_ratio() { # round_ratio "a1 a2 .." "b1 b2 .."
    paste -d' ' <(echo "$1" | tr ' ' '\n' | awk 'NF') <(echo "$2" | tr ' ' '\n' | awk 'NF') \
        | awk '$2 + 0 > 0 { printf "%.4f ", $1 / $2 }' | median | xargs printf '%.2f'
}
pair() { # pair A B LABEL
    echo "$3: throughput $(ratio "${MRPS[$1]}" "${MRPS[$2]}"), p99 $(ratio "${MP99[$1]}" "${MP99[$2]}")" \
         "(median of same-round ratios: throughput $(round_ratio "${RPS[$1]}" "${RPS[$2]}"), p99 $(round_ratio "${P99[$1]}" "${P99[$2]}"))"
}
declare -A MRPS MP50 MP99
for t in $TARGETS; do
    MRPS[$t]=$(echo "${RPS[$t]}" | median | xargs printf '%.0f')
    MP50[$t]=$(echo "${P50[$t]}" | median)
    MP99[$t]=$(echo "${P99[$t]}" | median)
done

ratios=()
if wants nginx && wants direct; then
    ratios+=("$(pair nginx direct "nginx / direct")")
fi
if wants nginx && wants strangler-1; then
    ratios+=("$(pair strangler-1 nginx "Strangler (1 route) / NGINX")")
fi
if wants nginx && wants strangler-1000; then
    ratios+=("$(pair strangler-1000 nginx "Strangler ($ROUTES_MANY routes) / NGINX")")
fi
if wants strangler-1 && wants strangler-1-nocatalog; then
    ratios+=("$(pair strangler-1 strangler-1-nocatalog "Strangler with the endpoint catalog / without")")
fi
if wants strangler-1 && wants strangler-1000; then
    ratios+=("$(pair strangler-1000 strangler-1 "Strangler $ROUTES_MANY routes / 1 route")")
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
REPORT="bench/results/proxy-$STAMP.md"
cpu_model=$(lscpu 2>/dev/null | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
java_version=${STRANGLER_JAVA:-n/a (no Strangler target ran)}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$( [[ -n $(git status --porcelain 2>/dev/null | head -1) ]] && echo " (with uncommitted changes)" || true)

{
    echo "# Proxy benchmark, $STAMP"
    echo
    echo "Commit \`$commit\`$dirty. Produced by \`bench/proxy.sh\`; method in docs/performance.md."
    echo
    echo "- Machine: $(nproc) CPUs, $cpu_model, $mem, kernel $(uname -r)"
    echo "- $(nginx -v 2>&1), $(wrk -v 2>&1 | head -1 | awk '{ print "wrk " $2 }'), Strangler's JVM: $java_version"
    echo "- Load: \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION\` keep-alive, warm-up $WARMUP per target, $ROUNDS alternating rounds; medians over rounds"
    echo "- Pinning: $([[ $PIN == 1 ]] && echo "proxy under test on CPU $PROXY_CPUS; wrk and backend on CPU $LOAD_CPUS" || echo "none")"
    echo "- Backend: nginx, 1 worker, fixed $(printf %s "$BODY" | wc -c)-byte JSON; nginx proxy: 1 worker, upstream keepalive 64, access log on, X-Request-Id; Strangler: default settings (access log on), measured route \`live\`"
    echo
    echo "| target | requests/s | p50 (ms) | p99 (ms) | errors | rounds (req/s) |"
    echo "|---|---:|---:|---:|---:|---|"
    for t in $TARGETS; do
        echo "| $t | ${MRPS[$t]} | ${MP50[$t]} | ${MP99[$t]} | ${ERRS[$t]:-0} | ${RPS[$t]% } |"
    done
    echo
    for line in "${ratios[@]}"; do echo "- $line"; done
} >"$REPORT"

echo
printf '%-22s %12s %10s %10s %8s\n' target 'req/s' 'p50 ms' 'p99 ms' errors
for t in $TARGETS; do
    printf '%-22s %12s %10s %10s %8s\n' "$t" "${MRPS[$t]}" "${MP50[$t]}" "${MP99[$t]}" "${ERRS[$t]:-0}"
done
echo
for line in "${ratios[@]}"; do echo "$line"; done
echo
log "results written to $REPORT"
