#!/usr/bin/env bash
# CLI and start-up timings (docs/performance.md, "CLI and start-up"): whole processes, as a user runs them.
#
#   bash bench/cli-startup.sh [RUNS] [cli|run]   # RUNS per command (default 15); both parts unless one is named
#
# Starts `./strangler run` on loopback (ports chosen by the OS, an H2 store in a temporary directory),
# times `--version`, `--help`, `status`, `history` and `promote` against it with hyperfine (installed
# with apt-get when missing), then times `run` from launch to GET /health answering RUNS times over
# the now existing store, with the CPU it used by then. Prints markdown tables. Caches are recorded
# first (the launcher does that on first use after a build), so the numbers are those of every later call.
set -euo pipefail

runs="${1:-15}"
part="${2:-all}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
s="$root/strangler"
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/strangler.yaml" <<YAML
listen: 127.0.0.1:0
admin: { listen: 127.0.0.1:0 }
store: { url: "jdbc:h2:file:$work/state" }
access-log: false
monolith: { url: http://127.0.0.1:9 }
services:
  posts: { url: http://127.0.0.1:9 }
routes:
  - name: posts-read
    match: { methods: [GET], path: /api/posts/** }
    service: posts
    stage: shadow
    automate: false
YAML

"$s" --version >/dev/null 2>&1          # builds the jar and records the CLI cache when needed
start_run() {
  local deadline=$((SECONDS + 120))
  # Removed first: the background job truncates it a moment later, and the old address must not be read meanwhile.
  rm -f "$work/run.err"
  "$s" run --config "$work/strangler.yaml" >/dev/null 2>"$work/run.err" &
  pid=$!
  until admin="$(sed -n 's|.*admin on \(http://[^ ]*\) .*|\1|p' "$work/run.err" 2>/dev/null)" && [ -n "$admin" ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -gt "$deadline" ]; then
      echo "run did not start:" >&2; cat "$work/run.err" >&2; exit 1
    fi
    sleep 0.05
  done
}
start_run                               # the first run records the run cache and creates the store
export STRANGLER_ADMIN="$admin"

if [ "$part" != run ]; then
echo "## CLI against a running gateway (hyperfine, $runs runs, load average: $(cut -d' ' -f1-3 /proc/loadavg))"
hyperfine -N -w 2 -r "$runs" --export-json "$work/cli.json" "$s --version" "$s --help" "$s status" "$s history" >/dev/null
hyperfine -N -w 1 -r "$runs" --export-json "$work/promote.json" \
  --prepare "bash -c '$s rollback posts-read --to shadow --force --reason bench >/dev/null 2>&1 || true'" \
  "$s promote posts-read --force --reason bench" >/dev/null
python3 - "$work/cli.json" "$work/promote.json" <<'PY'
import json, sys
print("| command | median ms | min ms | max ms | CPU ms (user+sys, mean) | runs |")
print("|---|---:|---:|---:|---:|---:|")
for f in sys.argv[1:]:
    for r in json.load(open(f))["results"]:
        cmd = r["command"].split("/strangler ", 1)[1]
        print(f"| `strangler {cmd}` | **{r['median']*1000:.0f}** | {r['min']*1000:.0f} | {r['max']*1000:.0f} | "
              f"{(r['user']+r['system'])*1000:.0f} | {len(r['times'])} |")
PY
fi

kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
[ "$part" = cli ] && exit 0
echo
echo "## strangler run until /health answers, existing store ($runs runs, load average: $(cut -d' ' -f1-3 /proc/loadavg))"
times=()
for _ in $(seq 1 "$runs"); do
  begin=$(date +%s%N)
  start_run
  until curl -sf -o /dev/null "$admin/health"; do sleep 0.01; done
  end=$(date +%s%N)
  cpu=$(awk '{print ($14+$15)/100}' "/proc/$pid/stat")
  times+=("$(( (end - begin) / 1000000 )) $cpu")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
printf '%s\n' "${times[@]}" | python3 -c '
import sys, statistics
rows = [l.split() for l in sys.stdin if l.strip()]
wall = sorted(int(w) for w, _ in rows); cpu = sorted(float(c) for _, c in rows)
print("| median ms | min ms | max ms | CPU s by then (median) | runs |")
print("|---:|---:|---:|---:|---:|")
print(f"| **{statistics.median(wall):.0f}** | {wall[0]} | {wall[-1]} | {statistics.median(cpu):.2f} | {len(rows)} |")'
