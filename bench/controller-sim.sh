#!/usr/bin/env bash
# Controller simulation: the real StepJudge and Evidence driven by simulated traffic on a virtual
# clock, 1,000 seeded runs per scenario (A/A, dead service, +1/+5/+30 points of errors,
# +10/+50/+200 % latency, ...). See docs/controller-simulation.md for the model and the results.
#
#   bash bench/controller-sim.sh                 # from anywhere, all scenarios, 1,000 runs each
#   bash bench/controller-sim.sh --runs 200 --only dead
#   REBUILD=1 bash bench/controller-sim.sh       # after changing the judge
#
# Builds the simulation with -P bench (offline first, as the rest of the build) and runs it on one
# thread: about 3 minutes of CPU for the default suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/find-jdk
. "$root/bin/find-jdk"
strangler_find_jdk || exit 1
jar="$root/bench/controller-sim/target/controller-sim.jar"
if [[ ! -f "$jar" || -n "${REBUILD:-}" ]]; then
  (cd "$root" && { ./mvnw -q -B -o -P bench -pl bench/controller-sim -am package -DskipTests \
    || ./mvnw -q -B -P bench -pl bench/controller-sim -am package -DskipTests; }) >&2
fi
exec "$JAVA_HOME/bin/java" -XX:ActiveProcessorCount=1 -jar "$jar" "$@"
