#!/usr/bin/env bash
# Compares the starter server of two commits under the native load generator, alternating them run by
# run, and prints medians and the ratio head / base: the check a change to the hot path must pass.
#   benchmarks/compare.sh <base commit> [<head commit>]   (head: the working tree as it is)
#
# Environment (defaults in brackets):
#   DURATION [10s]  WARMUP [3s]  DRAIN [3s]  RUNS [5]  SCENARIOS ["B"] (the classes of run.sh)
#   PREWARM [1]  1: one uncounted run of each scenario on each server first, as in run.sh; 0: none
#   SERVER_JVM_OPTS ["-Xms1g -Xmx1g -XX:+AlwaysPreTouch"]  the same for both servers
# Each commit is built in a temporary git worktree; writes benchmarks/results/<timestamp>-compare/.
set -euo pipefail

cd "$(dirname "$0")/.."
[[ $# -ge 1 && $# -le 2 ]] || { sed -n '2,9p' "$0" >&2; exit 2; }
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
DRAIN=${DRAIN:-3s}
RUNS=${RUNS:-5}
SCENARIOS=${SCENARIOS:-B}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}


source benchmarks/lib.sh
build_loadgen
OUT=$(results_dir compare)
mkdir -p "$OUT/runs"
echo "results in $OUT"
record_env "$OUT" "base=$1 head=${2:-working tree} DURATION=$DURATION WARMUP=$WARMUP RUNS=$RUNS SCENARIOS=$SCENARIOS PREWARM=${PREWARM:-1}"
WORKTREES=()
cleanup() {
	stop_servers
	for tree in "${WORKTREES[@]}"; do
		git worktree remove --force "$tree" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Puts the benchmark jars of a commit (or of the working tree) in <OUT>/<name>.
build() { # name [commit]
	local name=$1 tree=.
	if [[ -n ${2:-} ]]; then
		tree=$(mktemp -d)
		WORKTREES+=("$tree")
		git worktree add --detach "$tree" "$2" > /dev/null
	fi
	echo "building $name (${2:-working tree}) ..."
	(cd "$tree" && ./mvnw -B -q -pl benchmarks -am package -DskipTests)
	mkdir -p "$OUT/$name"
	cp -r "$tree/benchmarks/target/benchmarks.jar" "$tree/benchmarks/target/lib" "$OUT/$name/"
}

build base "$1"
build head "${2:-}"
declare -A PORTS
for name in base head; do
	CLASSPATH="$OUT/$name/benchmarks.jar:$OUT/$name/lib/*"
	start_server "$name" "$OUT" io.swooletask.benchmarks.starter.StarterBenchServer --swoole.server.port=0
	PORTS[$name]=$SERVER_PORT
done

alternate_runs base head

java -cp "$OUT/head/benchmarks.jar:$OUT/head/lib/*" io.swooletask.benchmarks.report.Summary --task-workers 4 \
	--ratio head/base "$OUT/results.txt" | tee "$OUT/summary.txt"
