#!/usr/bin/env bash
# Open-loop tail latency: p50/p99/p99.9 at a fixed request rate, below saturation, so that work a
# proxy adds shows as its own cost rather than as queueing (wrk's closed loop turns any extra CPU
# into queueing for every request).
#
#   bash bench/open-loop.sh                         # from the repo root; see docs/performance.md
#   DURATION=3 WARMUP=2 ROUNDS=1 bash bench/open-loop.sh   # a quick look
#   RATE=8000 LOADS=50 TARGETS="nginx strangler-live" bash bench/open-loop.sh
#
# 1. Saturation: wrk's closed loop (-t1 -c50) against NGINX with the same pinning as
#    bench/proxy.sh (proxy on PROXY_CPUS, load and backend on LOAD_CPUS) gives NGINX's requests/s
#    (skipped when RATE is set: RATE is then taken as the saturation rate).
# 2. For each load in LOADS (percent of that rate) and each target, bench/openloop (built here,
#    -P bench) sends GETs at the constant rate and times each one from its *intended* send time
#    (no coordinated omission). The generator's own lateness is checked: a run where it fell
#    behind its schedule (p99 send lag > MAX_SEND_LAG_MS) is marked and makes the script exit 2;
#    a run where it could not measure at all is marked FAILED (exit 1); the other runs go on.
#
# Targets (all in front of the same nginx backend as bench/proxy.sh):
#   direct            the backend itself, no proxy: the floor of the instrument (the generator and the
#                     load core's own jitter); a proxy's p99 cannot be read finer than this
#   nginx             the NGINX reference proxy (bench/proxy.sh's)
#   strangler-monolith  one Strangler, route /mono/** in stage monolith (the reference for shadow)
#   strangler-live    the same Strangler, /live/** in stage live (service answers)
#   shadow-fast       /fast/** in stage shadow, service = the nginx service port (answers at once)
#   shadow-slow       /slow/** in stage shadow, service answers after 500 ms (python3)
#   shadow-dead       /dead/** in stage shadow, service port closed (connection refused)
#   scg               Spring Cloud Gateway, 1 route (bench/proxy.sh's scg-1)
# Reported per load and target: intended and achieved rate, p50, p99, p99.9, max, errors, the
# proxy's CPU use (CPU time / wall time of its processes) and, for the shadow routes, p99 divided
# by the monolith route's p99 in the same round (target <= 1.10 at 50 %).
#
# Environment (defaults in brackets):
#   LOADS ["25 50 75"] DURATION [10] WARMUP [10] (seconds, per open-loop run, at the constant rate) ROUNDS [1]
#   PRIME [0]: seconds of the generator's closed-loop priming before each run (0: none). A closed loop
#                   runs the target at saturation just before it is measured (on a shadow route: copies at
#                   saturation too), so by default each run is warmed at its own constant rate instead
#   TARGETS ["nginx strangler-monolith strangler-live shadow-fast shadow-slow shadow-dead scg"]
#   RATE [measured]  SAT_DURATION [10s] SAT_WARMUP [10s] CONNECTIONS [50] (wrk, saturation)
#   GEN_CONNECTIONS [256] (generator's keep-alive connections)  MAX_SEND_LAG_MS [5]
#   WARMUP_RUNS [3]: the warm-ups below run in that many passes over the targets (bench/lib.sh says why)
#   TARGET_WARMUP [30s] SCG_WARMUP [30s] (closed-loop warm-up of each target before measuring; 10 s
#                   left C2 compiling on the proxy's core during the first shadow round)
#   PORT_BASE [18280] (ports +1..+8)  PIN [1]  PROXY_CPUS [0]  LOAD_CPUS [1]  KEEP_TMP [0]
set -euo pipefail

LOADS=${LOADS:-"25 50 75"}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
PRIME=${PRIME:-0}
ROUNDS=${ROUNDS:-1}
TARGETS=${TARGETS:-"nginx strangler-monolith strangler-live shadow-fast shadow-slow shadow-dead scg"}
RATE=${RATE:-}
SAT_DURATION=${SAT_DURATION:-10s}
SAT_WARMUP=${SAT_WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-50}
GEN_CONNECTIONS=${GEN_CONNECTIONS:-256}
MAX_SEND_LAG_MS=${MAX_SEND_LAG_MS:-5}
TARGET_WARMUP=${TARGET_WARMUP:-30s}
SCG_WARMUP=${SCG_WARMUP:-30s}
PORT_BASE=${PORT_BASE:-18280}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-300}

SERVICE_PORT=$((PORT_BASE + 1))
MONOLITH_PORT=$((PORT_BASE + 2))
NGINX_PORT=$((PORT_BASE + 3))
SLOW_PORT=$((PORT_BASE + 4))
DEAD_PORT=$((PORT_BASE + 5))
GW_PORT=$((PORT_BASE + 6))
ADMIN_PORT=$((PORT_BASE + 7))
SCG_PORT=$((PORT_BASE + 8))

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH_NAME=open-loop.sh
# shellcheck source=lib.sh
. bench/lib.sh

ALL_TARGETS="direct nginx strangler-monolith strangler-live shadow-fast shadow-slow shadow-dead scg"
check_targets "$ALL_TARGETS"
command -v python3 >/dev/null || die "python3 is required (the 500 ms service)"
bench_setup
ports_free $(seq $((PORT_BASE + 1)) $((PORT_BASE + 8)))
build_openloop

wants_strangler() { for t in strangler-monolith strangler-live shadow-fast shadow-slow shadow-dead; do wants $t && return 0; done; return 1; }

# ---------------------------------------------------------------- processes
start_backend "$SERVICE_PORT" "$MONOLITH_PORT"
start_nginx_proxy nginx "$NGINX_PORT" "$SERVICE_PORT"

if wants_strangler; then
    start_slow_service slow "$SLOW_PORT"
    cat >"$TMP/strangler.yaml" <<EOF
# Generated by bench/open-loop.sh: one gateway, one route per measured case.
listen: 127.0.0.1:$GW_PORT
admin: { listen: 127.0.0.1:$ADMIN_PORT }
store: { url: "jdbc:h2:file:$TMP/strangler-store/state" }
monolith: { url: "http://127.0.0.1:$MONOLITH_PORT" }
services:
  fast: { url: "http://127.0.0.1:$SERVICE_PORT" }
  slow: { url: "http://127.0.0.1:$SLOW_PORT", response-timeout: 2s }
  dead: { url: "http://127.0.0.1:$DEAD_PORT" }
routes:
  - { name: mono, match: { path: "/mono/**" }, service: fast, stage: monolith }
  - { name: live, match: { path: "/live/**" }, service: fast, stage: live }
  - { name: fast, match: { path: "/fast/**" }, service: fast, stage: shadow }
  - { name: slow, match: { path: "/slow/**" }, service: slow, stage: shadow }
  - { name: dead, match: { path: "/dead/**" }, service: dead, stage: shadow }
EOF
    start_strangler strangler "$TMP/strangler.yaml" "$ADMIN_PORT"
    expect_service strangler-live "http://127.0.0.1:$GW_PORT/live/items/42"
    for p in mono fast slow dead; do
        who=$(served_by "http://127.0.0.1:$GW_PORT/$p/items/42")
        [[ $who == bench-monolith ]] || die "/$p/items/42 was answered by '${who:-nothing}', expected the monolith"
    done
fi
if wants scg; then
    build_scg
    start_scg scg 1 "$SCG_PORT" "$SERVICE_PORT" /api/r0/items/42
fi

url_of() {
    case $1 in
        nginx) echo "http://127.0.0.1:$NGINX_PORT/api/r0/items/42" ;;
        direct) echo "http://127.0.0.1:$SERVICE_PORT/api/r0/items/42" ;;
        strangler-monolith) echo "http://127.0.0.1:$GW_PORT/mono/items/42" ;;
        strangler-live) echo "http://127.0.0.1:$GW_PORT/live/items/42" ;;
        shadow-fast) echo "http://127.0.0.1:$GW_PORT/fast/items/42" ;;
        shadow-slow) echo "http://127.0.0.1:$GW_PORT/slow/items/42" ;;
        shadow-dead) echo "http://127.0.0.1:$GW_PORT/dead/items/42" ;;
        scg) echo "http://127.0.0.1:$SCG_PORT/api/r0/items/42" ;;
    esac
}
process_of() { case $1 in nginx|scg) echo "$1" ;; direct) echo backend ;; *) echo strangler ;; esac; }

# ---------------------------------------------------------------- saturation and warm-up (closed loop)
closed_loop() { # closed_loop URL DURATION -> requests/s
    "${ON_LOAD_CPUS[@]}" wrk -t1 -c"$CONNECTIONS" -d"$2" "$1" 2>&1 | awk '/^Requests\/sec/ { printf "%.0f\n", $2 }'
}
log "warm-up nginx ($SAT_WARMUP, closed loop)"
closed_loop "$(url_of nginx)" "$SAT_WARMUP" >/dev/null
if [[ -z $RATE ]]; then
    RATE=$(closed_loop "$(url_of nginx)" "$SAT_DURATION")
    [[ -n $RATE && $RATE -gt 0 ]] || die "could not measure NGINX's saturation rate"
    log "NGINX saturates at $RATE req/s (wrk -t1 -c$CONNECTIONS, $SAT_DURATION)"
    SAT_SOURCE="measured: wrk -t1 -c$CONNECTIONS -d$SAT_DURATION against NGINX, same pinning"
else
    SAT_SOURCE="given (RATE=$RATE)"
fi
# In WARMUP_RUNS passes over the targets: the Strangler targets are routes of one JVM, and what one
# route exercises (a slow or refused service, clients leaving at each run's end) throws away code
# compiled for the others; passes let that settle before anything is measured (bench/lib.sh).
for pass in $(seq "$WARMUP_RUNS"); do
    for t in $TARGETS; do
        [[ $t == nginx || $t == direct ]] && continue
        warmup=$TARGET_WARMUP
        [[ $t == scg ]] && warmup=$SCG_WARMUP
        log "warm-up $t (pass $pass/$WARMUP_RUNS: $(split_duration "$warmup" "$WARMUP_RUNS") of $warmup, closed loop)"
        closed_loop "$(url_of "$t")" "$(split_duration "$warmup" "$WARMUP_RUNS")" >/dev/null
    done
done

# ---------------------------------------------------------------- open-loop runs
declare -A P50 P99 P999 PMAX DONE ERRS PCPU BEHIND FAILED RATE_OF
status=0
for load in $LOADS; do
    rate=$(awk -v r="$RATE" -v l="$load" 'BEGIN { printf "%.0f", r * l / 100 }')
    RATE_OF[$load]=$rate
    for r in $(seq "$ROUNDS"); do
        for t in $TARGETS; do
            proc=$(process_of "$t")
            gen=0
            # The generator reads the target's CPU over the measured window only (priming and warm-up left out).
            result=$(openloop --url "$(url_of "$t")" --rate "$rate" --warmup "$WARMUP" --duration "$DURATION" \
                --prime "$PRIME" --connections "$GEN_CONNECTIONS" --max-send-lag-ms "$MAX_SEND_LAG_MS" \
                --target-pids "$(pgrep -g "${PGID_OF[$proc]}" | paste -sd, -)") || gen=$?
            pcpu=$(field target_cpu "$result")
            key="$load/$t"
            if [[ -z $result ]]; then
                log "load $load % round $r/$ROUNDS $t: the generator FAILED (exit $gen); see $TMP/openloop.log"
                FAILED[$key]=1; status=1
                continue
            fi
            P50[$key]+="$(field p50 "$result") "; P99[$key]+="$(field p99 "$result") "; P999[$key]+="$(field p999 "$result") "
            PMAX[$key]+="$(field max "$result") "; DONE[$key]+="$(field done_rps "$result") "; PCPU[$key]+="$pcpu "
            ERRS[$key]=$(( ${ERRS[$key]:-0} + $(field errors "$result") ))
            if [[ $gen == 2 ]]; then BEHIND[$key]=1; [[ $status == 1 ]] || status=2; fi
            log "load $load % ($rate req/s) round $r/$ROUNDS $t: $result proxy_cpu=$pcpu$([[ $gen == 2 ]] && echo " GENERATOR BEHIND")"
        done
    done
done

# ---------------------------------------------------------------- report
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
REPORT="bench/results/open-loop-$STAMP.md"
{
    echo "# Open-loop benchmark, $STAMP"
    echo
    echo "$(commit_line). Produced by \`bench/open-loop.sh\`; method in docs/performance.md."
    echo
    echo "- Machine: $(machine_line)"
    echo "- NGINX saturation rate: **$RATE req/s** ($SAT_SOURCE); loads: $LOADS % of it"
    echo "- Generator: bench/openloop, constant rate, latency from the intended send time, $GEN_CONNECTIONS keep-alive connections, warm-up ${WARMUP}s + ${DURATION}s measured per run, $ROUNDS round(s) (medians)"
    echo "- Pinning: $([[ $PIN == 1 ]] && echo "proxy under test on CPU $PROXY_CPUS; generator, wrk and backends on CPU $LOAD_CPUS" || echo "none")"
    echo "- Strangler's JVM: ${STRANGLER_JAVA:-n/a}; SCG: ${SCG_VERSION:-n/a}"
    echo "- Priming: $([[ $PRIME == 0 ]] && echo "none; each run warms ${WARMUP}s at its own constant rate" || echo "${PRIME}s+ closed loop, $GEN_CONNECTIONS connections, before each run")"
    echo "- proxy CPU: CPU time of the target's processes / wall time over the measured window (read by the generator; one Strangler serves all its routes)"
    for load in $LOADS; do
        echo
        echo "### $load % of saturation (${RATE_OF[$load]} req/s)"
        echo
        echo "| target | achieved req/s | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | errors | proxy CPU | p99 / monolith route |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        mono=$(echo "${P99[$load/strangler-monolith]:-}" | median)
        for t in $TARGETS; do
            key="$load/$t"
            p99=$(echo "${P99[$key]}" | median)
            rel="—"
            [[ $t == shadow-* || $t == strangler-live ]] && wants strangler-monolith && rel=$(ratio "$p99" "$mono")
            if [[ -n ${FAILED[$key]:-} && -z ${P99[$key]:-} ]]; then echo "| $t (generator FAILED) | | | | | | | | |"; continue; fi
            echo "| $t$([[ -n ${BEHIND[$key]:-} ]] && echo " (GENERATOR BEHIND)") | $(echo "${DONE[$key]}" | median) | $(echo "${P50[$key]}" | median) | $p99 | $(echo "${P999[$key]}" | median) | $(echo "${PMAX[$key]}" | median) | ${ERRS[$key]} | $(echo "${PCPU[$key]}" | median) | $rel |"
        done
    done
} >"$REPORT"
echo
cat "$REPORT"
echo
log "results written to $REPORT"
if [[ $status == 1 ]]; then
    log "ERROR: the generator could not run against the targets marked FAILED (see the log above)"
elif [[ $status == 2 ]]; then
    log "ERROR: the generator fell behind its schedule in the runs marked GENERATOR BEHIND: their latencies are not the target's"
fi
exit "$status"
