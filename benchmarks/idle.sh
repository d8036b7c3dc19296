#!/usr/bin/env bash
# Heap cost of idle connections on the starter server: benchmarks/idle.sh [count]
# Starts the starter benchmark server, opens COUNT (default 10000) connections that each do one echo
# round trip and stay open, and reports the server's heap after a full GC before, during and after.
# See docs/benchmarks.md.
#
# Environment: SERVER_JVM_OPTS ["-Xms512m -Xmx512m"]
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
	--swoole.server.max-conn=$((COUNT + 10))
java -cp "$CLASSPATH" io.swooletask.benchmarks.IdleConnections --port "$SERVER_PORT" --count "$COUNT" \
	| tee "$OUT/idle.txt"
