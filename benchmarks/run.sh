#!/usr/bin/env bash
# Runs the load scenarios against the starter server and the plain Netty baseline, alternately, and
# prints medians and ratios starter / baseline. See docs/benchmarks.md.
#
# Environment (defaults in brackets):
#   DURATION [10s]  WARMUP [3s]  DRAIN [5s]  RUNS [3]  SCENARIOS ["A B C D"]
#   SERVER_JVM_OPTS ["-Xms1g -Xmx1g -XX:+AlwaysPreTouch"]  the same for both servers
#   DRIVER_JVM_OPTS ["-Xms512m -Xmx512m"]
# Writes benchmarks/results/<timestamp>/: results.txt (the RESULT lines), summary.txt, runs/ (each
# driver run's output), the servers' logs and env.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
DRAIN=${DRAIN:-5s}
RUNS=${RUNS:-3}
SCENARIOS=${SCENARIOS:-A B C D}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
DRIVER_JVM_OPTS=${DRIVER_JVM_OPTS:--Xms512m -Xmx512m}
TASK_WORKERS=4

declare -A CLASSES=(
	[A]="--class 64:T:1"
	[B]="--class 64:T:16"
	[C]="--class 64:E:1"
	[D]="--class 16:S20:4 --class 8:E:1"
)

source benchmarks/lib.sh
build_if_needed
OUT=$(results_dir run)
mkdir -p "$OUT/runs"
echo "results in $OUT"
record_env "$OUT" "DURATION=$DURATION WARMUP=$WARMUP DRAIN=$DRAIN RUNS=$RUNS SCENARIOS=$SCENARIOS"
trap stop_servers EXIT
trap 'exit 130' INT TERM

start_server starter "$OUT" io.swooletask.benchmarks.starter.StarterBenchServer --swoole.server.port=0
STARTER_PORT=$SERVER_PORT
start_server baseline "$OUT" io.swooletask.benchmarks.baseline.NettyBaselineServer 0 2 "$TASK_WORKERS"
BASELINE_PORT=$SERVER_PORT

drive() { # scenario run server port
	local scenario=$1 run=$2 server=$3 port=$4
	local log="$OUT/runs/$scenario-$run-$server.txt"
	# shellcheck disable=SC2086 # the options are word lists on purpose
	java $DRIVER_JVM_OPTS -cp "$CLASSPATH" io.swooletask.benchmarks.LoadDriver --port "$port" \
		--duration "$DURATION" --warmup "$WARMUP" --drain "$DRAIN" \
		--scenario "$scenario" --server "$server" --run "$run" ${CLASSES[$scenario]} > "$log"
	grep -v '^RESULT ' "$log"
	grep '^RESULT ' "$log" >> "$OUT/results.txt"
}

for scenario in $SCENARIOS; do
	[[ -n ${CLASSES[$scenario]:-} ]] || { echo "unknown scenario $scenario" >&2; exit 2; }
	for run in $(seq 1 "$RUNS"); do
		# alternate which server goes first, so neither always runs on a machine the other just heated
		if ((run % 2 == 1)); then order="starter baseline"; else order="baseline starter"; fi
		for server in $order; do
			if [[ $server == starter ]]; then port=$STARTER_PORT; else port=$BASELINE_PORT; fi
			drive "$scenario" "$run" "$server" "$port"
		done
	done
done

java -cp "$CLASSPATH" io.swooletask.benchmarks.report.Summary --task-workers "$TASK_WORKERS" "$OUT/results.txt" \
	| tee "$OUT/summary.txt"
