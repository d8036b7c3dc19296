#!/usr/bin/env bash
# Runs the load scenarios against the starter server and the plain Netty baseline, alternately, and
# prints medians and ratios starter / baseline. See docs/benchmarks.md.
#
# Environment (defaults in brackets):
#   DURATION [10s]  WARMUP [3s]  DRAIN [5s]  RUNS [3]  SCENARIOS ["A B C D"]
#   DRIVER [native]  native: benchmarks/native/loadgen.c, one thread, which also reports its own and the
#                    server's CPU per 1000 requests; jvm: io.swooletask.benchmarks.LoadDriver
#   SERVER_JVM_OPTS ["-Xms1g -Xmx1g -XX:+AlwaysPreTouch"]  the same for both servers
#   DRIVER_JVM_OPTS ["-Xms512m -Xmx512m"]  for DRIVER=jvm
#   PREWARM [1]  1: one uncounted run of each scenario on each server before the counted ones, so that no
#                server is measured while its JIT still compiles its hot path; 0: none
#   STARTER_ARGS [none]  more arguments for the starter, e.g. --swoole.server.logging.mdc=false
# Writes benchmarks/results/<timestamp>/: results.txt (the RESULT lines), summary.txt, runs/ (each
# driver run's output), the servers' logs and env.txt. Exits 1 if any run had errors, lost requests
# or closed connections (native driver), after the summary.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
DRAIN=${DRAIN:-5s}
RUNS=${RUNS:-3}
SCENARIOS=${SCENARIOS:-A B C D}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
DRIVER_JVM_OPTS=${DRIVER_JVM_OPTS:--Xms512m -Xmx512m}
DRIVER=${DRIVER:-native}
PREWARM=${PREWARM:-1}
TASK_WORKERS=4
[[ $DRIVER == native || $DRIVER == jvm ]] || { echo "DRIVER must be native or jvm, not $DRIVER" >&2; exit 2; }


source benchmarks/lib.sh
for scenario in $SCENARIOS; do
	[[ -n ${SCENARIO_CLASSES[$scenario]:-} ]] || { echo "unknown scenario $scenario" >&2; exit 2; }
done
build_if_needed
[[ $DRIVER == jvm ]] || build_loadgen
OUT=$(results_dir run)
mkdir -p "$OUT/runs"
echo "results in $OUT"
record_env "$OUT" "DRIVER=$DRIVER DURATION=$DURATION WARMUP=$WARMUP DRAIN=$DRAIN RUNS=$RUNS SCENARIOS=$SCENARIOS PREWARM=$PREWARM STARTER_ARGS=${STARTER_ARGS:-}"
trap stop_servers EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2086
start_server starter "$OUT" io.swooletask.benchmarks.starter.StarterBenchServer --swoole.server.port=0 ${STARTER_ARGS:-}
STARTER_PORT=$SERVER_PORT
start_server baseline "$OUT" io.swooletask.benchmarks.baseline.NettyBaselineServer 0 2 "$TASK_WORKERS"
BASELINE_PORT=$SERVER_PORT
FAILED_RUNS=()

# One driver run; its table goes to the terminal, its RESULT line to results.txt. A native run with
# errors, lost requests or closed connections (exit 1) is noted and the script goes on.
drive() { # scenario run server port
	local scenario=$1 run=$2 server=$3 port=$4
	local log="$OUT/runs/$scenario-$run-$server.txt"
	local options=(--port "$port" --duration "$DURATION" --warmup "$WARMUP" --drain "$DRAIN"
		--scenario "$scenario" --server "$server" --run "$run")
	local status=0
	if [[ $DRIVER == native ]]; then
		# shellcheck disable=SC2086 # the classes are a word list on purpose
		"$LOADGEN" "${options[@]}" --server-pid "$(cat "$OUT/$server.pid")" ${SCENARIO_CLASSES[$scenario]} > "$log" \
			|| status=$?
	else
		# shellcheck disable=SC2086 # the options are word lists on purpose
		java $DRIVER_JVM_OPTS -cp "$CLASSPATH" io.swooletask.benchmarks.LoadDriver "${options[@]}" \
			${SCENARIO_CLASSES[$scenario]} > "$log" || status=$?
	fi
	grep -v '^RESULT ' "$log" || true
	if ((status == 1)) && [[ $DRIVER == native ]]; then
		FAILED_RUNS+=("$scenario-$run-$server")
	elif ((status != 0)); then
		echo "driver failed (exit $status); see $log" >&2
		exit "$status"
	fi
	grep '^RESULT ' "$log" >> "$OUT/results.txt"
}

if ((PREWARM)); then
	echo "warming both servers up: one uncounted run of each scenario on each"
	for scenario in $SCENARIOS; do
		for server in starter baseline; do
			if [[ $server == starter ]]; then port=$STARTER_PORT; else port=$BASELINE_PORT; fi
			drive "$scenario" 0 "$server" "$port" > /dev/null
		done
	done
	# uncounted in the numbers, but a warm-up run with errors, lost requests or closed connections stays
	# in FAILED_RUNS (as <scenario>-0-<server>): the script still exits 1 for it
	: > "$OUT/results.txt"
fi

for scenario in $SCENARIOS; do
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
if ((${#FAILED_RUNS[@]} > 0)); then
	echo "errors, lost requests or closed connections in: ${FAILED_RUNS[*]}" | tee -a "$OUT/summary.txt" >&2
	exit 1
fi
