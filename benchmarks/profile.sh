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
# by benchmarks/profiler/Attach.java (jcmd's JVMTI.agent_load would take each option holding = for an
# argument of its own).
agent() { # pid options
	java benchmarks/profiler/Attach.java "$1" "$LIB" "$2"
}

profile() { # server port
	local server=$1 port=$2 pid
	pid=$(cat "$OUT/$server.pid")
	# shellcheck disable=SC2086 # the classes are a word list on purpose
	"$LOADGEN" --port "$port" --duration "$WARMUP" --warmup 1s ${SCENARIO_CLASSES[$SCENARIO]} > /dev/null
	agent "$pid" "start,event=$EVENT,interval=$([[ $EVENT == cpu ]] && echo 1ms || echo 512k)"
	# shellcheck disable=SC2086
	"$LOADGEN" --port "$port" --server-pid "$pid" --duration "$DURATION" --warmup 0s ${SCENARIO_CLASSES[$SCENARIO]} \
		> "$OUT/$server.txt"
	agent "$pid" "dump,collapsed,file=$OUT/$server.collapsed"
	agent "$pid" "stop,file=$OUT/$server.html"
	grep -m1 -E '^[0-9]+:' "$OUT/$server.txt" || true
}

profile starter "$STARTER_PORT"
profile baseline "$BASELINE_PORT"

# Samples by the package of the innermost Java frame of each stack (what the JVM, the kernel or a native
# library did on behalf of that code counts for it): where each server's CPU (or allocation) goes.
for server in starter baseline; do
	awk -v server="$server" '
		{
			count = $NF; stack = $0; sub(/ [0-9]+$/, "", stack)
			n = split(stack, frames, ";"); pkg = "[no Java frame]"
			for (i = n; i >= 1; i--) {
				if (frames[i] ~ /^[a-z][a-z0-9_]*\/[A-Za-z0-9_\/$]+\.[^\/]+$/) {
					k = split(frames[i], parts, "/")
					depth = (parts[1] == "io" && parts[2] == "swooletask") ? 4 : 3
					pkg = parts[1]; for (j = 2; j < k && j <= depth; j++) pkg = pkg "." parts[j]
					break
				}
			}
			total += count; by[pkg] += count
		}
		END {
			for (p in by) printf "%s %6.2f%% %s\n", server, 100 * by[p] / total, p
		}' "$OUT/$server.collapsed" | sort -k2 -rn | head -25
done | tee "$OUT/by-package.txt"
