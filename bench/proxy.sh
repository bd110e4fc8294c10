#!/usr/bin/env bash
# Proxy overhead benchmark: Strangler against NGINX, HAProxy and Spring Cloud Gateway, all in
# front of the same fixed backend.
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
#   haproxy   HAProxy (Debian) configured like the nginx proxy: 1 thread, keep-alive to the service
#             (http-reuse always), a log line per request, X-Request-Id generated and passed both ways.
#   strangler-1     ./strangler run with 1 route (/api/r0/**, stage live -> service)
#   strangler-1-nocatalog  strangler-1 with `catalog: { enabled: false }`: the endpoint catalog's
#                   cost is strangler-1 / strangler-1-nocatalog (target: >= 0.97). Not in the
#                   default TARGETS: TARGETS="strangler-1 strangler-1-nocatalog" bash bench/proxy.sh
#   strangler-1-noaccesslog  strangler-1 with `access-log: false`: what the access log costs (issue 14's
#                   targets are with it on). Not in the default TARGETS.
#   strangler-1-vertxclient  strangler-1 with JAVA_OPTS=-Dstrangler.lean-backend=false: every backend
#                   request through Vert.x's HttpClient instead of the lean Netty client (issue 14's
#                   A/B). Not in the default TARGETS.
#   strangler-1-vertxserver  strangler-1 with JAVA_OPTS=-Dstrangler.own-server=false: every request read
#                   and answered by Vert.x's HTTP/1.x server instead of Strangler's own server path, which
#                   takes plain bodiless HTTP/1.1 requests by default since issue 14's eleventh round (the
#                   A/B of that path). Not in the default TARGETS.
#   strangler-1-nounsafe  strangler-1 with JAVA_OPTS=-Dio.netty.noUnsafe=true: Netty without
#                   sun.misc.Unsafe, as on JDK 25 without the launcher's
#                   --sun-misc-unsafe-memory-access=allow (the A/B of that option). Not in the default TARGETS.
#   strangler-1-other  strangler-1 run by the launcher of another checkout, OTHER_ROOT (built there on
#                   first use): two commits in the same rounds, e.g. `git worktree add /tmp/base
#                   COMMIT; OTHER_ROOT=/tmp/base TARGETS="nginx strangler-1 strangler-1-other"`.
#                   OTHER_JAVA_OPTS, when set, replaces JAVA_OPTS for it (OTHER_ROOT=. compares JVM settings).
#                   Not in the default TARGETS.
#   strangler-1000  ./strangler run with 1,000 routes (/api/r{i}/..., distinct first
#                   segments so none overlap); the measured route is the last one declared.
#                   Access log on (the default) in both.
#   scg-1, scg-1000 Spring Cloud Gateway (reactive, bench/scg, built here with the wrapper) on JDK 25
#                   with 1 and 1,000 routes /api/r0/** .. /api/r999/** (the measured route the last),
#                   Reactor Netty's access log on, to a file.
#   floor-vertx     bench/floor's Vert.x HttpServer + HttpClient proxy (a user's 60 lines), NGINX's per-request work.
#   floor-netty     bench/floor's raw Netty 4 proxy (codecs, keep-alive backend pool on the same event loop).
#   floor-hybrid    bench/floor's Vert.x HttpServer + the raw Netty backend pool of floor-netty.
#   floor-own       bench/floor's raw Netty proxy without HTTP codecs: its own HTTP/1.1 head reading on both
#                   sides (offsets into the socket's buffers, no object per header), bodies relayed as the backend's buffers,
#                   the same keep-alive pool; bodiless requests only (one with a body gets 501).
#                   The floor-* targets (not in the default TARGETS; bench/floor is built on first use)
#                   measure what the HTTP layers cost before any Strangler code: docs/performance.md.
# wrk measures with keep-alive connections; for each target one warm-up run, then ROUNDS
# rounds in which the targets alternate, so drift (thermal, noisy neighbours) hits all alike.
# Reported: median requests/s over rounds, median p50 and p99 over rounds, and beside them the
# proxy's CPU use (CPU time of all its processes during the run / wall time; 1.00 = its core busy
# all the time) and the load CPU's (wrk + backend): a reference proxy below ~0.95 was not saturated.
#
# CPU placement (PIN=1, the default, on a machine with >= 2 CPUs): the proxy under test runs
# on PROXY_CPUS, wrk and the backend on LOAD_CPUS. Both proxies then get the same single core
# (nginx has 1 worker; the JVM sees 1 available processor), and wrk/backend never steal it.
#
# Environment (defaults in brackets):
#   THREADS [1] CONNECTIONS [50] DURATION [10s] WARMUP [10s] ROUNDS [3]
#   WARMUP_RUNS [3]: each JVM target's warm-up is that many wrk runs sharing WARMUP (bench/lib.sh says why)
#   SCG_WARMUP [30s]: Spring Cloud Gateway's warm-up (its JIT needs longer on one core; a longer
#                     warm-up only favours it)
#   TARGETS ["direct nginx haproxy strangler-1 strangler-1000 scg-1 scg-1000"]  ROUTES_MANY [1000]
#   PORT_BASE [18080] (ports +1..+26)  PIN [1]  PROXY_CPUS [0]  LOAD_CPUS [1]  STARTUP_TIMEOUT [300] (seconds)
#   KEEP_TMP [0]: keep the temp dir (configs, logs) after exit
#   ALLOC [0]: 1 adds one more wrk run per JVM target (Strangler, SCG, floors) after the rounds, with a
#                     JFR recording of jdk.ThreadAllocationStatistics only (started and stopped with jcmd),
#                     and reports the bytes the whole JVM allocated per request in it (bench/jfr-allocated.py).
#                     Kept out of the timed rounds so the recording cannot touch their figures.
#   STALLS [0]: 1 adds one more wrk run per target after the rounds, with `perf sched record` on PROXY_CPUS, and
#                     reports when the target's serving thread (event loop, worker) was off its core and what ran
#                     instead (bench/stalls.py): on one core the gaps' lengths set the tail (docs/performance.md,
#                     "Issue 14, twelfth round"). Needs perf (Debian linux-perf) and perf_event access; skipped
#                     with a message without them. Kept out of the timed rounds.
#   PAUSE_OTHERS [1]: while one target is measured (warm-ups, rounds, ALLOC and STALLS runs), the other
#                     proxies' processes are stopped (SIGSTOP to their process groups) and continued after, so
#                     that their idle threads (a JVM's JIT and GC, a control plane's polls and timers) take
#                     nothing from the measured proxy's core: an idle Strangler took 24 ms a second of NGINX's
#                     core (docs/performance.md, "Issue 14, fifteenth round"). 0: all stay running, the method
#                     of the rounds before that one. The backend is never stopped.
#   JAVA_OPTS, FLOOR_JAVA_OPTS: extra JVM options for the Strangler targets and for bench/floor's
#                     (e.g. a profiler's -agentpath, as in docs/performance.md "Where the time goes")
set -euo pipefail

THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
SCG_WARMUP=${SCG_WARMUP:-30s}
ROUNDS=${ROUNDS:-3}
TARGETS=${TARGETS:-"direct nginx haproxy strangler-1 strangler-1000 scg-1 scg-1000"}
ROUTES_MANY=${ROUTES_MANY:-1000}
PORT_BASE=${PORT_BASE:-18080}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-300}
ALLOC=${ALLOC:-0}
STALLS=${STALLS:-0}
PAUSE_OTHERS=${PAUSE_OTHERS:-1}

SERVICE_PORT=$((PORT_BASE + 1))
MONOLITH_PORT=$((PORT_BASE + 2))
NGINX_PORT=$((PORT_BASE + 3))
STRANGLER1_PORT=$((PORT_BASE + 4))
STRANGLER1_ADMIN=$((PORT_BASE + 5))
STRANGLERN_PORT=$((PORT_BASE + 6))
STRANGLERN_ADMIN=$((PORT_BASE + 7))
STRANGLER1NC_PORT=$((PORT_BASE + 8))
STRANGLER1NC_ADMIN=$((PORT_BASE + 9))
HAPROXY_PORT=$((PORT_BASE + 10))
SCG1_PORT=$((PORT_BASE + 11))
SCGN_PORT=$((PORT_BASE + 12))
FLOOR_VERTX_PORT=$((PORT_BASE + 13))
FLOOR_NETTY_PORT=$((PORT_BASE + 14))
FLOOR_HYBRID_PORT=$((PORT_BASE + 15))
STRANGLER1VC_PORT=$((PORT_BASE + 16))
STRANGLER1VC_ADMIN=$((PORT_BASE + 17))
STRANGLER1NU_PORT=$((PORT_BASE + 18))
STRANGLER1NU_ADMIN=$((PORT_BASE + 19))
STRANGLER1OT_PORT=$((PORT_BASE + 20))
STRANGLER1OT_ADMIN=$((PORT_BASE + 21))
STRANGLER1NA_PORT=$((PORT_BASE + 22))
STRANGLER1NA_ADMIN=$((PORT_BASE + 23))
FLOOR_OWN_PORT=$((PORT_BASE + 24))
STRANGLER1VS_PORT=$((PORT_BASE + 25))
STRANGLER1VS_ADMIN=$((PORT_BASE + 26))

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH_NAME=proxy.sh
# shellcheck source=lib.sh
. bench/lib.sh

ALL_TARGETS="direct nginx haproxy strangler-1 strangler-1-nocatalog strangler-1-noaccesslog strangler-1-vertxclient strangler-1-vertxserver strangler-1-nounsafe strangler-1-other strangler-1000 scg-1 scg-1000 floor-vertx floor-netty floor-hybrid floor-own"
check_targets "$ALL_TARGETS"
bench_setup
ports_free $(seq $((PORT_BASE + 1)) $((PORT_BASE + 26)))

MEASURED_PATH="/api/r$((ROUTES_MANY - 1))/items/42"
MEASURED_PATH_ONE="/api/r0/items/42"

# ---------------------------------------------------------------- backend and reference proxies
start_backend "$SERVICE_PORT" "$MONOLITH_PORT"
log "backend body is $(curl -s "http://127.0.0.1:$SERVICE_PORT/" | wc -c) bytes"
if wants nginx; then start_nginx_proxy nginx "$NGINX_PORT" "$SERVICE_PORT"; fi
if wants haproxy; then start_haproxy haproxy "$HAPROXY_PORT" "$SERVICE_PORT"; fi

# ---------------------------------------------------------------- strangler configs
# start_bench_strangler NAME ROUTES PORT ADMIN PATH [EXTRA-TOP-LEVEL-YAML]
start_bench_strangler() {
    local name=$1 routes=$2 port=$3 admin=$4 path=$5 extra=${6:-}
    write_config "$TMP/$name.yaml" "$routes" "$port" "$admin" "$name" "$extra"
    start_strangler "$name" "$TMP/$name.yaml" "$admin"
    expect_service "$name" "http://127.0.0.1:$port$path"
}

if wants strangler-1; then start_bench_strangler strangler-1 1 "$STRANGLER1_PORT" "$STRANGLER1_ADMIN" "$MEASURED_PATH_ONE"; fi
if wants strangler-1-nocatalog; then
    start_bench_strangler strangler-1-nocatalog 1 "$STRANGLER1NC_PORT" "$STRANGLER1NC_ADMIN" "$MEASURED_PATH_ONE" "catalog: { enabled: false }"
fi
if wants strangler-1-noaccesslog; then
    start_bench_strangler strangler-1-noaccesslog 1 "$STRANGLER1NA_PORT" "$STRANGLER1NA_ADMIN" "$MEASURED_PATH_ONE" "access-log: false"
fi
if wants strangler-1-vertxclient; then
    # The same gateway with the lean backend client switched off: every request through Vert.x's HttpClient.
    export JAVA_OPTS="${JAVA_OPTS:-} -Dstrangler.lean-backend=false"
    start_bench_strangler strangler-1-vertxclient 1 "$STRANGLER1VC_PORT" "$STRANGLER1VC_ADMIN" "$MEASURED_PATH_ONE"
    JAVA_OPTS=${JAVA_OPTS% -Dstrangler.lean-backend=false}
fi
if wants strangler-1-vertxserver; then
    # The same gateway with its own server path switched off: every request on Vert.x's HTTP/1.x server.
    export JAVA_OPTS="${JAVA_OPTS:-} -Dstrangler.own-server=false"
    start_bench_strangler strangler-1-vertxserver 1 "$STRANGLER1VS_PORT" "$STRANGLER1VS_ADMIN" "$MEASURED_PATH_ONE"
    JAVA_OPTS=${JAVA_OPTS% -Dstrangler.own-server=false}
fi
if wants strangler-1-nounsafe; then
    export JAVA_OPTS="${JAVA_OPTS:-} -Dio.netty.noUnsafe=true"
    start_bench_strangler strangler-1-nounsafe 1 "$STRANGLER1NU_PORT" "$STRANGLER1NU_ADMIN" "$MEASURED_PATH_ONE"
    JAVA_OPTS=${JAVA_OPTS% -Dio.netty.noUnsafe=true}
fi
if wants strangler-1-other; then
    [[ -n ${OTHER_ROOT:-} && -x $OTHER_ROOT/strangler ]] || die "strangler-1-other needs OTHER_ROOT=<another checkout with its ./strangler launcher>"
    # OTHER_JAVA_OPTS, when set, replaces JAVA_OPTS for this target: one checkout under two JVM settings.
    JAVA_OPTS="${OTHER_JAVA_OPTS-${JAVA_OPTS:-}}" LAUNCHER="$OTHER_ROOT/strangler" \
        start_bench_strangler strangler-1-other 1 "$STRANGLER1OT_PORT" "$STRANGLER1OT_ADMIN" "$MEASURED_PATH_ONE"
    log "strangler-1-other runs $(git -C "$OTHER_ROOT" rev-parse --short HEAD 2>/dev/null || echo "$OTHER_ROOT")${OTHER_JAVA_OPTS+ with JAVA_OPTS=$OTHER_JAVA_OPTS}"
fi
if wants strangler-1000; then start_bench_strangler strangler-1000 "$ROUTES_MANY" "$STRANGLERN_PORT" "$STRANGLERN_ADMIN" "$MEASURED_PATH"; fi
if wants scg-1 || wants scg-1000; then build_scg; fi
if wants scg-1; then start_scg scg-1 1 "$SCG1_PORT" "$SERVICE_PORT" "$MEASURED_PATH_ONE"; fi
if wants scg-1000; then start_scg scg-1000 "$ROUTES_MANY" "$SCGN_PORT" "$SERVICE_PORT" "$MEASURED_PATH"; fi
if wants floor-vertx || wants floor-netty || wants floor-hybrid || wants floor-own; then build_floor; fi
if wants floor-vertx; then start_floor floor-vertx vertx "$FLOOR_VERTX_PORT" "$SERVICE_PORT"; fi
if wants floor-netty; then start_floor floor-netty netty "$FLOOR_NETTY_PORT" "$SERVICE_PORT"; fi
if wants floor-hybrid; then start_floor floor-hybrid hybrid "$FLOOR_HYBRID_PORT" "$SERVICE_PORT"; fi
if wants floor-own; then start_floor floor-own own "$FLOOR_OWN_PORT" "$SERVICE_PORT"; fi

url_of() {
    case $1 in
        direct) echo "http://127.0.0.1:$SERVICE_PORT$MEASURED_PATH_ONE" ;;
        nginx) echo "http://127.0.0.1:$NGINX_PORT$MEASURED_PATH_ONE" ;;
        haproxy) echo "http://127.0.0.1:$HAPROXY_PORT$MEASURED_PATH_ONE" ;;
        strangler-1) echo "http://127.0.0.1:$STRANGLER1_PORT$MEASURED_PATH_ONE" ;;
        strangler-1-nocatalog) echo "http://127.0.0.1:$STRANGLER1NC_PORT$MEASURED_PATH_ONE" ;;
        strangler-1-vertxclient) echo "http://127.0.0.1:$STRANGLER1VC_PORT$MEASURED_PATH_ONE" ;;
        strangler-1-vertxserver) echo "http://127.0.0.1:$STRANGLER1VS_PORT$MEASURED_PATH_ONE" ;;
        strangler-1-nounsafe) echo "http://127.0.0.1:$STRANGLER1NU_PORT$MEASURED_PATH_ONE" ;;
        strangler-1-noaccesslog) echo "http://127.0.0.1:$STRANGLER1NA_PORT$MEASURED_PATH_ONE" ;;
        strangler-1-other) echo "http://127.0.0.1:$STRANGLER1OT_PORT$MEASURED_PATH_ONE" ;;
        strangler-1000) echo "http://127.0.0.1:$STRANGLERN_PORT$MEASURED_PATH" ;;
        scg-1) echo "http://127.0.0.1:$SCG1_PORT$MEASURED_PATH_ONE" ;;
        scg-1000) echo "http://127.0.0.1:$SCGN_PORT$MEASURED_PATH" ;;
        floor-vertx) echo "http://127.0.0.1:$FLOOR_VERTX_PORT$MEASURED_PATH_ONE" ;;
        floor-netty) echo "http://127.0.0.1:$FLOOR_NETTY_PORT$MEASURED_PATH_ONE" ;;
        floor-hybrid) echo "http://127.0.0.1:$FLOOR_HYBRID_PORT$MEASURED_PATH_ONE" ;;
        floor-own) echo "http://127.0.0.1:$FLOOR_OWN_PORT$MEASURED_PATH_ONE" ;;
    esac
}
# The processes whose CPU time is the target's: the proxy's process group (nginx master + worker,
# haproxy, the JVM); for direct, the backend itself.
process_of() { case $1 in direct) echo backend ;; *) echo "$1" ;; esac; }

# ---------------------------------------------------------------- measurement
# wrk calls done() once at the end: one machine-readable line (latency in ms). No per-request
# hooks, so wrk keeps its fast path.
cat >"$TMP/report.lua" <<'EOL'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p50=%.3f p99=%.3f errors=%d non2xx=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, summary.requests))
end
EOL

# signal_others SIGNAL TARGET: sends SIGNAL to the process group of every other target's proxy (never the
# backend's, never TARGET's own), when PAUSE_OTHERS=1.
signal_others() {
    [[ $PAUSE_OTHERS == 1 ]] || return 0
    local own other proc
    own=$(process_of "$2")
    for other in $TARGETS; do
        proc=$(process_of "$other")
        [[ $proc == "$own" || $proc == backend || -z ${PGID_OF[$proc]:-} ]] && continue
        kill "-$1" -- "-${PGID_OF[$proc]}" 2>/dev/null || true
    done
}

declare -A RPS P50 P99 ERRS PCPU LCPU
run_wrk() { # run_wrk TARGET DURATION -> "rps p50 p99 errors proxy-cpu load-cpu"
    signal_others STOP "$1"
    run_wrk_alone "$@"
    local status=$?
    signal_others CONT "$1"
    return $status
}

run_wrk_alone() {
    local out proc=$(process_of "$1") ticks0 ticks1 t0 t1 load0 load1
    ticks0=$(cpu_ticks "$proc"); load0=$(cpu_busy_ticks "$LOAD_CPUS"); t0=$(date +%s%N)
    out=$("${ON_LOAD_CPUS[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s "$TMP/report.lua" "$(url_of "$1")" 2>&1) \
        || { echo "$out" >&2; die "wrk failed against $1"; }
    t1=$(date +%s%N); ticks1=$(cpu_ticks "$proc"); load1=$(cpu_busy_ticks "$LOAD_CPUS")
    echo "$out" >>"$TMP/wrk-$1.log"
    echo "$out" | awk -v pcpu="$(busy_share "$ticks0" "$ticks1" "$t0" "$t1")" \
        -v lcpu="$([[ -n $load0 ]] && busy_share "$load0" "$load1" "$t0" "$t1" || echo n/a)" \
        '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                     print v["rps"], v["p50"], v["p99"], v["errors"] + v["non2xx"], pcpu, lcpu }'
}

log "targets: $TARGETS; wrk -t$THREADS -c$CONNECTIONS -d$DURATION, warm-up $WARMUP, $ROUNDS rounds; pinning: $([[ $PIN == 1 ]] && echo "proxy on CPU $PROXY_CPUS, wrk+backend on CPU $LOAD_CPUS" || echo off)"
for t in $TARGETS; do
    warmup=$WARMUP
    [[ $t == scg-* ]] && warmup=$SCG_WARMUP
    runs=$WARMUP_RUNS
    [[ $t == strangler-* || $t == scg-* || $t == floor-* ]] || runs=1   # nothing to compile in NGINX, HAProxy, the backend
    log "warm-up $t ($warmup in $runs run(s))"
    for _ in $(seq "$runs"); do run_wrk "$t" "$(split_duration "$warmup" "$runs")" >/dev/null; done
done
for r in $(seq "$ROUNDS"); do
    for t in $TARGETS; do
        result=$(run_wrk "$t" "$DURATION")
        read -r rps p50 p99 errs pcpu lcpu <<<"$result"
        log "round $r/$ROUNDS $t: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errs, proxy CPU $pcpu, load CPU $lcpu"
        RPS[$t]+="$rps "; P50[$t]+="$p50 "; P99[$t]+="$p99 "; ERRS[$t]=$(( ${ERRS[$t]:-0} + errs ))
        PCPU[$t]+="$pcpu "; LCPU[$t]+="$lcpu "
    done
done

# ---------------------------------------------------------------- allocation per request (ALLOC=1)
declare -A BPR
is_jvm_target() { [[ $1 == strangler-* || $1 == scg-* || $1 == floor-* ]]; }
if [[ $ALLOC == 1 ]]; then
    cat >"$TMP/alloc.jfc" <<'EOJ'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="bench allocation" description="bench/proxy.sh ALLOC=1: per-thread allocation counters only">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>
</configuration>
EOJ
    for t in $TARGETS; do
        is_jvm_target "$t" || continue
        pid=$(pgrep -g "${PGID_OF[$t]}" java | head -1) || die "$t: no JVM in its process group"
        jdk_bin=$(dirname "$(readlink "/proc/$pid/exe")")
        # A first recording started and dropped, so JFR's own start-up is not in the measured one.
        "$jdk_bin/jcmd" "$pid" JFR.start name=bench-alloc-warm settings="$TMP/alloc.jfc" >"$TMP/jcmd-$t.log" 2>&1 \
            && "$jdk_bin/jcmd" "$pid" JFR.stop name=bench-alloc-warm >>"$TMP/jcmd-$t.log" 2>&1 \
            || { cat "$TMP/jcmd-$t.log" >&2; die "$t: jcmd JFR.start failed"; }
        "$jdk_bin/jcmd" "$pid" JFR.start name=bench-alloc settings="$TMP/alloc.jfc" >>"$TMP/jcmd-$t.log" 2>&1
        run_wrk "$t" "$DURATION" >/dev/null
        "$jdk_bin/jcmd" "$pid" JFR.stop name=bench-alloc filename="$TMP/alloc-$t.jfr" >>"$TMP/jcmd-$t.log" 2>&1 \
            || { cat "$TMP/jcmd-$t.log" >&2; die "$t: jcmd JFR.stop failed"; }
        requests=$(awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "requests") r = kv[2] } } END { print r + 0 }' "$TMP/wrk-$t.log")
        bytes=$("$jdk_bin/jfr" print --json --events jdk.ThreadAllocationStatistics "$TMP/alloc-$t.jfr" \
            | python3 bench/jfr-allocated.py 2>"$TMP/alloc-$t-threads.log")
        BPR[$t]=$(awk -v b="$bytes" -v r="$requests" 'BEGIN { if (r > 0) printf "%.0f", b / r; else print "n/a" }')
        log "allocation $t: ${BPR[$t]} B per request ($bytes B over $requests requests; most: $(tr -s ' \n' ' ' <"$TMP/alloc-$t-threads.log"))"
    done
fi

# ---------------------------------------------------------------- scheduler gaps (STALLS=1)
declare -A GAPS=()
if [[ $STALLS == 1 ]]; then
    if ! command -v perf >/dev/null || ! perf sched record -C "$PROXY_CPUS" -o "$TMP/sched-probe.data" -- true >/dev/null 2>&1; then
        log "STALLS=1: perf sched record is not available here (install linux-perf, allow perf_event): skipped"
    else
        for t in $TARGETS; do
            pids=$(group_pids "$(process_of "$t")")
            secs=$(split_duration "$DURATION" 2 | tr -d s)
            # Recorded over the middle of the run: wrk's first and last moments are its own set-up.
            ( sleep "$(( secs / 2 ))"; perf sched record -C "$PROXY_CPUS" -o "$TMP/sched-$t.data" -- sleep "$secs" >/dev/null 2>&1 ) &
            recorder=$!
            run_wrk "$t" "$DURATION" >/dev/null
            wait "$recorder"
            # shellcheck disable=SC2086 # one argument per process id
            perf sched timehist -i "$TMP/sched-$t.data" 2>/dev/null | python3 bench/stalls.py $pids >"$TMP/stalls-$t.txt"
            GAPS[$t]=$(head -1 "$TMP/stalls-$t.txt")
            log "scheduler gaps $t: $(tr '\n' ';' <"$TMP/stalls-$t.txt" | tr -s ' ')"
        done
    fi
fi

# ---------------------------------------------------------------- report
# Median over rounds of the same-round ratio A/B: on a machine whose speed drifts between rounds
# (shared CPUs), targets measured back to back share the drift, so this is the steadier figure.
same_round_ratios() { # same_round_ratios "a1 a2 .." "b1 b2 ..": a1/b1, a2/b2, .. one per line
    paste -d' ' <(echo "$1" | tr ' ' '\n' | awk 'NF') <(echo "$2" | tr ' ' '\n' | awk 'NF') \
        | awk '$2 + 0 > 0 { printf "%.4f\n", $1 / $2 }'
}
round_ratio() { # round_ratio "a1 a2 .." "b1 b2 .."
    same_round_ratios "$1" "$2" | median | xargs printf '%.2f'
}
# Quartiles of the same-round ratios "q1-q3": how far one round's p99 ratio strays (a 10 s round's p99
# can be set by one stall of the host), stated beside the median.
round_spread() { # round_spread "a1 a2 .." "b1 b2 .."
    same_round_ratios "$1" "$2" | sort -g \
        | awk '{ v[NR] = $1 } END { if (NR < 4) print "n/a"; else printf "%.2f-%.2f", v[int((NR + 3) / 4)], v[int((3 * NR + 3) / 4)] }'
}
pair() { # pair A B LABEL
    echo "$3: throughput $(ratio "${MRPS[$1]}" "${MRPS[$2]}"), p99 $(ratio "${MP99[$1]}" "${MP99[$2]}")" \
         "(median of same-round ratios: throughput $(round_ratio "${RPS[$1]}" "${RPS[$2]}"), p99 $(round_ratio "${P99[$1]}" "${P99[$2]}");" \
         "quartiles of the same-round p99 ratios $(round_spread "${P99[$1]}" "${P99[$2]}"))"
}
declare -A MRPS MP50 MP99 MPCPU MLCPU
for t in $TARGETS; do
    MRPS[$t]=$(echo "${RPS[$t]}" | median | xargs printf '%.0f')
    MP50[$t]=$(echo "${P50[$t]}" | median)
    MP99[$t]=$(echo "${P99[$t]}" | median)
    MPCPU[$t]=$(echo "${PCPU[$t]}" | median)
    MLCPU[$t]=$(echo "${LCPU[$t]}" | sed 's#n/a##g' | median)
done

ratios=()
want_pair() { # want_pair A B LABEL: the ratio line when both ran
    if wants "$1" && wants "$2"; then ratios+=("$(pair "$1" "$2" "$3")"); fi
}
want_pair nginx direct "nginx / direct"
want_pair haproxy nginx "HAProxy / NGINX"
want_pair strangler-1 nginx "Strangler (1 route) / NGINX"
want_pair strangler-1000 nginx "Strangler ($ROUTES_MANY routes) / NGINX"
want_pair strangler-1 strangler-1-nocatalog "Strangler with the endpoint catalog / without"
want_pair strangler-1 strangler-1-noaccesslog "Strangler with the access log / without"
want_pair strangler-1 strangler-1-other "Strangler (this checkout) / Strangler (OTHER_ROOT)"
want_pair strangler-1-other nginx "Strangler (OTHER_ROOT) / NGINX"
want_pair strangler-1 strangler-1-vertxclient "Strangler with the lean backend client / with Vert.x's HttpClient"
want_pair strangler-1 strangler-1-vertxserver "Strangler with its own server path / with Vert.x's server"
want_pair strangler-1-vertxserver nginx "Strangler with Vert.x's server / NGINX"
want_pair strangler-1 strangler-1-nounsafe "Strangler with Netty's Unsafe / without"
want_pair strangler-1000 strangler-1 "Strangler $ROUTES_MANY routes / 1 route"
want_pair scg-1 nginx "Spring Cloud Gateway (1 route) / NGINX"
want_pair scg-1000 nginx "Spring Cloud Gateway ($ROUTES_MANY routes) / NGINX"
want_pair strangler-1 scg-1 "Strangler / Spring Cloud Gateway, 1 route"
want_pair floor-vertx nginx "floor: Vert.x server + client / NGINX"
want_pair floor-netty nginx "floor: raw Netty / NGINX"
want_pair floor-hybrid nginx "floor: Vert.x server + Netty backend pool / NGINX"
want_pair floor-own nginx "floor: own HTTP/1.1 heads / NGINX"
want_pair strangler-1 floor-vertx "Strangler (1 route) / floor: Vert.x server + client"
want_pair strangler-1000 scg-1000 "Strangler / Spring Cloud Gateway, $ROUTES_MANY routes"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
REPORT="bench/results/proxy-$STAMP.md"
java_version=${STRANGLER_JAVA:-n/a (no Strangler target ran)}

{
    echo "# Proxy benchmark, $STAMP"
    echo
    echo "$(commit_line). Produced by \`bench/proxy.sh\`; method in docs/performance.md."
    echo
    echo "- Machine: $(machine_line)"
    echo "- $(nginx -v 2>&1), $(haproxy -v 2>&1 | head -1 | awk '{ print "HAProxy " $3 }'), $(wrk -v 2>&1 | head -1 | awk '{ print "wrk " $2 }'), Strangler's JVM: $java_version"
    if wants floor-vertx || wants floor-netty || wants floor-hybrid || wants floor-own; then
        echo "- Floors (bench/floor): one event loop, access log by a writer thread, X-Request-Id both ways, keep-alive backend pool; on $("$FLOOR_JAVA" -version 2>&1 | head -1)"
    fi
    if wants scg-1 || wants scg-1000; then echo "- Spring Cloud Gateway: ${SCG_VERSION:-?} (Spring Boot 4.0.7), on $("$SCG_JAVA" -version 2>&1 | head -1)"; fi
    echo "- Load: \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION\` keep-alive, warm-up $WARMUP per target ($SCG_WARMUP for SCG), $ROUNDS alternating rounds; medians over rounds"
    echo "- Pinning: $([[ $PIN == 1 ]] && echo "proxy under test on CPU $PROXY_CPUS; wrk and backend on CPU $LOAD_CPUS" || echo "none")"
    echo "- Backend: nginx, 1 worker, fixed $(printf %s "$BODY" | wc -c)-byte JSON; nginx proxy: 1 worker, upstream keepalive 64, access log on, X-Request-Id; HAProxy: 1 thread, http-reuse always, httplog, X-Request-Id; Strangler: default settings (access log on), measured route \`live\`; SCG: Reactor Netty access log on"
    echo "- proxy CPU: CPU time of the target's processes during the run / wall time (for direct: the backend); load CPU: busy share of CPU $LOAD_CPUS (wrk + backend + anything else scheduled there)"
    echo
    echo "| target | requests/s | p50 (ms) | p99 (ms) | errors | proxy CPU | load CPU | rounds (req/s) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    for t in $TARGETS; do
        echo "| $t | ${MRPS[$t]} | ${MP50[$t]} | ${MP99[$t]} | ${ERRS[$t]:-0} | ${MPCPU[$t]} | ${MLCPU[$t]} | ${RPS[$t]% } |"
    done
    echo
    for line in "${ratios[@]}"; do echo "- $line"; done
    if [[ $ALLOC == 1 ]]; then
        echo
        echo "Bytes allocated per request by the whole JVM (ALLOC=1: one more \`wrk -d$DURATION\` run per target after the rounds, JFR \`jdk.ThreadAllocationStatistics\`):"
        echo
        for t in $TARGETS; do if is_jvm_target "$t"; then echo "- $t: ${BPR[$t]} B/request"; fi; done
    fi
    if [[ ${#GAPS[@]} -gt 0 ]]; then
        echo
        echo "When the serving thread was off the proxy's core (STALLS=1: one more run per target, \`perf sched\`, bench/stalls.py; what ran instead, in ms per second):"
        echo
        for t in $TARGETS; do
            [[ -n ${GAPS[$t]:-} ]] || continue
            echo "- $t: ${GAPS[$t]}"
            tail -n +2 "$TMP/stalls-$t.txt" | sed 's/^ */  - /'
        done
    fi
} >"$REPORT"

echo
printf '%-22s %12s %10s %10s %8s %10s %9s\n' target 'req/s' 'p50 ms' 'p99 ms' errors 'proxy CPU' 'load CPU'
for t in $TARGETS; do
    printf '%-22s %12s %10s %10s %8s %10s %9s\n' "$t" "${MRPS[$t]}" "${MP50[$t]}" "${MP99[$t]}" "${ERRS[$t]:-0}" "${MPCPU[$t]}" "${MLCPU[$t]}"
done
echo
for line in "${ratios[@]}"; do echo "$line"; done
echo
log "results written to $REPORT"
