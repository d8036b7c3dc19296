#!/usr/bin/env bash
# Measures what observing the steps of each message costs: the starter server of the working tree with
# the profile `observed` (an ObservationRegistry turning each observation into a timer) against the same
# build without it, alternating them run by run, and prints medians and the ratio observed / plain.
#   benchmarks/observations.sh
#
# Environment (defaults in brackets):
#   DURATION [10s]  WARMUP [3s]  DRAIN [3s]  RUNS [5]  SCENARIOS ["B"] (the classes of run.sh)
#   SERVER_JVM_OPTS ["-Xms1g -Xmx1g -XX:+AlwaysPreTouch"]  the same for both servers
#   HANDLER ["timers"] the observed server's handler: timers (as with Actuator's metrics) or none
#   PREWARM [1]  1: one uncounted run of each scenario on each server first, as in run.sh; 0: none
# Writes benchmarks/results/<timestamp>-observations/.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
DRAIN=${DRAIN:-3s}
RUNS=${RUNS:-5}
SCENARIOS=${SCENARIOS:-B}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
HANDLER=${HANDLER:-timers}

source benchmarks/lib.sh
build_if_needed
build_loadgen
OUT=$(results_dir observations)
mkdir -p "$OUT/runs"
echo "results in $OUT"
record_env "$OUT" "observed (HANDLER=$HANDLER) vs plain, DURATION=$DURATION WARMUP=$WARMUP RUNS=$RUNS SCENARIOS=$SCENARIOS"
trap stop_servers EXIT
trap 'exit 130' INT TERM

declare -A PORTS
start_server plain "$OUT" io.swooletask.benchmarks.starter.StarterBenchServer --swoole.server.port=0
PORTS[plain]=$SERVER_PORT
start_server observed "$OUT" io.swooletask.benchmarks.starter.StarterBenchServer --swoole.server.port=0 \
	--spring.profiles.include=observed --swoole.server.observations.enabled=true \
	--bench.observation-handler="$HANDLER"
PORTS[observed]=$SERVER_PORT

alternate_runs plain observed

java -cp "$CLASSPATH" io.swooletask.benchmarks.report.Summary --task-workers 4 --ratio observed/plain \
	"$OUT/results.txt" | tee "$OUT/summary.txt"
