#!/usr/bin/env bash
# Profiles the starter and the Netty baseline under one load scenario with async-profiler
# (tools.profiler:async-profiler from Maven Central, loaded as an agent): a CPU or an allocation flame
# graph of each server, and the same samples folded, for counting by package. See docs/benchmarks.md,
# "Where the starter spends its CPU".
#
# Environment (defaults in brackets):
#   EVENT [cpu]  cpu or alloc   SCENARIO [B]   DURATION [10s]   WARMUP [5s] (the profiler starts after it)
#   SERVER_JVM_OPTS ["-Xms1g -Xmx1g -XX:+AlwaysPreTouch"]
# Writes benchmarks/results/<timestamp>-profile-<event>/: <server>.html (flame graph), <server>.collapsed
# (folded stacks), <server>.txt (the load run) and by-package.txt (samples per frame package, self time).
set -euo pipefail

cd "$(dirname "$0")/.."
EVENT=${EVENT:-cpu}
SCENARIO=${SCENARIO:-B}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
PROFILER_VERSION=4.2
TASK_WORKERS=4
[[ $EVENT == cpu || $EVENT == alloc ]] || { echo "EVENT must be cpu or alloc" >&2; exit 2; }

source benchmarks/lib.sh
build_if_needed
build_loadgen
PROFILER_DIR=benchmarks/target/async-profiler
if [[ ! -f $PROFILER_DIR/linux-x64/libasyncProfiler.so ]]; then
	./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$PROFILER_VERSION:jar:linux-x64" \
		-DoutputDirectory="$PROFILER_DIR" -Dmdep.stripVersion=true
	(cd "$PROFILER_DIR" && unzip -q -o async-profiler-linux-x64.jar 'linux-x64/*')
fi
LIB=$(realpath "$PROFILER_DIR/linux-x64/libasyncProfiler.so")
OUT=$(results_dir "profile-$EVENT")
OUT=$(realpath "$OUT")
echo "results in $OUT"
record_env "$OUT" "EVENT=$EVENT SCENARIO=$SCENARIO DURATION=$DURATION WARMUP=$WARMUP"
trap stop_servers EXIT
trap 'exit 130' INT TERM

SERVER_JVM_OPTS="$SERVER_JVM_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
start_server starter "$OUT" io.swooletask.benchmarks.starter.StarterBenchServer --swoole.server.port=0
STARTER_PORT=$SERVER_PORT
start_server baseline "$OUT" io.swooletask.benchmarks.baseline.NettyBaselineServer 0 2 "$TASK_WORKERS"
BASELINE_PORT=$SERVER_PORT

# Loads one server: a warm-up run without the profiler, then the profiled run, with the profiler attached
# through jcmd's JVMTI agent load (the agent starts at attach and writes its files at stop).
profile() { # server port
	local server=$1 port=$2 pid
	pid=$(cat "$OUT/$server.pid")
	# shellcheck disable=SC2086 # the classes are a word list on purpose
	"$LOADGEN" --port "$port" --duration "$WARMUP" --warmup 1s ${SCENARIO_CLASSES[$SCENARIO]} > /dev/null
	jcmd "$pid" JVMTI.agent_load "$LIB" "start,event=$EVENT,interval=$([[ $EVENT == cpu ]] && echo 1ms || echo 512k)" \
		> /dev/null
	# shellcheck disable=SC2086
	"$LOADGEN" --port "$port" --server-pid "$pid" --duration "$DURATION" --warmup 0s ${SCENARIO_CLASSES[$SCENARIO]} \
		> "$OUT/$server.txt"
	jcmd "$pid" JVMTI.agent_load "$LIB" "dump,collapsed,file=$OUT/$server.collapsed" > /dev/null
	jcmd "$pid" JVMTI.agent_load "$LIB" "stop,file=$OUT/$server.html" > /dev/null
	grep -m1 -E '^[0-9]+:' "$OUT/$server.txt" || true
}

profile starter "$STARTER_PORT"
profile baseline "$BASELINE_PORT"

# Self samples by the package of the top frame: where each server's own CPU (or allocation) goes.
for server in starter baseline; do
	awk -v server="$server" '
		{
			count = $NF; stack = $0; sub(/ [0-9]+$/, "", stack)
			n = split(stack, frames, ";"); top = frames[n]
			sub(/_\[[a-z0-9]+\]$/, "", top)
			if (top ~ /\./) { k = split(top, parts, "."); pkg = parts[1]; for (i = 2; i < k && i <= 3; i++) pkg = pkg "." parts[i] }
			else pkg = "[native/vm] " top
			total += count; by[pkg] += count
		}
		END {
			for (p in by) printf "%s %6.2f%% %s\n", server, 100 * by[p] / total, p
		}' "$OUT/$server.collapsed" | sort -k2 -rn | head -25
done | tee "$OUT/by-package.txt"
