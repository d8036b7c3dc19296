#!/usr/bin/env bash
# Heap cost of idle connections: benchmarks/idle.sh [count]
# Starts the starter benchmark server and the Netty baseline, and on each in turn opens COUNT (default
# 10000) connections that each do one echo round trip and stay open, and reports the server's heap after
# a full GC before, during and after: the starter's bytes per connection against the baseline's, measured
# the same way in the same run. See docs/benchmarks.md.
#
# Environment: SERVER_JVM_OPTS ["-Xms512m -Xmx512m"], STARTER_ARGS [] (more arguments for the starter)
set -euo pipefail

cd "$(dirname "$0")/.."
COUNT=${1:-10000}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:--Xms512m -Xmx512m}

source benchmarks/lib.sh
build_if_needed
OUT=$(results_dir idle)
echo "results in $OUT"
record_env "$OUT" "COUNT=$COUNT"
trap stop_servers EXIT
trap 'exit 130' INT TERM

start_server starter "$OUT" io.swooletask.benchmarks.starter.StarterBenchServer --swoole.server.port=0 \
	--swoole.server.max-conn=$((COUNT + 10)) ${STARTER_ARGS:-}
STARTER_PORT=$SERVER_PORT
start_server baseline "$OUT" io.swooletask.benchmarks.baseline.NettyBaselineServer 0 2 4
BASELINE_PORT=$SERVER_PORT
for server in starter baseline; do
	if [[ $server == starter ]]; then port=$STARTER_PORT; else port=$BASELINE_PORT; fi
	echo "== $server"
	java -cp "$CLASSPATH" io.swooletask.benchmarks.IdleConnections --port "$port" --count "$COUNT" \
		| tee "$OUT/idle-$server.txt"
done
