#!/usr/bin/env bash
# Thread wake-ups of a running gateway: how often each of its threads is switched in, idle and at a
# fixed request rate, counted by the kernel rather than sampled, so the figures hold on a busy machine.
#
#   bash bench/wakeups.sh                        # from the repo root
#   RATE=2000 WINDOW=20 ROUTES=1000 bash bench/wakeups.sh
#
# Why: bench/proxy.sh pins the whole gateway JVM to one core. A thread beside the event loop that
# wakes up preempts the loop at once, so the p99 follows how often the other threads wake, not only
# how much CPU they use (docs/performance.md, "Issue 14, fourth round").
#
# What runs: the fixed nginx backend of bench/proxy.sh on LOAD_CPUS, one `./strangler run` (ROUTES
# routes, the last one live and measured, access log on, catalog on: bench/proxy.sh's strangler-1 or
# strangler-1000) on PROXY_CPUS, and bench/openloop's constant-rate generator on LOAD_CPUS.
# 1. Warm-up: WARMUP seconds at RATE (JIT, connections), not measured.
# 2. Idle window: IDLE seconds with no traffic.
# 3. Load window: WINDOW seconds of an open-loop run at RATE requests/s (no priming burst).
# For each window every thread's voluntary_ctxt_switches (it blocked and was woken: a wake-up) and
# nonvoluntary_ctxt_switches (it was preempted) are read from /proc/PID/task/TID/status before and
# after. Threads are grouped by name with trailing digits removed (the kernel keeps 15 characters:
# "vert.x-eventloo" is Vert.x's event loops, "strangler-acces" the access-log writer); a thread that
# started during a window counts from zero, one that ended is missing from it.
# Reported per thread name: voluntary and involuntary switches per second, and voluntary per 1,000
# requests (load window). Written to stdout and bench/results/wakeups-<time>.md.
#
# Environment (defaults in brackets):
#   RATE [1000] (requests/s)  WINDOW [20] IDLE [10] WARMUP [20] (seconds)  ROUTES [1]
#   PORT_BASE [18380] (ports +1..+4)  PIN [1]  PROXY_CPUS [0]  LOAD_CPUS [1]  KEEP_TMP [0]
#   JAVA_OPTS: extra JVM options for the gateway (e.g. -Dvertx.options.blockedThreadCheckInterval=...)
set -euo pipefail

RATE=${RATE:-1000}
WINDOW=${WINDOW:-20}
IDLE=${IDLE:-10}
WARMUP=${WARMUP:-20}
ROUTES=${ROUTES:-1}
PORT_BASE=${PORT_BASE:-18380}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-300}

SERVICE_PORT=$((PORT_BASE + 1))
MONOLITH_PORT=$((PORT_BASE + 2))
GATEWAY_PORT=$((PORT_BASE + 3))
ADMIN_PORT=$((PORT_BASE + 4))

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH_NAME=wakeups.sh
# shellcheck source=lib.sh
. bench/lib.sh

bench_setup
ports_free "$SERVICE_PORT" "$MONOLITH_PORT" "$GATEWAY_PORT" "$ADMIN_PORT"
build_openloop
start_backend "$SERVICE_PORT" "$MONOLITH_PORT"
URL="http://127.0.0.1:$GATEWAY_PORT/api/r$((ROUTES - 1))/items/42"
write_config "$TMP/gateway.yaml" "$ROUTES" "$GATEWAY_PORT" "$ADMIN_PORT" gateway
start_strangler gateway "$TMP/gateway.yaml" "$ADMIN_PORT"
expect_service gateway "$URL"
JVM=$(pgrep -g "${PGID_OF[gateway]}" java | head -1) || die "no JVM in the gateway's process group"

# switches FILE: one line per thread of the JVM: "TID<TAB>NAME<TAB>VOLUNTARY<TAB>INVOLUNTARY".
switches() {
    local task tid
    for task in /proc/"$JVM"/task/*; do
        tid=${task##*/}
        awk -v tid="$tid" -F'\t' '
            $1 == "Name:" { name = $2 }
            $1 == "voluntary_ctxt_switches:" { v = $2 }
            $1 == "nonvoluntary_ctxt_switches:" { n = $2 }
            END { if (name != "") printf "%s\t%s\t%s\t%s\n", tid, name, v, n }' "$task/status" 2>/dev/null || true
    done >"$1"
}

# table BEFORE AFTER SECONDS REQUESTS: the markdown table of one window, busiest thread name first.
table() {
    if (($4 > 0)); then
        echo "| thread | threads | wake-ups/s (voluntary) | preempted/s (involuntary) | wake-ups per 1,000 requests |"
        echo "|---|---:|---:|---:|---:|"
    else
        echo "| thread | threads | wake-ups/s (voluntary) | preempted/s (involuntary) |"
        echo "|---|---:|---:|---:|"
    fi
    awk -F'\t' -v secs="$3" -v reqs="$4" '
        NR == FNR { v0[$1] = $3; n0[$1] = $4; next }
        {
            name = $2; sub(/[0-9]+$/, "", name)
            threads[name]++
            vol[name] += $3 - v0[$1]; inv[name] += $4 - n0[$1]
        }
        END {
            for (name in vol) {
                tv += vol[name]; ti += inv[name]
                if (reqs > 0) printf "%.3f\t| %s | %d | %.1f | %.1f | %.1f |\n", vol[name], name, threads[name], vol[name] / secs, inv[name] / secs, 1000 * vol[name] / reqs
                else printf "%.3f\t| %s | %d | %.1f | %.1f |\n", vol[name], name, threads[name], vol[name] / secs, inv[name] / secs
            }
            if (reqs > 0) printf "-1\t| **all** | | **%.1f** | **%.1f** | **%.1f** |\n", tv / secs, ti / secs, 1000 * tv / reqs
            else printf "-1\t| **all** | | **%.1f** | **%.1f** |\n", tv / secs, ti / secs
        }' "$1" "$2" | sort -t$'\t' -k1,1gr | cut -f2-
}

# window NAME SECONDS: snapshots around a sleep of SECONDS; prints the elapsed seconds.
window() {
    local t0 t1
    switches "$TMP/$1-before.tsv"; t0=$(date +%s%N)
    sleep "$2"
    switches "$TMP/$1-after.tsv"; t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}

log "warm-up: $WARMUP s at $RATE req/s ($URL)"
openloop --url "$URL" --rate "$RATE" --prime 5 --warmup 0 --duration "$WARMUP" >/dev/null || log "warm-up run reported a problem (ignored)"

log "idle window: $IDLE s"
idle_secs=$(window idle "$IDLE")

# The load window sits inside one open-loop run without closed-loop priming (--prime 0: a priming
# burst runs far above RATE), 2 s after its constant-rate schedule starts, and ends a few seconds
# before the run does.
log "load window: $WINDOW s at $RATE req/s"
"${ON_LOAD_CPUS[@]}" "$OPENLOOP_JAVA" -XX:+UseSerialGC -Xms256m -Xmx256m -jar "$OPENLOOP_JAR" --url "$URL" --rate "$RATE" \
    --prime 0 --warmup 2 --duration "$((WINDOW + 4))" >"$TMP/load-out.txt" 2>"$TMP/load-err.txt" &
loader=$!
until grep -q '^openloop: primed' "$TMP/load-err.txt"; do
    kill -0 "$loader" 2>/dev/null || die "the load generator ended before priming: $(cat "$TMP/load-err.txt")"
    sleep 0.2
done
sleep 2
load_secs=$(window load "$WINDOW")
wait "$loader" || log "load run reported a problem: $(grep -v '^WARNING' "$TMP/load-err.txt" | tail -n 3)"
result=$(sed -n 's/^RESULT //p' "$TMP/load-out.txt")
achieved=$(field done_rps "$result")
[[ -n $achieved ]] || achieved=$RATE
requests=$(awk -v r="$achieved" -v s="$load_secs" 'BEGIN { printf "%.0f", r * s }')

mkdir -p bench/results
out="bench/results/wakeups-$(date -u +%Y%m%dT%H%M%SZ).md"
{
    echo "# Thread wake-ups ($BENCH_NAME)"
    echo
    echo "$(commit_line); $ROUTES route(s); gateway pinned to CPU(s) ${PROXY_CPUS} (PIN=$PIN); JAVA_OPTS='${JAVA_OPTS:-}'."
    echo "$(machine_line)."
    echo
    echo "## Load: $RATE req/s intended, $achieved achieved, $load_secs s, about $requests requests"
    echo
    echo "Generator (bench/openloop; a send lag far above a few ms means it or the machine fell behind): \`$result\`"
    echo
    table "$TMP/load-before.tsv" "$TMP/load-after.tsv" "$load_secs" "$requests"
    echo
    echo "## Idle: $idle_secs s, no traffic"
    echo
    table "$TMP/idle-before.tsv" "$TMP/idle-after.tsv" "$idle_secs" 0
} | tee "$out"
log "written to $out"
